import json
from urllib.parse import urlencode

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import mailgun
from app.providers.base import RejectedError, UnauthorizedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import (
    SECRETS,
    mailgun_event,
    mailgun_failed,
    mailgun_legacy_form,
    mailgun_request,
)

SETTINGS = Settings(mailgun_signing_key=SECRETS["mailgun_signing_key"])
NOW_S = BASE_MS // 1000


def request(body: bytes, received_s: int = NOW_S) -> WebhookRequest:
    return WebhookRequest({}, body, "application/json", received_s * 1000)


def events(event_data: dict) -> list:
    body, _ = mailgun_request(event_data, timestamp=NOW_S)
    accepted = mailgun.load(request(body), SETTINGS)
    return mailgun.parse(json.loads(json.dumps(accepted.payload)), BASE_MS)


def test_permanent_failure_carries_the_codes_and_the_labels():
    [event] = events(mailgun_failed("Invalid@Example.com", NOW_S + 0.25))
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "invalid@example.com"
    assert (event.smtp_code, event.enhanced_code) == ("550", "5.1.1")
    assert event.diagnostic.startswith("5.1.1 The email account")
    assert (event.bounce_type, event.provider_reason) == ("permanent", "bounce")
    assert event.occurred_at_ms == BASE_MS + 250
    assert event.message_id == "20260302090000.1.ABCDEF@mg.example.org"


def test_temporary_failure_without_enhanced_code_is_a_soft_bounce():
    item = mailgun_failed(
        "late@example.com", NOW_S, severity="temporary", code=450, enhanced=None,
        message="Recipient address rejected: Greylisted", reason="greylisted",
    )  # fmt: skip
    [event] = events(item)
    assert event.event_type is EventType.BOUNCE
    assert (event.bounce_type, event.enhanced_code, event.provider_reason) == (
        "temporary",
        "",
        "greylisted",
    )


def test_failure_on_mailguns_own_suppression_list_is_only_recorded():
    item = mailgun_failed(
        "old@example.com", NOW_S, code=605, enhanced=None, reason="suppress-bounce"
    )
    [event] = events(item)
    assert event.event_type is EventType.OTHER


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("delivered", EventType.DELIVERY),
        ("complained", EventType.COMPLAINT),
        ("opened", EventType.ENGAGEMENT),
        ("clicked", EventType.ENGAGEMENT),
        ("unsubscribed", EventType.OTHER),
        ("accepted", EventType.OTHER),
    ],
)
def test_event_names_decide_the_type(kind, expected):
    [event] = events(mailgun_event(kind, "a@example.com", NOW_S))
    assert event.event_type is expected


def test_event_id_is_the_day_unique_id_with_its_time():
    [a] = events(mailgun_event("delivered", "a@example.com", NOW_S, event_id="abc"))
    [b] = events(mailgun_event("delivered", "a@example.com", NOW_S + 86_400, event_id="abc"))
    assert a.event_id == f"mailgun:abc:{BASE_MS}"
    assert a.event_id != b.event_id


def test_valid_signature_gives_the_token_as_nonce():
    body, _ = mailgun_request(
        mailgun_event("delivered", "a@example.com", NOW_S), timestamp=NOW_S, token="tok"
    )
    verified = mailgun.verify(request(body), SETTINGS)
    assert verified.nonce == "tok"
    assert verified.fresh_for_s >= mailgun.MAX_AGE_S


@pytest.mark.parametrize(
    "received_s",
    [NOW_S + mailgun.MAX_AGE_S, NOW_S - mailgun.MAX_AHEAD_S],
    ids=["oldest-retry", "clock-skew"],
)
def test_timestamps_inside_the_window_pass(received_s):
    body, _ = mailgun_request(mailgun_event("delivered", "a@example.com", NOW_S), timestamp=NOW_S)
    assert mailgun.verify(request(body, received_s), SETTINGS).nonce


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda e: mailgun_request(e, timestamp=NOW_S, key="wrong")[0], "wrong Mailgun signature"),
        (lambda e: mailgun_request(e, timestamp=NOW_S - mailgun.MAX_AGE_S - 1)[0], "stale"),
        (lambda e: mailgun_request(e, timestamp=NOW_S + mailgun.MAX_AHEAD_S + 1)[0], "stale"),
        (lambda e: json.dumps({"event-data": e}).encode(), "no Mailgun signature"),
        (lambda e: json.dumps({"signature": {"token": "t"}, "event-data": e}).encode(), "needs"),
        (lambda e: b"not json", "not a JSON object"),
    ],
    ids=["wrong-key", "stale", "future", "missing", "incomplete", "not-json"],
)
def test_bad_signatures_are_unauthorized(build, message):
    body = build(mailgun_event("delivered", "a@example.com", NOW_S))
    with pytest.raises(UnauthorizedError, match=message):
        mailgun.verify(request(body), SETTINGS)


def test_event_data_needs_a_recipient():
    body, _ = mailgun_request({"event": "delivered", "timestamp": NOW_S}, timestamp=NOW_S)
    with pytest.raises(RejectedError) as caught:
        mailgun.load(request(body), SETTINGS)
    assert "event-data.recipient" in caught.value.fields


def test_the_codes_beat_mailguns_severity():
    item = mailgun_failed("a@example.com", NOW_S, severity="temporary")  # a 550 5.1.1 inside
    [event] = events(item)
    assert classify_event(event).code == 2001


def legacy(fields: list[tuple[str, str]]) -> list:
    body = urlencode(fields).encode()
    incoming = WebhookRequest(
        {"Content-Type": "application/x-www-form-urlencoded"},
        body,
        "application/x-www-form-urlencoded",
        NOW_S * 1000,
    )
    mailgun.verify(incoming, SETTINGS)
    accepted = mailgun.load(incoming, SETTINGS)
    return mailgun.parse(json.loads(json.dumps(accepted.payload)), BASE_MS)


def test_legacy_drop_after_retrying_too_long_is_a_bounce_the_classifier_judges():
    form = mailgun_legacy_form(
        "dropped", "Late@Example.com", timestamp=NOW_S, token="t" * 50, reason="old",
        code="4.2.2", description="Mailbox full",
        message_headers=json.dumps([["message-id", "<id-1@mg.example.org>"]]),
    )  # fmt: skip
    [event] = legacy(form)
    assert event.event_type is EventType.BOUNCE
    assert (event.recipient, event.provider_reason) == ("late@example.com", "old")
    assert (event.smtp_code, event.enhanced_code) == ("", "4.2.2")
    assert (event.diagnostic, event.message_id) == ("Mailbox full", "id-1@mg.example.org")
    assert event.occurred_at_ms == NOW_S * 1000
    assert event.event_id == f"mailgun:{'t' * 50}:{NOW_S * 1000}"


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        ("bounced", "550", EventType.BOUNCE),
        ("dropped", "605", EventType.OTHER),  # on Mailgun's bounce list already
        ("dropped", "607", EventType.OTHER),  # on its complaint list
        ("complained", "", EventType.COMPLAINT),
        ("unsubscribed", "", EventType.OTHER),
        ("delivered", "", EventType.DELIVERY),
        ("opened", "", EventType.ENGAGEMENT),
    ],
)
def test_legacy_event_names_decide_the_type(kind, code, expected):
    [event] = legacy(mailgun_legacy_form(kind, "a@example.com", timestamp=NOW_S, code=code))
    assert event.event_type is expected
