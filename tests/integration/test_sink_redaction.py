"""Sink credentials never reach `last_error`, refused reasons, logs, `GET /api/v1/sync` or the
dashboard (issue #15): a real http sink with credentials in its URL, pushing to a loopback
server that fails and echoes the request back, as some senders' error pages do."""

from __future__ import annotations

import io
import json
import random
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from werkzeug import Request, Response

from app import create_app
from app.logs import configure_logging
from app.sinks import build
from app.store import Store
from app.store.sync import SyncStore
from app.sync import sync_sink

PASSWORD, QUERY_TOKEN, SECRET = "pa55-w0rd-xyz", "tok-9f8e7d6c", "hmac-s3cret-value"
READ = {"Authorization": "Bearer admin-token"}


def echo(request: Request, status: int) -> Response:
    """An error page quoting what it was sent: URL (query included) and Authorization."""
    quoted = {"url": request.url, "authorization": request.headers.get("Authorization", "")}
    return Response(json.dumps(quoted), status)


@pytest.fixture
def options(httpserver) -> dict[str, str]:
    parts = urlsplit(httpserver.url_for("/hook"))
    url = f"http://ops:{PASSWORD}@{parts.netloc}/hook?token={QUERY_TOKEN}"
    return {"type": "http", "url": url, "secret": SECRET, "batch_size": "10"}


@pytest.fixture
def sync(settings, state) -> SyncStore:
    store = Store.from_url(settings.redis_url)
    store.suppress({"email": "a@example.com", "source": "hard"}, "t", "t", 1)
    return SyncStore(store)


def leaked(text: str) -> list[str]:
    return [s for s in (PASSWORD, QUERY_TOKEN, SECRET) if s in text]


def run(sync: SyncStore, options: dict[str, str]):
    sink = build("crm", options)
    return sync_sink(sync, sink, lease_ms=60_000, backoff_cap_s=1.0, rng=random.Random(1))


@pytest.mark.parametrize("status", [500, 401])
def test_a_failed_push_records_and_logs_no_credential(httpserver, options, sync, settings, status):
    httpserver.expect_request("/hook").respond_with_handler(lambda r: echo(r, status))
    stream = io.StringIO()
    configure_logging("INFO", stream)
    result = run(sync, options)
    assert result.status == "failed"
    error = sync.state("crm").last_error
    assert "HTTP" in error
    assert "***" in error
    assert leaked(error) == []
    assert leaked(result.error) == []
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    ours = [line for line in lines if line["logger"].startswith("bouncekeeper")]
    [failed] = [line for line in ours if line["event"] == "sink failed"]
    assert (failed["sink"], failed["failures_in_a_row"]) == ("crm", 1)
    assert failed["error"] == result.error
    assert leaked(json.dumps(ours)) == []  # (the loopback server's own access log has it all)
    app = create_app(replace(settings, sinks="crm", sink_options={"crm": options}))
    shown = app.test_client().get("/api/v1/sync", headers=READ)
    assert shown.get_json()["sinks"]["crm"]["last_error"].startswith("SinkError: POST http://")
    page = app.test_client().get("/dashboard", headers=READ).get_data(as_text=True)
    assert leaked(shown.get_data(as_text=True)) == leaked(page) == []


def test_a_refused_address_records_no_credential(httpserver, options, sync):
    def refuse(request: Request) -> Response:
        reason = f"rejected; you sent {request.url}"
        return Response(json.dumps({"rejected": [{"email": "a@example.com", "reason": reason}]}))

    httpserver.expect_request("/hook").respond_with_handler(refuse)
    assert run(sync, options).status == "caught_up"
    [detail] = sync.failed_entries("crm").values()
    assert "token=***" in detail["reason"]
    assert leaked(detail["reason"]) == []


def test_an_error_recorded_before_redaction_is_masked_when_shown(options, sync, settings):
    sync.redis.hset(sync.state_key("crm"), "last_error", f"HTTP 500 {options['url']} {SECRET}")
    app = create_app(replace(settings, sinks="crm", sink_options={"crm": options}))
    shown = app.test_client().get("/api/v1/sync", headers=READ).get_data(as_text=True)
    page = app.test_client().get("/dashboard", headers=READ).get_data(as_text=True)
    assert "HTTP 500" in shown
    assert leaked(shown) == leaked(page) == []
