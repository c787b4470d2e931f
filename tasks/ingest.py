"""The ingest tasks: `ingest` takes one accepted webhook, `ingest_batch` many small ones.

Both apply the same way and dead-letter poison per webhook. A message of `ingest_batch`
carries the small webhooks that reached one web process together (app/group_commit.py), and
the worker runs many such messages as one batch (tasks/batching.py), so a one-event webhook
does not cost a task of its own on either side.

The ack rule: a message is acked only once each of its webhooks is applied or dead-lettered
(the dead-letter push itself succeeded). While the state store is unavailable (down, loading,
refusing writes) a task waits in place (`BounceTask.until_available`) and publishes nothing;
if it stays unavailable the message goes back to its own queue (`UnsettledError`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, NamedTuple

import structlog
from celery import shared_task
from celery.exceptions import Reject
from structlog.contextvars import bound_contextvars

from app import providers
from app.events import BounceEvent
from app.ingest import apply_events
from app.logs import REQUEST_ID_HEADER, task_context
from app.queue import INGEST_BATCH_TASK, INGEST_TASK
from app.store import Outcome
from app.store.dead_letters import DeadLetter
from tasks.base import BounceTask, UnsettledError
from tasks.batching import BatchTask, Call

log = structlog.get_logger("bouncekeeper.tasks.ingest")


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


# A dead-letter push refused for good (the list's key holds another type) puts the message back
# on its queue after this pause, so the worker does not spin on it.
REFUSED_PUSH_PAUSE_S = 1.0


class DeadLetterError(UnsettledError):
    """The dead-letter push failed with an error that waiting does not cure: the message is
    not acked, so the webhook is not lost."""


class PendingDeadLetter(NamedTuple):
    """A dead-letter entry a batch pushes once its good webhooks are applied."""

    entry: Callable[[int], DeadLetter]
    what: str
    error: object
    context: Callable[[], AbstractContextManager[None]]


@shared_task(name=INGEST_TASK, base=BounceTask, bind=True, autoretry_for=())
def ingest(
    self: BounceTask,
    provider: str,
    payload: dict[str, Any],
    received_at_ms: int,
    guard: list[Any] | None = None,
) -> dict:
    """Parse, classify and apply; poison input is dead-lettered, never retried. A message
    that cannot be settled goes back to its queue (Reject with requeue: the same message on
    the same channel, nothing published)."""
    request_id = self.request.get(REQUEST_ID_HEADER) or ""
    webhook = Webhook(provider, payload, received_at_ms, request_id, self.request.id, guard)
    try:
        events = _parse(self, webhook)
        if events is None:
            return {"dead_lettered": True}
        outcomes = _apply(self, webhook, events)
    except UnsettledError as exc:
        log.warning("webhook not settled, its message goes back to the queue",
                    provider=provider, reason=str(exc))  # fmt: skip
        raise Reject(str(exc), requeue=True) from exc
    counts = Counter(outcome.result for outcome in outcomes)
    log.info("events applied", provider=provider, events=len(outcomes), outcomes=dict(counts))
    return dict(counts)


@shared_task(name=INGEST_BATCH_TASK, base=BatchTask, bind=True)
def ingest_batch(self: BatchTask, calls: list[Call]) -> dict:
    """The webhooks of many messages (each `[[provider, payload, received_at_ms, request_id],
    ...]`) parsed one by one and applied in one pipelined batch.

    One webhook must not sink the others: poison input is dead-lettered alone; if applying the
    whole batch fails unexpectedly, each webhook is applied alone, so only the one that fails
    again is dead-lettered; while the state store is unavailable the batch waits in place.
    Returning means every call was dealt with, and the worker acks them all; raising
    (UnsettledError) puts them all back on their queue. Re-applying is harmless (dedup), so
    no step needs to know how far an earlier one got. Poison is dead-lettered after the good
    webhooks are applied: a batch put back on its queue while waiting for the state store has
    pushed no entry yet, so its next run leaves no second copy."""
    parsed: list[tuple[Webhook, list[BounceEvent]]] = []
    poison: list[PendingDeadLetter] = []
    webhooks = _webhooks(calls, poison)
    for webhook in webhooks:
        with webhook.context():
            events = _parse(self, webhook, poison)
        if events is not None:
            parsed.append((webhook, events))
    every = [event for _, events in parsed for event in events]
    try:
        outcomes = self.until_available(lambda: _apply_events(self, every), "applying a batch")
    except UnsettledError:
        raise
    except Exception:
        log.exception("a batch of webhooks failed; applying each alone", webhooks=len(parsed))
        outcomes = _apply_alone(self, parsed)
    for pending in poison:
        with pending.context():
            _dead_letter(self, pending.entry, pending.what, pending.error)
    counts = Counter(outcome.result for outcome in outcomes)
    with bound_contextvars(request_ids=[w.request_id for w in webhooks if w.request_id]):
        log.info("events applied", events=len(outcomes), webhooks=len(webhooks),
                 messages=len(calls), outcomes=dict(counts))  # fmt: skip
    return dict(counts)


def _webhooks(calls: list[Call], poison: list[PendingDeadLetter]) -> list[Webhook]:
    """Every webhook of every message; a message of the wrong shape is to be dead-lettered
    whole (nothing has checked a batching task's args before this)."""
    found: list[Webhook] = []
    for call in calls:
        try:
            (items,) = call.args
            found += [
                Webhook(provider, payload, int(at), request_id or "", call.task_id, *guard[:1])
                for provider, payload, at, request_id, *guard in items
            ]
        except Exception as exc:  # any shape at all: int(at) alone raises three kinds
            error = "expected args [[[provider, payload, received_at_ms, request_id], ...]]"
            entry = partial(
                DeadLetter, "", list(call.args), error, request_id=call.request_id or "",
                task=INGEST_BATCH_TASK,
            )  # fmt: skip
            what = f"malformed {INGEST_BATCH_TASK} message"
            poison.append(
                PendingDeadLetter(entry, what, repr(exc), partial(call.context, INGEST_BATCH_TASK))
            )
    return found


def _parse(
    task: BounceTask, webhook: Webhook, poison: list[PendingDeadLetter] | None = None
) -> list[BounceEvent] | None:
    """The webhook's events, or None once it is dead-lettered (or, given `poison`, to be):
    retrying input that cannot parse would never succeed, whatever the parser raised. A
    signed request whose nonce another request claimed is a replay and has none."""
    provider, guard = webhook.provider, webhook.guard
    module = providers.get(provider)
    try:
        if guard and not task.until_available(
            lambda: _claimed(task, provider, guard), f"claiming a {provider} nonce"
        ):
            log.warning(
                "replayed request dropped: another request holds its nonce", provider=provider
            )
            return []
        if module is None:
            raise ValueError(f"unknown provider {provider!r}")
        max_ahead_s = task.settings.event_max_ahead_seconds
        return providers.events(module, webhook.payload, webhook.received_at_ms, max_ahead_s)
    except UnsettledError:
        raise
    except Exception as exc:  # whatever the parser raised, the input's own: poison
        pending = PendingDeadLetter(
            _entry(webhook, repr(exc)), f"poison {provider} webhook", exc, webhook.context
        )
        if poison is None:
            _dead_letter(task, pending.entry, pending.what, pending.error)
        else:
            poison.append(pending)
        return None


def _entry(webhook: Webhook, error: str) -> Callable[[int], DeadLetter]:
    """The webhook's dead-letter entry, given the time: all that replaying it needs."""
    return lambda at_ms: DeadLetter(
        webhook.provider, webhook.payload, error, at_ms, webhook.received_at_ms, webhook.guard,
        webhook.request_id,
    )  # fmt: skip


def _dead_letter(
    task: BounceTask, entry: Callable[[int], DeadLetter], what: str, error: object
) -> None:
    """Push a dead-letter entry, waiting for the state store like any write, and only then say
    so: a push that fails raises UnsettledError, so the message is not acked and the webhook not
    lost."""
    try:
        task.until_available(
            lambda: task.store.dead_letter(entry(_now_ms())), f"dead-lettering a {what}"
        )
    except UnsettledError:
        log.error("NOT dead-lettered, the state store is unavailable", what=what, error=str(error))
        raise
    except Exception as exc:
        log.exception("NOT dead-lettered, the push failed", what=what, error=str(error))
        time.sleep(REFUSED_PUSH_PAUSE_S)
        raise DeadLetterError(f"dead-letter push failed: {exc!r}") from exc
    log.error("dead-lettered", what=what, error=str(error))


def _claimed(task: BounceTask, provider: str, guard: list[Any]) -> bool:
    """Claim the request's nonce (app.store.Store.claim_nonce); raises when the state store
    is unavailable, so the webhook is retried like any other."""
    nonce, ttl_s, claim = guard
    return task.store.claim_nonce(provider, str(nonce), str(claim), int(ttl_s))


def _apply(task: BounceTask, webhook: Webhook, events: list[BounceEvent]) -> list[Outcome]:
    """Apply one webhook's events; an unexpected failure dead-letters it and is re-raised."""
    provider = webhook.provider
    try:
        return task.until_available(
            lambda: _apply_events(task, events), f"applying a {provider} webhook"
        )
    except UnsettledError:
        raise
    except Exception as exc:
        log.exception("unexpected failure applying a webhook", provider=provider)
        _dead_letter(task, _entry(webhook, repr(exc)), f"{provider} webhook", exc)
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
                outcomes += _apply(task, webhook, events)
            except UnsettledError:
                raise
            except Exception:  # noqa: S112 - logged and dead-lettered by _apply
                continue
    return outcomes


def _now_ms() -> int:
    return int(time.time() * 1000)
