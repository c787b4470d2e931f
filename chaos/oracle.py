"""What Redis must hold after the chaos run, computed from the posted requests alone.

Nothing here re-implements the policy: each request goes through the provider's own `load`
(what the web does) and `parse` (what the worker does), each event through app.ingest.plan,
and the result through app.reference.ReferenceStore, the model the Lua scripts are held to.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass

from app import providers
from app.config import Settings
from app.events import EARLIEST_MS
from app.ingest import limits, plan
from app.policy import Policy
from app.providers.base import Accepted, WebhookRequest
from app.reference import ReferenceStore
from app.store import Application, Store
from chaos.stream import (
    BOUNCE_ACTION,
    COMPLAINT_ACTION,
    EMAIL_ACTION,
    HARD,
    RECORDED,
    RESET_ACTIONS,
    SOFT,
    Request,
    dsn,
)

MIMETYPES = {"zeptomail": "application/json", "email": "message/rfc822"}


@dataclass(frozen=True, slots=True)
class ContactView:
    """The order-independent part of a contact's state: what the run compares."""

    events: int
    reset_at_ms: int
    days: tuple[tuple[int, float], ...]

    @property
    def score(self) -> float:
        return sum(weight for _, weight in self.days)


@dataclass(frozen=True, slots=True)
class State:
    suppressions: dict[str, str]  # email -> source
    contacts: dict[str, ContactView]

    def counts(self) -> dict[str, int]:
        by_source: dict[str, int] = {}
        for source in self.suppressions.values():
            by_source[source] = by_source.get(source, 0) + 1
        scored = sum(1 for c in self.contacts.values() if c.days)
        return {
            "contacts": len(self.contacts),
            "events": sum(c.events for c in self.contacts.values()),
            "suppressed": len(self.suppressions),
            **{f"suppressed:{s}": n for s, n in sorted(by_source.items())},
            "with_soft_score": scored,
            "soft_days": sum(len(c.days) for c in self.contacts.values()),
        }


def applications(
    requests: Iterable[Request], settings: Settings, policy: Policy, received_at_ms: int
) -> list[Application]:
    """Every posted event as the worker would apply it, in posting order (repeats included),
    for requests that arrive at `received_at_ms` (the day the run posts on is what counts: the
    worker dates an event whose own date is out of bounds by its arrival)."""
    result: list[Application] = []
    for request in requests:
        module = providers.PROVIDERS[request.provider]
        incoming = WebhookRequest(
            headers={},
            body=request.body,
            mimetype=MIMETYPES[request.provider],
            received_at_ms=received_at_ms,
        )
        accepted = module.load(incoming, settings)
        if not isinstance(accepted, Accepted):
            raise ValueError(f"the web would not queue {request.body[:80]!r}")
        found = providers.events(
            module, accepted.payload, received_at_ms, settings.event_max_ahead_seconds
        )
        result += [plan(event, policy) for event in found]
    return result


def expected(items: list[Application], policy: Policy, orders: int, seed: int) -> State:
    """The reference model's final state; it must come out the same in posting order, in time
    order and in `orders` - 2 shuffles, or the stream is not fit for an exact comparison."""
    rng = random.Random(seed)
    candidates = [items, sorted(items, key=lambda a: a.occurred_at_ms)]
    candidates += [rng.sample(items, len(items)) for _ in range(max(0, orders - 2))]
    states = [_replay(order, policy) for order in candidates]
    for i, other in enumerate(states[1:], start=1):
        if other != states[0]:
            raise AssertionError(f"the reference model depends on the order (order {i})")
    return states[0]


def _replay(items: list[Application], policy: Policy) -> State:
    reference = ReferenceStore()
    bounds = limits(policy)
    for item in items:
        reference.apply(item, bounds)
    return State(
        suppressions=dict(reference.suppressions),
        contacts={
            email: ContactView(
                contact.events, contact.score.reset_at_ms, tuple(sorted(contact.score.days.items()))
            )
            for email, contact in reference.contacts.items()
        },
    )


def actual(store: Store) -> State:
    """The same view read from Redis: the suppression index and records, every contact."""
    suppressions = {}
    for email in store.suppressed_emails():
        record = store.suppression(email) or {}
        suppressions[email] = record.get("source", "<no record>")
    contacts = {
        email: ContactView(state.events, state.reset_at_ms, tuple(sorted(state.days.items())))
        for email, state in store.contacts()
    }
    return State(suppressions, contacts)


def differences(want: State, got: State, limit: int = 20) -> list[str]:
    """Human-readable mismatches, at most `limit` of them, then how many more."""
    lines = []
    for email in sorted(want.suppressions.keys() | got.suppressions.keys()):
        a, b = want.suppressions.get(email), got.suppressions.get(email)
        if a != b:
            lines.append(f"suppression {email}: oracle {a}, redis {b}")
    for email in sorted(want.contacts.keys() | got.contacts.keys()):
        a, b = want.contacts.get(email), got.contacts.get(email)
        if a != b:
            lines.append(f"contact {email}: oracle {a}, redis {b}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more"]
    return lines


def check_templates(policy: Policy, settings: Settings) -> None:
    """The stream's templates still mean what the stream assumes; a classifier or provider
    change that moved one would otherwise make the run compare something else than it says."""
    cases = [(BOUNCE_ACTION, fields, "suppress", 0.0) for fields in HARD]
    cases += [(BOUNCE_ACTION, f, "soft", w) for w, group in SOFT.items() for f in group]
    cases += [(BOUNCE_ACTION, fields, action, 0.0) for action, fields in RECORDED.items()]
    cases += [(action, {}, "reset", 0.0) for action in RESET_ACTIONS]
    cases += [(COMPLAINT_ACTION, {}, "suppress", 0.0)]
    cases += [(EMAIL_ACTION, fields, "suppress", 0.0) for fields in HARD]
    for action, fields, want, weight in cases:
        item = {"contact_email": "t@chaos.example", "action_time": 1, **fields}
        if action == EMAIL_ACTION:
            extra = {"rcpt_domain": "chaos.example", "message_id": "<t@chaos.example>"}
            request = Request(action, dsn({**item, **extra}), 1, provider="email")
        else:
            request = Request(action, json.dumps({"action": action, "data": [item]}).encode(), 1)
        (planned,) = applications([request], settings, policy, EARLIEST_MS)
        if (planned.action, planned.weight) != (want, weight):
            raise AssertionError(f"{action} {fields} plans {planned.action} {planned.weight}")
