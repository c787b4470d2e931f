"""The sync task: one run for one sink, started by beat per sink and by itself to go on."""

from __future__ import annotations

import time
from functools import cached_property

import structlog
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from app import sinks
from app.config import Settings
from app.queue import SYNC_TASK, sync_time_limits
from app.store.sync import SyncStore
from app.sync import sync_sink
from tasks.base import BounceTask

log = structlog.get_logger("bouncekeeper.tasks.sync")


class SyncTask(BounceTask):
    @cached_property
    def sinks(self) -> dict[str, sinks.Sink]:
        """The configured sinks, built once per worker process; a bad setting fails loudly."""
        return sinks.build_all(self.settings)

    @cached_property
    def sync_store(self) -> SyncStore:
        return SyncStore(self.store)


def run_seconds(settings: Settings, sink: sinks.Sink) -> float:
    """How long a run starts new batches: one interval, but stopping early enough that the
    batch begun last can end (the sink's timeout bounds one request) within the soft time
    limit; at least half the limit, so a sink slower than that still gets its push tried."""
    soft = sync_time_limits(settings).soft_time_limit
    request = float(getattr(sink, "timeout", 0.0))
    return min(settings.sync_interval, max(soft - request, soft / 2))


@shared_task(name=SYNC_TASK, base=SyncTask, bind=True)
def sync(self: SyncTask, sink_name: str) -> dict:
    """Run the sink for at most one interval, then hand over to a fresh task if changes are
    left (the worker slot is freed in between), or schedule the retry of a failed push when it
    is due before beat's next run."""
    sink = self.sinks.get(sink_name)
    if sink is None:
        log.error("sync ignored: the sink is not in BOUNCEKEEPER_SINKS", sink=sink_name)
        return {"status": "unknown_sink"}
    s = self.settings
    try:
        result = sync_sink(
            self.sync_store,
            sink,
            lease_ms=s.sync_lease_seconds * 1000,
            backoff_cap_s=s.sync_backoff_max_seconds,
            deadline=time.time() + run_seconds(s, sink),
        )
    except SoftTimeLimitExceeded:
        # struck in a push, it was recorded as the sink's failure (with its backoff); either
        # way sync_sink let the lock go
        log.warning("sync stopped at the run's time limit", sink=sink_name)
        return {"status": "time_limit", "pushed": 0}
    if result.status == "more":
        self.apply_async(args=[sink_name])
    elif result.status == "failed" and result.retry_in < s.sync_interval:
        self.apply_async(args=[sink_name], countdown=result.retry_in)
    if result.status in ("caught_up", "more"):
        for part in self.sync_store.parts():
            part.trim_changes(s.sink_names)
    if result.pushed or result.status not in ("caught_up", "busy", "waiting"):
        log.info("sync run", sink=sink_name, status=result.status, pushed=result.pushed,
                 batches=result.batches)  # fmt: skip
    return {"status": result.status, "pushed": result.pushed}
