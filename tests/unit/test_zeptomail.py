import pytest
from marshmallow import ValidationError

from app.events import EventType
from app.providers import zeptomail
from tests.helpers import sample_payload


def load(payload):
    return zeptomail.schema().load(payload)


def test_sample_payload_round_trip():
    validated = load(sample_payload())
    item = validated["data"][0]
    assert item["contact_id"] == 1314909023300000144084  # beyond 64 bits, kept exact
    assert item["from"] == '"Aaron Fletcher" <aron@zylker.com>'
    assert item["rcpt_additional_data"] == {"country": "JP", "ph": "1239333320"}
    [event] = zeptomail.parse(validated, received_at_ms=0)
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "john.doe@zylker.com"
    assert (event.smtp_code, event.enhanced_code, event.provider_reason) == (
        "554",
        "5.1.2",
        "bad-domain",
    )
    assert event.occurred_at_ms == 1725543459000


def test_missing_and_empty_fields_are_absent():
    payload = {"data": [{"contact_email": "a@example.com", "bounce_code": "", "zuid": None}]}
    [event] = zeptomail.parse(load(payload), received_at_ms=42)
    assert event.smtp_code == ""
    assert event.occurred_at_ms == 42
    assert event.event_type is EventType.BOUNCE


def test_numeric_codes_become_strings():
    payload = {"data": [{"contact_email": "a@example.com", "bounce_code": 550}]}
    assert load(payload)["data"][0]["bounce_code"] == "550"


def test_unknown_fields_are_dropped():
    payload = sample_payload()
    payload["data"][0]["brand_new_field"] = 1
    assert "brand_new_field" not in load(payload)["data"][0]


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("bounce", EventType.BOUNCE),
        ("email_open", EventType.ENGAGEMENT),
        ("email_link_click", EventType.ENGAGEMENT),
        ("something_else", EventType.OTHER),
    ],
)
def test_action_decides_the_event_type(action, kind):
    payload = {"action": action, "data": [{"contact_email": "a@example.com"}]}
    [event] = zeptomail.parse(load(payload), received_at_ms=0)
    assert event.event_type is kind


def test_event_id_is_stable_and_distinguishes_events():
    payload = sample_payload()
    [a] = zeptomail.parse(load(payload), 0)
    [b] = zeptomail.parse(load(payload), 999)
    payload["data"][0]["action_time"] += 1
    [c] = zeptomail.parse(load(payload), 0)
    assert a.event_id == b.event_id != c.event_id


def test_boolean_is_not_a_number():
    with pytest.raises(ValidationError):
        load({"data": [{"contact_email": "a@example.com", "bounce_code": True}]})


def test_retry_without_action_time_dedups():
    payload = {"data": [{"contact_email": "a@example.com", "bounce_extended_code": "4.2.2"}]}
    [first] = zeptomail.parse(load(payload), received_at_ms=1_000)
    [retry] = zeptomail.parse(load(payload), received_at_ms=61_000)
    assert first.occurred_at_ms != retry.occurred_at_ms
    assert first.event_id == retry.event_id
