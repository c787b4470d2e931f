"""kombu's Redis transport, with two changes: the publishing client is kept, and a consumed
message is never only in a worker's memory.

Publishing: kombu creates a new `redis.Redis` for every publish; with redis-py 6+ building one
costs about 0.4 ms (it copies ~170 response callbacks), more than the LPUSH it wraps. The
client is thread-safe and shares the channel's connection pool, so one per channel is enough.

Consuming: kombu takes a message with `BRPOP` and only then records it in its `unacked` hash,
in a second round trip. A broker or worker that dies between the two loses the message for
good: it is in neither the queue nor `unacked`, so no redelivery brings it back (the chaos run
found this: a 202-accepted webhook vanished when the broker was killed). Here a channel that
consumes one queue takes the message with `BLMOVE` into `<queue>.inflight` atomically, records
it in `unacked` as kombu does, then removes it from the in-flight list. A message left there
by a death in between is pushed back onto its queue when a channel next starts consuming it;
that may deliver it twice, which the event dedup absorbs. Priority lists are not consumed on
this path: bouncekeeper publishes without priorities.

Selected by `broker_transport` in app.queue.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from queue import Empty
from time import monotonic
from typing import Any

from kombu.transport import redis as kombu_redis
from kombu.utils.encoding import bytes_to_str
from kombu.utils.json import loads


class Channel(kombu_redis.Channel):
    @cached_property
    def _publishing_client(self) -> Any:
        return self._create_client()

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        yield client or self._publishing_client

    _moving: str | None = None  # the queue of the BLMOVE in flight, if one is

    @staticmethod
    def inflight_key(queue: str) -> str:
        return f"{queue}.inflight"

    def basic_consume(self, queue: str, *args: Any, **kwargs: Any) -> Any:
        """Before consuming, put back what a consumer that died mid-take left in flight."""
        with self.conn_or_acquire() as client:
            while client.lmove(self.inflight_key(queue), queue, "RIGHT", "RIGHT"):
                pass
        return super().basic_consume(queue, *args, **kwargs)

    def _brpop_start(self, timeout: float | None = None) -> None:
        queues = self._queue_cycle.consume(len(self.active_queues))
        if len(queues) != 1 or self.global_keyprefix:
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
            self.connection._deliver(loads(bytes_to_str(item)), queue)
            with self.conn_or_acquire() as client:
                client.lrem(self.inflight_key(queue), 1, item)
            return True
        finally:
            self._in_poll = None
            self._flush_brpop_reauth()

    def _poll_error(self, type: str, **options: Any) -> Any:
        """A socket error while a BLMOVE is pending: read its reply as a BLMOVE's (a message it
        moved stays in flight and is put back by the next consumer start)."""
        queue, self._moving = self._moving, None
        if type == "BRPOP" and queue is not None:
            return self.client.parse_response(self.client.connection, "BLMOVE")
        return super()._poll_error(type, **options)


class Transport(kombu_redis.Transport):
    Channel = Channel
