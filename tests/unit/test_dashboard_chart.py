"""The dashboard's chart geometry: bars stack per day and scale to the busiest day."""

from app.web.charts import EVENT_COLORS, HEIGHT, PAD, stacked


def test_bars_stack_and_scale_to_the_busiest_day():
    chart = stacked(
        [("d1", {"rejected": 1}), ("d2", {"rejected": 1, "permanent": 3})], EVENT_COLORS
    )
    assert chart.peak == 4
    assert [(b.day, b.series, b.count) for b in chart.bars] == [
        ("d1", "rejected", 1),
        ("d2", "permanent", 3),
        ("d2", "rejected", 1),
    ]
    full = HEIGHT - 2 * PAD
    busiest = [b for b in chart.bars if b.day == "d2"]
    assert sum(b.height for b in busiest) == full
    assert busiest[0].y + busiest[0].height == HEIGHT - PAD  # permanent at the bottom
    assert busiest[1].y + busiest[1].height == busiest[0].y  # rejected stacked on top
    assert [c.total for c in chart.columns] == [1, 4]
    assert chart.legend == {"permanent": 3, "rejected": 2}


def test_unknown_series_come_last_in_a_fallback_color():
    chart = stacked([("d1", {"zeta": 1, "delivered": 2, "alpha": 1})], EVENT_COLORS)
    assert list(chart.legend) == ["delivered", "alpha", "zeta"]
    assert chart.bars[-1].color == "#5d6d7e"


def test_an_empty_period_draws_no_bars():
    chart = stacked([("d1", {}), ("d2", {})], EVENT_COLORS)
    assert (chart.bars, [c.total for c in chart.columns], chart.peak) == ([], [0, 0], 1)
