"""The chaos run: post the stream through real processes while faults strike, then compare.

Faults, each at a point of the stream's progress (accepted requests), while the senders keep
posting: a worker pool process is SIGKILLed (prefork replaces it, its task is requeued); the
whole worker is SIGKILLed and restarted once its unacked tasks are past the visibility
timeout (the restarted worker's first sweep requeues them); the state Redis is SIGKILLed and
restarted on its AOF (tasks wait for it in place meanwhile); the broker is SIGKILLed and
restarted a few seconds later (the web answers 503, each sender posts the same bytes again
until 202); poison items (not JSON, `{}`, a truncated message) are pushed onto the broker's
queue lists and one into an in-flight list (each must be set aside, ingestion going on); a
message of the batching task holding an unparseable webhook between two good ones is published
(the good ones are applied, it alone is dead-lettered, once); the state Redis refuses writes
for a while each way production's does: out of memory, read-only replica, MISCONF (the worker
waits; nothing is dead-lettered or lost); a worker host is lost between take and record
(messages moved into `celery.inflight` as its consumer would, never recorded: the running
worker must put them back within the visibility timeout, no restart). Throughout, beside the
sink that is checked, one sink trickles its answers a byte at a time and one never answers:
neither may hold up ingestion or that sink. When the broker holds no queued or unacked ingest
task, Redis must equal the oracle.

Alongside, a second cluster in the default set-up, one Redis for broker and state, posts its
own stream while that Redis is SIGKILLed and restarted within a second, several times, each
time while the worker works through a backlog (`SharedKills`); its Redis must equal its own
oracle too.

With `--broker rabbitmq` the broker is a vhost of this machine's RabbitMQ (chaos/rabbitmq.py)
behind a relay: the broker fault cuts every connection and refuses new ones for 4 s, the poison
is published onto both queues and must end in their dead-letter queues, and the Redis
transport's own faults (the lost host's in-flight list) and the one-Redis run are left out.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import redis

from app.broker import Channel
from app.config import Settings
from app.policy import MS_PER_DAY, Policy, utc_day
from app.providers import zeptomail
from app.providers.base import WebhookRequest
from app.queue import INGEST_BATCH_TASK, make_celery
from app.store import Store
from chaos import cluster, oracle, redis_cluster, sink, stream
from chaos.rabbitmq import STATS_LAG_S, RabbitBroker

VISIBILITY_TIMEOUT_S = 5
SECRET = "chaos-secret"  # noqa: S105 - a loopback-only run's own secret
SENDERS = 4
FAULT_POINTS = {
    "pool_kill": 0.15,
    "worker_kill": 0.30,
    "poison": 0.40,
    "poison_batch": 0.45,
    "state_restart": 0.50,
    "state_refuses": 0.58,
    "host_lost": 0.64,  # not right after broker_down: the worker's consumer is reconnecting
    "broker_down": 0.70,
}
INGEST_QUEUE, SYNC_QUEUE = "celery", "sync"
# Faults of the Redis transport's own lists, which a RabbitMQ broker does not have.
REDIS_BROKER_ONLY = {"host_lost"}
STALLED_SINK_TIMEOUT_S = 2  # the trickling and the hanging sink's TIMEOUT
# A ZeptoMail bounce whose address is a number: its parser raises AttributeError.
UNPARSEABLE = {"data": [{"contact_email": 5, "action_time": 1, "bounce_code": "550"}]}


@dataclass(frozen=True)
class Size:
    events: int
    contacts: int
    post_seconds: float  # pace of posting, so the faults land mid-stream
    drain_timeout: float  # > kombu's ~100 s sweep of `unacked`, the slowest way back
    refusal_seconds: float  # how long the state Redis refuses writes, each way
    shared_kills: int  # kills of the one Redis of the default set-up (`SharedKills`)


SIZES = {
    "short": Size(events=3_000, contacts=500, post_seconds=45, drain_timeout=120,
                  refusal_seconds=2, shared_kills=5),
    "full": Size(events=20_000, contacts=3_000, post_seconds=120, drain_timeout=300,
                 refusal_seconds=10, shared_kills=8),
}  # fmt: skip


@dataclass
class Tally:
    """What the senders saw, shared between their threads."""

    accepted: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Sender:
    """Posts requests in order at a steady pace; a 503 or a refused connection is retried
    with the very same bytes, as an ESP retries, until the web answers 202."""

    def __init__(self, port: int, requests: list[stream.Request], seconds: float):
        self.port = port
        self.requests = requests
        self.interval = seconds / max(1, len(requests))
        self.tally = Tally()
        self.started = time.monotonic()
        self._next = 0
        self._lock = threading.Lock()

    def run(self, threads: int) -> None:
        self.started = time.monotonic()
        workers = [threading.Thread(target=self._loop, daemon=True) for _ in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()

    def _take(self) -> int | None:
        with self._lock:
            if self._next >= len(self.requests) or self.tally.failures:
                return None
            self._next += 1
            return self._next - 1

    def _loop(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while (index := self._take()) is not None:
            delay = self.started + index * self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            connection = self._post_until_accepted(connection, self.requests[index])
        connection.close()

    def _post_until_accepted(
        self, connection: http.client.HTTPConnection, request: stream.Request
    ) -> http.client.HTTPConnection:
        headers = {
            "Content-Type": oracle.MIMETYPES[request.provider],
            "Authorization": f"Bearer {SECRET}",
        }
        while True:
            try:
                connection.request("POST", f"/webhooks/{request.provider}", request.body, headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with self.tally.lock:
                    self.tally.connection_errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                time.sleep(0.2)
                continue
            with self.tally.lock:
                self.tally.statuses[response.status] += 1
                if response.status == 202:
                    self.tally.accepted += 1
                    return connection
                if response.status != 503:
                    self.tally.failures.append(f"HTTP {response.status} for a valid request")
                    return connection
            time.sleep(0.2)


class Faults:
    """Strikes each fault once the stream has reached its point; logs what it did and when."""

    def __init__(
        self,
        processes: cluster.Cluster,
        sender: Sender,
        total: int,
        workdir: Path,
        size: Size,
        arrival_ms: int,
    ):
        self.cluster = processes
        self.sender = sender
        self.total = total
        self.workdir = workdir
        self.refusal_s = size.refusal_seconds
        self.arrival_ms = arrival_ms
        self.timeline: list[str] = []
        self.kills: Counter[str] = Counter()
        self.poisoned: Counter[str] = Counter()  # poison items pushed, by queue
        self.reclaimed_s: float | None = None  # how long a lost host's messages took to return
        self.problems: list[str] = []
        self.unparseable = 0  # unparseable webhooks published: each dead-lettered once
        broker = processes.broker
        self.rabbit = broker if isinstance(broker, RabbitBroker) else None
        self.failovers = 0  # cluster failover drills done

    def run(self) -> None:
        for name, point in FAULT_POINTS.items():
            if self.rabbit is not None and name in REDIS_BROKER_ONLY:
                continue
            while self.sender.tally.accepted < point * self.total:
                if self.sender.tally.failures:
                    return
                time.sleep(0.05)
            getattr(self, name)()

    def _note(self, text: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.sender.started:6.1f} s  {text}")

    def poison(self) -> None:
        """Items that are not task messages, where another writer or a truncated write would
        put them: on both queue lists, and one in flight as if a consumer had died with it.
        On RabbitMQ, messages of that kind published onto both queues."""
        if self.rabbit is not None:
            junk = [b"not json", b"{}", b'{"body": "trunc']
            for body in junk:
                self.rabbit.publish(INGEST_QUEUE, body, "application/json")
            self.rabbit.publish(SYNC_QUEUE, b"[]", "application/json")
            self.poisoned.update({INGEST_QUEUE: len(junk), SYNC_QUEUE: 1})
            self._note(f"poison messages published onto the queues: {dict(self.poisoned)}")
            return
        with self._broker() as broker:
            sample = broker.lindex(INGEST_QUEUE, 0) or b'{"body": "' + b"x" * 64 + b'"}'
            junk = [b"not json", b"{}", sample[: len(sample) // 2]]
            broker.lpush(INGEST_QUEUE, *junk)
            broker.lpush(Channel.inflight_key(INGEST_QUEUE), b"\xff a crashed consumer's junk")
            broker.lpush(SYNC_QUEUE, b"[]")
        self.poisoned.update({INGEST_QUEUE: len(junk) + 1, SYNC_QUEUE: 1})
        self._note(f"poison items pushed onto the broker lists: {dict(self.poisoned)}")

    def host_lost(self) -> None:
        """A second worker host takes messages (BLMOVE into the in-flight list, as its consumer
        does) and dies before recording them. The running worker must put them back within
        the visibility timeout, without any restart: its reclaim must have seen them (a
        consumer that restarts, e.g. reconnecting after the broker fault, puts back all it
        finds at once; then the fault is struck again)."""
        for _ in range(3):
            if self._lose_a_host():
                break
            self._note("a consumer (re)start put them back, not the reclaim: once more")
            time.sleep(2)
        else:
            self.problems.append("host_lost: the reclaim never saw the lost host's messages")
            return
        assert self.reclaimed_s is not None
        if self.reclaimed_s > VISIBILITY_TIMEOUT_S + 1:
            self.problems.append(
                f"a lost host's messages came back after {self.reclaimed_s:.1f} s, beyond the "
                f"visibility timeout of {VISIBILITY_TIMEOUT_S} s"
            )

    def _lose_a_host(self) -> bool:
        """One strike of `host_lost`; whether the reclaim put the messages back. The worker is
        paused for the moment of the take, so that messages are queued to be taken."""
        worker = self.cluster.worker
        assert worker.process is not None
        inflight = Channel.inflight_key(INGEST_QUEUE)
        seen_key = Channel.inflight_seen_key(INGEST_QUEUE)
        with self._broker() as broker:
            os.kill(worker.process.pid, signal.SIGSTOP)
            try:
                cluster.wait_until(lambda: broker.llen(INGEST_QUEUE) >= 3, 10, "queued tasks")
            except TimeoutError:
                pass  # take what there is
            finally:
                taken = [broker.lmove(INGEST_QUEUE, inflight, "RIGHT", "LEFT") for _ in range(3)]
                lost_at = time.monotonic()
                os.kill(worker.process.pid, signal.SIGCONT)
            taken = [item for item in taken if item is not None]
            self._note(f"a worker host took {len(taken)} message(s) and died before recording")
            if not taken:
                self.problems.append("host_lost: no message was queued to take")
                return True
            names = [Channel.inflight_id(item) for item in taken]
            seen = False
            deadline = lost_at + 10 * VISIBILITY_TIMEOUT_S
            while set(taken) & set(broker.lrange(inflight, 0, -1)):
                seen = seen or any(broker.hmget(seen_key, names))
                if time.monotonic() > deadline:
                    raise TimeoutError("reclaim of a lost host's take: not within the deadline")
                time.sleep(0.05)
            self.reclaimed_s = time.monotonic() - lost_at
        if seen:
            self._note(f"its messages were put back after {self.reclaimed_s:.1f} s, no restart")
        return seen

    def _broker(self) -> redis.Redis:
        return redis.Redis.from_url(self.cluster.broker.url)

    def _freeze_pool(self, unacked: int) -> tuple[list[int], int]:
        """SIGSTOP the pool processes and let the worker's main process reserve tasks until
        `unacked` are in its hands (or 10 s pass), so the kill that follows hits tasks."""
        children = self.cluster.worker.children()
        for pid in children:
            os.kill(pid, signal.SIGSTOP)
        deadline = time.monotonic() + 10
        while self._unacked() < unacked and time.monotonic() < deadline:
            time.sleep(0.05)
        return children, self._unacked()

    def _unacked(self) -> int:
        if self.rabbit is not None:
            return self.rabbit.counts(INGEST_QUEUE)[1]
        with self._broker() as broker:
            return broker.hlen("unacked")

    def pool_kill(self) -> None:
        children, held = self._freeze_pool(2)
        if children:
            os.kill(children[0], signal.SIGKILL)
            self.kills["worker pool process"] += 1
        for pid in children[1:]:
            os.kill(pid, signal.SIGCONT)
        self._note(f"SIGKILL worker pool process {children[:1]}, {held} tasks unacked")

    def worker_kill(self) -> None:
        worker = self.cluster.worker
        _, held = self._freeze_pool(4)
        worker.kill()
        self.kills["worker"] += 1
        self._note(f"SIGKILL worker (main and pool) holding {held} unacked tasks")
        time.sleep(VISIBILITY_TIMEOUT_S + 2)
        worker.start()
        self._note("worker restarted")

    def poison_batch(self) -> None:
        """A message of the batching task holding an unparseable webhook between two good ones
        (copies of accepted requests, so the oracle does not change), published as the web
        would: the good ones are applied, the bad one dead-lettered once, the message acked."""
        settings = Settings(zeptomail_secret=SECRET, email_secret=SECRET)
        good = [
            zeptomail.load(
                WebhookRequest({}, request.body, "application/json", self.arrival_ms), settings
            ).payload
            for request in [r for r in self.sender.requests if r.provider == "zeptomail"][:2]
        ]
        payloads = [good[0], UNPARSEABLE, good[1]]
        celery = make_celery(Settings(broker_url=self.cluster.broker.url))
        try:
            webhooks = [["zeptomail", payload, self.arrival_ms, ""] for payload in payloads]
            celery.send_task(INGEST_BATCH_TASK, args=[webhooks])
        finally:
            celery.close()
        self.unparseable += 1
        self._note("published a batch holding an unparseable webhook between two good ones")

    def state_refuses(self) -> None:
        """The state Redis refuses writes, each way in turn, while the senders keep posting."""
        for how in self.cluster.state.refusals:
            remedy = self.cluster.state.refuse_writes(how, self.workdir)
            self._note(f"state redis refuses writes ({how}) for {self.refusal_s:g} s")
            time.sleep(self.refusal_s)
            remedy()
        self._note("state redis takes writes again")

    def state_restart(self) -> None:
        state = self.cluster.state
        if state.replicas:
            self._failover_drill(state)
            return
        state.kill()
        self.kills["state redis"] += 1
        self._note("SIGKILL state redis-server")
        time.sleep(2)
        state.start()
        self._note("state redis-server restarted on its AOF")

    def _failover_drill(self, state: redis_cluster.ClusterState) -> None:
        """The cluster's failover drill: a master with a replica is SIGKILLed; its replica
        is promoted (replication is asynchronous, so what it had not received is lost: the
        comparison with the oracle counts it); the old master comes back as a replica."""
        promoted, unserved_s = state.failover()
        self.kills["state cluster master"] += 1
        self.failovers += 1
        self._note(f"SIGKILL a state cluster master; replica {promoted.port} promoted, "
                   f"slots unserved {unserved_s:.1f} s")  # fmt: skip
        state.start()
        self._note("the killed master is back, as a replica")

    def broker_down(self) -> None:
        """The broker dies while the worker has taken a message it has not recorded yet: the
        worker's main process is stopped while it waits on the queue, so the server hands the
        next message to it, then the broker is killed and the worker resumed."""
        broker, worker = self.cluster.broker, self.cluster.worker
        assert worker.process is not None
        os.kill(worker.process.pid, signal.SIGSTOP)
        accepted = self.sender.tally.accepted
        cluster.wait_until(lambda: self.sender.tally.accepted >= accepted + 2, 30, "posting")
        before = self.sender.tally.statuses[503]
        if self.rabbit is not None:
            broker.kill()
            os.kill(worker.process.pid, signal.SIGCONT)
            self.kills["broker connections"] += 1
            self._note("every connection to RabbitMQ cut and new ones refused")
        else:
            with self._broker() as client:
                taken = client.llen(Channel.inflight_key("celery"))
            broker.kill()
            os.kill(worker.process.pid, signal.SIGCONT)
            self.kills["broker redis"] += 1
            self._note(f"SIGKILL broker redis-server, {taken} message(s) taken, not recorded")
        time.sleep(4)
        broker.start()
        self._note(f"broker restarted ({self.sender.tally.statuses[503] - before} 503s meanwhile)")


class SharedKills:
    """Fault (a): one Redis for broker and state, SIGKILLed and restarted within a second,
    `kills` times spread over the stream, each while the worker works through a backlog: the
    worker is stopped (SIGSTOP) until a few requests have queued up, resumed, and the Redis
    killed a moment later, mid-work. The senders keep posting (503 while it is down)."""

    BACKLOG_REQUESTS = 4

    def __init__(
        self, shared: cluster.RedisServer, worker: cluster.Process, sender: Sender, kills: int,
        seed: int,
    ):  # fmt: skip
        self.shared = shared
        self.worker = worker
        self.sender = sender
        self.kills = kills
        self.rng = random.Random(seed)
        self.timeline: list[str] = []
        self.hit = 0  # kills that found messages queued or taken

    def run(self) -> None:
        total = len(self.sender.requests)
        for number in range(1, self.kills + 1):
            point = number * total // (self.kills + 2)
            if not self._wait(lambda point=point: self.sender.tally.accepted >= point, 60):
                return
            assert self.worker.process is not None
            group = self.worker.process.pid
            os.killpg(group, signal.SIGSTOP)
            held = self.sender.tally.accepted
            self._wait(lambda held=held: self.sender.tally.accepted >= held + self.BACKLOG_REQUESTS,
                       10)  # fmt: skip
            backlog = self._backlog()
            os.killpg(group, signal.SIGCONT)
            time.sleep(0.05)  # the worker takes and applies the backlog
            self.shared.kill()
            down = self.rng.uniform(0.3, 0.9)
            time.sleep(down)
            self.shared.start()
            self.hit += backlog > 0
            at = time.monotonic() - self.sender.started
            self.timeline.append(f"{at:6.1f} s  SIGKILL the one redis-server for {down:.1f} s, "
                                 f"{backlog} messages queued or taken")  # fmt: skip

    def _wait(self, check: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not check():
            if self.sender.tally.failures or time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def _backlog(self) -> int:
        with redis.Redis.from_url(self.shared.url) as client:
            return client.llen("celery") + client.hlen("unacked")


class SharedRun:
    """The default set-up beside the main run: one Redis for broker and state (`make run`,
    docker-compose), web and worker, its own stream (half the main run's, posted in half the
    time) and oracle, under `SharedKills`. It runs in a thread while the main run goes on, and
    reports when `finish` is called."""

    def __init__(self, size: Size, seed: int, workdir: Path, policy: Policy, arrival_ms: int):
        self.size = size
        self.seed = seed
        self.workdir = workdir
        self.policy = policy
        self.arrival_ms = arrival_ms
        self.lines: list[str] = []
        self.ok = False
        self.thread = threading.Thread(target=self._guarded, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> bool:
        self.thread.join()
        for line in self.lines:
            print(f"shared redis: {line}")
        return self.ok

    def _guarded(self) -> None:
        try:
            self.ok = self._run()
        except Exception as exc:
            self.lines.append(f"MISMATCH the run failed: {exc!r}")

    def _run(self) -> bool:
        settings = Settings(zeptomail_secret=SECRET, email_secret=SECRET)
        first_day = utc_day(self.arrival_ms) - stream.SIMULATED_DAYS
        size = self.size
        posted = stream.build(size.events // 2, size.contacts // 2, self.seed, first_day,
                              self.policy)  # fmt: skip
        planned = oracle.applications(posted.requests, settings, self.policy, self.arrival_ms)
        want = oracle.expected(planned, self.policy, 4, self.seed)
        logs = self.workdir / "logs"
        logs.mkdir(parents=True)
        (self.workdir / "metrics").mkdir()
        shared = cluster.RedisServer("shared", self.workdir, logs)
        port = cluster.free_port()
        env = {key: value for key, value in os.environ.items() if key != "BOUNCEKEEPER_BROKER_URL"}
        env.update({
            "REDIS_URL": shared.url,  # and no broker URL: the broker is the same Redis
            "BOUNCEKEEPER_ZEPTOMAIL_SECRET": SECRET,
            "BOUNCEKEEPER_EMAIL_SECRET": SECRET,
            "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_TIMEOUT_S),
            "BOUNCEKEEPER_BROKER_TIMEOUT_SECONDS": "1",
            "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
            "PROMETHEUS_MULTIPROC_DIR": str(self.workdir / "metrics"),
        })  # fmt: skip
        web, worker = cluster.web(env, port, logs), cluster.worker(env, logs)
        processes = [shared, web, worker]
        try:
            for process in processes:
                process.start()
            cluster.wait_until(lambda: _healthy(port), 60, "gunicorn start")
            sender = Sender(port, posted.requests, size.post_seconds / 2)
            kills = SharedKills(shared, worker, sender, size.shared_kills, self.seed)
            striker = threading.Thread(target=kills.run, daemon=True)
            striker.start()
            sender.run(SENDERS)
            striker.join()
            self.lines += [f"fault  {line}" for line in kills.timeline]
            tally = sender.tally
            self.lines.append(
                f"posted: {posted.events} events, {tally.accepted} requests accepted; HTTP "
                f"{dict(sorted(tally.statuses.items()))}; {tally.connection_errors} connection "
                f"errors; {kills.hit} of {size.shared_kills} kills struck a backlog"
            )
            problems = list(tally.failures)
            if kills.hit < size.shared_kills:
                problems.append(f"only {kills.hit} of {size.shared_kills} kills struck a backlog")
            if not problems:
                problems = self._compare(shared, want, size.drain_timeout)
            problems += [f"{p.name} exited on its own; see {p.log_path}"
                         for p in (web, worker) if p.exited()]  # fmt: skip
        finally:
            for process in reversed(processes):
                process.stop()
        self.lines += [f"MISMATCH {line}" for line in problems]
        if not problems:
            self.lines.append("redis equals the oracle exactly: no accepted event lost")
        return not problems

    def _compare(
        self, shared: cluster.RedisServer, want: oracle.State, timeout: float
    ) -> list[str]:
        draining = time.monotonic()
        cluster.wait_until(
            lambda: stays_drained(lambda: drained(shared.url)), timeout, "queue drain"
        )
        self.lines.append(f"drained {time.monotonic() - draining:.0f} s after the last request")
        store = Store.from_url(shared.url)
        try:
            got = oracle.actual(store)
            dead = store.redis.llen(store.dead_letter_key)
        finally:
            store.redis.close()
        self.lines += _count_lines(want, got)
        problems = oracle.differences(want, got)
        if dead:
            problems.append(f"{dead} dead-lettered webhooks")
        return problems


def drained(broker_url: str) -> bool:
    """No ingest task queued, taken, reserved or waiting out a retry (those sit in `unacked`
    too). Sync runs (their own queue) come and go all along and are not waited for."""
    client = redis.Redis.from_url(broker_url)
    try:
        if client.llen(INGEST_QUEUE) or client.llen(Channel.inflight_key(INGEST_QUEUE)):
            return False
        return all(json.loads(entry)[2] == SYNC_QUEUE for entry in client.hvals("unacked"))
    except redis.ConnectionError:
        return False
    finally:
        client.close()


def stays_drained(is_drained: Callable[[], bool], checks: int = 3) -> bool:
    """Drained at `checks` looks a second apart: a retry may be between two queues."""
    for look in range(checks):
        if look:
            time.sleep(1)
        if not is_drained():
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the run directory and logs")
    parser.add_argument(
        "--broker",
        choices=["redis", "rabbitmq"],
        default="redis",
        help="the broker: a redis-server of the run's own (default), or a vhost of this "
        "machine's RabbitMQ behind a relay the broker fault cuts",
    )
    parser.add_argument(
        "--state",
        choices=["redis", "cluster"],
        default="redis",
        help="state on one redis-server, or on a 3-master Redis Cluster (with a replica each "
        "and a failover drill in the full run, or with --failover)",
    )
    parser.add_argument(
        "--failover",
        action="store_true",
        help="with --state cluster: the failover drill in a short run too",
    )
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bk-chaos-"))
    try:
        drill = args.size == "full" or args.failover
        ok = _run(size, args.seed, workdir, args.broker, args.state, drill=drill)
    finally:
        if args.keep:
            print(f"run directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"chaos {args.size} ({args.broker} broker, state on {args.state}): "
          f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - began:.0f} s")  # fmt: skip
    return 0 if ok else 1


def _run(
    size: Size,
    seed: int,
    workdir: Path,
    broker_kind: str = "redis",
    state_on: str = "redis",
    drill: bool = False,
) -> bool:
    policy = Policy()
    settings = Settings(zeptomail_secret=SECRET, email_secret=SECRET)
    oracle.check_templates(policy, settings)
    arrival_ms = _same_day_throughout(size.post_seconds + 60)
    first_day = utc_day(arrival_ms) - stream.SIMULATED_DAYS
    posted = stream.build(size.events, size.contacts, seed, first_day, policy)
    planned = oracle.applications(posted.requests, settings, policy, arrival_ms)
    want = oracle.expected(planned, policy, 4, seed)
    mailed = sum(request.provider == "email" for request in posted.requests)
    print(
        f"stream: {posted.events} events ({posted.unique_events} distinct, {posted.duplicates} "
        f"repeated, {posted.late} posted late) for {size.contacts} contacts "
        f"{dict(posted.kinds)} in {len(posted.requests)} requests ({mailed} of them DSNs by "
        f"mail) over {stream.SIMULATED_DAYS} simulated days; oracle order-independent over 4 "
        "orders"
    )
    # The default set-up's drill (one Redis for broker and state) runs beside the Redis broker
    # run only: with RabbitMQ the run is about the broker, and the cores are few.
    shared = None
    if broker_kind == "redis":
        shared = SharedRun(size, seed + 1, workdir / "shared", policy, arrival_ms)
        shared.start()
    logs = workdir / "logs"
    logs.mkdir()
    (workdir / "metrics").mkdir()
    state: cluster.RedisServer | redis_cluster.ClusterState
    if state_on == "cluster":
        state = redis_cluster.ClusterState(workdir, logs, masters=3, replicas=1 if drill else 0)
    else:
        state = cluster.RedisServer("state", workdir, logs)
    broker: cluster.RedisServer | RabbitBroker
    if broker_kind == "rabbitmq":
        broker = RabbitBroker()
    else:
        broker = cluster.RedisServer("broker", workdir, logs)
    port = cluster.free_port()
    env = {
        **os.environ,
        "BOUNCEKEEPER_SHARDS": str(state.shards),
        "REDIS_URL": state.url if state_on == "redis" else "",  # a cluster's: once started
        "BOUNCEKEEPER_BROKER_URL": broker.url,
        "BOUNCEKEEPER_ZEPTOMAIL_SECRET": SECRET,
        "BOUNCEKEEPER_EMAIL_SECRET": SECRET,
        "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_TIMEOUT_S),
        "BOUNCEKEEPER_BROKER_TIMEOUT_SECONDS": "1",
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics"),
    }
    with ExitStack() as stack:
        sync = stack.enter_context(sink.LoopbackSink()) if sink.available() else None
        stalled: list[sink.LoopbackSink] = []
        if sync is not None:
            for mode in ("trickle", "hang"):
                stalling = sink.LoopbackSink(mode, mode, timeout=STALLED_SINK_TIMEOUT_S)
                stalled.append(stack.enter_context(stalling))
            env.update(sink.env([sync, *stalled]))
        processes = cluster.Cluster(
            state,
            broker,
            web=cluster.web(env, port, logs),
            worker=cluster.worker(env, logs),
            beat=cluster.beat(env, logs) if sync is not None else None,
            sync=cluster.sync_worker(env, logs) if sync is not None else None,
        )
        stack.callback(processes.stop)
        if state_on == "cluster":  # its URL names nodes on ports chosen as it starts
            state.start()
            env["REDIS_URL"] = state.url  # the processes' environment, not yet started
        processes.start()
        cluster.wait_until(lambda: _healthy(port), 60, "gunicorn start")
        ok = _exercise(size, posted, want, processes, (sync, stalled), port, workdir, arrival_ms)
    return (shared is None or shared.finish()) and ok


def _same_day_throughout(seconds: float) -> int:
    """Now, once the next `seconds` lie within one UTC day: the worker dates fault (f)'s
    out-of-bounds events by their arrival, and the oracle must know that day."""
    now_ms = int(time.time() * 1000)
    left_s = ((utc_day(now_ms) + 1) * MS_PER_DAY - now_ms) / 1000
    if left_s < seconds:
        print(f"waiting {left_s:.0f} s for UTC midnight: the posting must not straddle it")
        time.sleep(left_s + 1)
        now_ms = int(time.time() * 1000)
    return now_ms


def _exercise(
    size: Size,
    posted: stream.Stream,
    want: oracle.State,
    processes: cluster.Cluster,
    sinks: tuple[sink.LoopbackSink | None, list[sink.LoopbackSink]],
    port: int,
    workdir: Path,
    arrival_ms: int,
) -> bool:
    sync, stalled = sinks
    sender = Sender(port, posted.requests, size.post_seconds)
    faults = Faults(processes, sender, len(posted.requests), workdir, size, arrival_ms)
    striker = threading.Thread(target=faults.run, daemon=True)
    posting = time.monotonic()
    striker.start()
    sender.run(SENDERS)
    striker.join()
    posted_s = time.monotonic() - posting
    tally = sender.tally
    for line in faults.timeline:
        print(f"fault  {line}")
    print(
        f"posted: {tally.accepted} requests accepted in {posted_s:.0f} s; HTTP "
        f"{dict(sorted(tally.statuses.items()))}; {tally.connection_errors} connection errors; "
        f"kills {dict(faults.kills)}; starts "
        f"{ {p.name: p.starts for p in processes.processes()} }"
    )
    problems = list(tally.failures)
    if tally.statuses[503] == 0:
        problems.append("the broker outage produced no 503: the fault did not bite")
    if problems:
        return _report(problems)
    broker = processes.broker

    def is_drained() -> bool:
        if isinstance(broker, RabbitBroker):
            return broker.drained(INGEST_QUEUE)
        return drained(broker.url)

    # RabbitMQ's unacked counts lag: look for longer than they may
    looks = STATS_LAG_S + 1 if isinstance(broker, RabbitBroker) else 3
    draining = time.monotonic()
    cluster.wait_until(lambda: stays_drained(is_drained, looks), size.drain_timeout, "queue drain")
    print(f"drained {time.monotonic() - draining:.0f} s after the last request")
    store = Store.from_url(processes.state.url, shards=processes.state.shards)
    got = oracle.actual(store)
    dead = [entry.payload for _, entry in store.dead_letters()]
    problems = oracle.differences(want, got)
    if faults.failovers:
        print(f"failover drill: {len(problems)} differences from the oracle, what the promoted "
              "replica had not received (docs/OPERATIONS.md, State on Redis Cluster)")  # fmt: skip
        for line in problems:
            print(f"lost   {line}")
        problems = []
    if not _dead_letters_expected(dead, faults.unparseable, faults.rabbit is not None):
        problems.append(f"{len(dead)} dead-lettered webhooks, expected only the unparseable one")
    refused = processes.worker.log_path.read_text(errors="replace").count("refuses writes")
    if not refused:
        problems.append("the state's write refusals did not bite: no worker waited for them")
    _print_counts(want, got)
    print(f"dead letters: {len(dead)} (the unparseable webhook); worker waits on a state "
          f"refusing writes: {refused}")  # fmt: skip
    print(f"worker: {_worker_metrics(port)}")
    problems += _exits(processes)
    problems += _sync_step(sync, want)
    problems += _stalled_step(stalled)
    problems += _poison_step(broker, faults.poisoned)
    problems += faults.problems
    store.redis.close()
    return _report(problems)


def _dead_letters_expected(dead: list, unparseable: int, amqp: bool) -> bool:
    """The unparseable webhook, once per publish. On RabbitMQ, possibly more than once: a batch
    that was running when the broker connection dropped cannot be acked on the new connection
    (AMQP delivery tags belong to their channel), so it is delivered and applied again; its
    events are duplicates by then, but its unparseable webhook is dead-lettered again."""
    if amqp:
        return len(dead) >= unparseable and all(entry == UNPARSEABLE for entry in dead)
    return dead == [UNPARSEABLE] * unparseable


def _print_counts(want: oracle.State, got: oracle.State) -> None:
    for line in _count_lines(want, got):
        print(line)


def _count_lines(want: oracle.State, got: oracle.State) -> list[str]:
    expected, actual = want.counts(), got.counts()
    lines = [f"{'':24}{'oracle':>10}{'redis':>10}"]
    for key in sorted(expected.keys() | actual.keys()):
        mark = "" if expected.get(key) == actual.get(key) else "   MISMATCH"
        lines.append(f"{key:24}{expected.get(key, 0):>10}{actual.get(key, 0):>10}{mark}")
    score_want = sum(c.score for c in want.contacts.values())
    score_got = sum(c.score for c in got.contacts.values())
    lines.append(f"{'sum of soft scores':24}{score_want:>10.2f}{score_got:>10.2f}")
    return lines


def _exits(processes: cluster.Cluster) -> list[str]:
    """A web or worker that ended on its own is a failure. Beat is restarted, as the process
    manager of a deployment would, so the sink check still runs; its exit is printed."""
    problems = []
    for process in processes.processes():
        if not process.exited():
            continue
        if process is processes.beat:
            print(f"beat exited on its own (see {process.log_path}); restarted")
            process.start()
        else:
            problems.append(f"{process.name} exited on its own; see {process.log_path}")
    return problems


def _sync_step(sync: sink.LoopbackSink | None, want: oracle.State) -> list[str]:
    """The sink must end with exactly the oracle's suppression set."""
    if sync is None:
        print("sync: not configured (app.sinks is not on this branch); sink check skipped")
        return []
    target = set(want.suppressions)
    try:
        cluster.wait_until(lambda: sync.receiver.suppressed() == target, 120, "sink catch-up")
    except TimeoutError:
        got = sync.receiver.suppressed()
        return [f"sink: {len(target - got)} missing, {len(got - target)} extra addresses"]
    print(
        f"sync: the sink holds the oracle's {len(target)} addresses "
        f"({sync.receiver.posts} posts, {sync.receiver.entries} entries)"
    )
    return []


