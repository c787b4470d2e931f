"""kombu's Redis transport, changed so that the publishing client is kept, a consumed message
is never only in a worker's memory, poison on a queue is set aside, and consuming costs fewer
round trips.

Publishing: kombu creates a new `redis.Redis` for every publish; with redis-py 6+ building one
costs about 0.4 ms (it copies ~170 response callbacks), more than the LPUSH it wraps. The
client is thread-safe and shares the channel's connection pool, so one per channel is enough.

Consuming: kombu takes a message with `BRPOP` and only then records it in its `unacked` hash,
in a second round trip. A broker or worker that dies between the two loses the message for
good: it is in neither the queue nor `unacked`, so no redelivery brings it back (the chaos run
found this: a 202-accepted webhook vanished when the broker was killed). Here a channel that
consumes one queue (with acks) takes the message with `BLMOVE` into `<queue>.inflight`
atomically, then records it in `unacked` as kombu does and removes it from the in-flight list
in one script. A message left there by a death in between is pushed back onto its queue when a
channel next starts consuming it, and, without any restart, by the periodic reclaim of every
consuming worker once it has been there half the visibility timeout (by the broker's clock; a
live consumer records within a round trip). A message is recorded only if it is still in the
in-flight list, so one put back is delivered once, by whoever takes it next.
Priority lists are not consumed on this path: bouncekeeper publishes without priorities.

Poison: an item on the list that is not a task message (not JSON, `{}`, a truncated write,
another program's item) is moved by that script from the in-flight list to `<queue>.poison`,
logged and counted, and consuming goes on. Parsed before it was recorded, it used to stay in
flight and come back at every consumer start: a crash loop.

Round trips: kombu spends two per message on the consuming side (take, record) and one per
ack, which at a thousand small messages a second is most of what a worker's main process does.
Here a take that finds a message also moves up to `TAKE_MORE` further ones into the in-flight
list in the same breath (one script call, within the prefetch limit), all of them are recorded
in `unacked` and removed from the in-flight list in one script call, and then delivered one
by one.
`QoS.acks_in_one_round_trip` lets a caller that acks many messages at once (the batching task,
tasks/batching.py) send their removals from `unacked` in one pipeline.

Publishing by the web (app/publisher.py) goes through `Channel.push`, one LPUSH of kombu's
envelope without kombu's per-call layers.

Selected by `broker_transport` in app.queue.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from math import inf
from queue import Empty
from time import monotonic, time
from typing import Any

import redis
import structlog
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual
from kombu.utils.encoding import bytes_to_str
from kombu.utils.json import dumps, loads
from kombu.utils.uuid import uuid

from app import metrics
from app.queue import reclaim_timing
from app.redis_urls import SENTINEL_SCHEMES
from app.store.connect import client_from_url
from app.store.lua import BROKER_MOVE_MORE, BROKER_RECLAIM, BROKER_RECORD

log = structlog.get_logger("bouncekeeper.broker")

TAKE_MORE = 99  # further messages a take may move at once, prefetch permitting
POISON_CAP = 10_000  # poison items kept per queue, newest first


def queue_depths(client: redis.Redis, queues: Iterable[str]) -> dict[str, int]:
    """Task messages waiting on each queue's list (taken ones are in `<queue>.inflight`, then
    in kombu's `unacked`), in one round trip; for `/metrics`."""
    names = list(queues)
    pipe = client.pipeline(transaction=False)
    for queue in names:
        pipe.llen(queue)
    return dict(zip(names, pipe.execute(), strict=True))


def depth_client(broker_url: str, timeout: float) -> redis.Redis | None:
    """A client to read queue depths with, for a Redis broker (one server, or a master under
    Sentinel); None for any other."""
    if broker_url.partition("://")[0] not in ("redis", "rediss", *SENTINEL_SCHEMES):
        return None
    return client_from_url(broker_url, socket_timeout=timeout, socket_connect_timeout=timeout)


