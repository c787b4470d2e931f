"""SendGrid's signed Event Webhook: a valid ECDSA signature accepted; a wrong, missing or stale
one refused, a replayed or re-encoded one queued with the same nonce for the worker to refuse;
a batch end to end."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from app.config import Settings
from app.providers.sendgrid import SIGNATURE_HEADER, TIMESTAMP_HEADER
from tests.helpers import (
    BASE_MS,
    assert_replay_queued_for_the_worker,
    contact,
    suppression,
    wait_for,
)

KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())
PUBLIC = base64.b64encode(
    KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
QUEUE_ONLY_DB = 9  # a broker database no worker consumes, so queued tasks stay countable
SECONDS = BASE_MS // 1000


def signed(body: bytes, key=KEY, stamp: int | None = None) -> dict[str, str]:
    stamp_text = str(int(time.time()) if stamp is None else stamp)
    signature = key.sign(stamp_text.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {SIGNATURE_HEADER: base64.b64encode(signature).decode(), TIMESTAMP_HEADER: stamp_text}


def post(client, body: bytes, headers: dict[str, str]):
    return client.post(
        "/webhooks/sendgrid", data=body, headers=headers, content_type="application/json"
    )


def batch(*events) -> bytes:
    return json.dumps(list(events)).encode()


def bounce(email, n=0, status="5.1.1", reason="550 5.1.1 user unknown", type_="bounce"):
    return {
        "email": email,
        "timestamp": SECONDS + n,
        "event": "bounce",
        "sg_event_id": f"bounce-{email}-{n}",
        "sg_message_id": f"msg-{n}.filter0001",
        "status": status,
        "reason": reason,
        "type": type_,
    }


@pytest.fixture
def settings(settings):
    return Settings(**{**settings.__dict__, "sendgrid_public_key": PUBLIC})


class TestQueueOnly:
    @pytest.fixture
    def settings(self, settings):
        base = settings.broker_url.rsplit("/", 1)[0]
        return Settings(**{**settings.__dict__, "broker_url": f"{base}/{QUEUE_ONLY_DB}"})

    def test_valid_signature_enqueues_the_batch_as_one_task(self, client, broker):
        before = broker.llen("celery")
        body = batch(bounce("a@example.com"), bounce("b@example.com"), {"email": "c@example.com",
                     "event": "processed", "timestamp": SECONDS})  # fmt: skip
        response = post(client, body, signed(body))
        assert response.status_code == 202, response.get_json()
        assert response.get_json() == {"accepted": 2}
        assert broker.llen("celery") == before + 1

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("headers", "message"),
        [
            (lambda body: {}, "missing"),
            (lambda body: {SIGNATURE_HEADER: signed(body)[SIGNATURE_HEADER]}, "missing"),
            (lambda body: {**signed(body), TIMESTAMP_HEADER: "\u00b2"}, "missing"),
            (lambda body: signed(body, key=OTHER_KEY), "does not verify"),
            (lambda body: signed(body + b" "), "does not verify"),
            (lambda body: {**signed(body), SIGNATURE_HEADER: "not base64"}, "does not verify"),
            (lambda body: signed(body, stamp=int(time.time()) - 3600), "stale"),
            (lambda body: signed(body, stamp=int(time.time()) + 3600), "stale"),
        ],
    )
    def test_bad_signatures_are_401(self, client, headers, message):
        body = batch(bounce("a@example.com"))
        response = post(client, body, headers(body))
        assert response.status_code == 401
        assert message in response.get_json()["error"]["message"]

    def test_a_replay_even_with_a_re_encoded_signature_has_the_same_nonce(self, client, broker):
        body = batch(bounce("a@example.com"))
        headers = signed(body)
        first = post(client, body, headers)
        # (r, s) and (r, n - s) are both valid ECDSA signatures of the same bytes
        r, s = decode_dss_signature(base64.b64decode(headers[SIGNATURE_HEADER]))
        twin = encode_dss_signature(r, P256_ORDER - s)
        replay = {**headers, SIGNATURE_HEADER: base64.b64encode(twin).decode()}
        assert_replay_queued_for_the_worker(broker, first, post(client, body, replay))

    @pytest.mark.usefixtures("untouched")
    def test_batch_without_recipient_events_queues_nothing(self, client):
        body = batch({"email": "c@example.com", "event": "processed", "timestamp": SECONDS})
        response = post(client, body, signed(body))
        assert (response.status_code, response.get_json()) == (200, {"accepted": 0})

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b'{"email": "a@example.com"}', "must be a JSON array"),
            (b"[1, 2", "not valid JSON"),
            (batch({"event": "bounce", "timestamp": SECONDS}), "[0].email"),
            (batch({**bounce("a@example.com"), "timestamp": "soon"}), "[0].timestamp"),
            (batch(bounce("ok@example.com"), bounce("n\x00ul@example.com")), "[1].email"),
            (batch(bounce("a" * 65 + "@example.com")), "[0].email"),
        ],
    )
    def test_bad_bodies_are_400(self, client, body, message):
        response = post(client, body, signed(body))
        assert response.status_code == 400
        assert message in response.get_json()["error"]["message"]

    @pytest.mark.usefixtures("untouched")
    def test_off_without_a_key(self, settings, state):
        from app import create_app

        client = create_app(Settings(**{**settings.__dict__, "sendgrid_public_key": ""}))
        body = batch(bounce("a@example.com"))
        response = post(client.test_client(), body, signed(body))
        assert response.status_code == 404
        assert "BOUNCEKEEPER_SENDGRID_PUBLIC_KEY" in response.get_json()["error"]["message"]


@pytest.mark.usefixtures("worker")
class TestEndToEnd:
    def test_signed_batch_suppresses_bounces_and_complaints(self, client):
        body = batch(
            bounce("gone@example.com"),
            {"email": "angry@example.com", "timestamp": SECONDS, "event": "spamreport",
             "sg_event_id": "spam-1", "sg_message_id": "msg-9.filter0001"},
            {"email": "fine@example.com", "timestamp": SECONDS, "event": "delivered",
             "response": "250 2.0.0 OK", "sg_event_id": "delivered-1"},
            {"email": "known@example.com", "timestamp": SECONDS, "event": "dropped",
             "reason": "Bounced Address", "sg_event_id": "dropped-1"},
        )  # fmt: skip
        assert post(client, body, signed(body)).status_code == 202
        wait_for(lambda: suppression(client, "known@example.com"))
        gone = suppression(client, "gone@example.com")
        assert (gone["code"], gone["source"]) == (2001, "hard")
        assert gone["evidence"]["event_id"] == "sendgrid:bounce-gone@example.com-0"
        assert suppression(client, "angry@example.com")["source"] == "complaint"
        assert suppression(client, "known@example.com")["code"] == 2999
        assert suppression(client, "fine@example.com") is None
        assert contact(client, "fine@example.com")["events"] == 1

    def test_same_sg_event_id_in_two_requests_counts_once(self, client):
        email = "full@example.com"
        event = bounce(email, status="4.2.2", reason="452 4.2.2 mailbox full", type_="blocked")
        first, second = batch(event), batch(event)
        assert post(client, first, signed(first, stamp=int(time.time()))).status_code == 202
        assert post(client, second, signed(second, stamp=int(time.time()) - 1)).status_code == 202
        marker = batch(bounce("marker@example.com"))
        assert post(client, marker, signed(marker)).status_code == 202
        wait_for(lambda: suppression(client, "marker@example.com"))
        state = contact(client, email)
        assert state["events"] == 1
        assert state["counted"] == [{"day": "2026-03-02", "weight": 1.0}]
