"""What the dashboard's pages cost to render over a busy store, beside the API reads of the
same data in the same run.

A private redis-server is filled through the store's real scripts: `--suppressions` imported
records, and `--events` applied events over 14 days (a tenth of them deliveries, the rest
soft bounces of recurring contacts, so the events stream is full and many contacts sit below
the threshold). Then, in alternating rounds, the app (in process, Flask's test client) serves
`GET /dashboard` beside `GET /api/v1/stats?days=14` (the same day counters, JSON only), and the
contact page beside `GET /api/v1/contacts/<email>` + `GET /api/v1/suppressions/<email>`.

    .venv/bin/python -m bench.dashboard_bench [--events 20000] [--suppressions 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app import create_app
from app.config import Settings
from app.ingest import limits
from app.policy import Policy
from app.store import Application, Store
from bench.private_redis import free_port, start_redis

DAY_MS = 86_400_000
BENCH_TOKEN = "bench-token"  # noqa: S105 - the throwaway app's own
TOKEN = {"Authorization": f"Bearer {BENCH_TOKEN}"}


def fill(store: Store, events: int, suppressions: int, now_ms: int) -> str:
    """The store's real scripts fill it; returns a contact with history and a suppression."""
    for start in range(0, suppressions, 1000):
        records = [
            {"email": f"old{n}@import.example", "code": "2001", "category": "permanent",
             "source": "import", "diagnostic": "old list"}
            for n in range(start, min(start + 1000, suppressions))
        ]  # fmt: skip
        store.suppress_many(records, "bench", "seed", now_ms)
    items = []
    for n in range(events):
        delivered = n % 10 == 0
        items.append(
            Application(
                email=f"user{n % (events // 4)}@example{n % 50}.com",
                event_id=f"bench:{n:010d}",
                action="reset" if delivered else "soft",
                weight=0.0 if delivered else 0.5,
                occurred_at_ms=now_ms - (n % 14) * DAY_MS,
                code=None if delivered else 3999,
                category="" if delivered else "temporary",
                source="",
                diagnostic="" if delivered else "452 4.2.2 quota-issues",
                matched_by="" if delivered else "enhanced:4.2.2",
                provider="zeptomail",
                message_id=f"<{n}@bench>",
                kind="delivery" if delivered else "bounce",
            )
        )
    for start in range(0, len(items), 500):
        store.apply(items[start : start + 500], limits(Policy()), now_ms)
    store.suppress(
        {"email": "user1@example1.com", "code": "2001", "category": "permanent",
         "source": "manual", "diagnostic": "bench"}, "bench", "bench", now_ms,
    )  # fmt: skip
    return "user1@example1.com"


def timed(client, paths: list[str]) -> float:
    started = time.perf_counter()
    for path in paths:
        response = client.get(path, headers=TOKEN)
        assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--suppressions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        port = free_port()
        server = start_redis(port, Path(workdir))
        try:
            url = f"redis://127.0.0.1:{port}/0"
            settings = Settings(redis_url=url, broker_url=f"redis://127.0.0.1:{port}/1",
                                api_token=BENCH_TOKEN)  # fmt: skip
            client = create_app(settings).test_client()
            email = fill(Store.from_url(url), args.events, args.suppressions,
                         int(time.time() * 1000))  # fmt: skip
            pairs = {
                "overview": (["/dashboard"], ["/api/v1/stats?days=14"]),
                "contact page": (
                    [f"/dashboard/contact?email={email}"],
                    [f"/api/v1/contacts/{email}", f"/api/v1/suppressions/{email}"],
                ),
            }
            print(f"{args.suppressions:,} imported suppressions, {args.events:,} events over "
                  f"14 days; medians of {args.rounds} alternating rounds")  # fmt: skip
            for name, (page, api) in pairs.items():
                timed(client, page)  # warm the templates and the connection pool
                timed(client, api)
                pages, apis = [], []
                for n in range(args.rounds):
                    first, second = (page, api) if n % 2 == 0 else (api, page)
                    a, b = timed(client, first), timed(client, second)
                    pages.append(a if first is page else b)
                    apis.append(b if first is page else a)
                page_ms = statistics.median(pages) * 1000
                api_ms = statistics.median(apis) * 1000
                print(f"{name}: dashboard {page_ms:.1f} ms, API {api_ms:.1f} ms "
                      f"({' + '.join(api)}), ratio {page_ms / api_ms:.1f}")  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
