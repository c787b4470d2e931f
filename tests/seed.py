"""A small, known traffic mix applied through the real parse -> classify -> apply path, for the
stats, events and dashboard tests (and the README screenshot)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app import providers
from app.ingest import apply_events
from app.policy import MS_PER_DAY, Policy
from app.store import Store
from tests.helpers import soft, zepto_bounce

# The alert threshold lowered from 20 to 3 rejections an hour, so a small seed raises one.
POLICY = Policy(alert_min_rejections=3)
BLOCKED = "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using Spamhaus"


@dataclass(frozen=True)
class Seeded:
    """What was applied, so tests assert against figures they did not hard-code twice."""

    today_ms: int
    yesterday_ms: int
    hard: list[str]
    blocked_today: int
    blocked_yesterday: int
    soft_today: int


def _apply(store: Store, payload: dict, now_ms: int) -> None:
    events = providers.get("zeptomail").parse(payload, now_ms)
    apply_events(events, store, POLICY, now_ms)


def seed(store: Store, now_ms: int | None = None) -> Seeded:
    """Today: 3 hard bounces (2 at zylker.com), 4 blocklist rejections at blocked.example
    (enough to raise its alert under POLICY), 2 soft bounces; yesterday: 1 blocklist rejection."""
    now_ms = now_ms or int(time.time() * 1000)
    today_ms = now_ms - now_ms % MS_PER_DAY + 60_000
    yesterday_ms = today_ms - MS_PER_DAY
    hard = ["ann@zylker.com", "bob@zylker.com", "cy@other.example"]
    for n, email in enumerate(hard):
        _apply(store, zepto_bounce(email, today_ms + n, message_id=f"<h{n}@x>"), now_ms)
    for n in range(4):
        blocked = zepto_bounce(
            f"user{n}@blocked.example",
            today_ms + 10 + n,
            bounce_type="hardbounce",
            bounce_code="554",
            bounce_extended_code="5.7.1",
            bounce_reason="",
            diagnostic_message=BLOCKED,
            message_id=f"<b{n}@x>",
        )
        _apply(store, blocked, now_ms)
    old = zepto_bounce(
        "old@blocked.example",
        yesterday_ms,
        bounce_extended_code="5.7.1",
        bounce_reason="",
        diagnostic_message=BLOCKED,
    )
    _apply(store, old, now_ms)
    for n in range(2):
        _apply(store, soft(f"full{n}@other.example", today_ms + 20 + n, f"<s{n}@x>"), now_ms)
    return Seeded(today_ms, yesterday_ms, hard, 4, 1, 2)
