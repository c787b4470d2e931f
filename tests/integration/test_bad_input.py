"""Every malformed request gets its 4xx, names the problem, and changes nothing."""

from __future__ import annotations

import base64
import json

import pytest

from app import create_app
from app.config import Settings
from tests.helpers import sample_payload

GOOD_AUTH = {"Authorization": "Bearer zepto-secret"}
QUEUE_ONLY_DB = 2  # a broker database no test worker consumes, so queued tasks stay countable


@pytest.fixture
def settings(settings):
    base = settings.broker_url.rsplit("/", 1)[0]
    return Settings(**{**settings.__dict__, "broker_url": f"{base}/{QUEUE_ONLY_DB}"})


def post(client, body, headers=None, content_type="application/json"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        "/webhooks/zeptomail",
        data=data,
        headers=GOOD_AUTH if headers is None else headers,
        content_type=content_type,
    )


def with_item(**changes):
    payload = sample_payload()
    payload["data"][0].update(changes)
    return payload


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"webhook_name": "x"}, "data"),
        ({**sample_payload(), "data": []}, "data"),
        ({**sample_payload(), "data": "nope"}, "data"),
        (with_item(contact_email="not-an-address"), "data[0].contact_email"),
        (with_item(contact_email=""), "data[0].contact_email"),
        (with_item(contact_email="us\x00er@example.com"), "data[0].contact_email"),
        (with_item(contact_email="a" * 65 + "@example.com"), "data[0].contact_email"),
        (with_item(contact_email="a@\u2603.com"), "data[0].contact_email"),
        (with_item(action_time="yesterday"), "data[0].action_time"),
        (with_item(action_time=-5), "data[0].action_time"),
        (with_item(rcpt_additional_data=[1, 2]), "data[0].rcpt_additional_data"),
        (with_item(bounce_code={"a": 1}), "data[0].bounce_code"),
        ('{"data": [{"contact_email": "a@b.c", "action_time": 1e400}]}', "data[0].action_time"),
    ],
)
def test_schema_errors_name_the_field(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in error["fields"]
    assert field in error["message"]


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"data": NaN}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        # Not Unicode: an encoded surrogate and an unpaired escape (found by the fuzzing; they
        # used to pass the schema and then fail the worker's classifier).
        (json.dumps(with_item(bounce_reason="MARK")).encode().replace(b"MARK", b"\xed\xa0\x80"),
         "not valid JSON"),
        (json.dumps(with_item(bounce_reason="\ud800")).encode(), "not valid JSON"),
    ],
)  # fmt: skip
def test_unparseable_bodies_are_400(client, body, message):
    response = post(client, body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic " + base64.b64encode(b"zeptomail:wrong").decode()},
        {"Authorization": "Basic !!!"},
        {"Authorization": "Token zepto-secret"},
    ],
)
def test_bad_credentials_are_401(client, headers):
    response = post(client, sample_payload(), headers=headers)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


def test_secret_as_basic_auth_password_is_accepted(client, broker):
    before = broker.llen("celery")
    credentials = base64.b64encode(b"any-user:zepto-secret").decode()
    response = post(client, sample_payload(), headers={"Authorization": f"Basic {credentials}"})
    assert response.status_code == 202
    assert broker.llen("celery") == before + 1


@pytest.mark.usefixtures("untouched")
def test_body_over_the_limit_is_413(settings, state):
    client = create_app(Settings(**{**settings.__dict__, "max_body_bytes": 2048})).test_client()
    payload = sample_payload()
    payload["data"][0]["subject"] = "x" * 4096
    response = post(client, payload)
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_non_json_content_type_is_415(client, content_type):
    response = post(client, sample_payload(), content_type=content_type)
    assert response.status_code == 415
    assert "application/json" in response.get_json()["error"]["message"]


@pytest.mark.usefixtures("untouched")
def test_unknown_provider_is_404(client):
    response = client.post("/webhooks/nosuchesp", json={}, headers=GOOD_AUTH)
    assert response.status_code == 404
    assert "unknown provider" in response.get_json()["error"]["message"]


@pytest.mark.usefixtures("untouched")
def test_webhook_without_a_configured_secret_is_off(settings, state):
    client = create_app(Settings(**{**settings.__dict__, "zeptomail_secret": ""})).test_client()
    response = post(client, sample_payload())
    assert response.status_code == 404
    assert "BOUNCEKEEPER_ZEPTOMAIL_SECRET" in response.get_json()["error"]["message"]


@pytest.mark.usefixtures("untouched")
def test_broker_down_is_503_with_retry_after(settings, state, redis_server):
    from tests.conftest import free_port

    down = Settings(**{**settings.__dict__, "broker_url": f"redis://127.0.0.1:{free_port()}/0"})
    response = post(create_app(down).test_client(), sample_payload())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "retry later" in response.get_json()["error"]["message"]


def test_valid_request_enqueues_exactly_one_task(client, broker, state):
    before = broker.llen("celery")
    payload = sample_payload()
    payload["data"] = payload["data"] * 3
    payload["unexpected_top_level"] = {"tolerated": True}
    payload["data"][0]["unexpected_field"] = "tolerated"
    payload["data"][1]["bounce_code"] = ""  # a timeout has no SMTP reply code
    response = post(client, payload)
    assert response.status_code == 202
    assert response.get_json() == {"accepted": 3}
    assert broker.llen("celery") == before + 1
    assert state.dbsize() == 0  # nothing is applied by the web
