"""Bodies sent chunked (no Content-Length) over their limit are refused whole with 413 before
anything is applied (issue #15): werkzeug cut them at the limit, so a webhook answered 400 or
202 for a truncated body, and an import answered 413 after its first rows were imported."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.helpers import ADMIN, sample_payload


@pytest.fixture
def served(settings, state) -> Iterator[callable]:
    """A real HTTP server (werkzeug's, which decodes chunked bodies as gunicorn does) for an app
    with small limits; returns a function posting a chunked body."""
    small = replace(settings, max_body_bytes=2048, max_import_bytes=4096)
    server = make_server("127.0.0.1", 0, create_app(small), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        chunks = (body[i : i + 500] for i in range(0, len(body), 500))
        connection.request("POST", path, chunks, headers, encode_chunked=True)
        response = connection.getresponse()
        answer = (response.status, json.loads(response.read() or b"{}"))
        connection.close()
        return answer

    yield post
    server.shutdown()


def test_a_chunked_webhook_over_the_limit_is_413(served, state):
    payload = sample_payload()
    payload["data"] = payload["data"] * 8  # about 6 KB, three times the limit
    headers = {"Content-Type": "application/json", "Authorization": "Bearer zepto-secret"}
    status, answer = served("/webhooks/zeptomail", json.dumps(payload).encode(), headers)
    assert status == 413, answer
    assert "BOUNCEKEEPER_MAX_BODY_BYTES" in answer["error"]["message"]
    assert state.dbsize() == 0


def test_a_chunked_webhook_within_the_limit_is_accepted(served):
    headers = {"Content-Type": "application/json", "Authorization": "Bearer zepto-secret"}
    status, answer = served("/webhooks/zeptomail", json.dumps(sample_payload()).encode(), headers)
    assert (status, answer) == (202, {"accepted": 1})


def test_a_chunked_import_over_the_limit_imports_nothing(served, state):
    body = b"email\n" + b"".join(b"row%d@example.com\n" % i for i in range(3000))  # ~60 KB
    headers = {**ADMIN, "Content-Type": "text/csv"}
    status, answer = served("/api/v1/suppressions/import", body, headers)
    assert status == 413, answer
    assert "BOUNCEKEEPER_MAX_IMPORT_BYTES" in answer["error"]["message"]
    assert state.keys("bk:suppression*") == []


def test_a_chunked_import_within_the_limit_is_imported(served):
    body = b"email\n" + b"".join(b"r%d@example.com\n" % i for i in range(100))  # ~1.6 KB
    status, answer = served(
        "/api/v1/suppressions/import", body, {**ADMIN, "Content-Type": "text/csv"}
    )
    assert (status, answer["accepted"]) == (200, 100)
