"""A workload for comparing stores: the same events applied to an unsharded store and to a
sharded one (on one Redis or a Redis Cluster) must leave the same suppressions, the same merged
views, and each address's changes in the same order."""

from __future__ import annotations

import json
import random
from typing import Any

from app.ingest import limits
from app.policy import Policy
from app.sinks import Sink, build
from app.store import Application, Store
from tests.helpers import BASE_MS, DAY_MS

LIMITS = limits(Policy())
NOW = BASE_MS + 100 * DAY_MS
DOMAINS = ["example.com", "example.org", "mail.test"]
ACTIONS = ["suppress", "soft", "soft", "soft", "sender_side", "ignore"]


def workload(seed: int = 4, addresses: int = 60, events: int = 600) -> list[Application]:
    """Hard and soft bounces, complaints, sender-side rejections and ESP retries (repeated
    event ids) over a few days, in the order they arrive."""
    rng = random.Random(seed)
    emails = [f"user{n}@{DOMAINS[n % len(DOMAINS)]}" for n in range(addresses)]
    sent: list[Application] = []
    for n in range(events):
        if sent and rng.random() < 0.1:
            sent.append(rng.choice(sent))  # a retry: the same event again
            continue
        action = rng.choice(ACTIONS)
        complaint = action == "suppress" and rng.random() < 0.2
        sent.append(
            Application(
                email=rng.choice(emails),
                event_id=f"ev{n}",
                action=action,
                weight=rng.choice([0.5, 1.0, 2.0]) if action == "soft" else 0.0,
                occurred_at_ms=NOW - rng.randrange(5 * DAY_MS),
                code=5001 if action == "suppress" else 4002,
                category="permanent" if action == "suppress" else "temporary",
                source="complaint" if complaint else "hard",
                diagnostic="550 5.1.1 user unknown",
                matched_by="enhanced:5.1.1",
                provider="zeptomail",
                message_id=f"<m{n}@x>",
                kind="complaint" if complaint else "bounce",
            )
        )
    return sent


def apply_all(store: Store, items: list[Application], batch: int = 50) -> list[str]:
    """Apply `items` in batches as the worker does; each event's result, in order. A
    sender-side alert reads as `recorded`: with shards each shard judges its share of a
    domain's hour (docs/OPERATIONS.md), so alerts may come at other events."""
    results = []
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        results += [o.result for o in store.apply(chunk, LIMITS, NOW + start)]
    return [result.replace("sender_side_alert", "recorded") for result in results]


def suppressions(store: Store) -> dict[str, str]:
    """Every suppressed address and its source."""
    emails = sorted(store.suppressed_emails())
    return {e: r["source"] for e, r in zip(emails, store.suppressions(emails), strict=True) if r}


def per_address(changes: list[tuple[str, dict[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    """The change log as each address's (op, source) sequence."""
    found: dict[str, list[tuple[str, str]]] = {}
    for _, fields in changes:
        found.setdefault(fields["email"], []).append((fields["op"], fields["source"]))
    return found


def recording_sink(httpserver: Any, batch_size: int) -> tuple[Sink, list[dict]]:
    """An HTTP sink named "crm" on pytest-httpserver that answers 200 and keeps each body it
    was sent, in order."""
    from werkzeug import Response

    received: list[dict] = []

    def keep(request: Any) -> Response:
        received.append(json.loads(request.data))
        return Response("{}", 200, content_type="application/json")

    httpserver.expect_request("/hook").respond_with_handler(keep)
    url = httpserver.url_for("/hook")
    sink = build("crm", {"type": "http", "url": url, "secret": "s", "batch_size": str(batch_size)})
    return sink, received
