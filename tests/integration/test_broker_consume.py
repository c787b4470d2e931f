"""app.broker's consume path: a message taken from the queue is never only in one process.

Regression test for the loss the chaos run found: kombu's stock Redis transport pops a message
with BRPOP and records it in `unacked` in a second round trip, so a broker or worker dying in
between lost an accepted webhook. The failure is simulated where it happens, in the script
that records taken messages in `unacked`, with the broker connection error it meets there.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import redis
from kombu import Connection, Consumer, Exchange, Producer, Queue

from app.broker import Channel

DB = 11
QUEUE = Queue("chaos-q", Exchange("chaos-q", type="direct"), routing_key="chaos-q")


@pytest.fixture
def url(redis_server: str) -> Iterator[str]:
    client = redis.Redis.from_url(f"{redis_server}/{DB}")
    client.flushdb()
    yield f"{redis_server}/{DB}"
    client.flushdb()
    client.close()


def _publish(url: str, body: dict) -> None:
    with Connection(url, transport="app.broker:Transport") as conn:
        Producer(conn.channel()).publish(body, exchange=QUEUE.exchange, declare=[QUEUE],
                                         routing_key="chaos-q", serializer="json")  # fmt: skip


def _consume_one(url: str) -> list:
    """Bodies delivered by one drain; the message is acked, as a task that ran would be."""
    received: list = []

    def on_message(body: dict, message) -> None:
        received.append(body)
        message.ack()

    with (
        Connection(url, transport="app.broker:Transport") as conn,
        Consumer(conn.channel(), [QUEUE], callbacks=[on_message], accept=["json"]),
    ):
        conn.drain_events(timeout=5)
    return received


def test_a_message_is_acked_and_leaves_nothing_behind(url: str) -> None:
    _publish(url, {"n": 1})
    assert _consume_one(url) == [{"n": 1}]
    client = redis.Redis.from_url(url)
    assert client.llen("chaos-q") == 0
    assert client.llen(Channel.inflight_key("chaos-q")) == 0
    assert client.hlen("unacked") == 0


def test_a_consumer_dying_between_take_and_record_loses_nothing(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish(url, {"n": 2})

    def broker_gone(*_args, **_kwargs):
        """The script recording taken messages (it removes them from the in-flight list)
        fails."""
        raise redis.ConnectionError("broker gone after the take")

    with monkeypatch.context() as patch:
        patch.setattr(Channel, "_record", property(lambda _channel: broker_gone))
        with pytest.raises(redis.ConnectionError):
            _consume_one(url)
    client = redis.Redis.from_url(url)
    assert client.llen("chaos-q") == 0
    assert client.hlen("unacked") == 0
    assert client.llen(Channel.inflight_key("chaos-q")) == 1
    assert _consume_one(url) == [{"n": 2}]
    assert client.llen(Channel.inflight_key("chaos-q")) == 0
    assert client.hlen("unacked") == 0


def test_one_take_moves_as_many_messages_as_the_prefetch_limit_allows(url: str) -> None:
    for n in range(5):
        _publish(url, {"n": n})
    client = redis.Redis.from_url(url)
    received: list = []
    with Connection(url, transport="app.broker:Transport") as conn:
        channel = conn.channel()
        consumer = Consumer(channel, [QUEUE], accept=["json"],
                            callbacks=[lambda body, _message: received.append(body)])  # fmt: skip
        consumer.qos(prefetch_count=3)
        with consumer:
            conn.drain_events(timeout=5)  # one BLMOVE, then the rest of the room in one call
            assert received == [{"n": 0}, {"n": 1}, {"n": 2}]
            assert client.llen("chaos-q") == 2
            assert client.hlen("unacked") == 3
            assert client.llen(Channel.inflight_key("chaos-q")) == 0
    assert client.llen("chaos-q") == 5  # unacked, so put back when the channel closed
    assert client.hlen("unacked") == 0


def _taken_by_a_consumer(url: str, body: dict) -> tuple[redis.Redis, bytes]:
    """A message published and moved into the in-flight list, as a consumer's BLMOVE does."""
    _publish(url, body)
    client = redis.Redis.from_url(url)
    item = client.lmove("chaos-q", Channel.inflight_key("chaos-q"), "RIGHT", "LEFT")
    assert item is not None
    return client, item


def _channel(conn: Connection) -> Channel:
    channel = conn.channel()
    assert isinstance(channel, Channel)
    return channel


def test_an_in_flight_message_is_put_back_only_once_old_enough(url: str) -> None:
    client, item = _taken_by_a_consumer(url, {"n": 3})
    with Connection(url, transport="app.broker:Transport") as conn:
        channel = _channel(conn)
        assert channel.reclaim("chaos-q", after=0.3) == 0  # first seen now
        assert client.llen(Channel.inflight_key("chaos-q")) == 1
        seen = client.hkeys(Channel.inflight_seen_key("chaos-q"))
        assert seen == [Channel.inflight_id(item).encode()]
        time.sleep(0.4)
        assert channel.reclaim("chaos-q", after=0.3) == 1
    assert client.lrange("chaos-q", 0, -1) == [item]
    assert client.llen(Channel.inflight_key("chaos-q")) == 0
    assert not client.exists(Channel.inflight_seen_key("chaos-q"))
    assert _consume_one(url) == [{"n": 3}]


def test_a_live_consumer_keeps_what_it_records_and_loses_what_was_put_back(url: str) -> None:
    client, item = _taken_by_a_consumer(url, {"n": 4})
    with Connection(url, transport="app.broker:Transport") as conn:
        channel = _channel(conn)
        payload = json.loads(item)
        assert channel.reclaim("chaos-q", after=0.3) == 0
        assert channel.qos.record("chaos-q", [item], [payload], []) == ([True], 0)
        time.sleep(0.4)
        assert channel.reclaim("chaos-q", after=0.3) == 0  # recorded: not in flight any more
        assert client.llen("chaos-q") == 0
        assert client.hlen("unacked") == 1

    client, item = _taken_by_a_consumer(url, {"n": 5})
    with Connection(url, transport="app.broker:Transport") as conn:
        channel = _channel(conn)
        assert channel.reclaim("chaos-q", after=0.3) == 0
        time.sleep(0.4)
        assert channel.reclaim("chaos-q", after=0.3) == 1  # its consumer took too long
        assert channel.qos.record("chaos-q", [item], [json.loads(item)], []) == ([False], 0)
        assert client.lrange("chaos-q", 0, -1) == [item]  # delivered once, by its next taker
