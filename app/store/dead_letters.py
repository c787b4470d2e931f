"""The dead-letter list's entries: what a worker could not apply, kept so it can be replayed.

An entry holds everything its `bouncekeeper.ingest` task needs to run again (provider,
payload, arrival time, the replay guard of a signed request, the request id), or, for a
`bouncekeeper.ingest_batch` message of the wrong shape, that message's args as they came.
Entries written before those fields existed have no arrival time; a replay dates them by
when they were dead-lettered.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DeadLetter:
    provider: str  # "" for a malformed message
    payload: Any  # the webhook; a malformed message's args
    error: str
    at_ms: int  # when it was dead-lettered
    received_at_ms: int | None = None  # when the web accepted it
    guard: list[Any] | None = None  # [nonce, ttl s, claim] of a signed request
    request_id: str = ""
    task: str = ""  # set for a malformed message: the task its args were sent to

    def encode(self) -> str:
        fields = {key: value for key, value in asdict(self).items() if key != "at_ms"}
        return json.dumps({"at": self.at_ms, **fields})

    @classmethod
    def decode(cls, raw: str) -> DeadLetter:
        data = json.loads(raw)
        return cls(
            provider=data.get("provider", ""),
            payload=data.get("payload"),
            error=data.get("error", ""),
            at_ms=int(data.get("at") or 0),
            received_at_ms=data.get("received_at_ms"),
            guard=data.get("guard"),
            request_id=data.get("request_id") or "",
            task=data.get("task") or "",
        )

    def task_args(self, ingest_task: str) -> tuple[str, list[Any]]:
        """The task and args that run this entry again: the webhook as one `ingest` task, or a
        malformed message as it was sent."""
        if self.task:
            return self.task, list(self.payload or [])
        received = self.at_ms if self.received_at_ms is None else self.received_at_ms
        args = [self.provider, self.payload, received, *([self.guard] if self.guard else [])]
        return ingest_task, args
