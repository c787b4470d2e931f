"""RabbitMQ as the broker (`BOUNCEKEEPER_BROKER_URL=amqp://…`), end to end on this machine's
RabbitMQ in a vhost of the test's own: quorum queues, webhooks to suppressions, the batching
task and its acks in one frame, dedup, poison dead-lettered, the broker away and back, a worker
killed mid-batch."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import amqp
import pytest
import redis
from celery import Celery
from kombu import Connection, Exchange, Producer, Queue

from app import create_app
from app.broker_amqp import Channel
from app.config import Settings
from app.queue import (
    AMQP_DELIVERY_LIMIT,
    INGEST_BATCH_TASK,
    declare_dead_letter_queues,
    make_celery,
)
from app.store import Store
from chaos.proxy import TcpProxy
from tests.conftest import STATE_DB
from tests.helpers import (
    BASE_MS,
    DAY_MS,
    contact,
    sample_payload,
    soft,
    suppression,
    wait_for,
    zepto_bounce,
)
from tests.integration import workers
from tests.integration.rabbitmq import rabbitmq_vhost, ready
from tests.integration.test_metrics import scrape, value

HOOK = {"Authorization": "Bearer zepto-secret"}
STATS_KEY = f"bk:stats:{BASE_MS // DAY_MS}"


def applied(state: redis.Redis) -> int:
    """Events applied so far, duplicates excluded (the event script counts them)."""
    return int(state.hget(STATS_KEY, "total") or 0)


def bounces(count: int, prefix: str = "r") -> list[dict]:
    return [zepto_bounce(f"{prefix}{n}@example.com", BASE_MS) for n in range(count)]


@pytest.fixture(scope="module")
def amqp_url() -> Iterator[str]:
    with rabbitmq_vhost() as url:
        yield url


@pytest.fixture
def settings(redis_server: str, amqp_url: str) -> Settings:
    return Settings(
        redis_url=f"{redis_server}/{STATE_DB}",
        broker_url=amqp_url,
        zeptomail_secret="zepto-secret",
        api_token="admin-token",
        broker_timeout_seconds=1.0,
    )


@pytest.fixture(scope="module")
def amqp_celery(redis_server: str, amqp_url: str) -> Celery:
    return make_celery(Settings(redis_url=f"{redis_server}/{STATE_DB}", broker_url=amqp_url))


# `celery` started with a slow batch timer (what is published within a second is one batch,
# prefetch permitting), writing each batch's size and each basic.ack frame py-amqp sends to
# the file named by BK_TEST_RECORD, one JSON line each.
RECORDING_CELERY = """
import json, os, sys
import amqp
import tasks.batching
record = open(os.environ["BK_TEST_RECORD"], "a", buffering=1)
tasks.batching.BatchTask.flush_after_s = 1.0
run, send = tasks.batching.run_batch, amqp.Channel.basic_ack
def running(task, calls):
    record.write(json.dumps(["batch", len(calls)]) + "\\n")
    return run(task, calls)
def sending(channel, delivery_tag, multiple=False, *args, **kwargs):
    record.write(json.dumps(["ack", delivery_tag, multiple]) + "\\n")
    return send(channel, delivery_tag, multiple, *args, **kwargs)
