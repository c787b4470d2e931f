"""The ingest tasks on a real worker: a message of several webhooks with poison among them,
the one-webhook task, and concurrent requests sharing messages."""

from __future__ import annotations

import json
import threading

import pytest

from app.queue import INGEST_BATCH_TASK, INGEST_TASK
from tests.helpers import BASE_MS, suppression, wait_for, zepto_bounce

pytestmark = pytest.mark.usefixtures("worker")

HOOK = {"Authorization": "Bearer zepto-secret"}


def hard(email: str) -> dict:
    return zepto_bounce(email, BASE_MS)


def test_poison_in_a_message_of_several_webhooks_is_dead_lettered_alone(celery_app, client, state):
    poison = {"data": [{"contact_email": "x@example.com", "action_time": "not a time"}]}
    celery_app.send_task(
        INGEST_BATCH_TASK,
        args=[
            [
                ["zeptomail", hard("first@example.com"), BASE_MS, "req-1"],
                ["zeptomail", poison, BASE_MS, "req-2"],
                ["nosuchesp", hard("lost@example.com"), BASE_MS, "req-3"],
                ["zeptomail", hard("last@example.com"), BASE_MS, "req-4"],
            ]
        ],
    )
    assert wait_for(lambda: suppression(client, "last@example.com"))["code"] == 2002
    assert suppression(client, "first@example.com")["code"] == 2002
    dead = wait_for(
        lambda: state.llen("bk:deadletter") == 2 and state.lrange("bk:deadletter", 0, -1)
    )
    assert sorted(json.loads(entry)["provider"] for entry in dead) == ["nosuchesp", "zeptomail"]
    assert suppression(client, "lost@example.com") is None


def test_the_one_webhook_task_applies(celery_app, client):
    celery_app.send_task(INGEST_TASK, args=["zeptomail", hard("old@example.com"), BASE_MS])
    assert wait_for(lambda: suppression(client, "old@example.com"))["code"] == 2002


def test_concurrent_webhooks_all_arrive_whatever_tasks_they_shared(app, client):
    emails = [f"user{n}@example.com" for n in range(48)]
    answers: list[int] = []

    def post(chunk: list[str]) -> None:
        own = app.test_client()
        for email in chunk:
            answers.append(
                own.post("/webhooks/zeptomail", json=hard(email), headers=HOOK).status_code
            )

    threads = [threading.Thread(target=post, args=(emails[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == [202] * len(emails)
    wait_for(lambda: all(suppression(client, email) for email in emails), timeout=30)


def test_a_dead_letter_push_that_fails_leaves_its_message_unacked(
    celery_app, state, broker, caplog
):
    state.set("bk:deadletter", "not a list")  # every LPUSH onto it fails (WRONGTYPE) for now
    celery_app.send_task(INGEST_TASK, args=["no-such-esp", hard("p@example.com"), BASE_MS])
    wait_for(lambda: caplog.text.count("NOT dead-lettered, the push failed") >= 2)  # tried again
    assert broker.llen("celery") + broker.hlen("unacked") == 1  # not acked: not lost
    events = [r.msg["event"] if isinstance(r.msg, dict) else r.msg for r in caplog.records]
    assert "NOT dead-lettered, the push failed" in events
    assert "dead-lettered" not in events
    state.delete("bk:deadletter")
    [entry] = wait_for(lambda: state.lrange("bk:deadletter", 0, -1))
    assert json.loads(entry)["provider"] == "no-such-esp"
    wait_for(lambda: broker.llen("celery") + broker.hlen("unacked") == 0)
