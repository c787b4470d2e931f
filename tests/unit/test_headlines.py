"""Headline figures: legend words that say what happened, and rates with their divisor."""

from app.headlines import (
    Rate,
    change,
    complaint_rate,
    events_by_legend,
    new_by_source,
    sender_side_rate,
    trend,
)
from app.store.reports import DayCounts


def day(by_category=None, by_action=None, by_kind=None, new=None) -> DayCounts:
    by_category = by_category or {}
    return DayCounts(
        1, sum(by_category.values()), {}, by_category, {}, by_action or {}, [],
        by_kind=by_kind or {}, new_by_source=new or {},
    )  # fmt: skip


def test_events_without_a_code_are_named_by_what_they_are():
    counts = day(
        {"permanent": 2, "none": 9, "complaint": 1},
        by_kind={"delivery": 5, "engagement": 3, "bounce": 2, "complaint": 1, "other": 1},
    )
    assert events_by_legend(counts) == {
        "permanent": 2,
        "complaint": 1,
        "delivered": 5,
        "opened or clicked": 3,
        "other, no failure code": 1,
    }


def test_a_day_counted_before_event_kinds_shows_its_codeless_events_as_other():
    assert events_by_legend(day({"none": 4})) == {"other, no failure code": 4}


def test_rates_divide_by_deliveries_and_attempts_and_are_unknown_without_them():
    counts = day(
        {"complaint": 2, "rejected": 3},
        by_action={"sender_side": 3},
        by_kind={"delivery": 100, "bounce": 20, "complaint": 2},
    )
    assert complaint_rate(counts) == Rate(2, 100)
    assert sender_side_rate(counts) == Rate(3, 120)
    assert complaint_rate(day({"complaint": 1})).value is None


def test_trends_sum_counts_and_rates_and_compare_with_the_period_before():
    shown = [day(new={"hard": 2}), day(new={"hard": 1, "manual": 1})]
    before = [day(new={"hard": 2})]
    counted = trend(shown, before, lambda d: sum(d.new_by_source.values()))
    assert (counted.current, counted.previous, counted.per_day) == (4, 2, [2, 2])
    assert change(counted) == 1.0
    assert new_by_source(shown) == {"hard": 3, "manual": 1}
    rated = trend(
        [day({"complaint": 1}, by_kind={"delivery": 10}), day(by_kind={"delivery": 10})],
        None,
        complaint_rate,
    )
    assert (rated.current, rated.previous, change(rated)) == (Rate(1, 20), None, None)
