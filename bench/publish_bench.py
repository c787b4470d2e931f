"""The web's publish of a 1-event webhook, three ways in the same run: CPU per call in one thread.

- `send_task`: Celery's `send_task(..., retry=True)`, what the web called before
  app/publisher.py;
- `Publisher.send`: the same message through app/publisher.py (one LPUSH of kombu's envelope);
- raw LPUSH: the webhook's JSON pushed by a plain redis-py client, the floor for any publish.

CPU time (`time.process_time`), so a busy or throttled machine moves it less than wall time;
the ways take turns over several rounds and the medians are shown. A private redis-server is the
broker.

    .venv/bin/python -m bench.publish_bench [--calls 5000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis

from app.config import Settings
from app.publisher import Publisher
from app.queue import INGEST_BATCH_TASK, make_celery
from bench.ingest_bench import payload
from bench.private_redis import free_port, start_redis


def cpu_us_per_call(call: Callable[[], object], calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        call()
    return (time.process_time() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    server = start_redis(port, Path(tempfile.mkdtemp(prefix="bench-publish-")))
    try:
        url = f"redis://127.0.0.1:{port}/0"
        celery = make_celery(Settings(redis_url=url, broker_url=url))
        publisher = Publisher(celery)
        client = redis.Redis.from_url(url)
        body = payload(1)
        webhook = [["zeptomail", json.loads(body), 1_700_000_000_000, "request-id"]]
        ways: dict[str, Callable[[], object]] = {
            "send_task": lambda: celery.send_task(
                INGEST_BATCH_TASK, args=[webhook], argsrepr="(<1 webhooks>)", retry=True
            ),
            "Publisher.send": lambda: publisher.send(
                INGEST_BATCH_TASK, [webhook], "(<1 webhooks>)", "request-id"
            ),
            "raw LPUSH": lambda: client.lpush("bench:raw", body),
        }
        for call in ways.values():  # connections, caches
            cpu_us_per_call(call, 200)
        samples: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.rounds):
            for name, call in ways.items():
                samples[name].append(cpu_us_per_call(call, args.calls))
            client.flushdb()
    finally:
        server.terminate()
        server.wait(timeout=10)
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"# {args.calls} calls x {args.rounds} rounds, one thread, CPU µs per call (median)")
    for name, value in median.items():
        print(f"{name:15s} {value:7.1f} µs   {value / median['raw LPUSH']:.2f}x raw LPUSH")


if __name__ == "__main__":
    main()
