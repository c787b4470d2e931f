"""The ingest tasks: `ingest` takes one accepted webhook, `ingest_batch` many small ones.

Both apply the same way and dead-letter poison per webhook. A message of `ingest_batch`
carries the small webhooks that reached one web process together (app/group_commit.py), and
the worker runs many such messages as one batch (tasks/batching.py), so a one-event webhook
does not cost a task of its own on either side.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from celery import shared_task
from structlog.contextvars import bound_contextvars

from app import providers
from app.events import BounceEvent
from app.ingest import apply_events
from app.logs import REQUEST_ID_HEADER, task_context
from app.queue import INGEST_BATCH_TASK, INGEST_TASK
from app.store import Outcome
from tasks.base import RETRYABLE, BounceTask
from tasks.batching import BatchTask, Call

log = logging.getLogger("bouncekeeper.tasks.ingest")

# A batch that meets an unavailable state store hands each webhook to `ingest`, whose own
# backoff then takes over; this is the wait before that first retry.
HAND_OVER_COUNTDOWN_S = 1


class Webhook(NamedTuple):
    """One webhook of an `ingest_batch` message (app.queue.QueuedWebhook, as the web wrote
    it), and the id of the message that carried it."""

    provider: str
    payload: Any
    received_at_ms: int
    request_id: str
    task_id: str
    guard: list[Any] | None = None

    def context(self) -> AbstractContextManager[None]:
        """Lines logged about this webhook carry its own message's and request's ids."""
        return task_context(self.task_id, INGEST_BATCH_TASK, self.request_id or None)


@shared_task(name=INGEST_TASK, base=BounceTask, bind=True)
def ingest(
    self: BounceTask,
    provider: str,
    payload: dict[str, Any],
    received_at_ms: int,
    guard: list[Any] | None = None,
) -> dict:
    """Parse, classify and apply; poison input is dead-lettered, never retried."""
    events = _parse(self, provider, payload, received_at_ms, guard)
    if events is None:
        return {"dead_lettered": True}
    outcomes = _apply(self, provider, payload, events)
    counts = Counter(outcome.result for outcome in outcomes)
    log.info("applied %d %s events: %s", len(outcomes), provider, dict(counts))
    return dict(counts)


@shared_task(name=INGEST_BATCH_TASK, base=BatchTask, bind=True)
def ingest_batch(self: BatchTask, calls: list[Call]) -> dict:
    """The webhooks of many messages (each `[[provider, payload, received_at_ms, request_id],
    ...]`) parsed one by one and applied in one pipelined batch.

    One webhook must not sink the others: poison input is dead-lettered alone; if applying the
    whole batch fails unexpectedly, each webhook is applied alone, so only the one that fails
    again is dead-lettered; if the state store is unavailable, each webhook is handed to
    `ingest` to be retried with backoff. Returning means every call was dealt with, and the
    worker acks them all; re-applying is harmless (dedup), so no step needs to know how far an
    earlier one got."""
    parsed: list[tuple[Webhook, list[BounceEvent]]] = []
    webhooks = _webhooks(self, calls)
    for webhook in webhooks:
        with webhook.context():
            try:
                events = _parse(
                    self, webhook.provider, webhook.payload, webhook.received_at_ms, webhook.guard
                )
            except RETRYABLE:
                _hand_over(self, webhook)
                continue
        if events is not None:
            parsed.append((webhook, events))
    try:
        outcomes = _apply_events(self, [event for _, events in parsed for event in events])
    except RETRYABLE as exc:
        log.warning("state store unavailable, %d webhooks handed to %s: %s", len(parsed),
                    INGEST_TASK, exc)  # fmt: skip
        for webhook, _ in parsed:
            _hand_over(self, webhook)
        return {"handed_over": len(parsed)}
    except Exception:
        log.exception("a batch of %d webhooks failed; applying each alone", len(parsed))
        outcomes = _apply_alone(self, parsed)
    counts = Counter(outcome.result for outcome in outcomes)
    with bound_contextvars(request_ids=[w.request_id for w in webhooks if w.request_id]):
        log.info("applied %d events of %d webhooks in %d messages: %s", len(outcomes),
                 len(webhooks), len(calls), dict(counts))  # fmt: skip
    return dict(counts)


def _webhooks(task: BounceTask, calls: list[Call]) -> list[Webhook]:
    """Every webhook of every message; a message of the wrong shape is dead-lettered whole
    (nothing has checked a batching task's args before this)."""
    found: list[Webhook] = []
    for call in calls:
        try:
            (items,) = call.args
            found += [
                Webhook(provider, payload, int(at), request_id or "", call.task_id, *guard[:1])
                for provider, payload, at, request_id, *guard in items
            ]
        except (TypeError, ValueError):
            with call.context(INGEST_BATCH_TASK):
                log.error("malformed %s message dead-lettered", INGEST_BATCH_TASK)
            error = "expected args [[[provider, payload, received_at_ms, request_id], ...]]"
            task.store.dead_letter("", list(call.args), error, _now_ms())
    return found


def _parse(
    task: BounceTask,
    provider: str,
    payload: Any,
    received_at_ms: int,
    guard: list[Any] | None = None,
) -> list[BounceEvent] | None:
    """The webhook's events, or None once it is dead-lettered: retrying input that cannot
    parse would never succeed. A signed request whose nonce another request claimed is a
    replay and has none."""
    module = providers.get(provider)
    try:
        if guard and not _claimed(task, provider, guard):
            log.warning("replayed %s request dropped: another request holds its nonce", provider)
            return []
        if module is None:
            raise ValueError(f"unknown provider {provider!r}")
        max_ahead_s = task.settings.event_max_ahead_seconds
        return providers.events(module, payload, received_at_ms, max_ahead_s)
    except (KeyError, TypeError, ValueError) as exc:
        log.error("poison webhook from %s dead-lettered: %s", provider, exc)
        task.store.dead_letter(provider, payload, repr(exc), _now_ms())
        return None


def _claimed(task: BounceTask, provider: str, guard: list[Any]) -> bool:
    """Claim the request's nonce (app.store.Store.claim_nonce); raises when the state store
    is unavailable, so the webhook is retried like any other."""
    nonce, ttl_s, claim = guard
    return task.store.claim_nonce(provider, str(nonce), str(claim), int(ttl_s))


def _apply(
    task: BounceTask, provider: str, payload: Any, events: list[BounceEvent]
) -> list[Outcome]:
    """Apply one webhook's events; an unexpected failure dead-letters it and is re-raised."""
    try:
        return _apply_events(task, events)
    except RETRYABLE:
        raise
    except Exception as exc:
        log.exception("unexpected failure applying a %s webhook; dead-lettered", provider)
        task.store.dead_letter(provider, payload, repr(exc), _now_ms())
        raise


def _apply_events(task: BounceTask, events: list[BounceEvent]) -> list[Outcome]:
    return apply_events(events, task.store, task.policy, _now_ms(), task.text_rules)


def _apply_alone(
    task: BounceTask, parsed: list[tuple[Webhook, list[BounceEvent]]]
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for webhook, events in parsed:
        with webhook.context():
            try:
                outcomes += _apply(task, webhook.provider, webhook.payload, events)
            except RETRYABLE:
                _hand_over(task, webhook)
            except Exception:  # noqa: S112 - logged and dead-lettered by _apply
                continue
    return outcomes


def _hand_over(task: BounceTask, webhook: Webhook) -> None:
    """Queue the webhook as an `ingest` task, which retries with backoff on its own."""
    headers = {REQUEST_ID_HEADER: webhook.request_id} if webhook.request_id else None
    task.app.tasks[INGEST_TASK].apply_async(
        args=[
            webhook.provider,
            webhook.payload,
            webhook.received_at_ms,
            *([webhook.guard] if webhook.guard else []),
        ],
        countdown=HAND_OVER_COUNTDOWN_S,
        headers=headers,
        argsrepr="(handed over)",
    )


def _now_ms() -> int:
    return int(time.time() * 1000)