class QoS(kombu_redis.QoS):
    """kombu's bookkeeping of unacked messages, with their writes to Redis grouped."""

    _acks: Any = None  # the pipeline collecting acks while acks_in_one_round_trip is open

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded: set[str] = set()  # tags `record` wrote to Redis, not yet delivered

    def record(
        self, queue: str, items: list[bytes], payloads: list[dict], poison: list[bytes]
    ) -> tuple[list[bool], int]:
        """What kombu's `append` writes for each message and its removal from the in-flight
        list, and the move of each poison item from there to the poison list, in one script:
        from in flight to unacked (or poison) atomically. Returns, per message, whether it was
        still in flight (one put back onto its queue meanwhile is not this consumer's any more),
        and how many poison items were moved."""
        args: list[Any] = [time(), POISON_CAP, len(items)]
        for item, payload in zip(items, payloads, strict=True):
            properties = payload["properties"]
            delivery = properties["delivery_info"]
            # kombu's `[payload, exchange, routing_key]`, with the payload's JSON as taken
            # rather than encoded again (a 50-event webhook's message is ~30 KB)
            route = dumps([delivery["exchange"], delivery["routing_key"]]).encode()
            args += [item, properties["delivery_tag"], b"," + route[1:]]
        keys = [
            Channel.inflight_key(queue),
            self.unacked_index_key,
            self.unacked_key,
            Channel.poison_key(queue),
        ]
        *flags, poisoned = self.channel._record(keys=keys, args=[*args, *poison])
        recorded = [bool(flag) for flag in flags]
        for payload, ok in zip(payloads, recorded, strict=True):
            if ok:
                self.recorded.add(payload["properties"]["delivery_tag"])
        return recorded, poisoned

    def restore_visible(self, *args: Any, **kwargs: Any) -> Any:
        """kombu's periodic restore of unacked messages (a worker calls it every
        `unacked_restore_interval` s), preceded by the reclaim of the in-flight lists."""
        self.channel.reclaim_inflight()
        return super().restore_visible(*args, **kwargs)

    def append(self, message: Any, delivery_tag: str) -> None:
        if delivery_tag in self.recorded:
            self.recorded.discard(delivery_tag)
            virtual.QoS.append(self, message, delivery_tag)
        else:
            super().append(message, delivery_tag)

    def ack(self, delivery_tag: str) -> None:
        if self._acks is None:
            super().ack(delivery_tag)
            return
        self._remove_from_indices(delivery_tag, self._acks)
        virtual.QoS.ack(self, delivery_tag)

    @contextmanager
    def acks_in_one_round_trip(self) -> Iterator[None]:
        """Acks made inside reach Redis together, on leaving; a broker error is raised there,
        and the messages, still in `unacked`, come back after the visibility timeout (a
        redelivery the dedup absorbs)."""
        with self.pipe_or_acquire() as pipe:
            self._acks = pipe
            try:
                yield
            finally:
                self._acks = None
                pipe.execute()


