"""kombu's Redis transport, with the publishing client kept instead of rebuilt per message.

kombu creates a new `redis.Redis` for every publish; with redis-py 6+ building one costs about
0.4 ms (it copies ~170 response callbacks), more than the LPUSH it wraps. The client is
thread-safe and shares the channel's connection pool, so one per channel is enough.
Selected by `broker_transport` in app.queue; consuming is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    @cached_property
    def _publishing_client(self) -> Any:
        return self._create_client()

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        yield client or self._publishing_client


class Transport(kombu_redis.Transport):
    Channel = Channel
