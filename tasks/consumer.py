"""The worker's consumer, with a message whose body cannot be decoded set aside, not dropped.

Celery acks such a message after logging it, so it is gone. On RabbitMQ a reject without
requeue sends it to the queue's dead-letter queue (`<queue>.dead`, app/queue.py), where an
operator can see what wrote it, as Celery's own reject of a message that is no task does. On
the Redis transport it never gets here: app/broker.py moves a message that does not decode to
`<queue>.poison` before delivering it."""

from __future__ import annotations

from typing import Any

import structlog
from celery.worker.consumer import Consumer as CeleryConsumer

log = structlog.get_logger("bouncekeeper.tasks.consumer")


class Consumer(CeleryConsumer):
    def on_decode_error(self, message: Any, exc: Exception) -> None:
        body = message.body
        log.error(
            "undecodable message set aside (dead-lettered where the broker does that)",
            queue=message.delivery_info.get("routing_key"),
            error=repr(exc),
            content_type=message.content_type,
            first_bytes=repr(body[:200]) if isinstance(body, bytes | str) else None,
        )
        message.reject(requeue=False)
