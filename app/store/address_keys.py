"""The keys that carry an address or a domain, found and moved for `bouncekeeper
migrate-addresses` (app/migrate_addresses.py), when the normal form of addresses changes.

Addresses are in `<prefix>:suppression:{address}` (and the index `<prefix>:suppressed`),
`<prefix>:contact:{address}` and the fields of each sink's `<prefix>:sync:<sink>:failed`;
domains in `<prefix>:domain:{domain}:hour|day:<n>` and the members of
`<prefix>:stats:<day>:domains|sender_side`. The streams (change log, audit, alerts, recent
events) are history and keep what they recorded. Every move is one script call (lua.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from app.store import Store, lua, reports

SCAN_BATCH = 1000


@dataclass(frozen=True, slots=True)
class AddressMove:
    """What moving one address did (or, previewed, would do) to each of its keys:
    suppression and contact `none`, `moved` or `merged`; `failed` sink entries moved."""

    suppression: str
    contact: str
    failed: int


class AddressKeys:
    def __init__(self, store: Store):
        self.store = store
        self.redis = store.redis
        self._move_address = self.redis.register_script(lua.MIGRATE_ADDRESS)
        self._move_counters = self.redis.register_script(lua.MIGRATE_COUNTERS)
        self._move_member = self.redis.register_script(lua.MIGRATE_MEMBER)

    # -- finding ------------------------------------------------------------------------
    def _tagged(self, empty_key: str) -> Iterator[str]:
        """The `{tag}` of every key shaped like `empty_key` (a key built for the tag "")."""
        prefix = empty_key[:-2]
        for key in self.redis.scan_iter(match=f"{prefix}{{*}}", count=SCAN_BATCH):
            yield key[len(prefix) + 1 : -1]

    @cached_property
    def failed_keys(self) -> list[str]:
        """Every sink's failed-entries hash, scanned once: each move names them all."""
        pattern = f"{reports.sync_state_prefix(self.store.prefix)}*:failed"
        return sorted(self.redis.scan_iter(match=pattern, count=SCAN_BATCH))

    def addresses(self) -> set[str]:
        """Every address a key or a sink's failed entry carries (SCAN: safe on a live server;
        held in memory, about 100 bytes an address, for a one-off command)."""
        found = set(self._tagged(self.store.suppression_key("")))
        found.update(self._tagged(self.store.contact_key("")))
        for key in self.failed_keys:
            found.update(field for field, _ in self.redis.hscan_iter(key, count=SCAN_BATCH))
        return found

    def domain_counters(self) -> Iterator[tuple[str, str, str]]:
        """(key, domain, the key's part after the domain) of every domain counter hash."""
        prefix = self.store.domain_day_key("", 0).partition("{")[0]
        for key in self.redis.scan_iter(match=f"{prefix}{{*}}:*", count=SCAN_BATCH):
            domain, _, rest = key[len(prefix) + 1 :].rpartition("}:")
            if domain:
                yield key, domain, rest

    def counter_key(self, domain: str, rest: str) -> str:
        """The domain counter key of `domain` with the same hour or day part `rest`."""
        prefix = self.store.domain_day_key("", 0).partition("{")[0]
        return f"{prefix}{{{domain}}}:{rest}"

    def ranked_domains(self) -> Iterator[tuple[str, str]]:
        """(set, domain) for every member of the per-day sorted sets of domains."""
        prefix = reports.stats_day_key(self.store.prefix, 0)[: -len("0")]
        for suffix in ("domains", "sender_side"):
            for key in self.redis.scan_iter(match=f"{prefix}*:{suffix}", count=SCAN_BATCH):
                for member, _ in self.redis.zscan_iter(key, count=SCAN_BATCH):
                    yield key, member

    # -- moving ---------------------------------------------------------------------------
    def preview(self, old: str, new: str) -> AddressMove:
        """What `move` would do, read only."""
        pipe = self.redis.pipeline(transaction=False)
        for key in (
            self.store.suppression_key(old),
            self.store.suppression_key(new),
            self.store.contact_key(old),
            self.store.contact_key(new),
        ):
            pipe.exists(key)
        for key in self.failed_keys:
            pipe.hexists(key, old)
        old_suppression, new_suppression, old_contact, new_contact, *entries = pipe.execute()

        def effect(has_old: int, has_new: int) -> str:
            return "none" if not has_old else "merged" if has_new else "moved"

        return AddressMove(
            effect(old_suppression, new_suppression),
            effect(old_contact, new_contact),
            sum(1 for entry in entries if entry),
        )

    def move(self, old: str, new: str, now_ms: int, actor: str) -> AddressMove:
        """Move every key of `old` to `new` in one call (lua.MIGRATE_ADDRESS)."""
        store = self.store
        keys = [
            store.suppression_key(old),
            store.suppression_key(new),
            store.suppression_index_key,
            store.change_log_key,
            store.audit_key,
            store.contact_key(old),
            store.contact_key(new),
            *self.failed_keys,
        ]
        args = [old, new, now_ms, actor, store.HISTORY_CAP, store.DEDUP_CAP]
        suppression, contact, failed = self._move_address(keys=keys, args=args)
        return AddressMove(suppression, contact, int(failed))

    def move_counter(self, key: str, new_key: str) -> bool:
        return bool(self._move_counters(keys=[key, new_key]))

    def move_member(self, key: str, old: str, new: str) -> bool:
        return bool(self._move_member(keys=[key], args=[old, new]))
