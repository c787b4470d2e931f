"""Contacts close to the soft-bounce threshold: the ones the next soft bounce may suppress.

Plain data in (each contact's counted days), plain data out; the web feeds it the contacts
whose newest scoring event was a counted soft bounce (app.store.reports.soft_scores).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Near:
    email: str
    score: float  # the weights counted within the window up to today
    counted_days: int  # days within the window with a weight
    last_day: int  # the newest counted UTC day number


def window_score(days: Mapping[int, float], today: int, window_days: int) -> float:
    """The soft score as the policy sees it today: the weights of the window's days."""
    return sum(weight for day, weight in days.items() if today - window_days < day <= today)


def near_threshold(
    contacts: Iterable[tuple[str, Mapping[int, float]]],
    suppressed: set[str],
    today: int,
    window_days: int,
    threshold: float,
    limit: int,
) -> list[Near]:
    """The `limit` unsuppressed contacts with the highest score below the threshold (ties:
    most recently counted first)."""
    found = []
    for email, days in contacts:
        score = window_score(days, today, window_days)
        if email in suppressed or not 0 < score < threshold:
            continue
        inside = [day for day, weight in days.items() if today - window_days < day <= today]
        found.append(Near(email, score, len(inside), max(inside)))
    found.sort(key=lambda near: (-near.score, -near.last_day, near.email))
    return found[:limit]
