"""The Celery application, configured once from Settings for both its users.

The web only publishes (by task name, so app/ never imports tasks/); the worker and beat in
tasks/ register the tasks on the same configuration.
"""

from __future__ import annotations

import ssl
from datetime import timedelta
from typing import Any, NamedTuple
from urllib.parse import quote

from celery import Celery
from kombu import Exchange, Queue

from app.config import Settings
from app.redis_urls import SentinelURL, is_sentinel, parse_sentinel
from app.store.connect import cluster_nodes, is_cluster_url

INGEST_TASK = "bouncekeeper.ingest"
INGEST_BATCH_TASK = "bouncekeeper.ingest_batch"
HEARTBEAT_TASK = "bouncekeeper.heartbeat"
SYNC_TASK = "bouncekeeper.sync"
MAIL_POLL_TASK = "bouncekeeper.mail_poll"
# Sync runs have a queue and workers of their own (`celery worker -Q sync`): a sink that is
# slow or hangs then holds sync processes only, never one that ingests webhooks.
SYNC_QUEUE = "sync"
HEARTBEAT_EVERY = timedelta(seconds=30)
BROKER_TRANSPORT = "app.broker:Transport"
SENTINEL_TRANSPORT = "app.broker:SentinelTransport"
REDIS_TRANSPORTS = (BROKER_TRANSPORT, SENTINEL_TRANSPORT)
AMQP_TRANSPORT = "app.broker_amqp:Transport"
AMQP_SCHEMES = ("amqp", "amqps", "pyamqp")
# On RabbitMQ every queue is a quorum queue (replicated, durable, fsynced before a publish is
# confirmed). A message delivered this often without being settled (its worker died each time)
# is dead-lettered to `<queue>.dead`, as is one a worker rejects as not a task message.
AMQP_DELIVERY_LIMIT = 20
# A quorum queue's consumer has a fixed prefetch (no global QoS: basic.qos does not reach a
# running consumer), so the batching buffer cannot borrow more as it does on Redis: the
# prefetch is made large enough from the start, 150 per pool process, what the buffer may hold
# on Redis with two (tasks/batching.py). Measured: 1-event webhooks drained 2.6x faster than
# at 50 per process (bench/RESULTS.md, "RabbitMQ as the broker").
AMQP_PREFETCH_MULTIPLIER = 150
AMQP_QUEUES = ("celery", SYNC_QUEUE)  # the ingest queue (Celery's default name) and sync's
# Connections one process may open to the broker. A web process publishes from every gunicorn
# thread at once (app/gunicorn_conf.py runs 16); kombu's default of 10 refused the 11th
# publish in flight ("Too many connections"), and its webhook got a 503. The pool only opens
# what is used at the same moment.
BROKER_MAX_CONNECTIONS = 100
# A standby beat takes over once the active one's lock expires: with Celery's defaults that is
# 5 x 300 s. Waking every 5 s and a 30 s lock keep a dead beat's gap under half a minute.
BEAT_MAX_LOOP_S = 5
BEAT_LOCK_TIMEOUT_S = 30
RECLAIM_EVERY_MAX_S = 10.0  # kombu's own period of restoring unacked messages (app.broker)


def reclaim_timing(visibility_timeout: float) -> tuple[float, float]:
    """How often a consumer looks for in-flight messages a dead consumer left, and how long
    one must have been seen there to be put back, in seconds. A message is seen at the first
    look after the death and put back at the first look `after` later: within
    `after + 2 * every`, which is at most the visibility timeout for timeouts of 40 s and more
    (the default is 300 s); a smaller timeout looks more often, down to every 0.25 s."""
    every = min(RECLAIM_EVERY_MAX_S, max(visibility_timeout / 4, 0.25))
    return every, visibility_timeout / 2


class QueuedWebhook(NamedTuple):
    """One webhook in a `bouncekeeper.ingest_batch` message, whose args are `[webhooks]`: the
    web writes it (app/web/webhooks.py), the worker reads it (tasks/ingest.py)."""

    provider: str
    payload: Any
    received_at_ms: int
    request_id: str
    guard: list[Any] | None = None  # [nonce, ttl s, claim] of a signed request (the replay check)


