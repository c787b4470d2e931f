"""The last worker heartbeat, as the web reads it for `/readyz` and `/metrics`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """The last heartbeat: the worker's clock and (when written by this version) Redis's."""

    worker_ms: int
    server_ms: int | None

    @classmethod
    def read(cls, worker_ms: str | None, server_ms: str | None) -> Heartbeat | None:
        """From the two keys' values (MGET); None when no heartbeat was ever written."""
        if not worker_ms:
            return None
        return cls(int(worker_ms), int(server_ms) if server_ms else None)

    def age_s(self, now_ms: int) -> float:
        """Seconds since it was written, by Redis's clock alone when it carries it (so no
        host's skew enters the age); one written by an earlier version has only the worker's."""
        stamp = self.server_ms if self.server_ms is not None else self.worker_ms
        return round((now_ms - stamp) / 1000, 1)
