"""The web's task publishes: Celery's own message, handed to the broker channel in one call.

Why not `send_task`: at one event per webhook the web spent half of its CPU in Celery's and
kombu's publish layers (py-spy with 32 connections: 49 % of the time the web held the GIL, of
which the LPUSH itself was 9 %): a producer checked out of a pool per call, the queue's
declaration checked (entities copied and bound) per call, `connection.ensure` wrapping the
publish, signals. None of that changes from one webhook to the next.

What is the same: the message. Headers and body come from `celery.amqp.as_task_v2`, which is
what `send_task` calls; kombu's serializer registry encodes the body; app.broker's
`Channel.push` wraps it in kombu's envelope and LPUSHes it with the channel's kept client. A
test compares the result with `send_task`'s field by field, so a Celery upgrade that changes
the protocol fails there. Cost per publish, CPU in one thread: about 140 µs, against about
350 µs through `send_task` and 70 µs for a bare LPUSH of the payload.

The retry policy is the configured `task_publish_retry_policy`, through kombu's
`retry_over_time` as `send_task` would use it. What is left out: queue declaration (a Redis
list needs none to be pushed to; the worker declares its queue) and the publish signals
(nothing of ours listens but the request-id header, set here).

Brokers other than our Redis transports (one server or Sentinel) keep `send_task`.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import Celery
from celery.utils.nodenames import anon_nodename
from kombu.serialization import dumps
from kombu.utils.functional import retry_over_time
from kombu.utils.uuid import uuid

from app.logs import REQUEST_ID_HEADER
from app.queue import REDIS_TRANSPORTS

PERSISTENT = 2  # kombu's delivery mode of a durable queue's messages, as send_task sets it


class Publisher:
    """Thread-safe: gunicorn's threads share one, and its channel's Redis client."""

    def __init__(self, celery: Celery) -> None:
        self._celery = celery
        self._direct = celery.conf.broker_transport in REDIS_TRANSPORTS
        self._queue = celery.conf.task_default_queue
        self._origin = anon_nodename()
        self._policy = dict(celery.conf.task_publish_retry_policy)
        self._connection = celery.connection_for_write()  # connects on the first publish
        self._errors = self._connection.connection_errors
        self._lock = threading.Lock()
        self._channel: Any = None

    def send(self, task: str, args: list[Any], argsrepr: str, request_id: str | None) -> None:
        """Publish one task message, retrying a broker error as the policy says, then raising
        it (the web answers 503)."""
        if not self._direct:
            headers = {REQUEST_ID_HEADER: request_id} if request_id else None
            self._celery.send_task(task, args=args, argsrepr=argsrepr, headers=headers, retry=True)
            return
        message = self._celery.amqp.as_task_v2(
            uuid(),
            task,
            args=args,
            argsrepr=argsrepr,
            kwargsrepr="{}",
            origin=self._origin,
            reply_to=self._celery.thread_oid,
            ignore_result=None,
        )
        if request_id:
            message.headers[REQUEST_ID_HEADER] = request_id
        content_type, encoding, body = dumps(message.body, serializer="json")
        properties = {**message.properties, "delivery_mode": PERSISTENT}
        retry_over_time(
            self._push,
            self._errors,
            args=(body, content_type, encoding, message.headers, properties),
            max_retries=self._policy.get("max_retries", 3),
            interval_start=self._policy.get("interval_start", 0),
            interval_step=self._policy.get("interval_step", 0.2),
            interval_max=self._policy.get("interval_max", 0.2),
        )

    def _push(
        self,
        body: str,
        content_type: str,
        encoding: str,
        headers: dict[str, Any],
        properties: dict[str, Any],
    ) -> None:
        self._open_channel().push(self._queue, body, content_type, encoding, headers, properties)

    def _open_channel(self) -> Any:
        """One channel for the process, opened on first use (its creation pings the broker, so
        a broker that is down fails this publish and the next one tries again). One connection
        attempt: kombu's own default would wait 2 s and try again, under the policy's retries."""
        with self._lock:
            if self._channel is None:
                self._connection.ensure_connection(max_retries=0, reraise_as_library_errors=False)
                self._channel = self._connection.channel()
            return self._channel
