"""ZeptoMail's signed webhook: `producer-signature` accepted, every bad one 401 with nothing
queued, the shared secret still an alternative, and the Mail Agent shape end to end."""

from __future__ import annotations

import copy
import json
import time

import pytest

from app import create_app
from app.config import Settings
from app.providers import zepto_signature
from tests.helpers import (
    BASE_MS,
    DAY_MS,
    FIXTURES,
    assert_replay_queued_for_the_worker,
    contact,
    soft,
    suppression,
    wait_for,
)

KEY = "zepto-auth-key"
QUEUE_ONLY_DB = 8  # a broker database no worker consumes, so queued tasks stay countable
HARD = json.loads((FIXTURES / "zeptomail_agent_hardbounce.json").read_text())


def signed(body: bytes, key: str = KEY, stamp_ms: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time() * 1000) if stamp_ms is None else stamp_ms)
    return {zepto_signature.HEADER: zepto_signature.sign(key, stamp, body)}


def post(client, payload, headers):
    body = json.dumps(payload).encode()
    return client.post(
        "/webhooks/zeptomail", data=body, headers=headers(body), content_type="application/json"
    )


@pytest.fixture
def settings(settings):
    return Settings(**{**settings.__dict__, "zeptomail_signing_key": KEY})


class TestQueueOnly:
    @pytest.fixture
    def settings(self, settings):
        base = settings.broker_url.rsplit("/", 1)[0]
        return Settings(**{**settings.__dict__, "broker_url": f"{base}/{QUEUE_ONLY_DB}"})

    def test_valid_signature_enqueues_one_task(self, client, broker):
        before = broker.llen("celery")
        response = post(client, HARD, signed)
        assert response.status_code == 202, response.get_json()
        assert response.get_json() == {"accepted": 1}
        assert broker.llen("celery") == before + 1

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("headers", "message"),
        [
            (lambda body: {}, "missing or wrong credentials"),
            (lambda body: signed(body, key="wrong-key"), "does not match"),
            (lambda body: signed(body + b"tampered"), "does not match"),
            (lambda body: signed(body, stamp_ms=int(time.time() * 1000) - 3_600_000), "stale"),
            (lambda body: {zepto_signature.HEADER: "ts=1;s=bm9wZQ=="}, "does not match"),
            (lambda body: {"Authorization": "Bearer wrong"}, "missing or wrong credentials"),
        ],
    )
    def test_bad_signatures_are_401(self, client, headers, message):
        response = post(client, HARD, headers)
        assert response.status_code == 401
        assert message in response.get_json()["error"]["message"]

    def test_a_replayed_signature_goes_to_the_worker_with_the_same_nonce(self, client, broker):
        body = json.dumps(HARD).encode()
        headers = signed(body)
        first = client.post("/webhooks/zeptomail", data=body, headers=headers,
                            content_type="application/json")  # fmt: skip
        again = client.post("/webhooks/zeptomail", data=body, headers=headers,
                            content_type="application/json")  # fmt: skip
        assert_replay_queued_for_the_worker(broker, first, again)

    def test_shared_secret_still_works_beside_the_key(self, client, broker):
        before = broker.llen("celery")
        response = post(client, HARD, lambda body: {"Authorization": "Bearer zepto-secret"})
        assert response.status_code == 202
        assert broker.llen("celery") == before + 1

    @pytest.mark.usefixtures("untouched")
    def test_signing_key_alone_refuses_the_bearer(self, settings, state):
        only_key = Settings(**{**settings.__dict__, "zeptomail_secret": ""})
        client = create_app(only_key).test_client()
        response = post(client, HARD, lambda body: {"Authorization": "Bearer zepto-secret"})
        assert response.status_code == 401

    @pytest.mark.usefixtures("untouched")
    def test_open_of_a_message_to_several_recipients_queues_nothing(self, client):
        payload = copy.deepcopy(HARD)
        payload["event_name"] = ["email_open"]
        payload["event_message"][0]["email_info"]["cc"] = [
            {"email_address": {"address": "other@zylker.com"}}
        ]
        payload["event_message"][0]["event_data"] = [{"object": "email_open", "details": [{}]}]
        response = post(client, payload, signed)
        assert (response.status_code, response.get_json()) == (200, {"accepted": 0})

    @pytest.mark.usefixtures("untouched")
    def test_agent_shape_schema_errors_name_the_field(self, client):
        payload = {**HARD, "event_name": ["hardbounce", "email_open"]}
        response = post(client, payload, signed)
        assert response.status_code == 400
        assert "event_name" in response.get_json()["error"]["fields"]


@pytest.mark.usefixtures("worker")
class TestEndToEnd:
    def test_signed_agent_hard_bounce_suppresses(self, client):
        assert post(client, HARD, signed).status_code == 202
        record = wait_for(lambda: suppression(client, "rebecca@zylker.com"))
        assert (record["code"], record["source"]) == (2001, "hard")
        assert record["evidence"]["diagnostic"].startswith("550 5.1.1")
        assert record["evidence"]["message_id"] == "2d6f.e1b2c3d4@bounce.zylker.com"

    def test_signed_open_resets_the_soft_score(self, client):
        email = "alive@zylker.com"
        bearer = {"Authorization": "Bearer zepto-secret"}
        for n in range(2):
            response = client.post(
                "/webhooks/zeptomail",
                json=soft(email, BASE_MS + n * DAY_MS, f"<m{n}@x>"),
                headers=bearer,
            )
            assert response.status_code == 202
        opened = copy.deepcopy(HARD)
        opened["event_name"] = ["email_open"]
        message = opened["event_message"][0]
        message["email_info"]["to"] = [{"email_address": {"address": email}}]
        message["event_data"] = [
            {"object": "email_open", "details": [{"time": BASE_MS + DAY_MS + 60_000}]}
        ]
        assert post(client, opened, signed).status_code == 202
        state = wait_for(lambda: (c := contact(client, email)) and c["events"] == 3 and c)
        assert state["counted"] == []
        assert suppression(client, email) is None
