import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import brevo
from app.providers.base import RejectedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import SECRETS, brevo_event, brevo_hard_bounce

SETTINGS = Settings(brevo_secret=SECRETS["brevo_secret"])


def load(body) -> tuple[int, list]:
    request = WebhookRequest({}, json.dumps(body).encode(), "application/json", BASE_MS)
    accepted = brevo.load(request, SETTINGS)
    return accepted.count, brevo.parse(json.loads(json.dumps(accepted.payload)), BASE_MS + 9)


def test_hard_bounce_keeps_the_reason_and_the_label():
    count, [event] = load(brevo_hard_bounce("Gone@Example.com", BASE_MS))
    assert count == 1
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "gone@example.com"
    assert event.diagnostic.startswith("RecipientError: 550 5.1.1")
    assert (event.provider_reason, event.bounce_type) == ("hard_bounce", "hard_bounce")
    assert event.occurred_at_ms == BASE_MS
    assert classify_event(event).code == 2001


def test_a_batched_webhook_is_an_array():
    count, events = load([brevo_event("delivered", f"u{n}@example.com", BASE_MS) for n in range(3)])
    assert count == 3
    assert {e.event_type for e in events} == {EventType.DELIVERY}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("soft_bounce", EventType.BOUNCE),
        ("hardBounce", EventType.BOUNCE),
        ("deferred", EventType.BOUNCE),
        ("invalid_email", EventType.BOUNCE),
        ("spam", EventType.COMPLAINT),
        ("complaint", EventType.COMPLAINT),
        ("unique_opened", EventType.ENGAGEMENT),
        ("click", EventType.ENGAGEMENT),
        ("proxy_open", EventType.OTHER),
        ("blocked", EventType.OTHER),
        ("request", EventType.OTHER),
    ],
)
def test_event_names(kind, expected):
    _, [event] = load(brevo_event(kind, "a@example.com", BASE_MS))
    assert event.event_type is expected


def test_a_deferral_mislabelled_by_brevo_is_classified_by_its_codes():
    reason = "550 RecipientError: 550 5.1.1 <x@example.com>: User unknown in virtual alias table"
    _, [event] = load(brevo_event("deferred", "x@example.com", BASE_MS, reason=reason))
    assert classify_event(event).code == 2001


def test_a_deferral_without_codes_is_a_try_later():
    _, [event] = load(brevo_event("deferred", "x@example.com", BASE_MS))
    assert classify_event(event).code == 3003


def test_time_falls_back_from_ts_epoch_in_seconds_to_ts_event_to_arrival():
    in_seconds = brevo_event("delivered", "a@example.com", BASE_MS, ts_epoch=BASE_MS // 1000)
    marketing = brevo_event("delivered", "a@example.com", BASE_MS)
    del marketing["ts_epoch"]
    bare = {"event": "delivered", "email": "a@example.com"}
    assert [load(b)[1][0].occurred_at_ms for b in (in_seconds, marketing, bare)] == [
        BASE_MS,
        BASE_MS,
        BASE_MS + 9,
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event": "hard_bounce"}, "[0].email"),
        ([{"email": "a@example.com"}], "[0].event"),
        ({"event": "spam", "email": "a@example.com", "ts_epoch": "late"}, "[0].ts_epoch"),
    ],
)
def test_bad_events_name_the_field(body, field):
    with pytest.raises(RejectedError) as caught:
        load(body)
    assert field in caught.value.fields


def test_a_string_is_not_an_event():
    with pytest.raises(RejectedError, match="object or an array"):
        load("hard_bounce")