tasks.batching.run_batch = running
amqp.Channel.basic_ack = sending
from celery.__main__ import main
sys.argv[0] = "celery"
main()
"""


class Recorded:
    """What the recording worker wrote since `mark()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def mark(self) -> None:
        self.offset = self.path.stat().st_size

    def lines(self) -> list[list]:
        with self.path.open() as file:
            file.seek(self.offset)
            return [json.loads(line) for line in file if line.endswith("\n")]

    @property
    def batches(self) -> list[int]:
        return [line[1] for line in self.lines() if line[0] == "batch"]

    @property
    def acks(self) -> list[tuple[int, bool]]:
        return [(line[1], line[2]) for line in self.lines() if line[0] == "ack"]


@pytest.fixture(scope="module")
def recording_worker(
    redis_server: str, amqp_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Recorded]:
    """One real Celery worker (solo pool: one batch at a time) for the module, on its vhost."""
    path = tmp_path_factory.mktemp("amqp-worker") / "record.jsonl"
    path.touch()
    own = Settings(redis_url=f"{redis_server}/{STATE_DB}", broker_url=amqp_url)
    worker = workers.start_worker(
        own, ("-c", RECORDING_CELERY), ("--pool", "solo"), env_extra={"BK_TEST_RECORD": str(path)}
    )
    try:
        yield Recorded(path)
    finally:
        workers.stop(worker)


@pytest.fixture
def recorded(recording_worker: Recorded) -> Recorded:
    recording_worker.mark()
    return recording_worker


@pytest.fixture
def ack_frames(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Every basic.ack py-amqp sends in this process, as (delivery tag, multiple)."""
    frames: list[tuple[int, bool]] = []
    send = amqp.Channel.basic_ack

    def recording(channel, delivery_tag, multiple=False, *args, **kwargs):
        frames.append((delivery_tag, multiple))
        return send(channel, delivery_tag, multiple, *args, **kwargs)

    monkeypatch.setattr(amqp.Channel, "basic_ack", recording)
    return frames


def test_queues_are_quorum_queues_that_dead_letter(amqp_celery: Celery) -> None:
    queues = amqp_celery.amqp.queues
    with amqp_celery.connection_for_write() as connection:
        channel = connection.default_channel
        for name in ("celery", "sync"):
            queues[name].bind(channel).declare()
        dead = declare_dead_letter_queues(amqp_celery)
        # declaring again with other arguments is refused: the queue has exactly these
        classic = Queue("celery", Exchange("celery", type="topic"), routing_key="celery")
        with pytest.raises(amqp.PreconditionFailed):
            classic.bind(connection.channel()).declare()
    assert dead == ["celery.dead", "sync.dead"]
    assert queues["celery"].queue_arguments == {
        "x-queue-type": "quorum",
        "x-delivery-limit": AMQP_DELIVERY_LIMIT,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": "celery.dead",
    }
    assert queues["sync"].queue_arguments["x-dead-letter-routing-key"] == "sync.dead"
    # a worker without -Q takes the ingest queue only; sync has workers of its own
    assert set(queues.consume_from) == {"celery"}


def test_webhooks_become_suppressions_in_batches_acked_in_few_frames(
    settings: Settings, state, recorded: Recorded, amqp_url
) -> None:
    client = create_app(settings).test_client()
    payloads = bounces(120)
    with ThreadPoolExecutor(8) as pool:  # concurrent requests share messages (group commit)
        statuses = list(
            pool.map(
                lambda p: client.post("/webhooks/zeptomail", json=p, headers=HOOK).status_code,
                payloads,
            )
        )
    assert statuses == [202] * 120
    wait_for(lambda: applied(state) == 120, timeout=30)
    store = Store.from_url(settings.redis_url)
    assert store.suppression("r7@example.com")["source"] == "hard"
    wait_for(lambda: ready(amqp_url, "celery") == 0)
    # every batch was recorded before it ran; its ack frame follows it
    batches = recorded.batches
    frames = wait_for(lambda: len(recorded.acks) == len(batches) and recorded.acks)
    assert max(batches) > 1
    # the solo pool runs one batch at a time, so each batch's deliveries are the channel's
    # only unsettled ones: one frame per batch, a multiple ack for each batch of several
    assert [multiple for _, multiple in frames] == [size > 1 for size in batches]


@pytest.mark.usefixtures("recorded")
def test_the_seed_sample_and_an_escalation_give_the_same_suppressions_as_on_redis(
    settings: Settings, state
) -> None:
    """What tests/integration/test_webhook_to_suppression.py checks on the Redis broker."""
    client = create_app(settings).test_client()
    email = "full@example.com"
    payloads = [soft(email, BASE_MS + n * DAY_MS, message_id=f"<m{n}@x>") for n in range(3)]
    for payload in [sample_payload(), *payloads]:
        assert client.post("/webhooks/zeptomail", json=payload, headers=HOOK).status_code == 202
    record = wait_for(lambda: suppression(client, "john.doe@zylker.com"), timeout=30)
    assert (record["code"], record["source"]) == (2002, "hard")
    assert record["evidence"]["matched_by"] == "enhanced:5.1.2"
    escalated = wait_for(lambda: suppression(client, email), timeout=30)
    assert (escalated["code"], escalated["source"]) == (3001, "escalated")
    assert contact(client, email)["events"] == 3


@pytest.mark.usefixtures("recorded")
def test_the_same_webhook_twice_is_applied_once(settings: Settings, state) -> None:
    client = create_app(settings).test_client()
    twice = zepto_bounce("twice@example.com", BASE_MS)
    last = zepto_bounce("last@example.com", BASE_MS)
    for payload in (twice, twice, last):
        assert client.post("/webhooks/zeptomail", json=payload, headers=HOOK).status_code == 202
    store = Store.from_url(settings.redis_url)
    wait_for(lambda: store.suppression("last@example.com"))  # one solo worker, in order
    assert applied(state) == 2


@pytest.mark.usefixtures("recorded")
def test_messages_that_are_no_task_are_dead_lettered(amqp_url: str) -> None:
    """One that decodes but is no task (Celery rejects it) and one that does not decode
    (tasks/consumer.py rejects it; Celery alone would ack it and it would be gone): both are
    in `celery.dead`, which the worker declared at start."""
    with Connection(amqp_url) as connection:
        producer = Producer(connection.default_channel)
        producer.publish({"not": "a task"}, routing_key="celery", serializer="json")
        producer.publish(
            b"\xff not json", routing_key="celery", content_type="application/json",
            content_encoding="binary",
        )  # fmt: skip
    wait_for(lambda: ready(amqp_url, "celery.dead") == 2)
    with Connection(amqp_url) as connection:
        channel = connection.default_channel
        dead = [channel.basic_get("celery.dead", no_ack=True) for _ in range(2)]
    bodies = {m.body if isinstance(m.body, bytes) else m.body.encode() for m in dead}
    assert bodies == {b'{"not": "a task"}', b"\xff not json"}
    assert {message.headers["x-first-death-reason"] for message in dead} == {"rejected"}


def test_acks_in_one_round_trip_never_ack_a_message_below_an_unsettled_one(
    amqp_url: str, ack_frames
) -> None:
    """Five messages; the 2nd is still being worked on when 1, 3, 4 and 5 are acked together:
    one multiple ack can only cover the 1st, 3 to 5 go one by one, and the 2nd comes back
    when the channel closes unacked."""
    queue = Queue("acks-test", routing_key="acks-test", queue_arguments={"x-queue-type": "quorum"})
    with Connection(amqp_url, transport="app.broker_amqp:Transport") as connection:
        producer = Producer(connection.default_channel)
        for n in range(5):
            producer.publish({"n": n}, routing_key="acks-test", declare=[queue])
        channel = connection.channel()
        assert isinstance(channel, Channel)
        received = []
        consumer = channel.Consumer(queue, callbacks=[lambda body, m: received.append(m)])
        channel.basic_qos(0, 10, False)
        with consumer:
            wait_for(lambda: connection.drain_events(timeout=1) or len(received) == 5)
        first, second, *rest = received
        with channel.acks_in_one_round_trip():
            for message in [first, *rest]:
                message.ack()
        assert ack_frames == [(first.delivery_tag, False)] + [(m.delivery_tag, False) for m in rest]
        ack_frames.clear()
        with channel.acks_in_one_round_trip():
            second.ack()
        assert ack_frames == [(second.delivery_tag, False)]
        assert channel.unsettled == set()
        channel.close()
        assert ready(amqp_url, "acks-test") == 0


def test_a_batch_of_contiguous_deliveries_is_one_multiple_ack(amqp_url: str, ack_frames) -> None:
    queue = Queue("acks-run", routing_key="acks-run", queue_arguments={"x-queue-type": "quorum"})
    with Connection(amqp_url, transport="app.broker_amqp:Transport") as connection:
        producer = Producer(connection.default_channel)
        for n in range(6):
            producer.publish({"n": n}, routing_key="acks-run", declare=[queue])
        channel = connection.channel()
        received = []
        channel.basic_qos(0, 10, False)
        with channel.Consumer(queue, callbacks=[lambda body, m: received.append(m)]):
            wait_for(lambda: connection.drain_events(timeout=1) or len(received) == 6)
        with channel.acks_in_one_round_trip():
            for message in received[:4]:
                message.ack()
        assert ack_frames == [(received[3].delivery_tag, True)]
        channel.basic_recover(requeue=True)  # the two unacked ones go back, the four do not
        channel.close()
        wait_for(lambda: ready(amqp_url, "acks-run") == 2)


def test_the_broker_away_is_a_503_and_its_return_a_202(settings: Settings, state) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    away = replace(settings, broker_url=settings.broker_url.replace(":5672/", f":{proxy.port}/"))
    client = create_app(away).test_client()
    one = zepto_bounce("before@example.com", BASE_MS)
    assert client.post("/webhooks/zeptomail", json=one, headers=HOOK).status_code == 202
    proxy.cut()
    response = client.post("/webhooks/zeptomail", json=one, headers=HOOK)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    proxy.restore()
    after = zepto_bounce("after@example.com", BASE_MS)
    assert client.post("/webhooks/zeptomail", json=after, headers=HOOK).status_code == 202
    worker = workers.start_worker(settings)
    try:
        wait_for(lambda: applied(state) == 2, timeout=60)
    finally:
        workers.stop(worker)
        proxy.cut()


def test_a_worker_killed_mid_batch_loses_nothing_and_counts_nothing_twice(
    settings: Settings, state
) -> None:
    with rabbitmq_vhost() as url:
        own = replace(settings, broker_url=url)
        celery = make_celery(own)
        total = 2000
        with celery.connection_for_write() as conn, celery.producer_pool.acquire(conn) as producer:
            for payload in bounces(total, "k"):
                celery.send_task(
                    INGEST_BATCH_TASK,
                    args=[[["zeptomail", payload, BASE_MS, ""]]],
                    producer=producer,
                )
        worker = workers.start_worker(own)
        try:
            wait_for(lambda: applied(state) >= 200, timeout=60, interval=0.01)
            os.killpg(worker.pid, signal.SIGKILL)  # main process and pool, no goodbye
            worker.wait(timeout=10)
            at_kill = applied(state)
            assert at_kill < total
            # RabbitMQ requeues what the dead connection had unacked, at once
            assert wait_for(lambda: ready(url, "celery") >= total - at_kill)
            worker = workers.start_worker(own)
            wait_for(lambda: applied(state) == total and ready(url, "celery") == 0, timeout=120)
        finally:
            workers.stop(worker)
    store = Store.from_url(settings.redis_url)
    assert sum(1 for _ in store.contacts()) == total
    assert applied(state) == total  # redelivered events were duplicates, not counted again


def test_publishes_wait_for_confirms(amqp_celery: Celery) -> None:
    """`confirm_publish`: a publish returns once RabbitMQ has taken responsibility for it."""
    with amqp_celery.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connection.confirm_publish is True


def test_metrics_read_the_queue_depths_from_rabbitmq(
    settings: Settings, state, amqp_celery: Celery, amqp_url: str
) -> None:
    """Sync's queue, which no worker of this module consumes: two messages wait there."""
    with amqp_celery.connection_for_write() as connection:
        amqp_celery.amqp.queues["sync"].bind(connection.default_channel).declare()
        producer = Producer(connection.default_channel)
        for n in range(2):
            producer.publish({"n": n}, routing_key="sync", serializer="json")
    app = create_app(settings)
    samples = scrape(app.test_client())
    app.extensions["metrics_broker"].release()  # kept for the next scrape by a real web
    assert value(samples, "bouncekeeper_broker_up") == 1
    assert value(samples, "bouncekeeper_queue_depth", queue="sync") == 2
    assert ("bouncekeeper_queue_depth", (("queue", "celery"),)) in samples
    with Connection(amqp_url) as connection:
        connection.default_channel.queue_purge("sync")


def test_metrics_report_a_rabbitmq_that_is_away(settings: Settings, state) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    proxy.cut()
    away = replace(settings, broker_url=settings.broker_url.replace(":5672/", f":{proxy.port}/"))
    app = create_app(away)
    samples = scrape(app.test_client())
    app.extensions["metrics_broker"].release()
    assert value(samples, "bouncekeeper_broker_up") == 0
    assert value(samples, "bouncekeeper_state_up") == 1
