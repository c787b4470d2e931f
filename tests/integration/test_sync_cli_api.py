"""`bouncekeeper sync [--full]` and `GET /api/v1/sync` against a real Redis and a real
loopback receiver: a full push repairs a sink after the change log was trimmed, and the
changes made afterwards follow incrementally."""

from __future__ import annotations

import json

import pytest
import redis
from click.testing import CliRunner

from app import create_app
from app.cli import main
from app.config import Settings
from app.store import Store
from app.store.sync import SyncStore
from tests.conftest import free_port
from tests.integration.receiver import Receiver

SYNC_DB = 6
SECRET = "cli-secret"


@pytest.fixture
def receiver():
    sink = Receiver(free_port(), SECRET)
    sink.server.start()
    yield sink
    sink.server.stop()
    sink.server.check_assertions()


@pytest.fixture
def env(redis_server, receiver, monkeypatch) -> dict[str, str]:
    redis.Redis.from_url(f"{redis_server}/{SYNC_DB}").flushdb()
    values = {
        "REDIS_URL": f"{redis_server}/{SYNC_DB}",
        "BOUNCEKEEPER_API_TOKEN": "admin-token",
        "BOUNCEKEEPER_SINKS": "crm",
        "BOUNCEKEEPER_SINK_CRM_TYPE": "http",
        "BOUNCEKEEPER_SINK_CRM_URL": receiver.url,
        "BOUNCEKEEPER_SINK_CRM_SECRET": SECRET,
        "BOUNCEKEEPER_SINK_CRM_BATCH_SIZE": "7",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def suppress(store: Store, email: str) -> None:
    record = {"email": email, "code": "2001", "category": "permanent", "source": "manual"}
    assert store.suppress(record, "test", "setup", now_ms=1_772_442_000_000) == "suppressed"


def sync_status(env) -> dict:
    client = create_app(Settings.from_env()).test_client()
    response = client.get("/api/v1/sync", headers={"Authorization": "Bearer admin-token"})
    assert response.status_code == 200
    return response.get_json()["sinks"]["crm"]


def test_full_push_after_trimming_then_incremental(env, receiver):
    store = Store.from_url(env["REDIS_URL"])
    emails = [f"u{n}@example.com" for n in range(20)]
    for email in emails:
        suppress(store, email)
    assert store.unsuppress(emails[0], "test", "lifted", 1_772_442_100_000, 14, True) == "removed"
    status = sync_status(env)
    assert (status["cursor"], status["lag_entries"], status["failed_entries"]) == ("0-0", 21, 0)
    assert status["lag_seconds"] > 0
    store.redis.xtrim(store.change_log_key, maxlen=0)  # as if the log had been trimmed

    runner = CliRunner()
    result = runner.invoke(main, ["sync", "crm", "--full"])
    assert result.exit_code == 0, result.output
    assert "crm: caught_up, 19 pushed in 3 batches" in result.output
    assert receiver.suppressed == set(emails[1:])
    assert SyncStore(store).state("crm").cursor == "0-0"  # the log was empty: nothing to skip

    suppress(store, "late@example.com")
    assert store.unsuppress(emails[5], "test", "lifted", 1_772_442_200_000, 14, True) == "removed"
    assert sync_status(env)["lag_entries"] == 2
    result = runner.invoke(main, ["sync", "crm"])
    assert result.exit_code == 0, result.output
    assert receiver.suppressed == (set(emails[1:]) - {emails[5]}) | {"late@example.com"}
    status = sync_status(env)
    assert (status["lag_entries"], status["lag_seconds"], status["accepted"]) == (0, 0.0, 21)
    assert status["last_success"] is not None


def test_full_push_moves_the_cursor_past_what_the_list_already_holds(env, receiver):
    store = Store.from_url(env["REDIS_URL"])
    for n in range(5):
        suppress(store, f"u{n}@example.com")
    assert CliRunner().invoke(main, ["sync", "crm", "--full"]).exit_code == 0
    sync = SyncStore(store)
    assert sync.state("crm").cursor == sync.last_change_id()
    assert len(receiver.batches) == 1  # nothing pushed twice by the next run
    assert CliRunner().invoke(main, ["sync", "crm"]).exit_code == 0
    assert len(receiver.batches) == 1


def test_a_failing_sink_is_reported(env, receiver):
    receiver.faults.append("500")
    store = Store.from_url(env["REDIS_URL"])
    suppress(store, "a@example.com")
    result = CliRunner().invoke(main, ["sync", "crm"])
    assert result.exit_code == 1
    assert "HTTP 500" in result.output
    status = sync_status(env)
    assert status["failures_in_a_row"] == 1
    assert "HTTP 500" in status["last_error"]
    assert status["retry_at"] is not None
    assert CliRunner().invoke(main, ["sync", "nope"]).exit_code == 2


def test_sync_status_shows_each_sink_as_the_api_does(env, receiver):
    receiver.faults.append("500")
    suppress(Store.from_url(env["REDIS_URL"]), "a@example.com")
    assert CliRunner().invoke(main, ["sync", "crm"]).exit_code == 1

    shown = CliRunner().invoke(main, ["sync", "status", "--json"])
    assert shown.exit_code == 0, shown.output
    ours = json.loads(shown.stdout)["sinks"]["crm"]
    api = sync_status(env)
    assert {**ours, "lag_seconds": 0} == {**api, "lag_seconds": 0}  # seconds move on
    assert (ours["lag_entries"], ours["failures_in_a_row"]) == (1, 1)

    text = CliRunner().invoke(main, ["sync", "status"])
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith("crm: 1 changes behind (")
    assert "FAILING (1 in a row)" in lines[0]
    assert "  last success  never" in lines
    assert any(line.startswith("  error         ") and "HTTP 500" in line for line in lines)
    assert CliRunner().invoke(main, ["sync", "status", "--full"]).exit_code == 2
    again = CliRunner().invoke(main, ["sync", "crm", "--json"])  # within its backoff
    assert again.exit_code == 1, again.output
    assert json.loads(again.stdout) == {"sink": "crm", "status": "waiting", "pushed": 0,
                                        "batches": 0, "error": None, "retry_in": None,
                                        "failed_entries": 0}  # fmt: skip


def test_diff_reports_drift_both_ways_and_changes_nothing(env, httpserver, monkeypatch):
    monkeypatch.setenv("BOUNCEKEEPER_SINKS", "crm,pm")
    monkeypatch.setenv("BOUNCEKEEPER_SINK_PM_TYPE", "postmark")
    monkeypatch.setenv("BOUNCEKEEPER_SINK_PM_SERVER_TOKEN", "pm-token")
    monkeypatch.setenv("BOUNCEKEEPER_SINK_PM_BASE_URL", httpserver.url_for(""))
    httpserver.expect_request("/message-streams/outbound/suppressions/dump").respond_with_json(
        {"Suppressions": [{"EmailAddress": "u1@example.com"}, {"EmailAddress": "x@example.com"}]}
    )
    store = Store.from_url(env["REDIS_URL"])
    for n in range(3):
        suppress(store, f"u{n}@example.com")

    result = CliRunner().invoke(main, ["sync", "pm", "--diff"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "pm: 2 suppressed here only, 1 at the sink only",
        "here only: u0@example.com, u2@example.com",
        "sink only: x@example.com",
    ]
    as_json = CliRunner().invoke(main, ["sync", "pm", "--diff", "--json"])
    ours, theirs = ["u0@example.com", "u2@example.com"], ["x@example.com"]
    assert json.loads(as_json.stdout) == {"sink": "pm", "only_ours": ours, "only_theirs": theirs}
    assert SyncStore(store).state("pm").cursor == "0-0"
    result = CliRunner().invoke(main, ["sync", "crm", "--diff"])
    assert result.exit_code == 1
    assert "cannot list its suppressions" in result.output
