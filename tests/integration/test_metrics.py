"""`/metrics`: counters moved by a real worker, and state, lag and queues read at scrape."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from tests.conftest import free_port
from tests.helpers import BASE_MS, wait_for, zepto_bounce
from tests.seed import seed

HOOK = {"Authorization": "Bearer zepto-secret"}


def scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: dict, name: str) -> float:
    """The sum over every label set of `name`."""
    return sum(v for (sample, _), v in samples.items() if sample == name)


@pytest.mark.usefixtures("worker")
def test_a_processed_webhook_moves_the_counters(client):
    watched = [
        ("bouncekeeper_webhooks_total", {"provider": "zeptomail", "status": "202"}),
        ("bouncekeeper_events_total", {"code": "2002", "category": "permanent"}),
        ("bouncekeeper_event_outcomes_total", {"outcome": "suppressed"}),
        ("bouncekeeper_suppressions_total", {"source": "hard"}),
        ("bouncekeeper_task_seconds_count", {"task": "bouncekeeper.ingest_batch", "outcome": "ok"}),
    ]
    before = scrape(client)
    payload = zepto_bounce("metrics@example.com", BASE_MS)
    assert client.post("/webhooks/zeptomail", json=payload, headers=HOOK).status_code == 202

    def moved() -> bool:
        after = scrape(client)
        return all(value(after, n, **kv) == value(before, n, **kv) + 1 for n, kv in watched)

    wait_for(moved)


def test_rejected_webhooks_are_counted_by_status(client):
    before = scrape(client)
    client.post("/webhooks/zeptomail", json={}, headers={"Authorization": "Bearer wrong"})
    client.post("/webhooks/no-such-esp", json={}, headers=HOOK)
    after = scrape(client)
    for provider, status in (("zeptomail", "401"), ("unknown", "404")):
        labels = {"provider": provider, "status": status}
        assert value(after, "bouncekeeper_webhooks_total", **labels) == (
            value(before, "bouncekeeper_webhooks_total", **labels) + 1
        )


def test_state_gauges_are_read_from_redis(client, app):
    before = scrape(client)
    seeded = seed(app.extensions["store"])
    samples = scrape(client)
    assert value(samples, "bouncekeeper_state_up") == 1
    assert value(samples, "bouncekeeper_suppressed") == len(seeded.hard)
    assert value(samples, "bouncekeeper_dead_letters") == 0
    # a counter of raised alerts (the seed raises one), not the length of the capped stream
    assert total(samples, "bouncekeeper_alerts_total") == (
        total(before, "bouncekeeper_alerts_total") + 1
    )
    assert value(samples, "bouncekeeper_alerts_total", code="1002") >= 1  # a blocklist


def test_heartbeat_age_is_served_once_there_is_one(client, app, state):
    assert ("bouncekeeper_heartbeat_age_seconds", ()) not in scrape(client)
    store = app.extensions["store"]
    seconds, micros = state.time()
    written_ms = seconds * 1000 + micros // 1000 - 90_000  # by Redis's clock, 90 s ago
    state.mset({store.heartbeat_key: written_ms, store.heartbeat_server_key: written_ms})
    age = value(scrape(client), "bouncekeeper_heartbeat_age_seconds")
    assert 90 <= age < 3600


def test_sync_lag_per_sink_in_entries_and_seconds(settings, state):
    app = create_app(replace(settings, sinks="crm,esp"))
    store = app.extensions["store"]
    for n in range(3):
        record = {"email": f"lag{n}@example.com", "code": "2002", "category": "permanent",
                  "source": "manual", "diagnostic": ""}  # fmt: skip
        store.suppress(record, "test", "lag", int(time.time() * 1000) - 60_000)
    samples = scrape(app.test_client())
    for sink in ("crm", "esp"):
        assert value(samples, "bouncekeeper_sync_lag_entries", sink=sink) == 3
        assert value(samples, "bouncekeeper_sync_lag_seconds", sink=sink) >= 0
    caught_up = store.redis.xrevrange(store.change_log_key, count=1)[0][0]
    state.hset("bk:sync:crm", "cursor", caught_up)
    samples = scrape(app.test_client())
    assert value(samples, "bouncekeeper_sync_lag_entries", sink="crm") == 0
    assert value(samples, "bouncekeeper_sync_lag_seconds", sink="crm") == 0
    assert value(samples, "bouncekeeper_sync_lag_entries", sink="esp") == 3


def test_queue_depth_per_queue_is_read_from_the_broker(settings, state, private_redis):
    """A broker of this test alone: the session's worker consumes the shared one."""
    app = create_app(replace(settings, broker_url=f"{private_redis}/0"))
    broker = redis.Redis.from_url(f"{private_redis}/0")
    broker.lpush("celery", "a", "b", "c")
    broker.lpush("sync", "d")
    samples = scrape(app.test_client())
    assert value(samples, "bouncekeeper_broker_up") == 1
    assert value(samples, "bouncekeeper_queue_depth", queue="celery") == 3
    assert value(samples, "bouncekeeper_queue_depth", queue="sync") == 1


def test_queue_depth_reports_a_broker_that_is_down(settings, state):
    down = replace(settings, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    samples = scrape(create_app(down).test_client())
    assert value(samples, "bouncekeeper_broker_up") == 0
    assert value(samples, "bouncekeeper_state_up") == 1


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian: prometheus) absent")
def test_promtool_finds_nothing_to_lint(settings, state, app, client):
    """Every family, state gauges and lag included, passes Prometheus's own linter."""
    store = app.extensions["store"]
    seed(store)
    store.record_heartbeat(int(time.time() * 1000))
    client.post("/webhooks/zeptomail", json={}, headers={"Authorization": "Bearer wrong"})
    body = create_app(replace(settings, sinks="crm")).test_client().get("/metrics").data
    assert b"bouncekeeper_sync_lag_entries{" in body
    assert b"bouncekeeper_heartbeat_age_seconds " in body
    checked = subprocess.run(
        ["promtool", "check", "metrics"], input=body, capture_output=True, check=False
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, b"")


def test_metrics_answer_when_redis_is_down(settings, state):
    down = replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    samples = scrape(create_app(down).test_client())
    assert value(samples, "bouncekeeper_state_up") == 0


def test_a_metrics_file_still_being_created_does_not_fail_the_scrape(client):
    """prometheus-client creates a process's file empty and sizes it next: a scrape in between
    (or after that process was killed) must still answer, with everyone else's values."""
    from tests.conftest import METRICS_DIR

    client.post("/webhooks/no-such-esp", json={}, headers=HOOK)
    empty = Path(METRICS_DIR) / "counter_999999.db"
    empty.touch()
    try:
        response = client.get("/metrics")
        assert response.status_code == 200
        assert "bouncekeeper_webhooks_total" in response.get_data(as_text=True)
    finally:
        empty.unlink()
