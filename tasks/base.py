"""The one Task base class: it owns the store connection and which errors are retried."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import redis
import structlog
from celery import Task

from app.classify import TextRules, custom
from app.config import Settings
from app.logs import REQUEST_ID_HEADER, task_context
from app.metrics import timed_task
from app.policy import Policy
from app.store import Store
from app.store.faults import unavailable

log = structlog.get_logger("bouncekeeper.tasks")

T = TypeVar("T")

# Redis being briefly away is retried with backoff; anything else is a bug or poison input.
# (The sync and heartbeat tasks: Celery's autoretry. Ingest waits in place: `until_available`.)
RETRYABLE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)

# Waiting in place for the state store: first pause, longest pause, and the longest wait before
# the message goes back to its queue (kept under half the visibility timeout, see below).
FIRST_PAUSE_S = 0.1
LONGEST_PAUSE_S = 5.0
LONGEST_WAIT_S = 60.0


class UnsettledError(Exception):
    """The message cannot be settled now (neither applied nor dead-lettered): it goes back to
    its queue, and stays unacked until then."""


class StoreUnavailableError(UnsettledError):
    """The state store stayed unavailable (down, or refusing writes) for as long as a task
    waits in place."""


class BounceTask(Task):
    autoretry_for = RETRYABLE
    retry_backoff = True
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Every run is timed into the task-latency histogram and logs with its ids."""
        request_id = self.request.get(REQUEST_ID_HEADER)
        with task_context(self.request.id, self.name, request_id), timed_task(self.name):
            return super().__call__(*args, **kwargs)

    def until_available(self, step: Callable[[], T], what: str) -> T:
        """`step()`, repeated with backoff while the state store is unavailable: unreachable,
        loading, or refusing writes (out of memory, read-only replica, MISCONF; see
        app.store.faults). Waiting here rather than publishing a retry message is what keeps
        an accepted event: with one Redis for broker and state, a retry cannot be published
        while that Redis is away, and Celery then rejects the message without requeueing it.
        After `longest_wait_s` it raises StoreUnavailableError, for the caller to put its message
        back on its queue (no new message is published). Every step is safe to repeat: the
        event script deduplicates, a nonce claim is idempotent per request (a dead-letter push
        whose reply was lost may leave a second entry)."""
        pause, started = FIRST_PAUSE_S, time.monotonic()
        while True:
            try:
                return step()
            except redis.RedisError as exc:
                why = unavailable(exc)
                if why is None:
                    raise
                waited = time.monotonic() - started
                if waited >= self.longest_wait_s:
                    why = f"the state store {why}, for {waited:.0f} s"
                    raise StoreUnavailableError(why) from exc
                log.warning(
                    "the state store is unavailable; trying again",
                    what=what,
                    reason=f"the state store {why}",
                    pause_s=round(pause, 1),
                )
                time.sleep(pause)
                pause = min(LONGEST_PAUSE_S, pause * 2) * random.uniform(0.8, 1.0)  # noqa: S311

    @cached_property
    def longest_wait_s(self) -> float:
        """Under half the visibility timeout, so a waiting message is not redelivered to
        another process meanwhile."""
        return min(LONGEST_WAIT_S, self.settings.visibility_timeout_seconds / 2)

    @cached_property
    def settings(self) -> Settings:
        return self.app.conf.bouncekeeper_settings

    @cached_property
    def store(self) -> Store:
        s = self.settings
        return Store.from_url(s.redis_url, s.key_prefix, s.dedup_ttl_seconds, s.shards)

    @cached_property
    def custom_rules(self) -> custom.CustomRules:
        """The rules file, checked once per worker process; a bad file fails loudly."""
        return custom.load_optional(self.settings.rules)

    @cached_property
    def text_rules(self) -> TextRules:
        return self.custom_rules.text

    @cached_property
    def policy(self) -> Policy:
        return self.custom_rules.policy
