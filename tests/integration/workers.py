"""A real prefork Celery worker in its own process group, for tests that kill or starve it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.config import Settings


def start_worker(
    settings: Settings,
    runner: tuple[str, str] = ("-m", "celery"),
    pool: tuple[str, ...] = ("--concurrency", "2"),
    env_extra: dict[str, str] | None = None,
    **popen: Any,
) -> subprocess.Popen:
    """`celery -A tasks.worker worker` on `settings`' state and broker, two pool processes
    unless `pool` says otherwise (`("--pool", "solo")`); `runner` may replace `-m celery` with
    `-c <code>` that patches something first; `env_extra` adds to its environment."""
    env = {
        **os.environ,
        "REDIS_URL": settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": settings.broker_url,
        "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS": str(settings.visibility_timeout_seconds),
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
        **(env_extra or {}),
    }
    return subprocess.Popen(
        [sys.executable, *runner, "-A", "tasks.worker", "worker", *pool,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING"],
        env=env, start_new_session=True, **popen,
    )  # fmt: skip


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)


@contextmanager
def celery_process(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen]:
    """`celery -A tasks.worker <args>` with `env` over this environment, stopped on exit
    (SIGTERM, then SIGKILL after 20 s)."""
    command = [sys.executable, "-m", "celery", "-A", "tasks.worker", *args]
    process = subprocess.Popen(command, env={**os.environ, **env})
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
