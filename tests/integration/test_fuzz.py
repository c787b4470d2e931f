"""Fuzzing (issue #8): every provider's payload shape, valid and broken, through the real web
app with valid credentials, then whatever it accepted through the worker's parse and apply.

Properties, per example: no 5xx and no exception out of the view; a rejected (4xx) request
leaves the state database empty and the broker queue as it was; a 200 queues nothing; a 202
queues exactly one task, and that task's payload, as the broker carries it, parses and applies
against the real Redis without an exception. The credentials are computed over the final
bytes (shared secret, HMAC, SendGrid's ECDSA, an SNS-signed envelope around a fuzzed SES
message), so the fuzzing reaches the schemas and the worker instead of stopping at a 401.
Example counts are bounded to keep the suite short.
"""

from __future__ import annotations

import base64
import copy
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import redis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from app import create_app, providers
from app.classify import Evidence, classify, explain
from app.config import Settings
from app.ingest import apply_events
from app.policy import Policy
from app.store import Store
from tests import providers as esp
from tests.helpers import BASE_MS, FIXTURES, sample_payload, zepto_bounce
from tests.integration.test_sendgrid import PUBLIC, signed
from tests.sns_signing import TOPIC, FakeSns, bounce_notice

STATE_DB, QUEUE_DB = 11, 13  # our own state database, and a broker database no worker consumes
LOOPBACK = r"^http://(localhost|127\.0\.0\.1):\d+/"
SNS = FakeSns()
EXAMPLES = 150
ZEPTO_AGENT = json.loads((FIXTURES / "zeptomail_agent_hardbounce.json").read_text())

Headers = dict[str, str]


@dataclass(frozen=True)
class Shape:
    """A provider's valid payloads and how its ESP would credential a body."""

    name: str
    valid: Callable[[str, int], list[Any]]  # recipient, time in ms -> payloads to start from
    credential: Callable[[bytes], tuple[bytes, Headers]]
    content_type: str = "application/json"


def _body_of(request: esp.Request) -> Any:
    return json.loads(request[0])


def _fixed(headers: Headers) -> Callable[[bytes], tuple[bytes, Headers]]:
    return lambda body: (body, headers)


