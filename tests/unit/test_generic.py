import json

import pytest

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import generic
from app.providers.base import RejectedError, UnauthorizedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import SECRETS, generic_bounce, generic_event, generic_request

SETTINGS = Settings(generic_secret=SECRETS["generic_secret"])
NOW_S = BASE_MS // 1000


def request(body: bytes, headers: dict, received_s: int = NOW_S) -> WebhookRequest:
    return WebhookRequest(headers, body, "application/json", received_s * 1000)


def load(payload) -> tuple[int, list]:
    body, headers = generic_request(payload, at_s=NOW_S)
    accepted = generic.load(request(body, headers), SETTINGS)
    return accepted.count, generic.parse(json.loads(json.dumps(accepted.payload)), BASE_MS + 9)


def test_bounce_carries_codes_and_id():
    count, [event] = load(generic_bounce("Gone@Example.com", BASE_MS))
    assert count == 1
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "gone@example.com"
    assert (event.smtp_code, event.enhanced_code) == ("550", "5.1.1")
    assert event.event_id == f"generic:bounce-Gone@Example.com-{BASE_MS}"
    assert event.occurred_at_ms == BASE_MS
    assert classify_event(event).code == 2001


def test_deferral_is_a_soft_bounce_and_time_may_be_epoch_ms_or_absent():
    _, [deferral, delivery] = load(
        [
            generic_event("deferral", "a@example.com", 0, time=BASE_MS, enhanced_code="4.2.2"),
            {"event": "delivery", "recipient": "a@example.com"},
        ]
    )
    assert (deferral.event_type, deferral.bounce_type) == (EventType.BOUNCE, "temporary")
    assert deferral.occurred_at_ms == BASE_MS
    assert classify_event(deferral).code == 3001
    assert delivery.event_type is EventType.DELIVERY
    assert delivery.occurred_at_ms == BASE_MS + 9
    assert delivery.provider_event_id == ""


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"event": "bounced", "recipient": "a@example.com"}, "[0].event"),
        ({"event": "bounce"}, "[0].recipient"),
        ({"event": "bounce", "recipient": "a@example.com", "time": "noon"}, "[0].time"),
    ],
)
def test_bad_events_name_the_field(payload, field):
    with pytest.raises(RejectedError) as caught:
        load(payload)
    assert field in caught.value.fields


def test_signature_is_the_nonce_for_twice_the_skew():
    body, headers = generic_request({"event": "delivery", "recipient": "a@example.com"}, at_s=NOW_S)
    verified = generic.verify(request(body, headers), SETTINGS)
    assert verified.nonce == headers["X-Bouncekeeper-Signature"].partition("v1=")[2]
    assert verified.fresh_for_s == 2 * generic.MAX_SKEW_S


def test_any_of_several_v1_values_may_match_during_a_rotation():
    body, headers = generic_request({"event": "delivery", "recipient": "a@example.com"}, at_s=NOW_S)
    rotated = headers["X-Bouncekeeper-Signature"].replace("v1=", "v1=" + "0" * 64 + ",v1=")
    assert generic.verify(request(body, {"X-Bouncekeeper-Signature": rotated}), SETTINGS).nonce


@pytest.mark.parametrize(
    "header",
    ["", "t=abc,v1=00", "v1=00", f"t={NOW_S},t={NOW_S},v1=00", f"t={NOW_S},v1=\u00e9"],
)
def test_malformed_or_wrong_headers_are_unauthorized(header):
    with pytest.raises(UnauthorizedError):
        generic.verify(request(b"{}", {"X-Bouncekeeper-Signature": header}), SETTINGS)
