"""Operator actions shared by the admin API and the CLI: one implementation, two front ends."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.addresses import normalize
from app.policy import Policy
from app.store import Store


class OperationError(Exception):
    """An operator request that cannot be carried out; `status` suits an HTTP reply."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Unsuppressed:
    email: str
    actor: str
    reason: str


def unsuppress(
    store: Store, email: str, actor: str, reason: str, force: bool, policy: Policy
) -> Unsuppressed:
    """Lift a suppression: clears the soft score, logs a removal for the sync, audits who/why."""
    address = normalize(email)
    if not reason.strip():
        raise OperationError(400, "a reason is required to remove a suppression")
    now_ms = int(time.time() * 1000)
    result = store.unsuppress(address, actor, reason.strip(), now_ms, policy.window_days, force)
    if result == "not_suppressed":
        raise OperationError(404, f"{address} is not suppressed")
    if result == "complaint":
        raise OperationError(
            409, f"{address} was suppressed by a spam complaint; lifting it needs force"
        )
    return Unsuppressed(address, actor, reason.strip())