def make_celery(settings: Settings) -> Celery:
    """Delivery is at-least-once end to end: tasks ack after they ran, a task whose worker
    died goes back to the queue, and publishing fails fast so the web can answer 503."""
    celery = Celery("bouncekeeper", set_as_current=False)
    timeout = settings.broker_timeout_seconds
    celery.conf.update(
        broker_url=settings.effective_broker_url,
        broker_transport=_transport(settings.effective_broker_url),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=timeout,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_seconds,
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "max_connections": BROKER_MAX_CONNECTIONS,
            # how often a worker restores unacked messages and reclaims in-flight ones
            "unacked_restore_interval": reclaim_timing(settings.visibility_timeout_seconds)[0],
        },
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=4,
        worker_hijack_root_logger=False,
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        task_routes={SYNC_TASK: {"queue": SYNC_QUEUE}},
        task_annotations={
            SYNC_TASK: sync_time_limits(settings)._asdict(),
            MAIL_POLL_TASK: mail_poll_limits(settings)._asdict(),
        },
        beat_scheduler="redbeat.RedBeatScheduler",
        beat_max_loop_interval=BEAT_MAX_LOOP_S,
        redbeat_lock_timeout=BEAT_LOCK_TIMEOUT_S,
        redbeat_redis_url=settings.redis_url,
        redbeat_redis_options={"socket_timeout": timeout, "socket_connect_timeout": timeout},
        redbeat_key_prefix=f"{settings.key_prefix}:redbeat:",
        beat_schedule={
            "heartbeat": {"task": HEARTBEAT_TASK, "schedule": HEARTBEAT_EVERY},
            **sync_schedule(settings),
            **mail_poll_schedule(settings),
        },
        bouncekeeper_settings=settings,
    )
    if is_amqp(settings.effective_broker_url):
        celery.conf.update(amqp_conf())
        # sync's queue is known (routed to, declared with its arguments, `-Q sync` selects
        # it) but, as on Redis, not consumed by a worker started without -Q
        celery.amqp.queues.add(amqp_queue(SYNC_QUEUE))
    if is_sentinel(settings.effective_broker_url):
        options = celery.conf.broker_transport_options
        celery.conf.update(sentinel_broker_conf(settings.effective_broker_url, timeout, options))
    if is_sentinel(settings.redis_url):
        celery.conf.update(sentinel_beat_conf(parse_sentinel(settings.redis_url), timeout))
    if is_cluster_url(settings.redis_url):
        celery.conf.update(redbeat_cluster_conf(settings))
    return celery


