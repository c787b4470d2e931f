"""Logs are JSON lines carrying request and task ids, and never the secrets."""

from __future__ import annotations

import io
import json

import pytest

from app.logs import configure_logging
from tests.helpers import BASE_MS, wait_for, zepto_bounce

SECRET, TOKEN = "zepto-secret", "admin-token"


@pytest.fixture
def lines(app):
    """Everything logged during the test, as parsed JSON objects (any other line fails)."""
    stream = io.StringIO()
    configure_logging("INFO", stream)

    def parsed() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield parsed
    assert SECRET not in stream.getvalue()
    assert TOKEN not in stream.getvalue()


@pytest.mark.usefixtures("worker")
def test_webhook_and_its_task_log_the_callers_request_id(client, lines):
    headers = {"Authorization": f"Bearer {SECRET}", "X-Request-ID": "req-7f3a"}
    payload = zepto_bounce("logged@example.com", BASE_MS)
    response = client.post("/webhooks/zeptomail", json=payload, headers=headers)
    assert response.headers["X-Request-ID"] == "req-7f3a"
    [access] = [line for line in lines() if line["event"] == "request"]
    assert access["request_id"] == "req-7f3a"
    assert (access["method"], access["path"], access["status"]) == (
        "POST",
        "/webhooks/zeptomail",
        202,
    )
    assert access["level"] == "info"
    assert access["logger"] == "bouncekeeper.web.access"

    def task_line() -> list[dict]:
        return [line for line in lines() if line["logger"] == "bouncekeeper.tasks.ingest"]

    [applied] = wait_for(task_line)  # a one-event webhook is applied in a batch
    assert applied["event"] == "events applied"
    assert (applied["events"], applied["webhooks"], applied["messages"]) == (1, 1, 1)
    assert sum(applied["outcomes"].values()) == 1
    assert applied["request_ids"] == ["req-7f3a"]
    assert applied["task"] == "bouncekeeper.ingest_batch"
    assert len(applied["task_ids"]) == 1
    assert all("logged@example.com" not in json.dumps(line) for line in lines())


@pytest.mark.parametrize("given", [None, "", "has space", "x" * 129, "<script>"])
def test_a_request_id_is_made_when_none_usable_is_given(client, lines, given):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if given is not None:
        headers["X-Request-ID"] = given
    response = client.get("/api/v1/alerts", headers=headers)
    made = response.headers["X-Request-ID"]
    assert made != given
    assert len(made) == 32
    assert [line["request_id"] for line in lines() if line["event"] == "request"] == [made]


def test_a_refused_request_is_logged_with_its_id_and_without_the_token(client, lines):
    response = client.get("/api/v1/alerts", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert response.status_code == 401
    [access] = [line for line in lines() if line["event"] == "request"]
    assert (access["status"], access["request_id"]) == (401, response.headers["X-Request-ID"])


def test_a_rejected_webhook_carries_its_data_as_fields(client, lines):
    client.post("/webhooks/zeptomail", json={}, headers={"Authorization": "Bearer wrong"})
    [rejected] = [line for line in lines() if line["event"] == "webhook rejected"]
    assert (rejected["provider"], rejected["status"], rejected["level"]) == (
        "zeptomail",
        401,
        "warning",
    )
    assert "zeptomail" not in rejected["reason"]  # the data is in fields, not in the sentences


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/api/v1/events", {"Authorization": f"Bearer {TOKEN}"}, 400),
        ("GET", "/api/v1/alerts", {"Authorization": f"Bearer {TOKEN}x"}, 401),
        ("DELETE", "/api/v1/suppressions/a@example.com", {"Authorization": f"Bearer {TOKEN}"}, 400),
    ],
)
def test_an_admin_api_refusal_is_logged_with_its_reason(
    client, lines, method, path, headers, status
):
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == status
    [refused] = [line for line in lines() if line["event"] == "api request refused"]
    assert (refused["method"], refused["path"], refused["status"]) == (method, path, status)
    assert refused["reason"] == response.get_json()["error"]["message"]
    assert refused["request_id"] == response.headers["X-Request-ID"]
    assert refused["level"] == "warning"
