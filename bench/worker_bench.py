"""Worker throughput: queued webhook tasks drained by real `celery worker` processes.

The same events are queued three times in the same run and drained by the same worker
command: as 50-event webhooks (one `bouncekeeper.ingest` task each, applied as one pipelined
batch of scripts), as 1-event webhooks sent to `bouncekeeper.ingest` (one task per event, the
naive design's shape), and as 1-event webhooks sent to `bouncekeeper.ingest_batch` (what the
web does with them: the worker applies them in batches). The ratio of the last two is issue
#8's target (at least 2). Baseline beside them: raw pipelined `INCR`, one per event, on the
state's private redis-server. Each layout runs on its own fresh servers: broker and state on
two redis-servers (the production layout docs/OPERATIONS.md recommends), and on one; and
`rabbitmq`: the state on a private redis-server, the broker a vhost of its own on this machine's
RabbitMQ (quorum queues, publisher confirms, one multiple ack per batch: docs/OPERATIONS.md).

    .venv/bin/python -m bench.worker_bench [--events 100000] [--layouts split,shared,rabbitmq]
        [--pool prefork|solo] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis
from kombu import Connection

from app.broker_amqp import queue_depths
from app.config import Settings
from app.providers import zeptomail
from app.queue import INGEST_BATCH_TASK, INGEST_TASK, is_amqp, make_celery
from bench.ingest_bench import payload
from bench.private_redis import free_port, start_redis
from chaos.rabbitmq import add_vhost, delete_vhost

STATE_DB, BROKER_DB = 0, 1


SHAPES = (  # label, events per webhook, task
    ("50 events per task", 50, INGEST_TASK),
    (" 1 event per task", 1, INGEST_TASK),
    (" 1 event per webhook, batched", 1, INGEST_BATCH_TASK),
)


def queue_tasks(settings: Settings, events: int, per_task: int, task: str) -> None:
    """Publish validated payloads in the web's message shapes: one webhook per message (for
    the batching task, a message as the web sends it for a webhook that arrived alone)."""
    celery = make_celery(settings)
    template = zeptomail.schema().load(json.loads(payload(per_task)))
    with celery.connection_for_write() as conn, celery.producer_pool.acquire(conn) as producer:
        for start in range(0, events, per_task):
            body = {**template, "data": []}
            for offset, item in enumerate(template["data"]):
                n = start + offset
                body["data"].append(
                    {**item, "contact_email": f"user{n}@example{n % 7}.com", "action_time": n}
                )
            webhook = ["zeptomail", body, 0]
            celery.send_task(
                task,
                args=[[[*webhook, ""]]] if task == INGEST_BATCH_TASK else webhook,
                argsrepr="(bench)",
                producer=producer,
            )


def worker_commands(pool: str, processes: int) -> list[list[str]]:
    """`prefork`: one worker whose pool has `processes` processes (the default deployment);
    `solo`: `processes` workers that each run their tasks in their own process."""
    command = [
        sys.executable, "-m", "celery", "-A", "tasks.worker", "worker", "--loglevel", "ERROR",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--pool", pool,
    ]  # fmt: skip
    if pool == "solo":
        return [[*command, "-n", f"bench{n}@%h"] for n in range(processes)]
    return [[*command, "--concurrency", str(processes)]]


def drain(settings: Settings, pool: str, processes: int) -> float:
    """Seconds from the first event applied until every queued task has been applied and
    acked: the workers' start-up (a few seconds, and on a loaded machine anything from 1 to 6)
    is left out rather than measured apart and subtracted."""
    env = {
        **os.environ,
        "REDIS_URL": settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": settings.broker_url,
        "BOUNCEKEEPER_LOG_LEVEL": "ERROR",
    }
    pending = _pending(settings)
    state = redis.Redis.from_url(settings.redis_url)
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for command in worker_commands(pool, processes)
    ]
    try:
        while not applied_events(state):
            time.sleep(0.005)
        start = time.perf_counter()
        while pending():
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)


def _pending(settings: Settings) -> Callable[[], bool]:
    """Whether tasks are still queued or unacked. RabbitMQ tells unacked counts only through
    its statistics, seconds late, so there the events applied so far are watched on the state
    (the per-day stats hashes) until all queued ones are; their acks follow within the same
    callback."""
    if not is_amqp(settings.broker_url):
        broker = redis.Redis.from_url(settings.broker_url)
        return lambda: bool(broker.llen("celery") or broker.hlen("unacked"))
    state = redis.Redis.from_url(settings.redis_url)
    expected = _QUEUED[settings.broker_url]
    return lambda: applied_events(state) < expected


_QUEUED: dict[str, int] = {}  # events queued per RabbitMQ broker URL, for `_pending`


def _ready(broker_url: str) -> int:
    with Connection(broker_url) as connection:
        return queue_depths(connection, ["celery"])["celery"]


def applied_events(state: redis.Redis) -> int:
    days = [key for key in state.scan_iter("bk:stats:*") if key.count(b":") == 2]
    return sum(int(state.hget(key, "total") or 0) for key in days)


def applied_contacts(state: redis.Redis) -> int:
    return sum(1 for _ in state.scan_iter("bk:contact:*", count=1000))


def incr_rate(client: redis.Redis, events: int) -> float:
    start = time.perf_counter()
    for first in range(0, events, 500):
        pipe = client.pipeline(transaction=False)
        for n in range(first, min(first + 500, events)):
            pipe.incr(f"bench:user{n}")
        pipe.execute()
    return events / (time.perf_counter() - start)


def run_layout(layout: str, events: int, pool: str, processes: int, workdir: Path) -> None:
    """Every shape on fresh private redis-servers: broker and state on one server, or on two
    (what docs/OPERATIONS.md recommends: the worker's consumer then never waits for its
    broker round trips behind the apply script's calls on the state server)."""
    for role in ("state", "broker"):
        (workdir / f"{layout}-{role}").mkdir()
    state_port = free_port()
    servers = [start_redis(state_port, workdir / f"{layout}-state")]
    broker_url = f"redis://127.0.0.1:{state_port}/{BROKER_DB}"
    vhost = f"bk-bench-{os.getpid()}"
    if layout == "split":
        broker_port = free_port()
        servers.append(start_redis(broker_port, workdir / f"{layout}-broker"))
        broker_url = f"redis://127.0.0.1:{broker_port}/{BROKER_DB}"
    elif layout == "rabbitmq":
        broker_url = add_vhost(vhost)
    state_url = f"redis://127.0.0.1:{state_port}/{STATE_DB}"
    settings = Settings(redis_url=state_url, broker_url=broker_url)
    state = redis.Redis.from_url(settings.redis_url)
    title = {
        "split": "broker and state on two redis-servers",
        "shared": "one redis-server",
        "rabbitmq": "broker on RabbitMQ (a vhost of its own), state on a redis-server",
    }
    print(f"## {title[layout]}")
    try:
        rates = {}
        for label, per_task, task in SHAPES:
            state.flushdb()
            queue_tasks(settings, events, per_task, task)
            _QUEUED[broker_url] = events
            seconds = drain(settings, pool, processes)
            if layout == "rabbitmq" and _ready(broker_url):
                raise RuntimeError("messages left on the queue after every event was applied")
            applied = applied_contacts(state)
            if applied != events:
                raise RuntimeError(f"{applied} contacts recorded for {events} events")
            rates[task, per_task] = events / seconds
            print(f"{label}: {rates[task, per_task]:,.0f} events/s", flush=True)
        ratio = rates[INGEST_BATCH_TASK, 1] / rates[INGEST_TASK, 1]
        print(f"batched / one task per event: {ratio:.2f}x")
        state.flushdb()
        print(f"pipelined INCR baseline: {incr_rate(state, events):,.0f} ops/s")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        if layout == "rabbitmq":
            delete_vhost(vhost)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2, help="worker processes in all")
    parser.add_argument("--pool", default="prefork", choices=("prefork", "solo"))
    parser.add_argument("--layouts", default="split,shared", help="split, shared or both")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    print(f"# {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    shape = {"prefork": "1 worker, --pool prefork --concurrency", "solo": "--pool solo workers:"}
    print(f"# {args.events} events, {shape[args.pool]} {args.processes}")
    for layout in args.layouts.split(","):
        run_layout(layout, args.events, args.pool, args.processes, workdir)


if __name__ == "__main__":
    main()
