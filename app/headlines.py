"""The dashboard's headline figures, computed from the per-day counters (app.stats).

Plain functions over plain data. Rates are ratios of two counted numbers and carry both, so a
reader sees what was divided by what: the complaint rate is complaints per delivery reported,
the sender-side rejection rate is sender-side rejections per delivery attempt reported (a
delivery or a bounce). Days from before the event kinds were counted have no divisor: their
rate is unknown (None), never 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.store.reports import DayCounts

# Legend words for the events chart: each failure category, and the events without a failure
# code split by what they are (the kind counters), so "none" never stands for deliveries.
DELIVERED, ENGAGED, OTHER = "delivered", "opened or clicked", "other, no failure code"
NO_CODE = "none"  # the category counter of events without a code (app/store/lua.py)


@dataclass(frozen=True, slots=True)
class Rate:
    """`part` of `whole`; `value` is None when there was nothing to divide by."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True, slots=True)
class Trend:
    """A figure over the shown range, the same figure over the range before it (None when
    the counters do not reach back that far), and its value per day, oldest first."""

    current: int | Rate
    previous: int | Rate | None
    per_day: list[int | Rate]


def events_by_legend(day: DayCounts) -> dict[str, int]:
    """A day's events by legend word: failure categories as counted, events without a code
    as delivered, opened or clicked, and the rest of them."""
    counts = {name: n for name, n in day.by_category.items() if name != NO_CODE}
    without_code = day.by_category.get(NO_CODE, 0)
    delivered = day.by_kind.get("delivery", 0)
    engaged = day.by_kind.get("engagement", 0)
    for name, n in ((DELIVERED, delivered), (ENGAGED, engaged)):
        if n:
            counts[name] = n
    rest = without_code - delivered - engaged
    if rest > 0:
        counts[OTHER] = rest
    return counts


def complaint_rate(day: DayCounts) -> Rate:
    """Complaints per delivery reported that day."""
    return Rate(day.by_category.get("complaint", 0), day.by_kind.get("delivery", 0))


def sender_side_rate(day: DayCounts) -> Rate:
    """Sender-side rejections (our reputation or content refused) per delivery attempt
    reported that day: deliveries and bounces."""
    attempts = day.by_kind.get("delivery", 0) + day.by_kind.get("bounce", 0)
    return Rate(day.by_action.get("sender_side", 0), attempts)


def new_suppressions(day: DayCounts) -> int:
    return sum(day.new_by_source.values())


def _sum(values: Iterable[int | Rate]) -> int | Rate:
    items = list(values)
    if items and isinstance(items[0], Rate):
        rates = [item for item in items if isinstance(item, Rate)]
        return Rate(sum(r.part for r in rates), sum(r.whole for r in rates))
    return sum(item for item in items if isinstance(item, int))


def trend(
    shown: Sequence[DayCounts],
    before: Sequence[DayCounts] | None,
    figure: Callable[[DayCounts], int | Rate],
) -> Trend:
    """`figure` (a function of one day) over the shown days, the days before, and per day."""
    per_day = [figure(day) for day in shown]
    previous = _sum(figure(day) for day in before) if before else None
    return Trend(_sum(per_day), previous, per_day)


def new_by_source(days: Sequence[DayCounts]) -> dict[str, int]:
    """Suppressions made over the days, by source, most first."""
    summed: Counter[str] = Counter()
    for day in days:
        summed.update(day.new_by_source)
    return dict(summed.most_common())


def change(trend_: Trend) -> float | None:
    """The relative change from the previous range to the shown one, or None when either is
    unknown or the previous one is zero (no ratio to give)."""
    now, then = _number(trend_.current), _number(trend_.previous)
    if now is None or not then:
        return None
    return (now - then) / then


def _number(figure: int | Rate | None) -> float | None:
    if isinstance(figure, Rate):
        return figure.value
    return None if figure is None else float(figure)
