"""Every Prometheus metric of bouncekeeper, and the `/metrics` exposition.

gunicorn and Celery's prefork pool run many processes, each with its own counters. With
`PROMETHEUS_MULTIPROC_DIR` set (to the same directory for web, worker and beat; `make run` sets
and empties it), prometheus-client keeps every process's values in files there and
`/metrics` adds them up, so one scrape of the web sees the workers' counts too. The directory
must be emptied before the processes start, or a previous run's counts are added in.
"""

from __future__ import annotations

import collections
import glob
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from celery.exceptions import Retry
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.exceptions import RedisError

from app.broker_amqp import DEPTH_ERRORS
from app.store import reports
from app.store.sync import SyncStore
from app.sync import LAG_CAP, Lag, sink_lag

if TYPE_CHECKING:
    from app.store import Application, Outcome, Store

# The library's own variable (it reads it at import to pick file-backed values); read here only
# to serve the same mode it writes in.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
NEW_SUPPRESSION = {"suppressed", "escalated"}
ALERT_RAISED = "sender_side_alert"  # the outcome of the event that raised a domain's alert

WEBHOOKS = Counter(
    "bouncekeeper_webhooks", "Webhook requests by provider and HTTP status.", ["provider", "status"]
)
EVENTS = Counter(
    "bouncekeeper_events",
    "Applied (non-duplicate) events by code and category.",
    ["code", "category"],
)
OUTCOMES = Counter(
    "bouncekeeper_event_outcomes",
    "Events by what applying them did (duplicate, counted, suppressed, escalated, ...).",
    ["outcome"],
)
SUPPRESSIONS = Counter("bouncekeeper_suppressions", "New suppressions by source.", ["source"])
TASK_SECONDS = Histogram(
    "bouncekeeper_task_seconds",
    "Celery task run time by task and outcome (ok, retry, error).",
    ["task", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
BROKER_POISON = Counter(
    "bouncekeeper_broker_poison",
    "Items taken off a broker queue that were not task messages, moved to its poison list.",
    ["queue"],
)
# Labelled (an unlabelled metric writes its multiprocess file at import, in every process that
# imports this module, CLI runs and healthchecks included).
ALERTS = Counter(
    "bouncekeeper_alerts",
    "Sender-side rejection alerts raised (a recipient domain crossed the alert rule in an "
    "hour), by the code of the rejection that raised it.",
    ["code"],
)

MAIL_MESSAGES = Counter(
    "bouncekeeper_mail_messages",
    "Bounce-mail messages taken in, by way in (webhook, mailbox) and what the parser made of "
    "each (bounce, deferral, complaint, auto_reply, delivery, not_bounce) or refused (over a "
    "size or MIME limit).",
    ["way", "kind"],
)


def observe_mail(way: str, kind: str) -> None:
    MAIL_MESSAGES.labels(way, kind).inc()


def observe_webhook(provider: str, status: int) -> None:
    WEBHOOKS.labels(provider, str(status)).inc()


def observe_suppression(source: str, count: int = 1) -> None:
    SUPPRESSIONS.labels(source).inc(count)


def observe_applied(plans: Iterable[Application], outcomes: Iterable[Outcome]) -> None:
    """Count a batch the store applied; duplicates count as an outcome only.

    Counted first and added once per label set: a labelled increment costs more than the
    rest of this loop, and a 50-event batch has only a handful of distinct labels."""
    outcome_counts: collections.Counter[str] = collections.Counter()
    event_counts: collections.Counter[tuple[str, str]] = collections.Counter()
    suppression_counts: collections.Counter[str] = collections.Counter()
    alert_counts: collections.Counter[str] = collections.Counter()
    for plan, outcome in zip(plans, outcomes, strict=True):
        outcome_counts[outcome.result] += 1
        if outcome.result == "duplicate":
            continue
        event_counts[str(plan.code or "none"), plan.category or "none"] += 1
        if outcome.result == ALERT_RAISED:
            alert_counts[str(plan.code or "none")] += 1
        if outcome.result in NEW_SUPPRESSION:
            suppression_counts["escalated" if outcome.result == "escalated" else plan.source] += 1
    for result, count in outcome_counts.items():
        OUTCOMES.labels(result).inc(count)
    for labels, count in event_counts.items():
        EVENTS.labels(*labels).inc(count)
    for source, count in suppression_counts.items():
        observe_suppression(source, count)
    for code, count in alert_counts.items():
        ALERTS.labels(code).inc(count)


@contextmanager
def timed_task(task: str) -> Iterator[None]:
    """Time a task run into TASK_SECONDS, labelled by how it ended."""
    start, outcome = time.perf_counter(), "ok"
    try:
        yield
    except Retry:
        outcome = "retry"
        raise
    except BaseException:
        outcome = "error"
        raise
    finally:
        TASK_SECONDS.labels(task, outcome).observe(time.perf_counter() - start)


class StateCollector(Collector):
    """Values read from Redis at scrape time: right whichever process wrote them, and served
    by every web instance without a shared metrics directory."""

    def __init__(
        self,
        store: Store,
        sinks: Sequence[str] = (),
        queue_depths: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        self.store = store
        self.sinks = sinks
        self.queue_depths = queue_depths

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("bouncekeeper_state_up", "1 when the state Redis answered.")
        try:
            reading = reports.state_reading(self.store)
            behind = {name: self._lag(name, reading.now_ms) for name in self.sinks}
        except RedisError:
            up.add_metric([], 0)
            yield up
        else:
            up.add_metric([], 1)
            yield up
            yield from _state_gauges(reading, behind)
        if self.queue_depths is not None:
            yield from _queue_gauges(self.queue_depths)

    def _lag(self, sink: str, now_ms: int) -> Lag:
        return sink_lag(SyncStore(self.store), sink, now_ms, LAG_CAP)


def _state_gauges(
    reading: reports.StateReading, behind: dict[str, Lag]
) -> Iterator[GaugeMetricFamily]:
    yield GaugeMetricFamily(
        "bouncekeeper_suppressed", "Addresses on the suppression list.", value=reading.suppressed
    )
    yield GaugeMetricFamily(
        "bouncekeeper_dead_letters",
        "Webhooks kept in the dead-letter list (capped at its 1000 newest).",
        value=reading.dead_letters,
    )
    if reading.heartbeat_age_s is not None:  # none yet: absent, as absent() alerting expects
        yield GaugeMetricFamily(
            "bouncekeeper_heartbeat_age_seconds",
            "Age of the last worker heartbeat (beat schedules one every 30 s), by Redis's clock.",
            value=reading.heartbeat_age_s,
        )
    entries = GaugeMetricFamily(
        "bouncekeeper_sync_lag_entries",
        f"Changes a sink has not confirmed yet, counted up to {LAG_CAP}.",
        labels=["sink"],
    )
    seconds = GaugeMetricFamily(
        "bouncekeeper_sync_lag_seconds",
        "Age of the oldest change a sink has not confirmed yet (0 when caught up).",
        labels=["sink"],
    )
    for sink, lagging in behind.items():
        entries.add_metric([sink], lagging.entries)
        seconds.add_metric([sink], lagging.seconds)
    yield entries
    yield seconds


def _queue_gauges(read: Callable[[], dict[str, int]]) -> Iterator[GaugeMetricFamily]:
    up = GaugeMetricFamily("bouncekeeper_broker_up", "1 when the broker answered the scrape.")
    try:
        depths = read()
    except (RedisError, *DEPTH_ERRORS):
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    depth = GaugeMetricFamily(
        "bouncekeeper_queue_depth",
        "Task messages waiting on a broker queue, not yet taken by a worker.",
        labels=["queue"],
    )
    for queue, waiting in depths.items():
        depth.add_metric([queue], waiting)
    yield depth


class _ThisProcess(Collector):
    def collect(self) -> Iterator:
        yield from REGISTRY.collect()


# A metrics file's header: the 4-byte used-size and 4 bytes of padding (prometheus-client's
# mmap_dict).
_MMAP_HEADER_BYTES = 8


class _EveryProcess(Collector):
    """prometheus-client's multiprocess collector, minus the files still being created.

    A process creates its file empty and only then sizes it (prometheus-client's MmapedDict),
    so a scrape at that moment, or after a process killed in between, met a 0-byte file and
    failed whole with a 500 (`struct.error`). Such a file holds no values yet: it is skipped.
    """

    def __init__(self, path: str) -> None:
        self.path = path

    def collect(self) -> Iterable:
        files = [
            path
            for path in glob.glob(os.path.join(self.path, "*.db"))
            if _size(path) >= _MMAP_HEADER_BYTES
        ]
        return multiprocess.MultiProcessCollector.merge(files, accumulate=True)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:  # gone since the listing (a process's files are removed when it exits)
        return 0


def _process_collector() -> Collector:
    """This process group's values: every process's sharing PROMETHEUS_MULTIPROC_DIR (a
    gunicorn's workers, a Celery worker's pool), or this process's alone."""
    if path := os.environ.get(MULTIPROC_ENV):
        return _EveryProcess(path)
    return _ThisProcess()


def serve_process_metrics(port: int) -> None:
    """For a Celery worker or beat: `/metrics` of its own processes on `port`, from a daemon
    thread. Each process group serves its own, so no directory is shared between hosts or
    containers (docs/OPERATIONS.md, Metrics); the state gauges are the web's."""
    registry = CollectorRegistry()
    registry.register(_process_collector())
    start_http_server(port, registry=registry)


def exposition(
    store: Store,
    sinks: Sequence[str] = (),
    queue_depths: Callable[[], dict[str, int]] | None = None,
) -> tuple[bytes, str]:
    """The scrape body: every process's metrics (or this one's), the state gauges, each
    sink's lag and, given a reader, the broker's queue depths."""
    registry = CollectorRegistry()
    registry.register(_process_collector())
    registry.register(StateCollector(store, sinks, queue_depths))
    return generate_latest(registry), CONTENT_TYPE_LATEST