def _stalled_step(stalled: list[sink.LoopbackSink]) -> list[str]:
    """The trickling and the hanging sink were tried, each held one sync process at most at
    a time (a run never outlives its lock), and the checked sink kept up beside them."""
    problems = []
    for stalling in stalled:
        print(
            f"sink {stalling.name}: {stalling.held} requests held, at most {stalling.most_held} "
            f"at once, each cut after {stalling.timeout:g} s"
        )
        if not stalling.held:
            problems.append(f"sink {stalling.name} was never tried: the fault did not bite")
        if stalling.most_held > 1:
            problems.append(f"sink {stalling.name} held {stalling.most_held} processes at once")
    return problems


def _poison_step(broker: cluster.RedisServer | RabbitBroker, pushed: Counter[str]) -> list[str]:
    """Every poison item pushed is in its queue's poison list (on RabbitMQ: its dead-letter
    queue), and nothing else is."""
    if isinstance(broker, RabbitBroker):
        kept = {queue: sum(broker.counts(f"{queue}.dead")) for queue in pushed}
    else:
        client = redis.Redis.from_url(broker.url)
        try:
            kept = {queue: client.llen(Channel.poison_key(queue)) for queue in pushed}
        finally:
            client.close()
    print(f"poison: pushed {dict(pushed)}, set aside {kept}")
    return [
        f"poison on {queue!r}: {count} pushed, {kept[queue]} set aside"
        for queue, count in pushed.items()
        if kept[queue] != count
    ]


def _worker_metrics(port: int) -> str:
    """Task runs by outcome and events by outcome, from /metrics (web and worker share the
    metrics directory, SIGKILLed processes included): evidence that the faults bit."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
    finally:
        connection.close()
    runs: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    poison: Counter[str] = Counter()
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name.startswith("bouncekeeper_task_seconds_count{") and "ingest" in name:
            runs[name.split('outcome="')[1].split('"')[0]] += int(float(value))
        elif name.startswith("bouncekeeper_event_outcomes_total{"):
            outcomes[name.split('outcome="')[1].split('"')[0]] += int(float(value))
        elif name.startswith("bouncekeeper_broker_poison_total{"):
            poison[name.split('queue="')[1].split('"')[0]] += int(float(value))
    return (
        f"ingest task runs {dict(runs)}; events by outcome {dict(outcomes)}; "
        f"poison counted {dict(poison)}"
    )


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _report(problems: list[str]) -> bool:
    for line in problems:
        print(f"MISMATCH {line}")
    if not problems:
        print("redis equals the oracle exactly")
    return not problems


if __name__ == "__main__":
    sys.exit(main())
