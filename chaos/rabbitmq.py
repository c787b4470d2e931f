"""RabbitMQ as the chaos run's broker (`python -m chaos --broker rabbitmq`): a vhost of the
run's own on this machine's RabbitMQ (127.0.0.1:5672, guest/guest), deleted at the end, reached
through a TCP relay (chaos/proxy.py) that the broker fault cuts: the machine's RabbitMQ is
shared with other programs and is never stopped itself. Also the vhost helpers the tests use."""

from __future__ import annotations

import subprocess
import uuid

from kombu import Connection, Producer

from app.broker_amqp import queue_depths
from chaos.proxy import TcpProxy

HOST, PORT = "127.0.0.1", 5672
STATS_LAG_S = 5  # RabbitMQ's default collect_statistics_interval: how stale its counts may be


def rabbitmqctl(*args: str) -> str:
    command = ["rabbitmqctl", "-q", *args]
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)
    return done.stdout


def add_vhost(vhost: str) -> str:
    """Create `vhost` with all rights for guest; its amqp:// URL."""
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    return f"amqp://guest:guest@{HOST}:{PORT}/{vhost}"


def delete_vhost(vhost: str) -> None:
    rabbitmqctl("delete_vhost", vhost)


def queue_counts(vhost: str) -> dict[str, tuple[int, int]]:
    """(ready, unacked) messages per queue of `vhost`."""
    out = rabbitmqctl(
        "list_queues", "-p", vhost, "--no-table-headers", "name", "messages_ready",
        "messages_unacknowledged",
    )  # fmt: skip
    counts = {}
    for line in out.splitlines():
        name, ready, unacked = line.split("\t")
        counts[name] = (int(ready), int(unacked))
    return counts


class RabbitBroker:
    """Looks like chaos.cluster's processes to the run: `kill` cuts the relay (every client's
    connection drops and new ones are refused), `start` restores it."""

    name = "broker"

    def __init__(self) -> None:
        self.vhost = f"bk-chaos-{uuid.uuid4().hex[:12]}"
        add_vhost(self.vhost)
        self.proxy = TcpProxy(HOST, PORT)
        self.proxy.cut()
        self.starts = 0

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.proxy.port}/{self.vhost}"

    def start(self) -> None:
        self.proxy.restore()
        self.starts += 1

    def kill(self) -> None:
        self.proxy.cut()

    def stop(self) -> None:
        self.proxy.cut()
        delete_vhost(self.vhost)

    def exited(self) -> bool:
        return False

    def counts(self, queue: str) -> tuple[int, int]:
        return queue_counts(self.vhost).get(queue, (0, 0))

    def drained(self, queue: str) -> bool:
        """Nothing ready (a passive declare: live) and nothing unacked (RabbitMQ's statistics,
        which lag by up to `STATS_LAG_S`: callers look for longer than that)."""
        with Connection(self._direct_url) as connection:
            if queue_depths(connection, [queue])[queue]:
                return False
        return self.counts(queue) == (0, 0)

    @property
    def _direct_url(self) -> str:
        """Straight to RabbitMQ, not through the relay."""
        return f"amqp://guest:guest@{HOST}:{PORT}/{self.vhost}"

    def publish(self, queue: str, body: bytes, content_type: str) -> None:
        """One message onto `queue` as another program would put it there."""
        with Connection(self._direct_url) as connection:
            Producer(connection.default_channel).publish(
                body, routing_key=queue, content_type=content_type, content_encoding="binary"
            )
