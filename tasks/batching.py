"""Worker-side batching: many queued messages of one task applied in one pool call.

A Celery task costs the worker about 1.3 ms of fixed work (taking and recording the message,
handing it to a pool process, tracing, the result coming back, the ack) whatever it carries,
while applying one event costs about 0.13 ms (bench/worker_bench.py: 50-event against 1-event
tasks). A webhook with one event (Mailgun, Postmark, most of SES) is almost all fixed cost.
`BatchTask` replaces Celery's per-message strategy in the worker's consumer: messages are kept
in a buffer (still unacked in the broker) and handed to the pool together, `flush_every` at a
time or `flush_after_s` after the first, as one call of the task with the list of `Call`s; their
acks then go to the broker together (one Redis pipeline, app.broker; one AMQP multiple ack,
app.broker_amqp) rather than through Celery's per-message ack callbacks.

Delivery stays at-least-once: a message is acked only after the pool call that carried it
returned, and rejected back onto its queue when that call raised or its pool process died. A
buffered or running message is in the broker's `unacked` hash like any prefetched task, so a
worker killed outright loses nothing either: its messages come back after the visibility
timeout. The task body decides what a failure of one message does to the others (see
`tasks.ingest.ingest_batch`); the batch as a whole is requeued only when the body raised.

celery-batches does the same, but requires celery < 5.7; this is the part we need of it.
Messages must be Celery protocol 2 (every Celery since 4 publishes it) without ETA, expiry or
revocation, which nothing sends to a batching task.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, NamedTuple

import structlog
from celery import Celery, Task
from celery.exceptions import InvalidTaskError
from celery.worker.consumer import Consumer
from kombu.common import QoS
from kombu.message import Message
from vine import promise

from app.logs import REQUEST_ID_HEADER, batch_context, task_context
from app.metrics import timed_task
from tasks.base import BounceTask

log = structlog.get_logger("bouncekeeper.tasks.batching")


@dataclass(frozen=True)
class Call:
    """One queued message of a batching task: what the pool process needs of it (picklable)."""

    task_id: str
    args: tuple[Any, ...]
    request_id: str | None = None

    def context(self, task: str) -> AbstractContextManager[None]:
        """Lines logged about this one message carry its own task and request ids."""
        return task_context(self.task_id, task, self.request_id)


class BatchTask(BounceTask):
    """A task whose run takes `list[Call]`; each message sent to it carries one call's args.

    Retries are the body's business (it sees which calls failed), so Celery's autoretry of the
    whole run is off."""

    Strategy = "tasks.batching:batching_strategy"
    autoretry_for = ()
    typing = False  # messages carry one call's args, the run takes the list of calls
    flush_every = 100
    flush_after_s = 0.05

    def __call__(self, calls: list[Call]) -> Any:
        """Every batch is timed like a task run and logs with the ids of all its messages."""
        task_ids = [call.task_id for call in calls]
        request_ids = [call.request_id for call in calls if call.request_id]
        with batch_context(self.name, task_ids, request_ids), timed_task(self.name):
            return Task.__call__(self, calls)


def batching_strategy(
    task: BatchTask, app: Celery, consumer: Consumer, **_: Any
) -> Callable[..., None]:
    """Celery's hook for how a worker consumer handles the task's messages (see
    celery.worker.strategy.default, which this replaces for batching tasks)."""
    return _Buffer(task, consumer).on_message


class _Held(NamedTuple):
    call: Call
    message: Message
    borrowed: bool  # whether it took a prefetch slot of the buffer's own (see _Buffer)


class _Buffer:
    """Runs in the worker's consumer (main process, event-loop thread): no locking needed.

    A buffered message is unacked, so it counts against the worker's prefetch limit (4 per
    pool process): left at that, a batch could never grow past it. The buffer raises the
    limit by one for each message it holds, up to enough for one batch per pool process plus
    one filling, and lowers it again when the batch is settled. Ordinary tasks keep the
    small prefetch, which matters because their webhooks may be a megabyte each."""

    def __init__(self, task: BatchTask, consumer: Consumer):
        self.task = task
        self.consumer = consumer
        self.pool = consumer.pool
        self.timer = consumer.timer
        self.connection_errors = consumer.connection_errors
        self.qos: QoS | None = None  # the consumer's, which exists once messages arrive
        self.max_borrowed = task.flush_every * (self.pool.num_processes + 1)
        self.borrowed = 0
        self.held: list[_Held] = []
        self.timer_entry: Any = None

    def on_message(
        self, message: Message, body: Any, ack: promise, reject: promise, *_: Any, **__: Any
    ) -> None:
        """Celery's strategy call for one message; `ack` and `reject` go unused, see flush."""
        try:
            args, _kwargs, _embed = message.payload
            call = Call(message.headers["id"], tuple(args), message.headers.get(REQUEST_ID_HEADER))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidTaskError(f"not a protocol 2 message of {self.task.name}") from exc
        self.qos = self.qos or self.consumer.qos
        borrow = self.borrowed < self.max_borrowed
        if borrow:
            self.borrowed += 1
            self.qos.increment_eventually()
        self.held.append(_Held(call, message, borrow))
        if len(self.held) >= self.task.flush_every:
            self.flush()
        elif self.timer_entry is None:
            self.timer_entry = self.timer.call_after(self.task.flush_after_s, self.flush)

    def flush(self) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None
        batch, self.held = self.held, []
        if not batch:
            return
        errors = self.connection_errors

        def settle(ran: Any) -> None:
            if ran is not True:
                requeue(ran)
                return
            try:
                with _acks_in_one_round_trip(batch[0].message):
                    for held in batch:
                        held.message.ack()
            except errors as exc:
                log.error("acks failed, the messages will be redelivered", messages=len(batch),
                          error=repr(exc))  # fmt: skip
            self._give_back(batch)

        def requeue(why: Any) -> None:
            log.error("batch requeued", messages=len(batch), task=self.task.name, reason=why)
            for held in batch:
                held.message.reject_log_error(log, errors, requeue=True)
            self._give_back(batch)

        calls = [held.call for held in batch]
        self.pool.apply_async(
            run_batch, (self.task, calls), callback=settle, error_callback=requeue
        )

    def _give_back(self, batch: list[_Held]) -> None:
        borrowed = sum(held.borrowed for held in batch)
        if borrowed and self.qos is not None:
            self.borrowed -= borrowed
            self.qos.decrement_eventually(borrowed)


def _acks_in_one_round_trip(message: Message) -> AbstractContextManager[None]:
    """The channel's way of sending many acks at once: one pipeline on Redis (app.broker), one
    multiple ack on RabbitMQ (app.broker_amqp); plain acks on any other transport."""
    one_trip = getattr(message.channel, "acks_in_one_round_trip", None)
    return one_trip() if one_trip else nullcontext()


def run_batch(task: BatchTask, calls: list[Call]) -> bool:
    """The pool side of a flush: True once the task's body returned, False if it raised (its
    messages are then requeued). A pool process that dies instead reaches `error_callback`.
    A prefork pool gets the task pickled by name and finds it in its process's one app."""
    try:
        task(calls)
    except Exception:
        log.exception("batch failed", messages=len(calls), task=task.name)
        return False
    return True
