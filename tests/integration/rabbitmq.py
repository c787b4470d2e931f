"""This machine's RabbitMQ (127.0.0.1:5672, guest/guest), one vhost of its own per use: created
here, deleted afterwards, so no test touches the default vhost's queues."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from kombu import Connection

from chaos.rabbitmq import HOST, PORT, add_vhost, delete_vhost


def _reachable() -> bool:
    try:
        socket.create_connection((HOST, PORT), timeout=2).close()
    except OSError:
        return False
    return shutil.which("rabbitmqctl") is not None


@contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """The amqp:// URL of a new vhost, deleted (with its queues) on exit. Without a RabbitMQ
    the test is skipped, except in CI (CI=true), where one must be running."""
    if not _reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no RabbitMQ on {HOST}:{PORT} (and rabbitmqctl) in CI")
        pytest.skip(f"no RabbitMQ on {HOST}:{PORT} with rabbitmqctl")
    vhost = f"bk-test-{uuid.uuid4().hex[:12]}"
    try:
        yield add_vhost(vhost)
    finally:
        delete_vhost(vhost)


def ready(url: str, queue: str) -> int:
    """Messages waiting on `queue` (delivered but unacked ones are not counted)."""
    with Connection(url) as connection:
        _, count, _ = connection.default_channel.queue_declare(queue, passive=True)
        return count
