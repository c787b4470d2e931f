"""The escalation policy as data: what each failure code does to a contact.

Kept free of Redis so the same rules serve the worker (through app.store's script, which
mirrors `SoftScore`), the classify CLI, and the tests' oracle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.classify import Grade
from app.events import BounceEvent, EventType
from app.taxonomy import Category, category_of

MS_PER_DAY = 86_400_000


class ActionKind(StrEnum):
    SUPPRESS = "suppress"  # stop mailing at once
    SOFT = "soft"  # count towards escalation with a weight
    SENDER_SIDE = "sender_side"  # our reputation or content: never held against the contact
    IGNORE = "ignore"  # recorded, never counted
    RESET = "reset"  # proof of life: clears the soft score
    # The ESP's own suppression list changed (app.events.BounceEvent.esp_list): followed as the
    # ESP decided it, never re-judged by the policy table; not for rules files.
    ESP_SUPPRESS = "esp_suppress"
    REACTIVATE = "reactivate"  # lifts what ESP_SUPPRESS of the same list alone suppressed


# Actions only events can take: a rules file may not name them.
EVENT_ONLY_ACTIONS = frozenset({ActionKind.RESET, ActionKind.ESP_SUPPRESS, ActionKind.REACTIVATE})


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    weight: float = 0.0


SUPPRESS = Action(ActionKind.SUPPRESS)
SENDER_SIDE = Action(ActionKind.SENDER_SIDE)
IGNORE = Action(ActionKind.IGNORE)
RESET = Action(ActionKind.RESET)
ESP_SUPPRESS = Action(ActionKind.ESP_SUPPRESS)
REACTIVATE = Action(ActionKind.REACTIVATE)

# The code of an address the ESP suppressed after a hard bounce it reports no details of: a
# permanent recipient failure, reason not specified.
ESP_HARD_BOUNCE_CODE = 2999

# Suppression source of each kind of ESP list change (app.events.EventType).
_ESP_SOURCES = {
    EventType.COMPLAINT: "complaint",
    EventType.BOUNCE: "hard",
    EventType.SUPPRESSION: "esp",
}


def _defaults_by_code() -> dict[int, Action]:
    table: dict[int, Action] = {}
    table.update(dict.fromkeys((2001, 2002, 2003, 2004, 2999), SUPPRESS))
    table.update(dict.fromkeys((3001, 3002, 4006), Action(ActionKind.SOFT, 1.0)))
    table.update(dict.fromkeys((3003, 3999, 9999), Action(ActionKind.SOFT, 0.5)))
    table.update(dict.fromkeys((4001, 4002, 4003, 4004, 4999), Action(ActionKind.SOFT, 0.25)))
    table.update(dict.fromkeys((1002, 1003, 1004, 1006, 1007, 1011, 1999), SENDER_SIDE))
    table.update(dict.fromkeys((5001, 5999), IGNORE))
    return table


def _defaults_by_category() -> dict[Category, Action]:
    """Fallback for codes the table does not name, e.g. custom codes."""
    return {
        Category.PERMANENT: SUPPRESS,
        Category.TEMPORARY: Action(ActionKind.SOFT, 0.5),
        Category.COMMUNICATION: Action(ActionKind.SOFT, 0.25),
        Category.REJECTED: SENDER_SIDE,
        Category.INFORMATIONAL: IGNORE,
        Category.UNKNOWN: Action(ActionKind.SOFT, 0.5),
    }


def _defaults_by_grade() -> dict[Grade, Action]:
    """A permanent code on a reply code, a status class or an ESP's hard flag alone, or on text
    that names no cause ("mailbox unavailable"), is often wrong (a bare 550 is as often a block
    as a dead address): it counts, heavily, and escalates on the third day within the window
    instead of suppressing on the first reply."""
    return {Grade.SYMPTOM: Action(ActionKind.SOFT, 1.0), Grade.CLASS: Action(ActionKind.SOFT, 1.0)}


@dataclass(frozen=True)
class Policy:
    """DESIGN.md's defaults; docs/POLICY.md gives the reason for each number."""

    version: str = "default-1"
    window_days: int = 14
    threshold: float = 3.0
    alert_min_rejections: int = 20  # sender-side rejections of one domain in one hour...
    alert_min_ratio: float = 0.05  # ...that are also this share of its events in that hour
    by_code: dict[int, Action] = field(default_factory=_defaults_by_code)
    by_category: dict[Category, Action] = field(default_factory=_defaults_by_category)
    # What a code whose action is "suppress" does when its evidence is only of this grade:
    # a grade not named here suppresses at once (docs/POLICY.md, "Evidence grades").
    by_grade: dict[Grade, Action] = field(default_factory=_defaults_by_grade)

    def action_for_code(self, code: int, grade: Grade = Grade.STATUS) -> Action:
        """The action for a code on evidence of `grade` (the strong status grade when the
        caller has no verdict, e.g. an operator's what-if)."""
        action = self.by_code.get(code) or self.by_category[category_of(code)]
        if action.kind is ActionKind.SUPPRESS:
            return self.by_grade.get(grade, action)
        return action

    def action_for(
        self, event: BounceEvent, code: int | None, grade: Grade = Grade.STATUS
    ) -> tuple[Action, str]:
        """(action, suppression source) for one event; the source matters only for suppress."""
        if event.esp_list:
            if event.event_type is EventType.REACTIVATION:
                return REACTIVATE, ""
            return ESP_SUPPRESS, _ESP_SOURCES.get(event.event_type, "esp")
        if event.event_type is EventType.COMPLAINT:
            return SUPPRESS, "complaint"
        if event.event_type in (EventType.DELIVERY, EventType.ENGAGEMENT):
            return RESET, ""
        if event.event_type is EventType.BOUNCE and code is not None:
            return self.action_for_code(code, grade), "hard"
        return IGNORE, ""


