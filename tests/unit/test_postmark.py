import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import postmark
from app.providers.base import RejectedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import SECRETS, postmark_bounce, postmark_complaint, postmark_delivery

SETTINGS = Settings(postmark_secret=SECRETS["postmark_secret"])


def events(record: dict) -> list:
    body = json.dumps(record).encode()
    request = WebhookRequest({}, body, "application/json", BASE_MS)
    accepted = postmark.load(request, SETTINGS)
    return postmark.parse(json.loads(json.dumps(accepted.payload)), BASE_MS + 5)


def test_hard_bounce_keeps_details_type_and_id():
    [event] = events(postmark_bounce("Gone@Example.com", BASE_MS))
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "gone@example.com"
    assert event.smtp_code == "550"
    assert event.diagnostic.startswith("smtp;550 5.1.1")
    assert (event.provider_reason, event.bounce_type) == ("HardBounce", "HardBounce")
    assert event.event_id == "postmark:4323372036"
    assert event.occurred_at_ms == BASE_MS
    assert classify_event(event).code == 2001


def test_seven_fraction_digits_and_an_offset_are_understood():
    record = postmark_bounce("a@example.com", 0)
    record["BouncedAt"] = "2026-03-02T04:00:00.1234567-05:00"
    [event] = events(record)
    assert event.occurred_at_ms == BASE_MS + 123


@pytest.mark.parametrize(
    ("kind", "details", "code"),
    [
        ("SoftBounce", "", 3999),
        ("DnsError", "", 4003),
        ("AutoResponder", "I am out of the office", 5001),
        ("Transient", "smtp;421 4.2.2 mailbox full", 3001),  # the codes beat the label
    ],
)
def test_type_is_the_label_under_the_codes(kind, details, code):
    [event] = events(postmark_bounce("a@example.com", BASE_MS, kind=kind, details=details))
    assert classify_event(event).code == code


def test_complaint_and_delivery():
    [complaint] = events(postmark_complaint("a@example.com", BASE_MS))
    [delivery] = events(postmark_delivery("b@example.com", BASE_MS))
    assert complaint.event_type is EventType.COMPLAINT
    assert (delivery.event_type, delivery.recipient) == (EventType.DELIVERY, "b@example.com")
    assert delivery.provider_event_id == ""  # deliveries have no ID: the event hash dedups


def test_open_is_engagement_and_other_records_are_recorded_only():
    opened = {
        "RecordType": "Open",
        "Recipient": "a@example.com",
        "ReceivedAt": "2026-03-02T09:00:00Z",
    }
    change = {"RecordType": "SubscriptionChange", "Recipient": "a@example.com"}
    assert events(opened)[0].event_type is EventType.ENGAGEMENT
    assert events(change)[0].event_type is EventType.OTHER


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"Type": "HardBounce", "Email": "a@example.com"}, "RecordType"),
        ({"RecordType": "Bounce"}, "Email"),
        ({"RecordType": "Bounce", "Email": "nope"}, "Email"),
        ({"RecordType": "Bounce", "Email": "a@example.com", "BouncedAt": "yesterday"}, "BouncedAt"),
    ],
)
def test_bad_records_name_the_field(record, field):
    request = WebhookRequest({}, json.dumps(record).encode(), "application/json", 0)
    with pytest.raises(RejectedError) as caught:
        postmark.load(request, SETTINGS)
    assert field in caught.value.fields
