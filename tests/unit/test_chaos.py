"""The chaos run's own parts: the stream is what it claims, the oracle refuses a stream whose
outcome depends on the order of application, and the sink receiver keeps the newest change."""

from __future__ import annotations

import json

import pytest

from app.config import Settings
from app.policy import MS_PER_DAY, Policy
from chaos import oracle, sink, stream

SETTINGS = Settings(zeptomail_secret="s")
FIRST_DAY = 20_500
# The run posts on the day after the simulated ones (chaos.run), at noon here.
ARRIVAL_MS = (FIRST_DAY + stream.SIMULATED_DAYS) * MS_PER_DAY + MS_PER_DAY // 2


def test_the_stream_has_the_asked_counts_and_one_outcome_in_every_order() -> None:
    posted = stream.build(600, 100, seed=3, first_day=FIRST_DAY, policy=Policy())
    assert sum(r.items for r in posted.requests) == posted.events == 600
    assert posted.duplicates == 60
    items = oracle.applications(posted.requests, SETTINGS, Policy(), ARRIVAL_MS)
    assert len({i.event_id for i in items}) == posted.unique_events
    want = oracle.expected(items, Policy(), orders=6, seed=3)
    assert want.counts()["contacts"] == 100
    assert want.counts()["events"] == posted.unique_events


def test_the_templates_mean_what_the_stream_assumes() -> None:
    oracle.check_templates(Policy(), SETTINGS)


def _request(action: str, email: str, at_ms: int, **fields: str) -> stream.Request:
    item = {"contact_email": email, "action_time": at_ms, **fields}
    return stream.Request(action, json.dumps({"action": action, "data": [item]}).encode(), 1)


def test_an_order_dependent_stream_is_refused() -> None:
    """Three heavy soft bounces then a later delivery escalate in time order, but not when the
    delivery is applied first: such a stream cannot be compared exactly."""
    day = FIRST_DAY * MS_PER_DAY
    full = {"bounce_type": "softbounce", "bounce_code": "452", "bounce_extended_code": "4.2.2"}
    requests = [_request("bounce", "a@x.example", day + d * MS_PER_DAY, **full) for d in range(3)]
    requests.insert(0, _request("delivered", "a@x.example", day + 5 * MS_PER_DAY))
    items = oracle.applications(requests, SETTINGS, Policy(), ARRIVAL_MS)
    with pytest.raises(AssertionError, match="depends on the order"):
        oracle.expected(items, Policy(), orders=2, seed=0)


def test_differences_name_what_differs() -> None:
    view = oracle.ContactView(events=2, reset_at_ms=0, days=((1, 1.0),))
    want = oracle.State({"a@x": "hard"}, {"a@x": view})
    got = oracle.State({}, {"a@x": oracle.ContactView(1, 0, ((1, 1.0),))})
    assert oracle.differences(want, got) == [
        "suppression a@x: oracle hard, redis None",
        f"contact a@x: oracle {view}, redis {got.contacts['a@x']}",
    ]


def test_the_receiver_keeps_the_newest_change_per_address() -> None:
    receiver = sink.Receiver()
    receiver.record({"add": [{"id": "10-1", "email": "a@x"}, {"id": "9-0", "email": "b@x"}]})
    receiver.record({"remove": [{"id": "10-0", "email": "a@x"}, {"id": "11-0", "email": "b@x"}]})
    assert receiver.suppressed() == {"a@x"}


def test_fault_f_events_out_of_bounds_count_on_their_arrival_day() -> None:
    """Each skewed contact's far-ahead and far-back soft bounce is dated by its arrival, and
    the contact still escalates on its real ones, in every order."""
    posted = stream.build(600, 100, seed=3, first_day=FIRST_DAY, policy=Policy())
    items = oracle.applications(posted.requests, SETTINGS, Policy(), ARRIVAL_MS)
    redated = [i for i in items if i.time_note]
    assert {i.time_note for i in redated} == {"ahead", "before_2000"}
    assert {i.occurred_at_ms for i in redated} == {ARRIVAL_MS}
    want = oracle.expected(items, Policy(), orders=6, seed=3)
    skewed = {i.email for i in redated}
    assert len(skewed) == posted.kinds["skewed"] > 0
    assert {want.suppressions[email] for email in skewed} == {"escalated"}
    arrival_day = ARRIVAL_MS // MS_PER_DAY
    assert all(dict(want.contacts[email].days)[arrival_day] == 0.25 for email in skewed)
