"""Event times as the worker sees them: an ESP's time is believed within bounds (issue #15,
item 7)."""

from __future__ import annotations

import pytest

from app import providers
from app.events import EARLIEST_MS, BounceEvent, EventType, TimeNote, bounded
from app.providers import sparkpost
from app.providers.fields import MAX_MS
from tests.helpers import BASE_MS, DAY_MS

MINUTE_MS = 60_000
AHEAD_S = 900


def soft(at_ms: int) -> BounceEvent:
    return BounceEvent("zeptomail", EventType.BOUNCE, "a@example.com", at_ms, smtp_code="452")


@pytest.mark.parametrize(
    "at_ms",
    [BASE_MS, BASE_MS + AHEAD_S * 1000, BASE_MS - 300 * DAY_MS, EARLIEST_MS],
    ids=["now", "at the skew", "months late", "2000"],
)
def test_a_time_within_bounds_is_kept(at_ms):
    event = soft(at_ms)
    assert bounded(event, BASE_MS, AHEAD_S * 1000) is event


@pytest.mark.parametrize(
    ("at_ms", "note"),
    [
        (BASE_MS + AHEAD_S * 1000 + 1, TimeNote.AHEAD),
        (BASE_MS + 30 * DAY_MS, TimeNote.AHEAD),
        (MAX_MS, TimeNote.AHEAD),
        (0, TimeNote.BEFORE_2000),
        (EARLIEST_MS - 1, TimeNote.BEFORE_2000),
    ],
    ids=["past the skew", "+30 days", "year 9999", "epoch 0", "1999"],
)
def test_a_time_out_of_bounds_becomes_the_arrival_and_says_so(at_ms, note):
    event = bounded(soft(at_ms), BASE_MS, AHEAD_S * 1000)
    assert event.occurred_at_ms == BASE_MS
    assert (event.time_note, event.reported_at_ms) == (note, at_ms)


def test_a_replaced_time_keeps_the_event_id_of_what_the_esp_sent():
    """A retry arrives later, so its arrival time differs: the id must not."""
    first = bounded(soft(MAX_MS), BASE_MS, AHEAD_S * 1000)
    retry = bounded(soft(MAX_MS), BASE_MS + 3_600_000, AHEAD_S * 1000)
    assert first.event_id == retry.event_id == soft(MAX_MS).event_id


def test_the_worker_parses_with_bounded_times():
    item = sparkpost.EventSchema().load(
        {"type": "bounce", "rcpt_to": "a@example.com", "timestamp": "9999-12-31T23:59:59Z"}
    )
    (event,) = providers.events(sparkpost, {"events": [item]}, BASE_MS, AHEAD_S)
    assert (event.occurred_at_ms, event.time_note) == (BASE_MS, TimeNote.AHEAD)


def test_events_that_differ_in_their_reported_time_stay_distinct():
    assert soft(BASE_MS).event_id != soft(BASE_MS + 1).event_id
