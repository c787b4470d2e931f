"""Bad mail at `POST /webhooks/email`: too large, MIME bombs, invalid encodings and header
injection get a clear 4xx naming the limit, or are taken in as what they are; the worker never
crashes on them (a good message after them is still applied, nothing is dead-lettered)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.helpers import suppression, wait_for
from tests.mail_messages import dsn, mime_bomb

SECRET = "email-secret"
BEARER = {"Authorization": f"Bearer {SECRET}"}

pytestmark = pytest.mark.usefixtures("worker")


@pytest.fixture
def settings(settings):
    return replace(settings, email_secret=SECRET)


def post_raw(client, raw: bytes):
    return client.post("/webhooks/email", data=raw, content_type="message/rfc822", headers=BEARER)


def still_applies(client, state, email: str) -> None:
    """The worker is alive and well: a good DSN posted now is applied, and nothing before
    it was dead-lettered."""
    assert post_raw(client, dsn(email)).status_code == 202
    wait_for(lambda: suppression(client, email))
    assert state.llen("bk:deadletter") == 0


@pytest.mark.parametrize("size", [20_000_000, 30_000_000], ids=["20MB", "30MB"])
def test_a_message_over_the_size_limit_is_413_naming_it(client, state, broker, size):
    queued = broker.llen("celery")
    raw = dsn("big@example.com") + b"X" * size
    response = post_raw(client, raw)
    assert response.status_code == 413
    assert "BOUNCEKEEPER_MAIL_MAX_BYTES" in response.get_json()["error"]["message"]
    assert broker.llen("celery") == queued


@pytest.mark.parametrize(
    ("raw", "setting"),
    [
        (mime_bomb(depth=200), "BOUNCEKEEPER_MAIL_MAX_DEPTH"),
        (mime_bomb(parts=5000), "BOUNCEKEEPER_MAIL_MAX_PARTS"),
    ],
    ids=["deep", "wide"],
)
def test_a_mime_bomb_is_400_naming_the_limit(client, state, raw, setting):
    response = post_raw(client, raw)
    assert response.status_code == 400
    assert setting in response.get_json()["error"]["message"]
    still_applies(client, state, "after.bomb@example.com")


def _broken_base64(email: str) -> bytes:
    raw = dsn(email)
    return raw.replace(
        b"Content-Type: text/plain; charset=us-ascii\r\n",
        b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: base64\r\n",
    )


def _unknown_charset(email: str) -> bytes:
    return dsn(email).replace(b"charset=us-ascii", b"charset=x-no-such-charset")


def _eight_bit_headers(email: str) -> bytes:
    return dsn(email).replace(b"Subject: Undelivered", b"Subject: \xff\xfe\xc3(Undelivered")


def _unterminated(email: str) -> bytes:
    raw = dsn(email)
    return raw[: raw.rindex(b"--BOUNDARY")]


def _binary_garbage(_: str) -> bytes:
    return bytes(range(256)) * 40


@pytest.mark.parametrize(
    "spoil",
    [_broken_base64, _unknown_charset, _eight_bit_headers, _unterminated, _binary_garbage],
)
def test_invalid_encodings_are_taken_in_or_ignored_never_a_crash(client, state, spoil):
    email = f"enc.{spoil.__name__.strip('_')}@example.com"
    response = post_raw(client, spoil(email))
    assert response.status_code in (200, 202), response.get_json()
    still_applies(client, state, f"after.{spoil.__name__.strip('_')}@example.com")


@pytest.mark.parametrize(
    "recipient_field",
    [
        "rfc822; =?utf-8?q?victim@example.com=0D=0ABcc:_evil@example.com?=",
        "rfc822; victim@example.com\r\nBcc: evil@example.com",
        "rfc822; victim@example.com%0d%0aBcc:evil@example.com",
    ],
    ids=["encoded-crlf", "raw-crlf", "percent-crlf"],
)
def test_header_injection_never_reaches_the_state(client, state, recipient_field):
    raw = dsn("victim@example.com").replace(
        b"Final-Recipient: rfc822; victim@example.com", recipient_field.encode()
    )
    response = post_raw(client, raw)
    assert response.status_code in (200, 202, 400), response.get_json()
    still_applies(client, state, "after.injection@example.com")
    assert suppression(client, "evil@example.com") is None
    stored = state.keys("bk:contact:*") + state.keys("bk:suppression:*")
    assert not [key for key in stored if "\r" in key or "\n" in key or "bcc" in key.lower()]
