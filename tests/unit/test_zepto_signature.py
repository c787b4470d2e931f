"""ZeptoMail's `producer-signature`: HMAC-SHA256 with the webhook authentication key."""

import base64
import hashlib
import hmac
import json
from urllib.parse import quote

import pytest
from werkzeug.datastructures import Headers

from app.config import Settings
from app.providers import zepto_signature, zeptomail
from app.providers.base import UnauthorizedError, WebhookRequest

KEY = "zepto-auth-key"
NOW_MS = 1_772_442_000_000
BODY = b'{"event_name":["hardbounce"],"event_message":[]}'
SETTINGS = Settings(zeptomail_signing_key=KEY, webhook_max_age_seconds=300)


def request(body=BODY):
    return WebhookRequest(Headers(), body, "application/json", NOW_MS)


def check(header, body=BODY):
    return zepto_signature.verify(request(body), header, SETTINGS)


def b64mac(message, key=KEY):
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


def test_documented_construction_over_timestamp_and_body():
    verified = check(zepto_signature.sign(KEY, str(NOW_MS), BODY))
    assert verified.nonce
    assert verified.fresh_for_s == 600


def test_url_encoded_signature_as_sent_in_the_header():
    encoded = quote(b64mac(str(NOW_MS).encode() + BODY), safe="")
    header = f"ts={NOW_MS};s={encoded};s-algorithm=HmacSHA256"
    assert check(header).nonce


def test_signature_over_the_body_alone_is_remembered_as_long_as_event_ids():
    verified = check(f"ts={NOW_MS};s={b64mac(BODY)};s-algorithm=HmacSHA256")
    assert verified.fresh_for_s == SETTINGS.dedup_ttl_seconds


def test_timestamp_in_seconds_is_understood():
    assert check(zepto_signature.sign(KEY, str(NOW_MS // 1000), BODY)).nonce


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        (zepto_signature.sign("other-key", str(NOW_MS), BODY), BODY, "does not match"),
        (zepto_signature.sign(KEY, str(NOW_MS), BODY), BODY + b" ", "does not match"),
        (zepto_signature.sign(KEY, str(NOW_MS - 301_000), BODY), BODY, "stale"),
        (zepto_signature.sign(KEY, str(NOW_MS + 301_000), BODY), BODY, "stale"),
        (f"ts={NOW_MS};s={b64mac(BODY)};s-algorithm=HmacMD5", BODY, "s-algorithm"),
        (f"ts=yesterday;s={b64mac(BODY)}", BODY, "must be ts="),
        (f"ts={NOW_MS};s=!!!", BODY, "must be ts="),
        ("garbage", BODY, "must be ts="),
        (f"ts=\u00b2;s={b64mac(BODY)}", BODY, "must be ts="),
    ],
)
def test_bad_signatures_are_refused(header, body, message):
    with pytest.raises(UnauthorizedError, match=message):
        check(header, body)


# A signature over the body alone binds no time (issue #15): its events must date the request.
def body_only(at_ms: int | None) -> WebhookRequest:
    item = {"contact_email": "a@example.com", "bounce_code": "550"}
    if at_ms is not None:
        item["action_time"] = at_ms
    body = json.dumps({"action": "bounce", "data": [item]}).encode()
    header = f"ts={NOW_MS};s={b64mac(body)};s-algorithm=HmacSHA256"
    return WebhookRequest(Headers({zepto_signature.HEADER: header}), body, "application/json",
                          NOW_MS)  # fmt: skip


def test_a_body_only_signature_with_recent_events_is_accepted():
    assert zeptomail.verify(body_only(NOW_MS - 3_600_000), SETTINGS).nonce


@pytest.mark.parametrize(
    "at_ms",
    [NOW_MS - SETTINGS.dedup_ttl_seconds * 1000 - 1, None],
    ids=["older than the nonce is kept", "no event time"],
)
def test_a_body_only_signature_replayed_after_its_nonce_expired_is_refused(at_ms):
    """A fresh `ts` next to a captured body changes nothing the signature covers."""
    with pytest.raises(UnauthorizedError, match="covers the body but not its ts"):
        zeptomail.verify(body_only(at_ms), SETTINGS)
