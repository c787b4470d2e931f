"""The ingest tasks: `ingest` takes one accepted webhook, `ingest_batch` many small ones.

Both apply the same way and dead-letter poison per webhook; `ingest_batch` only saves the
fixed cost of a task for webhooks that carry a few events (see tasks/batching.py).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any

from celery import shared_task

from app import providers
from app.events import BounceEvent
from app.ingest import apply_events
from app.logs import REQUEST_ID_HEADER
from app.queue import INGEST_BATCH_TASK, INGEST_TASK
from app.store import Outcome
from tasks.base import RETRYABLE, BounceTask
from tasks.batching import BatchTask, Call

log = logging.getLogger("bouncekeeper.tasks.ingest")

# A batch that meets an unavailable state store hands each webhook to `ingest`, whose own
# backoff then takes over; this is the wait before that first retry.
HAND_OVER_COUNTDOWN_S = 1


@shared_task(name=INGEST_TASK, base=BounceTask, bind=True)
def ingest(self: BounceTask, provider: str, payload: dict[str, Any], received_at_ms: int) -> dict:
    """Parse, classify and apply; poison input is dead-lettered, never retried."""
    events = _parse(self, provider, payload, received_at_ms)
    if events is None:
        return {"dead_lettered": True}
    outcomes = _apply(self, provider, payload, events)
    counts = Counter(outcome.result for outcome in outcomes)
    log.info("applied %d %s events: %s", len(outcomes), provider, dict(counts))
    return dict(counts)


@shared_task(name=INGEST_BATCH_TASK, base=BatchTask, bind=True)
def ingest_batch(self: BatchTask, calls: list[Call]) -> dict:
    """Many webhooks (each a message with `ingest`'s args) parsed one by one and applied in one
    pipelined batch.

    One webhook must not sink the others: poison input is dead-lettered alone; if applying the
    whole batch fails unexpectedly, each webhook is applied alone, so only the one that fails
    again is dead-lettered; if the state store is unavailable, each webhook is handed to
    `ingest` to be retried with backoff. Returning means every call was dealt with, and the
    worker acks them all; re-applying is harmless (dedup), so no step needs to know how far an
    earlier one got."""
    parsed: list[tuple[Call, list[BounceEvent]]] = []
    for call in calls:
        with call.context(INGEST_BATCH_TASK):
            try:
                events = _parse_call(self, call)
            except RETRYABLE:
                _hand_over(self, call)
                continue
        if events is not None:
            parsed.append((call, events))
    try:
        outcomes = _apply_events(self, [event for _, events in parsed for event in events])
    except RETRYABLE as exc:
        log.warning("state store unavailable, %d webhooks handed to %s: %s", len(parsed),
                    INGEST_TASK, exc)  # fmt: skip
        for call, _ in parsed:
            _hand_over(self, call)
        return {"handed_over": len(parsed)}
    except Exception:
        log.exception("a batch of %d webhooks failed; applying each alone", len(parsed))
        outcomes = _apply_alone(self, parsed)
    counts = Counter(outcome.result for outcome in outcomes)
    log.info("applied %d events of %d webhooks: %s", len(outcomes), len(calls), dict(counts))
    return dict(counts)


def _parse(
    task: BounceTask, provider: str, payload: dict[str, Any], received_at_ms: int
) -> list[BounceEvent] | None:
    """The webhook's events, or None once it is dead-lettered: retrying input that cannot
    parse would never succeed."""
    module = providers.get(provider)
    try:
        if module is None:
            raise ValueError(f"unknown provider {provider!r}")
        return module.parse(payload, received_at_ms)
    except (KeyError, TypeError, ValueError) as exc:
        log.error("poison webhook from %s dead-lettered: %s", provider, exc)
        task.store.dead_letter(provider, payload, repr(exc), int(time.time() * 1000))
        return None


def _parse_call(task: BounceTask, call: Call) -> list[BounceEvent] | None:
    """`_parse` of a batch's call, whose args nothing has checked yet."""
    if len(call.args) != 3:
        log.error("malformed %s message dead-lettered", INGEST_BATCH_TASK)
        error = "expected args [provider, payload, received_at_ms]"
        task.store.dead_letter("", list(call.args), error, int(time.time() * 1000))
        return None
    return _parse(task, *call.args)


def _apply(
    task: BounceTask, provider: str, payload: dict[str, Any], events: list[BounceEvent]
) -> list[Outcome]:
    """Apply one webhook's events; an unexpected failure dead-letters it and is re-raised."""
    try:
        return _apply_events(task, events)
    except RETRYABLE:
        raise
    except Exception as exc:
        log.exception("unexpected failure applying a %s webhook; dead-lettered", provider)
        task.store.dead_letter(provider, payload, repr(exc), int(time.time() * 1000))
        raise


def _apply_events(task: BounceTask, events: list[BounceEvent]) -> list[Outcome]:
    now_ms = int(time.time() * 1000)
    return apply_events(events, task.store, task.policy, now_ms, task.text_rules)


def _apply_alone(task: BounceTask, parsed: list[tuple[Call, list[BounceEvent]]]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for call, events in parsed:
        provider, payload, _ = call.args
        with call.context(INGEST_BATCH_TASK):
            try:
                outcomes += _apply(task, provider, payload, events)
            except RETRYABLE:
                _hand_over(task, call)
            except Exception:  # noqa: S112 - logged and dead-lettered by _apply
                continue
    return outcomes


def _hand_over(task: BounceTask, call: Call) -> None:
    """Queue the webhook as an `ingest` task, which retries with backoff on its own."""
    headers = {REQUEST_ID_HEADER: call.request_id} if call.request_id else None
    task.app.tasks[INGEST_TASK].apply_async(
        args=call.args, countdown=HAND_OVER_COUNTDOWN_S, headers=headers, argsrepr="(handed over)"
    )
