"""The mailbox poller's lock: one poll at a time across every worker and beat.

`<prefix>:mailbox:lock` holds the running poll's token with a lease (SET NX PX); it is let go
only by the token that took it (the sync's compare-and-delete, `SYNC_RELEASE`), so a poll that
outlived its lease cannot free the next poll's lock.
"""

from __future__ import annotations

from app.store import Store, lua


class MailboxLock:
    def __init__(self, store: Store):
        self.redis = store.redis
        self.key = f"{store.prefix}:mailbox:lock"
        self._release = self.redis.register_script(lua.SYNC_RELEASE)

    def acquire(self, token: str, lease_ms: int) -> bool:
        """Take the lock unless another poll holds it; it lapses after `lease_ms`."""
        return bool(self.redis.set(self.key, token, nx=True, px=lease_ms))

    def release(self, token: str) -> None:
        self._release(keys=[self.key], args=[token])
