"""Operator actions shared by the admin API and the CLI: one implementation, two front ends."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.addresses import normalize
from app.policy import MS_PER_DAY, Policy, utc_day
from app.store import Store
from app.suppressions import iso
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


def _day_iso(day: int) -> str:
    return (iso(day * MS_PER_DAY) or "")[:10]


def contact(store: Store, email: str, policy: Policy) -> dict[str, Any] | None:
    """A contact's soft state as `GET /api/v1/contacts/<email>` and `bouncekeeper check` show
    it: score in the window up to today, counted days, recent history; None if none is kept."""
    address = normalize(email)
    state = store.contact(address)
    if state is None:
        return None
    today = utc_day(int(time.time() * 1000))
    history = [{**entry, "at": iso(entry["at"])} for entry in state.history]
    return {
        "email": address,
        "suppressed": store.suppression(address) is not None,
        "score": sum(w for d, w in state.days.items() if d > today - policy.window_days),
        "threshold": policy.threshold,
        "window_days": policy.window_days,
        "counted": [{"day": _day_iso(d), "weight": w} for d, w in sorted(state.days.items())],
        "reset_at": iso(state.reset_at_ms or None),
        "events": state.events,
        "last": history[0] if history else None,
        "history": history,
    }
