"""Re-evaluation: what a new policy would change in the current state, and applying it.

Each contact's recorded history is replayed through the reference model under the new policy.
Only `hard` and `escalated` suppressions are re-judged: complaints, manual and imported
suppressions are decisions of people and stay, and so does what an ESP's own suppression
list holds (the ESP decided it; its reactivation lifts it). The history is capped
(app.store), so a contact with more events in the window than the cap is judged on its most
recent ones.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.classify import Grade
from app.ingest import limits
from app.policy import ActionKind, Policy
from app.reference import ReferenceStore
from app.store import Application, ContactState, Store
from app.suppressions import esp_lists
from app.taxonomy import Category, category_of

REJUDGED = {"hard", "escalated"}
ESP_ACTIONS = {str(ActionKind.ESP_SUPPRESS), str(ActionKind.REACTIVATE)}


@dataclass(frozen=True, slots=True)
class Change:
    email: str
    op: str  # "suppress" | "unsuppress"
    source: str
    code: int | None


@dataclass
class Report:
    contacts: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)

    def count(self, op: str) -> int:
        return sum(1 for change in self.changes if change.op == op)


def _replay(email: str, state: ContactState, policy: Policy) -> tuple[str | None, int | None]:
    """(suppression source, code) the new policy gives this history, oldest event first."""
    model = ReferenceStore()
    bounds = limits(policy)
    last_code = None
    for n, entry in enumerate(reversed(state.history)):
        if entry["at"] <= state.lifted_at_ms:
            continue  # an operator lifted the suppression after this evidence
        if entry["action"] in ESP_ACTIONS:
            continue  # the ESP's list changed: its decision, not the policy's
        code = entry["code"]
        if entry["action"] == "reset":
            action, weight, source = "reset", 0.0, ""
        elif code is None:
            action, weight, source = entry["action"], 0.0, "complaint"
        else:
            rule = policy.action_for_code(code, _grade(entry["action"], code))
            action, weight, source = str(rule.kind), rule.weight, "hard"
        item = Application(email, f"r{n}", action, weight, entry["at"], code, "", source,
                           "", "", "", "")  # fmt: skip
        result, _ = model.apply(item, bounds)
        if result in ("suppressed", "escalated"):
            last_code = code
    return model.suppressions.get(email), last_code


def _grade(recorded_action: str, code: int) -> Grade:
    """The history keeps the action taken, not the evidence grade: a permanent code that was
    only counted had class-grade evidence (the one way the policy counts a permanent code it
    would suppress); any other entry is judged as strong evidence, as it was when taken."""
    if recorded_action == "soft" and category_of(code) is Category.PERMANENT:
        return Grade.CLASS
    return Grade.STATUS


def _history_covers(state: ContactState, record: dict[str, str]) -> bool:
    occurred = record.get("occurred_at")
    if not occurred or not state.history:
        return False
    return min(entry["at"] for entry in state.history) <= int(occurred)


def plan(store: Store, policy: Policy) -> Report:
    """Compare every tracked contact's current suppression with its replay."""
    report = Report()
    for email, state in store.contacts():
        report.contacts += 1
        current = store.suppression(email)
        current_source = current["source"] if current else None
        if current and esp_lists(current):
            report.unchanged += 1  # the ESP's list holds it, whatever the policy says
            continue
        if current_source is not None and current_source not in REJUDGED:
            report.unchanged += 1
            continue
        if current and not _history_covers(state, current):
            report.unchanged += 1  # the evidence behind it has left the capped history
            continue
        source, code = _replay(email, state, policy)
        if current_source is None and source in REJUDGED:
            report.changes.append(Change(email, "suppress", source, code))
        elif current_source is not None and source is None:
            report.changes.append(Change(email, "unsuppress", current_source, None))
        else:
            report.unchanged += 1
    return report


def apply(store: Store, policy: Policy, report: Report, actor: str) -> Iterator[str]:
    """Carry out a plan; yields each address as it is done (for a progress display)."""
    reason = f"policy {policy.version} re-evaluation"
    for change in report.changes:
        now_ms = int(time.time() * 1000)
        if change.op == "unsuppress":
            store.unsuppress(change.email, actor, reason, now_ms, policy.window_days, False)
        else:
            category = str(category_of(change.code)) if change.code else ""
            record = {
                "email": change.email,
                "code": str(change.code or ""),
                "category": category,
                "source": change.source,
                "diagnostic": reason,
            }
            store.suppress(record, actor, reason, now_ms)
        yield change.email