class Channel(kombu_redis.Channel):
    QoS = QoS

    @cached_property
    def _publishing_client(self) -> Any:
        return self._create_client()

    def push(
        self, queue: str, body: str, content_type: str, encoding: str, headers: dict, props: dict
    ) -> None:
        """Publish to a queue by name: the envelope kombu's `prepare_message` and
        `basic_publish` build for the anonymous exchange, pushed with the kept client in one
        LPUSH, without their per-call layers (app/publisher.py; its test compares the message
        with `send_task`'s)."""
        properties = {
            **props,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": self.default_priority,
            "body_encoding": "base64",
            "delivery_tag": uuid(),
        }
        message = {
            "body": b64encode(body.encode()).decode(),
            "content-encoding": encoding,
            "content-type": content_type,
            "headers": headers,
            "properties": properties,
        }
        self._publishing_client.lpush(queue, dumps(message))

    def acks_in_one_round_trip(self) -> AbstractContextManager[None]:
        """The batching task's acks as one pipeline (`QoS.acks_in_one_round_trip`)."""
        return self.qos.acks_in_one_round_trip()

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        yield client or self._publishing_client

    _moving: str | None = None  # the queue of the BLMOVE in flight, if one is

    @staticmethod
    def inflight_key(queue: str) -> str:
        return f"{queue}.inflight"

    @staticmethod
    def inflight_seen_key(queue: str) -> str:
        """When the reclaim first saw each message in the in-flight list (BROKER_RECLAIM)."""
        return f"{queue}.inflight.seen"

    @staticmethod
    def inflight_id(item: bytes) -> str:
        """The name BROKER_RECLAIM knows an in-flight message by in `inflight_seen_key`."""
        named = str(len(item)).encode() + b":" + item[-256:]
        return hashlib.sha1(named).hexdigest()  # noqa: S324 - a name, not a secret

    @staticmethod
    def poison_key(queue: str) -> str:
        """Where items of `queue` that are not task messages are kept for an operator."""
        return f"{queue}.poison"

    @cached_property
    def _no_ack_queues(self) -> set[str]:
        return set()

    @cached_property
    def _move_more(self) -> Any:
        return self._publishing_client.register_script(BROKER_MOVE_MORE)

    @cached_property
    def _record(self) -> Any:
        return self._publishing_client.register_script(BROKER_RECORD)

    @cached_property
    def _reclaim(self) -> Any:
        return self._publishing_client.register_script(BROKER_RECLAIM)

    _reclaimed_at = -inf  # monotonic time of this channel's last reclaim

    def reclaim_inflight(self) -> int:
        """Put back what consumers that died between take and record (a worker host lost)
        left in the in-flight lists of the queues this channel consumes, at most every
        `reclaim_timing(...)[0]` s; a consumer needs no restart for it."""
        every, after = reclaim_timing(self.visibility_timeout)
        now = monotonic()
        if now - self._reclaimed_at < every or self.global_keyprefix:
            return 0
        self._reclaimed_at = now
        queues = [q for q in self.active_queues if q not in self._no_ack_queues]
        return sum(self.reclaim(queue, after) for queue in queues)

    def reclaim(self, queue: str, after: float) -> int:
        """Put back onto `queue` its in-flight messages seen there for `after` s or more."""
        keys = [queue, self.inflight_key(queue), self.inflight_seen_key(queue)]
        moved = self._reclaim(keys=keys, args=[int(after * 1000)])
        if moved:
            log.warning(
                "messages a consumer left in flight (it died between take and record) put back",
                moved=moved, inflight=self.inflight_key(queue), queue=queue,
            )  # fmt: skip
        return moved

    def basic_consume(self, queue: str, no_ack: bool, *args: Any, **kwargs: Any) -> Any:
        """Before consuming, put back what a consumer that died mid-take left in flight."""
        with self.conn_or_acquire() as client:
            while client.lmove(self.inflight_key(queue), queue, "RIGHT", "RIGHT"):
                pass
        if no_ack:  # nothing to redeliver: kombu's own take
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def _brpop_start(self, timeout: float | None = None) -> None:
        queues = self._queue_cycle.consume(len(self.active_queues))
        if len(queues) != 1 or self.global_keyprefix or queues[0] in self._no_ack_queues:
            super()._brpop_start(timeout)
            return
        (queue,) = queues
        self._moving = queue
        self._in_poll = self.client.connection
        self._brpop_sent_at = monotonic()
        wait = self.brpop_timeout if timeout is None else timeout
        command = ("BLMOVE", queue, self.inflight_key(queue), "RIGHT", "LEFT", wait or 0)
        self.client.connection.send_command(*command)

    def _brpop_read(self, **options: Any) -> bool:
        queue, self._moving = self._moving, None
        if queue is None:
            return super()._brpop_read(**options)
        try:
            try:
                item = self.client.parse_response(self.client.connection, "BLMOVE", **options)
            except self.connection_errors:
                self.client.connection.disconnect()
                raise
            if item is None:
                raise Empty()
            items = [item, *self._take_more(queue, self.inflight_key(queue))]
            messages, payloads, poison = [], [], []
            for taken in items:
                payload = self._task_message(taken)
                if payload is None:
                    poison.append(taken)
                else:
                    messages.append(taken)
                    payloads.append(payload)
            recorded, poisoned = self.qos.record(queue, messages, payloads, poison)
            if poisoned:
                self._report_poison(queue, poison, poisoned)
            delivered = [p for p, ok in zip(payloads, recorded, strict=True) if ok]
            if not delivered:
                raise Empty()
            for payload in delivered:
                self.connection._deliver(payload, queue)
            return True
        finally:
            # Not empty only if a delivery raised: the undelivered ones are in `unacked` and come
            # back after the visibility timeout, as a dead worker's would.
            self.qos.recorded.clear()
            self._in_poll = None
            self._flush_brpop_reauth()

    def _task_message(self, item: bytes) -> dict | None:
        """The envelope of a task message, or None for anything else on the list (not JSON,
        `{}`, a truncated write, another program's item): the fields recording and delivering
        it read must be there, and its body must decode."""
        try:
            payload = loads(bytes_to_str(item))
            properties = payload["properties"]
            delivery = properties["delivery_info"]
            fields = (properties["delivery_tag"], delivery["exchange"], delivery["routing_key"])
            if not all(isinstance(value, str) for value in fields):
                return None
            if not isinstance(payload.get("headers") or {}, dict):
                return None
            if payload.get("body"):
                self.decode_body(payload["body"], properties.get("body_encoding"))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return payload

    @staticmethod
    def _report_poison(queue: str, poison: list[bytes], moved: int) -> None:
        """Logged and counted, so an operator sees it; consuming goes on."""
        for item in poison:
            log.error(
                "not a task message on a broker queue, moved to its poison list",
                queue=queue, poison=Channel.poison_key(queue), head=repr(item[:200]),
            )  # fmt: skip
        metrics.BROKER_POISON.labels(queue).inc(moved)

    def _take_more(self, queue: str, inflight: str) -> list[bytes]:
        """Messages beyond the one just taken that the prefetch limit lets this channel have."""
        room = self.qos.can_consume_max_estimate()
        more = TAKE_MORE if room is None else min(TAKE_MORE, room - 1)
        if more <= 0:
            return []
        return self._move_more(keys=[queue, inflight], args=[more])

    def _poll_error(self, type: str, **options: Any) -> Any:
        """A socket error while a BLMOVE is pending: read its reply as a BLMOVE's (a message it
        moved stays in flight and is put back by the next consumer start)."""
        queue, self._moving = self._moving, None
        if type == "BRPOP" and queue is not None:
            return self.client.parse_response(self.client.connection, "BLMOVE")
        return super()._poll_error(type, **options)


class Transport(kombu_redis.Transport):
    Channel = Channel


class SentinelChannel(Channel, kombu_redis.SentinelChannel):
    """The channel above, on the master kombu's Sentinel channel finds (and finds again after a
    failover): a `redis+sentinel://` broker keeps the project's take, record, poison and publish
    paths (app/queue.py turns the URL into kombu's `sentinel://` form and `master_name`)."""


class SentinelTransport(kombu_redis.SentinelTransport):
    Channel = SentinelChannel
