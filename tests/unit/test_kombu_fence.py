"""The fence around app/broker.py's overrides of kombu's Redis transport (and app/broker_amqp.py's
of py-amqp's channel): every name they override or call that is not kombu's public API must
still exist, with the parameters the overrides pass, so that a kombu release that renames or
reshapes one fails here, by name, rather than in a worker at run time.

What a kombu upgrade must re-check beyond this is in docs/OPERATIONS.md ("Upgrading kombu or
Celery"); `make test-kombu-latest` runs this and the broker tests against the newest release.
"""

from __future__ import annotations

import inspect

import amqp
import pytest
from kombu.transport import pyamqp, virtual
from kombu.transport import redis as kombu_redis

# (owner, name, the parameters after self the override relies on, in order)
METHODS = [
    (kombu_redis.Channel, "_create_client", ["asynchronous"]),
    (kombu_redis.Channel, "_brpop_start", ["timeout"]),
    (kombu_redis.Channel, "_brpop_read", ["options"]),
    (kombu_redis.Channel, "_poll_error", ["type", "options"]),
    (kombu_redis.Channel, "_flush_brpop_reauth", []),
    (kombu_redis.Channel, "conn_or_acquire", ["client"]),
    (kombu_redis.Channel, "basic_consume", ["queue", "args", "kwargs"]),
    (kombu_redis.QoS, "_remove_from_indices", ["delivery_tag", "pipe"]),
    (kombu_redis.QoS, "pipe_or_acquire", ["pipe", "client"]),
    (kombu_redis.QoS, "restore_visible", ["start", "num", "interval"]),
    (kombu_redis.QoS, "append", ["message", "delivery_tag"]),
    (kombu_redis.QoS, "ack", ["delivery_tag"]),
    (virtual.QoS, "append", ["message", "delivery_tag"]),
    (virtual.QoS, "ack", ["delivery_tag"]),
    (virtual.QoS, "can_consume_max_estimate", []),
    (virtual.Channel, "decode_body", ["body", "encoding"]),
    (virtual.Transport, "_deliver", ["message", "queue"]),
    (pyamqp.Channel, "message_to_python", ["raw_message"]),
    (amqp.Channel, "basic_ack", ["delivery_tag", "multiple", "argsig"]),
    (amqp.Channel, "basic_reject", ["delivery_tag", "requeue", "argsig"]),
]

# Attributes of kombu's Redis channel that app/broker.py reads or sets around a poll, as
# kombu's own code assigns them.
CHANNEL_ASSIGNMENTS = [
    "self._in_poll =",
    "self._brpop_sent_at =",
    "self._queue_cycle =",
    "self.brpop_timeout =",
]
# Properties and class attributes app/broker.py reads.
ATTRIBUTES = [
    (kombu_redis.QoS, "unacked_key"),
    (kombu_redis.QoS, "unacked_index_key"),
    (kombu_redis.Channel, "client"),
    (kombu_redis.Channel, "active_queues"),
    (kombu_redis.Channel, "global_keyprefix"),
    (kombu_redis.Channel, "visibility_timeout"),
    (kombu_redis.Channel, "default_priority"),
]


@pytest.mark.parametrize(
    ("owner", "name", "parameters"), METHODS, ids=[f"{o.__name__}.{n}" for o, n, _ in METHODS]
)
def test_each_private_method_the_overrides_rely_on_is_still_there(owner, name, parameters):
    method = owner.__dict__.get(name)
    assert method is not None, f"{owner.__qualname__}.{name} is gone"
    found = list(inspect.signature(method).parameters)[1:]
    assert found == parameters, f"{owner.__qualname__}.{name}{found} changed"


def test_kombu_still_dispatches_a_redis_poll_by_command_name():
    """app.broker sends BLMOVE where kombu sends BRPOP and relies on kombu reading the reply
    through its 'BRPOP' handler, `_brpop_read`, and its errors through `_poll_error`."""
    source = inspect.getsource(kombu_redis.Channel)
    assert "'BRPOP': self._brpop_read" in source
    for assignment in CHANNEL_ASSIGNMENTS:
        assert assignment in source, f"kombu's Redis channel no longer sets {assignment[:-2]}"


@pytest.mark.parametrize(("owner", "name"), ATTRIBUTES, ids=[n for _, n in ATTRIBUTES])
def test_each_attribute_the_overrides_read_is_still_there(owner, name):
    assert any(name in vars(klass) for klass in owner.__mro__), f"{owner.__name__}.{name}"
