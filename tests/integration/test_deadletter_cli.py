"""`bouncekeeper deadletter list | replay` with a real worker: every kind of entry can be
replayed, an entry leaves the list only once its task is queued, and the metric follows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import tasks.ingest
from app.cli import main
from app.queue import INGEST_BATCH_TASK, INGEST_TASK
from tests.conftest import free_port
from tests.helpers import BASE_MS, suppression, wait_for, zepto_bounce
from tests.integration.test_metrics import scrape, value

pytestmark = pytest.mark.usefixtures("worker")

HOOK = {"Authorization": "Bearer zepto-secret"}


@pytest.fixture
def run(settings):
    def invoke(*args: str, broker_url: str = settings.broker_url):
        env = {"REDIS_URL": settings.redis_url, "BOUNCEKEEPER_BROKER_URL": broker_url}
        return CliRunner().invoke(main, list(args), env=env)

    return invoke


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """While its one flag is set, applying fails as a bug would (the session worker runs in
    this process): every webhook is dead-lettered. Clearing it is the fix being deployed."""
    flag = [True]
    apply_events = tasks.ingest.apply_events

    def maybe_failing(*args, **kwargs):
        if flag[0]:
            raise RuntimeError("a bug, fixed later")
        return apply_events(*args, **kwargs)

    monkeypatch.setattr(tasks.ingest, "apply_events", maybe_failing)
    return flag


def dead(state) -> list[dict]:
    return [json.loads(entry) for entry in state.lrange("bk:deadletter", 0, -1)]


def test_every_entry_is_listed_and_replayed_and_leaves_the_list_once_queued(
    celery_app, client, state, broken, run
):
    signed = ["sig-1", 600, "request-1"]
    celery_app.send_task(INGEST_TASK, args=["zeptomail", zepto_bounce("a@example.com", BASE_MS),
                                            BASE_MS, signed])  # fmt: skip
    celery_app.send_task(
        INGEST_BATCH_TASK,
        args=[[["zeptomail", zepto_bounce("b@example.com", BASE_MS), BASE_MS, "req-b"]]],
    )
    wait_for(lambda: len(dead(state)) == 2)
    celery_app.send_task(INGEST_BATCH_TASK, args=["not a list of webhooks"])
    wait_for(lambda: len(dead(state)) == 3)
    newest, batched, lone = dead(state)
    assert (lone["received_at_ms"], lone["guard"]) == (BASE_MS, signed)
    assert (batched["received_at_ms"], batched["request_id"]) == (BASE_MS, "req-b")
    assert (newest["task"], newest["payload"]) == (INGEST_BATCH_TASK, ["not a list of webhooks"])
    assert value(scrape(client), "bouncekeeper_dead_letters") == 3

    listed = run("deadletter", "list")
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("RuntimeError") == 2
    assert "3 entries" in listed.output
    as_json = [json.loads(line) for line in run("deadletter", "list", "--json").output.splitlines()]
    assert [entry["index"] for entry in as_json] == [0, 1, 2]
    assert as_json[2]["payload"] == lone["payload"]

    broken[0] = False  # the fix is deployed
    one = run("deadletter", "replay", "2", "--json")
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout) == {
        "index": 2,
        "provider": "zeptomail",
        "task": INGEST_TASK,
        "replayed_twice": False,
    }
    assert wait_for(lambda: suppression(client, "a@example.com"))["code"] == 2002
    assert len(dead(state)) == 2
    assert value(scrape(client), "bouncekeeper_dead_letters") == 2

    every = run("deadletter", "replay", "--all")
    assert every.exit_code == 0, every.output
    assert "2 replayed" in every.output
    assert wait_for(lambda: suppression(client, "b@example.com"))["code"] == 2002
    # The malformed message is replayed as it was sent, and dead-lettered again as it was.
    [again] = wait_for(lambda: dead(state))
    assert again["task"] == INGEST_BATCH_TASK


def test_nothing_leaves_the_list_when_the_broker_refuses_or_the_index_is_wrong(
    celery_app, state, broken, run
):
    celery_app.send_task(INGEST_TASK, args=["zeptomail", zepto_bounce("c@example.com", BASE_MS),
                                            BASE_MS])  # fmt: skip
    wait_for(lambda: len(dead(state)) == 1)
    before = state.lrange("bk:deadletter", 0, -1)
    down = run("deadletter", "replay", "--all", broker_url=f"redis://127.0.0.1:{free_port()}/1")
    assert down.exit_code == 1
    assert "0 replayed, 1 left on the list" in down.output
    wrong = run("deadletter", "replay", "1")
    assert (wrong.exit_code, "no entry at index 1" in wrong.output) == (1, True)
    assert run("deadletter", "replay").exit_code == 2
    assert state.lrange("bk:deadletter", 0, -1) == before
