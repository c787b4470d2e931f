"""Per-day event stats over the last N days: one implementation for the API, CLI and dashboard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from app import suppressions
from app.policy import MS_PER_DAY, utc_day
from app.store import Store, reports

MAX_DAYS = 35  # the counters' lifetime: older days are gone


@dataclass(frozen=True, slots=True)
class StatsReport:
    """Counts of applied events per day (oldest first) and summed over the range."""

    days: list[reports.DayCounts]
    top_domains: list[tuple[str, int]]
    top_sender_side: list[tuple[str, int]]

    def total(self, dimension: str) -> dict[str, int]:
        """Sum a dimension (`by_code`, `by_category`, `by_provider`, `by_action`) over days."""
        summed: Counter[str] = Counter()
        for day in self.days:
            summed.update(getattr(day, dimension))
        return dict(summed.most_common())

    @property
    def events(self) -> int:
        return sum(day.total for day in self.days)


def iso(ms: int | str) -> str:
    """A stored epoch-milliseconds value as ISO 8601 UTC, as the API writes every instant."""
    return suppressions.iso(ms) or ""


def day_iso(day: int) -> str:
    return (suppressions.iso(day * MS_PER_DAY) or "")[:10]


def last_days(days: int, now_ms: int) -> list[int]:
    """The UTC day numbers of the last `days` days, today included, oldest first."""
    today = utc_day(now_ms)
    return list(range(today - days + 1, today + 1))


def collect(store: Store, days: int, now_ms: int, top: int = 10) -> StatsReport:
    """Read the counters the event script keeps; `days` must be within 1..MAX_DAYS."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    numbers = last_days(days, now_ms)
    return StatsReport(
        days=reports.day_counts(store, numbers, top),
        top_domains=reports.top_domains(store, numbers, top),
        top_sender_side=reports.top_sender_side(store, numbers, top),
    )


def as_dict(report: StatsReport) -> dict[str, Any]:
    """The report as the API serves it."""
    return {
        "events": report.events,
        "by_code": report.total("by_code"),
        "by_category": report.total("by_category"),
        "by_provider": report.total("by_provider"),
        "by_action": report.total("by_action"),
        "top_domains": [{"domain": d, "events": n} for d, n in report.top_domains],
        "top_sender_side": [{"domain": d, "rejections": n} for d, n in report.top_sender_side],
        "days": [
            {
                "day": day_iso(day.day),
                "events": day.total,
                "by_code": day.by_code,
                "by_category": day.by_category,
                "by_provider": day.by_provider,
                "by_action": day.by_action,
                "top_domains": [{"domain": d, "events": n} for d, n in day.top_domains],
            }
            for day in report.days
        ],
    }
