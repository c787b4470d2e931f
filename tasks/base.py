"""The one Task base class: it owns the store connection and which errors are retried."""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

import redis
from celery import Task

from app.classify import TextRules, custom
from app.config import Settings
from app.logs import REQUEST_ID_HEADER, task_context
from app.metrics import timed_task
from app.policy import Policy
from app.store import Store

log = logging.getLogger("bouncekeeper.tasks")

# Redis being briefly away is retried with backoff; anything else is a bug or poison input.
RETRYABLE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


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

    @cached_property
    def settings(self) -> Settings:
        return self.app.conf.bouncekeeper_settings

    @cached_property
    def store(self) -> Store:
        s = self.settings
        return Store.from_url(s.redis_url, s.key_prefix, s.dedup_ttl_seconds)

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