def sentinel_broker_conf(url: str, timeout: float, options: dict[str, Any]) -> dict[str, Any]:
    """kombu's form of a Sentinel broker: one `sentinel://` URL per sentinel, joined by `;`,
    carrying the master's credentials and db, and the master's name as a transport option;
    our transport's Sentinel variant, so the project's publish path stays (app/broker.py)."""
    parsed = parse_sentinel(url)
    credentials = ""
    if parsed.username or parsed.password:
        credentials = f"{quote(parsed.username or '')}:{quote(parsed.password or '')}@"
    urls = [
        f"sentinel://{credentials}{_netloc(host, port)}/{parsed.db}"
        for host, port in parsed.sentinels
    ]
    sentinel_kwargs: dict[str, Any] = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    conf: dict[str, Any] = {
        "broker_url": ";".join(urls),
        "broker_transport": SENTINEL_TRANSPORT,
    }
    if parsed.tls:
        sentinel_kwargs["ssl"] = True
        conf["broker_use_ssl"] = {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    conf["broker_transport_options"] = {
        **options,
        "master_name": parsed.master,
        "sentinel_kwargs": sentinel_kwargs,
    }
    return conf


def sentinel_beat_conf(parsed: SentinelURL, timeout: float) -> dict[str, Any]:
    """celery-redbeat's form: a `redis-sentinel://` URL (the scheme is what it looks at) with
    the sentinels, master name, db and credentials as options."""
    options: dict[str, Any] = {
        "sentinels": list(parsed.sentinels),
        "service_name": parsed.master,
        "db": parsed.db,
        "socket_timeout": timeout,
        "sentinel_kwargs": {"socket_timeout": timeout, "socket_connect_timeout": timeout},
    }
    if parsed.password is not None:
        options["password"] = parsed.password
    if parsed.username is not None:
        options["username"] = parsed.username
    conf: dict[str, Any] = {
        "redbeat_redis_url": "redis-sentinel://",
        "redbeat_redis_options": options,
    }
    if parsed.tls:
        options["sentinel_kwargs"]["ssl"] = True
        conf["redbeat_redis_use_ssl"] = {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    return conf


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def redbeat_cluster_conf(settings: Settings) -> dict[str, Any]:
    """redbeat on the state's Redis Cluster: its cluster client, seeded by the first node, and
    every key of its under one hash tag, so its transactions and lock stay in one slot."""
    nodes, user, password = cluster_nodes(settings.redis_url)
    host, port = nodes[0]
    scheme = "rediss" if settings.redis_url.startswith("rediss+") else "redis"
    credentials = f"{quote(user or '')}:{quote(password)}@" if password else ""
    timeout = settings.broker_timeout_seconds
    return {
        "redbeat_redis_url": f"{scheme}://{credentials}{host}:{port}",
        "redbeat_redis_options": {
            "cluster": True,
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
        },
        "redbeat_key_prefix": f"{settings.key_prefix}:{{redbeat}}:",
    }


def is_amqp(broker_url: str) -> bool:
    return broker_url.partition("://")[0] in AMQP_SCHEMES


def amqp_conf() -> dict[str, Any]:
    """What a RabbitMQ broker changes: quorum queues that dead-letter, publisher confirms (a
    publish returns, and the web answers 202, only once RabbitMQ has the message on a quorum
    of its nodes), a prefetch that fits a batch. Topic exchanges, because Celery's delayed
    delivery for quorum queues (a sync retry's countdown) routes through one."""
    return {
        "broker_transport_options": {"confirm_publish": True},
        "task_queues": [amqp_queue(AMQP_QUEUES[0])],
        "worker_prefetch_multiplier": AMQP_PREFETCH_MULTIPLIER,
    }


def amqp_queue(name: str) -> Queue:
    """A quorum queue dead-lettering to `<name>.dead` through the default exchange (declared by
    `declare_dead_letter_queues`, since RabbitMQ drops what it cannot route)."""
    arguments = {
        "x-queue-type": "quorum",
        "x-delivery-limit": AMQP_DELIVERY_LIMIT,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": f"{name}.dead",
    }
    return Queue(name, Exchange(name, type="topic"), routing_key=name, queue_arguments=arguments)


def declare_dead_letter_queues(celery: Celery) -> list[str]:
    """Declare the queues RabbitMQ dead-letters into, one per task queue, and return their
    names. Nothing consumes them: an operator reads them (docs/OPERATIONS.md)."""
    arguments = {"x-queue-type": "quorum"}
    queues = [Queue(f"{name}.dead", queue_arguments=arguments) for name in AMQP_QUEUES]
    with celery.connection_for_write() as connection:
        for queue in queues:
            queue.bind(connection.default_channel).declare()
    return [queue.name for queue in queues]


class TimeLimits(NamedTuple):
    """Celery's limits on one sync run, in seconds (prefork workers enforce them)."""

    soft_time_limit: float
    time_limit: float


def sync_time_limits(settings: Settings) -> TimeLimits:
    """A run ends before its lock's lease can run out: the hard limit kills its process a
    second before the lease would (set when the run takes the lock and renewed after each
    batch, the lease cannot run out while the run is younger than it). Without it, a run
    stuck past its lease let the next run take the lock and another process for the same
    sink, until every sync process was stuck on it. The soft limit, a tenth earlier, lets the
    run record the failure and back off."""
    hard = max(settings.sync_lease_seconds - 1.0, 1.0)
    return TimeLimits(soft_time_limit=hard * 0.9, time_limit=hard)


def sync_schedule(settings: Settings) -> dict[str, dict]:
    """One entry per sink, so each sink has its own runs and a failing one holds up no other.
    A run still queued when the next is due expires: the lock would turn it away anyway."""
    every = settings.sync_interval
    return {
        f"sync:{name}": {
            "task": SYNC_TASK,
            "schedule": timedelta(seconds=every),
            "args": [name],
            "options": {"expires": every},
        }
        for name in settings.sink_names
    }


def mail_poll_limits(settings: Settings) -> TimeLimits:
    """A poll's limits: two intervals and at least two minutes (a poll takes at most
    app.mailbox_poll.MAX_PER_POLL messages, each IMAP command within 30 s); its lock's lease
    is a second longer, so the lock outlives the run it guards."""
    hard = max(2 * settings.imap_poll_seconds, 120.0)
    return TimeLimits(soft_time_limit=hard * 0.9, time_limit=hard)


def mail_poll_schedule(settings: Settings) -> dict[str, dict]:
    """The mailbox poll, when a mailbox is configured; a poll still queued when the next is
    due expires."""
    if not settings.imap_url:
        return {}
    every = settings.imap_poll_seconds
    return {
        "mailbox": {
            "task": MAIL_POLL_TASK,
            "schedule": timedelta(seconds=every),
            "options": {"expires": every},
        }
    }


def _transport(broker_url: str) -> str | None:
    """Our Redis transport for redis:// and rediss:// brokers, our py-amqp one for RabbitMQ;
    kombu's choice for any other, which the setting would otherwise override."""
    scheme = broker_url.partition("://")[0]
    if scheme in AMQP_SCHEMES:
        return AMQP_TRANSPORT
    return BROKER_TRANSPORT if scheme in ("redis", "rediss") else None