def _mailgun(body: bytes) -> tuple[bytes, Headers]:
    """Mailgun signs inside the body: a fresh signature block where the body has room."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return body, {}
    if not isinstance(payload, dict):
        return body, {}
    signed_body, _ = esp.mailgun_request({})
    payload["signature"] = json.loads(signed_body)["signature"]
    return json.dumps(payload).encode(), {}


def _generic(body: bytes) -> tuple[bytes, Headers]:
    return body, {"X-Bouncekeeper-Signature": esp.sign(body, int(time.time()), "generic-secret")}


def _ses(cert_url: str) -> Callable[[bytes], tuple[bytes, Headers]]:
    """The fuzzed bytes are the SES message; SNS wraps and signs it, as AWS would."""

    def credential(body: bytes) -> tuple[bytes, Headers]:
        envelope = SNS.envelope(cert_url, body.decode("utf-8", "replace"))
        headers = {"x-amz-sns-message-type": "Notification", "x-amz-sns-topic-arn": TOPIC}
        return json.dumps(envelope).encode(), headers

    return credential


def _case_payloads(case: esp.Case) -> Callable[[str, int], list[Any]]:
    def valid(email: str, at_ms: int) -> list[Any]:
        built = [case.bounce(email, at_ms), case.delivery(email, at_ms)]
        if case.complaint is not None:
            built.append(case.complaint(email, at_ms))
        if case.batch is not None:
            built.append(case.batch([email, "second@example.org"], at_ms))
        return [_body_of(request) for request in built]

    return valid


def _zepto(email: str, at_ms: int) -> list[Any]:
    agent = copy.deepcopy(ZEPTO_AGENT)
    agent["event_message"][0]["event_data"][0]["details"][0]["bounced_recipient"] = email
    soft = esp.json.loads(json.dumps(zepto_bounce(email, at_ms, bounce_type="softbounce")))
    return [zepto_bounce(email, at_ms), soft, sample_payload(), agent]


def _sendgrid(email: str, at_ms: int) -> list[Any]:
    event = {
        "email": email,
        "timestamp": at_ms // 1000,
        "sg_event_id": f"e-{at_ms}",
        "sg_message_id": "m.filter",
        "status": "5.1.1",
        "reason": "550 5.1.1 unknown",
    }
    return [
        [{**event, "event": "bounce", "type": "bounce"}, {**event, "event": "delivered"}],
        [{**event, "event": "deferred", "response": "450 try later"}],
    ]


def _ses_messages(email: str, at_ms: int) -> list[Any]:
    recipient = {
        "emailAddress": email,
        "status": "5.1.1",
        "action": "failed",
        "diagnosticCode": "smtp; 550 5.1.1 user unknown",
    }
    bounce = bounce_notice(recipient)
    complaint = {
        "notificationType": "Complaint",
        "mail": bounce["mail"],
        "complaint": {
            "complainedRecipients": [{"emailAddress": email}],
            "feedbackId": "fb-2",
            "timestamp": "2026-03-02T09:00:05.101Z",
        },
    }
    return [bounce, complaint]


def shapes(cert_url: str) -> dict[str, Shape]:
    by_case = {case.name: case for case in esp.CASES}
    return {
        "zeptomail": Shape("zeptomail", _zepto, _fixed({"Authorization": "Bearer zepto-secret"})),
        "ses": Shape("ses", _ses_messages, _ses(cert_url), "text/plain; charset=UTF-8"),
        "sendgrid": Shape("sendgrid", _sendgrid, lambda body: (body, signed(body))),
        "mailgun": Shape("mailgun", _case_payloads(by_case["mailgun"]), _mailgun),
        "postmark": Shape(
            "postmark", _case_payloads(by_case["postmark"]), _fixed(esp.POSTMARK_AUTH)
        ),
        "sparkpost": Shape(
            "sparkpost", _case_payloads(by_case["sparkpost"]), _fixed(esp.SPARKPOST_AUTH)
        ),
        "brevo": Shape("brevo", _case_payloads(by_case["brevo"]), _fixed(esp.BREVO_AUTH)),
        "mailjet": Shape("mailjet", _case_payloads(by_case["mailjet"]), _fixed(esp.MAILJET_AUTH)),
        "generic": Shape("generic", _case_payloads(by_case["generic"]), _generic),
        "kumomta": Shape("kumomta", _case_payloads(by_case["kumomta"]), _fixed(esp.KUMOMTA_AUTH)),
        "postal": Shape(
            "postal", _case_payloads(by_case["postal"]), lambda body: (body, esp.postal_sign(body))
        ),
    }


# -- mutations ----------------------------------------------------------------------------
JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "0", "-1", "5.1.1", "550", "@", "a@b", "null", "\x00", "é@ü.de"])
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _set(value: Any, path: tuple, new: Any, delete: bool = False) -> Any:
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return value


@st.composite
def mutated(draw: st.DrawFn, payload: Any) -> bytes:
    """The payload, possibly changed at one place, serialized, possibly broken as bytes."""
    value = copy.deepcopy(payload)
    path = draw(st.sampled_from(list(_paths(value))))
    op = draw(st.sampled_from(["valid", "replace", "drop", "huge", "deep", "bytes"]))
    if op == "replace":
        value = _set(value, path, draw(JSON_VALUES))
    elif op == "drop" and path:
        value = _set(value, path, None, delete=True)
    elif op == "huge":
        value = _set(
            value,
            path,
            draw(st.sampled_from(["x", "é", "@", "5"]))
            * draw(st.sampled_from([1_000, 70_000, 400_000])),
        )
    body = json.dumps(value, allow_nan=True).encode()
    if op == "deep":
        depth = draw(st.sampled_from([50, 900, 5_000, 200_000]))
        body = (
            b'{"data":' * depth + body + b"}" * depth
            if draw(st.booleans())
            else (b"[" * depth + body + b"]" * depth)
        )
    elif op == "bytes":
        kind = draw(st.sampled_from(["truncate", "garbage", "non-utf8", "empty"]))
        if kind == "truncate":
            # a share of the length, not an index: some payloads carry the current time,
            # so their length differs between runs and an index range would too
            # (hypothesis' FlakyStrategyDefinition)
            body = body[: len(body) * draw(st.integers(0, 9_999)) // 10_000]
        elif kind == "garbage":
            body = draw(st.binary(max_size=200))
        elif kind == "non-utf8":
            at = draw(st.integers(0, len(body)))
            body = (
                body[:at] + draw(st.sampled_from([b"\xff", b"\xc3(", b"\xed\xa0\x80"])) + body[at:]
            )
        else:
            body = b""
    return body


Rig = tuple[FlaskClient, redis.Redis, redis.Redis, Store, dict[str, "Shape"]]


# -- fixtures -----------------------------------------------------------------------------
@pytest.fixture
def fuzz_settings(settings: Settings) -> Settings:
    base = settings.redis_url.rsplit("/", 1)[0]
    return replace(
        esp.with_secrets(settings),
        redis_url=f"{base}/{STATE_DB}",
        broker_url=f"{base}/{QUEUE_DB}",
        sendgrid_public_key=PUBLIC,
        ses_topic_arns=TOPIC,
        sns_cert_url_pattern=LOOPBACK,
    )


@pytest.fixture
def cert_url(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/SimpleNotificationService-fuzz.pem").respond_with_data(SNS.pem)
    return httpserver.url_for("/SimpleNotificationService-fuzz.pem")


@pytest.fixture
def rig(
    fuzz_settings: Settings, cert_url: str
) -> Iterator[tuple[FlaskClient, redis.Redis, redis.Redis, Store, dict[str, Shape]]]:
    state = redis.Redis.from_url(fuzz_settings.redis_url)
    broker = redis.Redis.from_url(fuzz_settings.broker_url)
    broker.flushdb()
    store = Store.from_url(fuzz_settings.redis_url)
    yield create_app(fuzz_settings).test_client(), state, broker, store, shapes(cert_url)
    state.flushdb()
    broker.flushdb()
    for client in (state, broker, store.redis):
        client.close()


def _run_worker(broker: redis.Redis, store: Store) -> None:
    """The task exactly as the broker carries it, through the worker's parse and apply."""
    message = json.loads(broker.rpop("celery"))
    (webhooks,), _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    for provider, payload, received_at_ms, _request_id, *_guard in webhooks:
        events = providers.get(provider).parse(payload, received_at_ms)
        apply_events(events, store, Policy(), int(time.time() * 1000))


