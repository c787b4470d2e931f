import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event, plan
from app.policy import Policy
from app.providers import postmark
from app.providers.base import RejectedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import (
    SECRETS,
    postmark_bounce,
    postmark_complaint,
    postmark_delivery,
    postmark_subscription_change,
)

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
    inbound = {"RecordType": "Inbound", "Recipient": "a@example.com"}
    assert events(opened)[0].event_type is EventType.ENGAGEMENT
    assert events(inbound)[0].event_type is EventType.OTHER


@pytest.mark.parametrize(
    ("reason", "event_type", "action", "source", "code"),
    [
        ("SpamComplaint", EventType.COMPLAINT, "esp_suppress", "complaint", None),
        ("HardBounce", EventType.BOUNCE, "esp_suppress", "hard", 2999),
        ("ManualSuppression", EventType.SUPPRESSION, "esp_suppress", "esp", None),
    ],
)
def test_a_suppressing_change_is_applied_as_the_esp_decided(
    reason, event_type, action, source, code
):
    record = postmark_subscription_change("Who@Example.com", BASE_MS, reason=reason)
    [event] = events(record)
    assert (event.event_type, event.recipient) == (event_type, "who@example.com")
    assert event.esp_list == "postmark:broadcast"
    assert event.occurred_at_ms == BASE_MS  # ChangedAt, microseconds cut to ms
    applied = plan(event, Policy())
    assert (applied.action, applied.source, applied.code) == (action, source, code)
    assert applied.esp_list == "postmark:broadcast"
    assert applied.matched_by == f"esp:postmark:broadcast:{reason}"
    assert applied.diagnostic == (
        f"Postmark suppressed sending on stream broadcast: {reason} (origin Recipient)"
    )


def test_a_hard_bounce_change_suppresses_even_on_a_policy_that_only_counts_its_code():
    """The ESP stopped sending already; its list is followed, not re-judged."""
    [event] = events(postmark_subscription_change("a@example.com", BASE_MS))
    lenient = Policy(by_code={**Policy().by_code, 2999: Policy().by_code[3001]})
    assert plan(event, lenient).action == "esp_suppress"


def test_a_reactivation_is_its_own_event_with_the_origin_kept():
    change = postmark_subscription_change(
        "a@example.com", BASE_MS, suppress=False, origin="Customer"
    )
    [event] = events(change)
    assert (event.event_type, event.esp_list) == (EventType.REACTIVATION, "postmark:broadcast")
    applied = plan(event, Policy())
    assert (applied.action, applied.code) == ("reactivate", None)
    assert (
        applied.diagnostic == "Postmark reactivated sending on stream broadcast (origin Customer)"
    )


def test_each_change_has_its_identity_so_a_retry_dedups_and_a_reactivation_does_not():
    [suppressed] = events(postmark_subscription_change("a@example.com", BASE_MS))
    [again] = events(postmark_subscription_change("a@example.com", BASE_MS))
    [lifted] = events(postmark_subscription_change("a@example.com", BASE_MS, suppress=False))
    [other_stream] = events(
        postmark_subscription_change("a@example.com", BASE_MS, stream="outbound")
    )
    assert suppressed.event_id == again.event_id
    assert len({suppressed.event_id, lifted.event_id, other_stream.event_id}) == 3


@pytest.mark.parametrize("missing", ["SuppressSending", "ChangedAt"])
def test_a_change_without_direction_or_time_is_refused_naming_it(missing):
    record = postmark_subscription_change("a@example.com", BASE_MS)
    del record[missing]
    request = WebhookRequest({}, json.dumps(record).encode(), "application/json", 0)
    with pytest.raises(RejectedError) as caught:
        postmark.load(request, SETTINGS)
    assert missing in caught.value.fields


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
