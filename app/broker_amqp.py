"""kombu's py-amqp transport (RabbitMQ), changed so that a batch's acks are one frame.

The batching task (tasks/batching.py) settles up to a hundred messages at once. Acked one by
one, that is a hundred `basic.ack` frames; AMQP's `basic.ack` with `multiple=True` acks every
unacked delivery up to a tag in one. It may only be sent when no delivery below that tag on
the channel is still unsettled by anyone else (another batch still running, a plain task), or
it would ack a message that was never applied. So the channel keeps the tags it delivered and
has not settled; `acks_in_one_round_trip` collects the acks made inside it and sends, on leaving,
one multiple ack for the longest run of collected tags that no unsettled tag interrupts, and a
plain ack for each one above the first gap (`ack_frames`).

Delivery tags are per channel and increase with each delivery, and the channel hands deliveries
to kombu in tag order, so a tag below one seen is always already known here.

Selected by `broker_transport` in app.queue for amqp:// (and amqps://, pyamqp://) brokers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import kombu
from amqp.exceptions import AMQPError, NotFound
from kombu.exceptions import OperationalError
from kombu.transport import pyamqp

# What reading queue depths from RabbitMQ raises when it is unreachable (app.metrics).
DEPTH_ERRORS = (OSError, OperationalError, AMQPError)


def queue_depths(connection: kombu.Connection, queues: Iterable[str]) -> dict[str, int]:
    """Messages ready on each queue (delivered, unacked ones not counted, as on Redis), by a
    passive declare on a channel of its own; a queue no worker has declared yet holds 0 (the
    broker then closes that channel). For `/metrics`."""
    connection.ensure_connection(max_retries=1)
    depths = {}
    for queue in queues:
        channel = connection.channel()
        try:
            depths[queue] = channel.queue_declare(queue, passive=True).message_count
        except NotFound:
            depths[queue] = 0
        else:
            channel.close()
    return depths


def ack_frames(tags: Collection[int], unsettled: Collection[int]) -> list[tuple[int, bool]]:
    """The `(delivery_tag, multiple)` acks that settle exactly `tags`, given every tag of the
    channel not settled yet (`tags` among them): one multiple ack for the tags below the lowest
    unsettled tag that is not being acked, then one plain ack for each of the others."""
    mine = sorted(set(tags))
    if not mine:
        return []
    others = [tag for tag in unsettled if tag < mine[-1] and tag not in set(mine)]
    gap = min(others, default=mine[-1] + 1)
    below = [tag for tag in mine if tag < gap]
    frames = [(below[-1], True)] if len(below) > 1 else [(tag, False) for tag in below]
    return frames + [(tag, False) for tag in mine if tag > gap]


class Channel(pyamqp.Channel):
    """py-amqp's channel, knowing its unsettled deliveries (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unsettled: set[int] = set()
        self._acks: list[int] | None = None  # collected while acks_in_one_round_trip is open

    def message_to_python(self, raw_message: Any) -> Any:
        message = super().message_to_python(raw_message)
        self.unsettled.add(message.delivery_tag)
        return message

    def basic_ack(self, delivery_tag: int, multiple: bool = False, *args: Any, **kw: Any) -> Any:
        if self._acks is not None and not multiple:
            self._acks.append(delivery_tag)
            return None
        self._settled(delivery_tag, multiple)
        return super().basic_ack(delivery_tag, multiple, *args, **kw)

    def basic_reject(self, delivery_tag: int, requeue: bool, *args: Any, **kw: Any) -> Any:
        self.unsettled.discard(delivery_tag)
        return super().basic_reject(delivery_tag, requeue, *args, **kw)

    def _settled(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self.unsettled = {tag for tag in self.unsettled if tag > delivery_tag}
        else:
            self.unsettled.discard(delivery_tag)

    @contextmanager
    def acks_in_one_round_trip(self) -> Iterator[None]:
        """Acks made inside are sent together on leaving (`ack_frames`); a connection error is
        raised there, and RabbitMQ redelivers the unacked messages when the channel closes (a
        redelivery the dedup absorbs)."""
        self._acks = []
        try:
            yield
        finally:
            tags, self._acks = self._acks, None
            for tag, multiple in ack_frames(tags, self.unsettled):
                self.basic_ack(tag, multiple)


class Connection(pyamqp.Connection):
    Channel = Channel


class Transport(pyamqp.Transport):
    Connection = Connection
