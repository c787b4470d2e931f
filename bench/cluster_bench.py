"""State on Redis Cluster: events/s applied with 1 and with 3 masters (and each master's share
of the script calls), beside pipelined INCR on the same cluster in the same run; memory per
contact and per change-log entry; sync entries/s per shard.

Each cluster is redis-server 7 with cluster-enabled on loopback (chaos/redis_cluster.py), no
persistence. The events are the worker's: `Store.apply` in batches of 100 (grouped by shard,
one script call per shard's part, one call at a time as on every cluster), from `--clients`
processes at once, so the masters are kept busy; the baseline is the same processes sending
pipelined INCRs of 100 keys spread over the slots (redis-py's cluster pipeline, one round trip
per master). Each master's share is its `EVALSHA` calls over all, from `INFO commandstats`.
The client processes and the servers share the machine's cores, so with fewer cores than
masters plus clients the 3-master figure says more about the spread than about the speed-up.

    .venv/bin/python -m bench.cluster_bench [--events 60000] [--clients 4] [--shards 64]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import tempfile
import time
from pathlib import Path

from app.changes import Batch
from app.ingest import limits
from app.policy import Policy
from app.store import Application, Store
from app.store.connect import client_from_url
from app.store.sync import SyncStore
from app.sync import sync_sink
from chaos.redis_cluster import LocalCluster, running_cluster

LIMITS = limits(Policy())
DAY_MS = 86_400_000
NOW = 1_790_000_000_000
BATCH = 100


def events(count: int, contacts: int, seed: int = 4) -> list[Application]:
    """Soft bounces (most), hard bounces and complaints over two weeks, ZeptoMail-shaped."""
    rng = random.Random(seed)
    found = []
    for n in range(count):
        email = f"user{rng.randrange(contacts)}@example{rng.randrange(50)}.com"
        hard = rng.random() < 0.1
        found.append(
            Application(
                email=email, event_id=f"ev{n}", action="suppress" if hard else "soft",
                weight=0.0 if hard else 1.0, occurred_at_ms=NOW - rng.randrange(14 * DAY_MS),
                code=5001 if hard else 4002, category="permanent" if hard else "temporary",
                source="hard", diagnostic="550 5.1.1 user unknown", matched_by="enhanced:5.1.1",
                provider="zeptomail", kind="bounce",
                message_id=f"<zcb.3z{rng.getrandbits(128):032x}.{n}@bounce.zylker.com>",
            )
        )  # fmt: skip
    return found


def _apply(url: str, shards: int, items: list[Application]) -> None:
    store = Store(client_from_url(url, decode_responses=True), shards=shards)
    for start in range(0, len(items), BATCH):
        store.apply(items[start : start + BATCH], LIMITS, NOW)


def _incr(url: str, keys: int, rounds: int, seed: int) -> None:
    client = client_from_url(url)
    rng = random.Random(seed)
    for _ in range(rounds):
        pipe = client.pipeline(transaction=False)
        for _ in range(BATCH):
            pipe.incr(f"bench:incr:{rng.randrange(keys)}")
        pipe.execute()


def timed(target, jobs: list[tuple]) -> float:
    """Wall time of `jobs` run at once, one process each."""
    processes = [multiprocessing.Process(target=target, args=job) for job in jobs]
    began = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a bench client failed (exit {process.exitcode})")
    return time.perf_counter() - began


def eval_calls(cluster: LocalCluster) -> dict[int, tuple[int, int]]:
    """Per master: EVALSHA calls and the µs Redis spent in them (INFO commandstats)."""
    calls = {}
    for node in cluster.master_nodes():
        with node.client() as client:
            stats = client.info("commandstats").get("cmdstat_evalsha", {})
            calls[node.port] = (int(stats.get("calls", 0)), int(stats.get("usec", 0)))
    return calls


def run_masters(masters: int, items: list[Application], args: argparse.Namespace) -> dict:
    with running_cluster(Path(tempfile.mkdtemp(prefix="bk-cluster-bench-")), masters) as cluster:
        url = cluster.url
        Store(client_from_url(url, decode_responses=True), shards=args.shards).check_shards()
        parts = [items[k :: args.clients] for k in range(args.clients)]
        before = eval_calls(cluster)
        seconds = timed(_apply, [(url, args.shards, part) for part in parts])
        after = eval_calls(cluster)
        calls = {port: after[port][0] - before.get(port, (0, 0))[0] for port in after}
        usec = sum(after[port][1] - before.get(port, (0, 0))[1] for port in after)
        rounds = len(items) // BATCH // args.clients
        incr_s = timed(_incr, [(url, 100_000, rounds, k) for k in range(args.clients)])
        figures = {
            "events_s": len(items) / seconds,
            "incr_s": rounds * BATCH * args.clients / incr_s,
            "share": [calls[port] / max(sum(calls.values()), 1) for port in sorted(calls)],
            "server_us": usec / len(items),  # Redis's time in the event script, per event
        }
        if masters == 1:
            figures |= memory_and_sync(url, args)
        return figures


def memory_and_sync(url: str, args: argparse.Namespace) -> dict:
    """Bytes per contact (MEMORY USAGE of a sample of contact keys) and per change-log entry
    (the logs' MEMORY USAGE over their length, after a bulk import), and the sync's entries/s
    for one shard into a sink that takes everything (what the sync itself costs)."""
    store = Store(client_from_url(url, decode_responses=True), shards=args.shards)
    pattern, _ = store.layout.contact_pattern()
    sizes = []
    for key in store.redis.scan_iter(match=pattern, count=1000):
        sizes.append(store.redis.memory_usage(key, samples=0))
        if len(sizes) >= 2000:
            break
    records = [{"email": f"i{n}@example.org", "source": "import"} for n in range(args.imported)]
    for start in range(0, len(records), 1000):
        store.suppress_many(records[start : start + 1000], "bench", "import", NOW)
    logs = [store.change_log_key_of(k) for k in range(args.shards)]
    log_bytes = sum(store.redis.memory_usage(key, samples=0) or 0 for key in logs)
    entries = sum(store.redis.xlen(key) for key in logs)
    rates, total_s = [], 0.0
    for part in SyncStore(store).parts():  # each shard's run, as sync_sink walks them
        pending = store.redis.xlen(part.change_log_key)
        began = time.perf_counter()
        sync_sink(part, TakesAll(), lease_ms=600_000, backoff_cap_s=1.0)
        seconds = time.perf_counter() - began
        rates.append(pending / seconds)
        total_s += seconds
    return {
        "contact_bytes": sum(sizes) / len(sizes),
        "entry_bytes": log_bytes / entries,
        "sync_entries": entries,
        "sync_shard_s": statistics.median(rates),
        "sync_s": entries / total_s,
    }


class TakesAll:
    """A sink that takes every change at once, so the figure is the sync's own cost."""

    name = "bench"
    batch_size = 500

    def push(self, batch: Batch) -> dict[str, str]:
        return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--shards", type=int, default=64)
    parser.add_argument("--imported", type=int, default=100_000, help="suppressions imported")
    args = parser.parse_args()
    items = events(args.events, args.contacts)
    print(f"cluster_bench: {args.events:,} events for {args.contacts:,} contacts, "
          f"{args.clients} client processes, {args.shards} shards, batches of {BATCH}")  # fmt: skip
    one = run_masters(1, items, args)
    three = run_masters(3, items, args)
    print("| masters | events/s applied | pipelined INCR/s | events / INCR | EVALSHA share "
          "per master |")  # fmt: skip
    print("|---|---|---|---|---|")
    for masters, figures in ((1, one), (3, three)):
        share = " / ".join(f"{s:.0%}" for s in figures["share"])
        print(f"| {masters} | {figures['events_s']:,.0f} | {figures['incr_s']:,.0f} | "
              f"{figures['events_s'] / figures['incr_s']:.3f} | {share} |")  # fmt: skip
    print(f"Redis time in the event script per event: {one['server_us']:.1f} µs (1 master), "
          f"{three['server_us']:.1f} µs (3 masters, summed)")  # fmt: skip
    print(
        f"3 masters / 1 master: events {three['events_s'] / one['events_s']:.2f}x, "
        f"INCR {three['incr_s'] / one['incr_s']:.2f}x"
    )
    print(
        f"memory: {one['contact_bytes']:.0f} B per contact (MEMORY USAGE, mean of a sample), "
        f"{one['entry_bytes']:.0f} B per change-log entry"
    )
    print(f"sync: {one['sync_shard_s']:,.0f} entries/s per shard (median of {args.shards}), "
          f"{one['sync_s']:,.0f} entries/s over all ({one['sync_entries']:,} entries, a sink "
          "that takes all: read, coalesce, commit)")  # fmt: skip


if __name__ == "__main__":
    main()
