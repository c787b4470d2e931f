"""The http sink on the wire, against a real loopback server: method, path, headers,
signature and body exactly as docs/SYNC.md promises receivers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from app.changes import Batch, Change
from app.sinks import SinkError, build

ADD = Change("1700000000000-0", "add", "a@x.io", 2001, "permanent", "hard", 1_700_000_000_000)
REMOVE = Change("1700000000001-0", "remove", "b@x.io", None, "", "manual", 1_700_000_000_001)


@pytest.fixture
def sink(httpserver: HTTPServer):
    url = httpserver.url_for("/hooks/suppressions")
    return build("crm", {"type": "http", "url": url, "secret": "s3cret", "timeout": "2"})


def test_posts_a_signed_batch(httpserver, sink):
    httpserver.expect_oneshot_request("/hooks/suppressions", method="POST").respond_with_json(
        {"rejected": [{"email": "b@x.io", "reason": "unknown address"}]}
    )
    before = int(time.time())
    assert sink.push(Batch(add=[ADD], remove=[REMOVE])) == {"b@x.io": "unknown address"}
    request, _ = httpserver.log[0]
    body = request.get_data()
    assert json.loads(body) == {
        "add": [{"id": ADD.id, "email": "a@x.io", "code": 2001, "category": "permanent",
                 "source": "hard", "at": 1_700_000_000_000}],
        "remove": [{"id": REMOVE.id, "email": "b@x.io", "code": None, "category": "",
                    "source": "manual", "at": 1_700_000_000_001}],
    }  # fmt: skip
    assert request.headers["Content-Type"] == "application/json"
    stamp = request.headers["X-Bouncekeeper-Timestamp"]
    assert before <= int(stamp) <= int(time.time())
    mac = hmac.new(b"s3cret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert request.headers["X-Bouncekeeper-Signature"] == f"sha256={mac}"


def test_an_empty_2xx_accepts_everything(httpserver, sink):
    httpserver.expect_oneshot_request("/hooks/suppressions").respond_with_data("", status=204)
    assert sink.push(Batch(add=[ADD], remove=[])) == {}


@pytest.mark.parametrize(
    ("status", "headers", "retry_after"),
    [(500, {}, None), (503, {"Retry-After": "12"}, 12.0), (429, {"Retry-After": "3"}, 3.0)],
)
def test_overload_and_server_errors_fail_the_batch(httpserver, sink, status, headers, retry_after):
    httpserver.expect_oneshot_request("/hooks/suppressions").respond_with_response(
        Response("no", status=status, headers=headers)
    )
    with pytest.raises(SinkError, match=f"HTTP {status}") as failure:
        sink.push(Batch(add=[ADD], remove=[]))
    assert failure.value.retry_after == retry_after


def test_a_refusal_of_the_whole_request_fails_the_batch(httpserver, sink):
    httpserver.expect_oneshot_request("/hooks/suppressions").respond_with_data("bad sig", 401)
    with pytest.raises(SinkError, match="HTTP 401"):
        sink.push(Batch(add=[ADD], remove=[]))
