"""Contacts close to the threshold: scored within the window, suppressed ones left out."""

from app.watchlist import Near, near_threshold, window_score

TODAY = 20_000


def test_only_days_within_the_window_count():
    days = {TODAY: 1.0, TODAY - 13: 0.5, TODAY - 14: 1.0, TODAY + 1: 1.0}
    assert window_score(days, TODAY, 14) == 1.5


def test_highest_first_without_the_suppressed_or_those_at_the_threshold():
    contacts = [
        ("low@x.example", {TODAY: 0.25}),
        ("high@x.example", {TODAY: 1.0, TODAY - 1: 1.0}),
        ("held@x.example", {TODAY: 2.5}),
        ("over@x.example", {TODAY: 1.0, TODAY - 1: 1.0, TODAY - 2: 1.0}),
        ("gone@x.example", {TODAY - 30: 2.0}),
        ("tie@x.example", {TODAY - 3: 1.0, TODAY - 4: 1.0}),
    ]
    found = near_threshold(contacts, {"held@x.example"}, TODAY, 14, 3.0, 10)
    assert found == [
        Near("high@x.example", 2.0, 2, TODAY),
        Near("tie@x.example", 2.0, 2, TODAY - 3),
        Near("low@x.example", 0.25, 1, TODAY),
    ]
    assert near_threshold(contacts, set(), TODAY, 14, 3.0, 1)[0].email == "held@x.example"
