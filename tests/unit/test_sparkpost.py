import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import sparkpost
from app.providers.base import RejectedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import SECRETS, sparkpost_bounce, sparkpost_event

SETTINGS = Settings(sparkpost_secret=SECRETS["sparkpost_secret"])


def load(body) -> tuple[int, list]:
    request = WebhookRequest({}, json.dumps(body).encode(), "application/json", BASE_MS)
    accepted = sparkpost.load(request, SETTINGS)
    return accepted.count, sparkpost.parse(json.loads(json.dumps(accepted.payload)), BASE_MS)


def batch(*events, event_class="message_event"):
    return [{"msys": {event_class: event}} for event in events]


def test_bounce_carries_class_reason_and_event_id():
    count, [event] = load(batch(sparkpost_bounce("User@Example.com", BASE_MS, event_id="84345")))
    assert count == 1
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "user@example.com"
    assert (event.smtp_code, event.provider_reason) == ("550", "10")
    assert (
        event.diagnostic == "550 5.1.1 <User@Example.com>: Recipient address rejected: User unknown"
    )
    assert event.event_id == "sparkpost:84345"
    assert event.occurred_at_ms == BASE_MS
    assert classify_event(event).code == 2001


def test_the_validation_batch_is_accepted_with_no_events():
    assert load([{"msys": {}}]) == (0, [])


def test_mixed_batch_keeps_message_and_track_events_only():
    body = batch(sparkpost_event("delivery", "a@example.com", BASE_MS))
    body += batch(sparkpost_event("click", "a@example.com", BASE_MS), event_class="track_event")
    body += batch(
        {"type": "generation_failure", "rcpt_to": "a@example.com"}, event_class="gen_event"
    )
    body += batch({"type": "relay_injection"}, event_class="relay_event")
    body += batch({"type": "sms_status", "sms_dst": "7876712656"})
    count, events = load(body)
    assert count == 2
    assert [e.event_type for e in events] == [EventType.DELIVERY, EventType.ENGAGEMENT]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("out_of_band", EventType.BOUNCE),
        ("delay", EventType.BOUNCE),
        ("spam_complaint", EventType.COMPLAINT),
        ("policy_rejection", EventType.OTHER),
        ("injection", EventType.OTHER),
    ],
)
def test_types(kind, expected):
    _, [event] = load(batch(sparkpost_event(kind, "a@example.com", BASE_MS)))
    assert event.event_type is expected


def test_delay_is_a_soft_bounce_classified_by_its_reason():
    delay = sparkpost_event(
        "delay", "a@nomx.example.com", BASE_MS, bounce_class="21", error_code="454",
        raw_reason="454 4.4.4 [internal] no MX or A for domain", num_retries="1",
    )  # fmt: skip
    _, [event] = load(batch(delay))
    assert event.bounce_type == "temporary"
    # no mail host for the domain, said with a 4xx: a temporary domain failure (rubric: 3999)
    assert classify_event(event).code == 3999


@pytest.mark.parametrize(
    ("bounce_class", "code"),
    [("10", 2001), ("22", 3001), ("51", 1002), ("52", 1004), ("60", 5001), ("100", 1011)],
)
def test_bounce_class_is_the_label_when_the_reason_says_nothing(bounce_class, code):
    bounce = sparkpost_event("bounce", "a@example.com", BASE_MS, bounce_class=bounce_class)
    _, [event] = load(batch(bounce))
    assert classify_event(event).code == code


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([{"nomsys": {}}], "[0].msys"),
        (batch({"type": "bounce", "rcpt_to": "nope"}), "[0].msys.message_event.rcpt_to"),
        (batch({"rcpt_to": "a@example.com"}), "[0].msys.message_event.type"),
        (
            batch({"type": "bounce", "rcpt_to": "a@example.com", "timestamp": "soon"}),
            "[0].msys.message_event.timestamp",
        ),
    ],
)
def test_bad_batches_name_the_field(body, field):
    with pytest.raises(RejectedError) as caught:
        load(body)
    assert field in caught.value.fields


def test_an_object_is_not_a_batch():
    with pytest.raises(RejectedError, match="JSON array"):
        load({"msys": {}})


def test_the_reason_beats_the_bounce_class():
    bounce = sparkpost_bounce("a@example.com", BASE_MS, bounce_class="22")  # says mailbox full
    _, [event] = load(batch(bounce))
    assert classify_event(event).code == 2001
