"""A Celery worker and beat each serve their own `/metrics` on BOUNCEKEEPER_METRICS_PORT: how
docker-compose's worker, sync and beat are scraped, with nothing shared between containers."""

from __future__ import annotations

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from app.queue import HEARTBEAT_TASK, make_celery
from tests.conftest import free_port
from tests.helpers import wait_for
from tests.integration.workers import celery_process


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float] | None:
    """The samples served on `port`, or None while nothing listens there yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return None
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def env_for(settings, port: int, metrics_dir) -> dict[str, str]:
    return {
        "REDIS_URL": settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": settings.broker_url,
        "BOUNCEKEEPER_METRICS_PORT": str(port),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),  # this process group's own
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
    }


def test_a_worker_serves_its_pool_processes_metrics(settings, state, private_redis, tmp_path):
    """The task runs in a pool process; the worker's main process serves what it counted."""
    broker = f"{private_redis}/0"  # a broker of its own: the session's worker takes the other
    ours = settings.__class__(redis_url=settings.redis_url, broker_url=broker)
    port = free_port()
    ran = ("bouncekeeper_task_seconds_count", (("outcome", "ok"), ("task", HEARTBEAT_TASK)))
    env = env_for(ours, port, tmp_path)
    args = ("worker", "--concurrency", "2", "--without-gossip", "--without-mingle",
            "--loglevel", "WARNING")  # fmt: skip
    with celery_process(env, *args):
        wait_for(lambda: scrape(port) is not None, timeout=60, interval=0.2)  # listening
        make_celery(ours).send_task(HEARTBEAT_TASK)
        wait_for(lambda: (scrape(port) or {}).get(ran), timeout=60, interval=0.2)


def test_beat_serves_its_metrics(settings, state, private_redis, tmp_path):
    """Beat counts nothing of its own yet: its endpoint answers, with an empty exposition."""
    ours = settings.__class__(redis_url=settings.redis_url, broker_url=f"{private_redis}/0")
    port = free_port()
    with celery_process(env_for(ours, port, tmp_path), "beat", "--loglevel", "WARNING"):
        wait_for(lambda: scrape(port) is not None, timeout=60, interval=0.2)
        samples = scrape(port)
    assert [name for name, _ in samples if name.startswith("bouncekeeper_")] == []
