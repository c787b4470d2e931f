"""Operator actions shared by the admin API and the CLI: one implementation, two front ends."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from app.addresses import normalize
from app.policy import Policy
from app.store import Store
from app.taxonomy import CODES, FailureCode


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


def suppress(
    store: Store,
    email: str,
    actor: str,
    reason: str,
    code: int | None = None,
    codes: Mapping[int, FailureCode] = CODES,
) -> dict[str, str]:
    """Suppress an address by hand (source `manual`): audited, logged for the sync, with the
    reason kept as its evidence. Returns the stored record; 409 if already suppressed."""
    address = normalize(email)
    if not reason.strip():
        raise OperationError(400, "a reason is required to suppress an address")
    if code is not None and code not in codes:
        raise OperationError(400, f"code {code} is not a known failure code")
    record = {
        "email": address,
        "code": "" if code is None else str(code),
        "category": "" if code is None else str(codes[code].category),
        "source": "manual",
        "diagnostic": reason.strip(),
    }
    if store.suppress(record, actor, reason.strip(), int(time.time() * 1000)) != "suppressed":
        current = store.suppression(address) or {}
        raise OperationError(
            409, f"{address} is already suppressed (source {current.get('source', '?')})"
        )
    return store.suppression(address) or record
