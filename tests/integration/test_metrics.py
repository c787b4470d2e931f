"""`/metrics`: counters moved by a real worker, gauges any process sets, state read at scrape."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
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


def test_sync_lag_set_in_another_process_is_served(client):
    code = "from app import metrics; metrics.observe_sync('http-test', 42.5)"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert value(scrape(client), "bouncekeeper_sync_lag_seconds", sink="http-test") == 42.5


def test_state_gauges_are_read_from_redis(client, app):
    seeded = seed(app.extensions["store"])
    samples = scrape(client)
    assert value(samples, "bouncekeeper_state_up") == 1
    assert value(samples, "bouncekeeper_suppressed") == len(seeded.hard)
    assert value(samples, "bouncekeeper_alerts") == 1
    assert value(samples, "bouncekeeper_dead_letters") == 0


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
