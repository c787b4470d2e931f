"""The dashboard's chart geometry: bars stack per day and scale to the busiest day."""

from app.stats import StatsReport, day_iso
from app.store.reports import DayCounts
from app.web.dashboard import CHART_HEIGHT, CHART_PAD, chart


def day(n: int, **by_category: int) -> DayCounts:
    total = sum(by_category.values())
    return DayCounts(n, total, {}, by_category, {}, {}, [])


def test_bars_stack_and_scale_to_the_busiest_day():
    report = StatsReport([day(100, rejected=1), day(101, permanent=3, rejected=1)], [], [])
    bars, columns, peak = chart(report)
    assert peak == 4
    assert [(b.day, b.category, b.count) for b in bars] == [
        (day_iso(100), "rejected", 1),
        (day_iso(101), "permanent", 3),
        (day_iso(101), "rejected", 1),
    ]
    full = CHART_HEIGHT - 2 * CHART_PAD
    busiest = [b for b in bars if b.day == day_iso(101)]
    assert sum(b.height for b in busiest) == full
    assert busiest[0].y + busiest[0].height == CHART_HEIGHT - CHART_PAD  # permanent at the bottom
    assert busiest[1].y + busiest[1].height == busiest[0].y  # rejected stacked on top
    assert [c.total for c in columns] == [1, 4]


def test_an_empty_period_draws_no_bars():
    bars, columns, peak = chart(StatsReport([day(100), day(101)], [], []))
    assert (bars, [c.total for c in columns], peak) == ([], [0, 0], 1)
