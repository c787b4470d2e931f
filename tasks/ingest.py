"""The ingest tasks: each carries whole webhooks, and all of a task's events apply as one batch.

`bouncekeeper.ingest_many` is what the web publishes: one or more webhooks that arrived
together (see app/group_commit.py). `bouncekeeper.ingest` carries one webhook; it is what the
web published before, kept so that messages already queued at an upgrade still run.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any

from celery import shared_task
from structlog.contextvars import bound_contextvars

from app import providers
from app.events import BounceEvent
from app.ingest import apply_events
from app.queue import INGEST_MANY_TASK, INGEST_TASK
from tasks.base import RETRYABLE, BounceTask

log = logging.getLogger("bouncekeeper.tasks.ingest")


@shared_task(name=INGEST_TASK, base=BounceTask, bind=True)
def ingest(self: BounceTask, provider: str, payload: dict[str, Any], received_at_ms: int) -> dict:
    return _ingest(self, [[provider, payload, received_at_ms, ""]])


@shared_task(name=INGEST_MANY_TASK, base=BounceTask, bind=True)
def ingest_many(self: BounceTask, webhooks: list[list[Any]]) -> dict:
    """Each item is `[provider, payload, received_at_ms, request_id]`."""
    return _ingest(self, webhooks)


def _ingest(task: BounceTask, webhooks: list[list[Any]]) -> dict:
    """Parse each webhook, then classify and apply every event in one batch.

    A poison webhook is dead-lettered alone and never retried; its batch-mates still apply.
    A state outage retries the whole task, which is safe because every event is deduplicated."""
    events: list[BounceEvent] = []
    parsed = []
    for provider, payload, received_at_ms, request_id in webhooks:
        found = _parse(task, provider, payload, received_at_ms, request_id)
        if found is not None:
            events += found
            parsed.append((provider, payload))
    if not parsed:
        return {"dead_lettered": len(webhooks)}
    try:
        outcomes = apply_events(events, task.store, task.policy, _now_ms(), task.text_rules)
    except RETRYABLE:
        raise
    except Exception as exc:
        log.exception("unexpected failure applying %d webhooks; dead-lettered", len(parsed))
        for provider, payload in parsed:
            task.store.dead_letter(provider, payload, repr(exc), _now_ms())
        raise
    counts = Counter(outcome.result for outcome in outcomes)
    request_ids = [webhook[3] for webhook in webhooks if webhook[3]]
    with bound_contextvars(request_ids=request_ids):
        log.info(
            "applied %d events from %d webhooks: %s", len(outcomes), len(webhooks), dict(counts)
        )
    if len(parsed) < len(webhooks):
        counts["dead_lettered"] = len(webhooks) - len(parsed)
    return dict(counts)


def _parse(
    task: BounceTask, provider: str, payload: Any, received_at_ms: int, request_id: str
) -> list[BounceEvent] | None:
    module = providers.get(provider)
    try:
        if module is None:
            raise ValueError(f"unknown provider {provider!r}")
        return module.parse(payload, received_at_ms)
    except (KeyError, TypeError, ValueError) as exc:
        log.error(
            "poison webhook from %s dead-lettered: %s (request %s)", provider, exc, request_id
        )
        task.store.dead_letter(provider, payload, repr(exc), _now_ms())
        return None


def _now_ms() -> int:
    return int(time.time() * 1000)