@pytest.mark.parametrize("provider", sorted(shapes("http://127.0.0.1:1/").keys()))
@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_webhook_never_fails_and_rejections_change_nothing(
    rig, provider: str, data: st.DataObject
) -> None:
    client, state, broker, store, by_name = rig
    shape = by_name[provider]
    email = data.draw(st.sampled_from(["jane@example.com", "JANE@Example.COM", "ü@bücher.de"]))
    payload = data.draw(st.sampled_from(shape.valid(email, BASE_MS)))
    body, headers = shape.credential(data.draw(mutated(payload)))
    content_type = data.draw(st.sampled_from([shape.content_type] * 12 + ["text/html", ""]))
    state.flushdb()
    queued = broker.llen("celery")
    response = client.post(
        f"/webhooks/{provider}", data=body, headers=headers, content_type=content_type
    )
    status = response.status_code
    event(f"HTTP {status}")  # coverage: --hypothesis-show-statistics shows how many got how far
    assert status < 500, (status, response.get_data()[:500])
    if status == 202:
        assert broker.llen("celery") == queued + 1
        _run_worker(broker, store)
        return
    assert broker.llen("celery") == queued
    if status >= 400:
        assert state.dbsize() == 0, (status, state.keys())


EVIDENCE_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["550", "5.1.1", "4.2.2", "5.7.1", "421", "smtp;", "#5.1.1", "5.", "9.9.9"]),
    st.builds(
        lambda a, b: a * b,
        st.sampled_from(["5.1.1 ", "user unknown ", "é", "("]),
        st.integers(1, 20_000),
    ),
)


@settings(max_examples=600)
@given(st.builds(Evidence, *[EVIDENCE_TEXT] * 6))
def test_classifier_answers_every_evidence(evidence: Evidence) -> None:
    verdict = classify(evidence)
    assert verdict.code in {step.code for step in explain(evidence)} | {9999}
    assert str(verdict.category)
