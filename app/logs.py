"""One log format for web, worker and beat: a JSON object per line, through structlog.

Standard-library loggers (ours, Flask's, Celery's) go through the same formatter, so every
line has `timestamp`, `level`, `logger` and `event`, plus the context bound where it was
written: `request_id` in the web (and in the task a webhook enqueued), `task_id` and `task` in
the worker (`task_ids` and `request_ids` for a batch of many messages). Our own loggers are
structlog's: a line's data goes in as keyword arguments and comes out as fields of its own,
and `event` stays a fixed sentence, so lines can be filtered by field. Secrets and payloads are
never bound or logged at info; see docs/OPERATIONS.md.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import structlog
from celery.signals import before_task_publish
from structlog.contextvars import bound_contextvars, get_contextvars

HANDLER_NAME = "bouncekeeper"
REQUEST_ID_HEADER = "request_id"  # the Celery message header carrying the web's request id

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


if not structlog.is_configured():
    # Until configure_logging runs (the CLI never runs it), our lines are plain stdlib records,
    # the fields as attributes: warnings reach stderr, never structlog's default of stdout,
    # where a command's --json output goes.
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.render_to_log_kwargs,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
    )


def configure_logging(level: str, stream: TextIO | None = None) -> None:
    """JSON lines on stderr (or `stream`) for the root logger; calling it again replaces ours."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,  # a line below the level costs nothing more
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


def json_formatter() -> logging.Formatter:
    """Renders any stdlib record, or a structlog event, as one JSON line."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )


def gunicorn_logconfig(level: str) -> dict[str, Any]:
    """gunicorn's own lines (boot, worker timeouts) in the same JSON; its access log is off
    because the app writes one line per request, with the request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": level.upper(), "handlers": [HANDLER_NAME]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "handlers": {
            HANDLER_NAME: {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {"json": {"()": json_formatter}},
    }


@contextmanager
def task_context(task_id: str | None, task: str, request_id: str | None) -> Iterator[None]:
    """Bind a task's ids to every line logged while it runs."""
    ids = {"task_id": task_id, "task": task}
    if request_id:
        ids["request_id"] = request_id
    with bound_contextvars(**ids):
        yield


@contextmanager
def batch_context(task: str, task_ids: list[str], request_ids: list[str]) -> Iterator[None]:
    """Bind the ids of every message a batch carries to every line logged while it runs."""
    with bound_contextvars(task=task, task_ids=task_ids, request_ids=request_ids):
        yield


@before_task_publish.connect
def _carry_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """A task published while serving a request carries its id, so the worker's lines about a
    webhook can be found from the web's."""
    request_id = get_contextvars().get("request_id")
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)
