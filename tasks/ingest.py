"""The ingest task: one per accepted webhook, carrying the whole batch."""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any

from celery import shared_task

from app import providers
from app.ingest import apply_events
from app.queue import INGEST_TASK
from tasks.base import RETRYABLE, BounceTask

log = logging.getLogger("bouncekeeper.tasks.ingest")


@shared_task(name=INGEST_TASK, base=BounceTask, bind=True)
def ingest(self: BounceTask, provider: str, payload: dict[str, Any], received_at_ms: int) -> dict:
    """Parse, classify and apply; poison input is dead-lettered, never retried."""
    module = providers.get(provider)
    try:
        if module is None:
            raise ValueError(f"unknown provider {provider!r}")
        events = module.parse(payload, received_at_ms)
    except (KeyError, TypeError, ValueError) as exc:
        log.error("poison webhook from %s dead-lettered: %s", provider, exc)
        self.store.dead_letter(provider, payload, repr(exc), int(time.time() * 1000))
        return {"dead_lettered": True}
    try:
        now_ms = int(time.time() * 1000)
        outcomes = apply_events(events, self.store, self.policy, now_ms, self.text_rules)
    except RETRYABLE:
        raise
    except Exception as exc:
        log.exception("unexpected failure applying a %s webhook; dead-lettered", provider)
        self.store.dead_letter(provider, payload, repr(exc), int(time.time() * 1000))
        raise
    counts = Counter(outcome.result for outcome in outcomes)
    log.info("applied %d %s events: %s", len(outcomes), provider, dict(counts))
    return dict(counts)