def policy_with_codes(extra_by_code: Mapping[int, Action], base: Policy | None = None) -> Policy:
    """A policy whose table also names custom codes (from the rules file); an entry for a code
    the table already has replaces it."""
    base = base or Policy()
    return replace(base, by_code={**base.by_code, **extra_by_code})


def utc_day(ms: int) -> int:
    """Days since the epoch in UTC: the unit of the per-day cap."""
    return ms // MS_PER_DAY


@dataclass
class SoftScore:
    """The exact rolling-window score of one contact; app.store's Lua script mirrors it.

    Only the heaviest bounce of a UTC day counts. A bounce counts when it is newer than the
    last reset and not older than the window behind the contact's newest counted day. The
    contact escalates when any window of `window_days` days that contains the new bounce sums
    to the threshold, so bounces arriving out of order give the same answer as in order.
    """

    days: dict[int, float] = field(default_factory=dict)
    reset_at_ms: int = 0

    def reset(self, at_ms: int) -> None:
        self.reset_at_ms = max(self.reset_at_ms, at_ms)
        cutoff = utc_day(at_ms)
        self.days = {d: w for d, w in self.days.items() if d > cutoff}

    def add(self, at_ms: int, weight: float, window: int) -> tuple[str, float]:
        """('counted' | 'stale' | 'before_reset', best window score containing this day)."""
        day = utc_day(at_ms)
        if at_ms <= self.reset_at_ms:
            return "before_reset", 0.0
        if self.days and day <= max(self.days) - window:
            return "stale", 0.0
        self.days[day] = max(self.days.get(day, 0.0), weight)
        newest = max(self.days)
        self.days = {d: w for d, w in self.days.items() if d > newest - 2 * window}
        return "counted", self.best_window(day, window)

    def best_window(self, day: int, window: int) -> float:
        ends = [e for e in self.days if day <= e < day + window]
        return max(sum(w for d, w in self.days.items() if e - window < d <= e) for e in ends)
