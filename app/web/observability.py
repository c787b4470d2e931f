"""Request ids, one access line per request, webhook counters, and `GET /metrics`.

A caller's `X-Request-ID` is kept when it looks like an id (so a proxy's id follows the request
through our logs), otherwise one is made; either way it is echoed on the response.
`/metrics` is open like `/healthz`: it holds counts, no addresses and no secrets.
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from collections.abc import Callable

import structlog
from flask import Blueprint, Flask, Response, current_app, g, request
from kombu import Connection
from structlog.contextvars import bind_contextvars, clear_contextvars

from app import broker, broker_amqp, metrics, providers
from app.config import Settings
from app.queue import SYNC_QUEUE, is_amqp

bp = Blueprint("observability", __name__)
log = structlog.get_logger("bouncekeeper.web.access")

REQUEST_ID = "X-Request-ID"
_USABLE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


OPENAPI_PATHS = {
    "/metrics": {
        "get": {
            "tags": ["health"],
            "summary": "Prometheus metrics of every process sharing PROMETHEUS_MULTIPROC_DIR, "
            "and counts read from the state Redis (docs/OPERATIONS.md, Metrics).",
            "responses": {
                "200": {
                    "description": "the text exposition format, version 0.0.4",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "503": {
                    "description": "the state Redis is unavailable",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                    },
                },
            },
        }
    }
}


@bp.get("/metrics")
def scrape() -> Response:
    settings: Settings = current_app.extensions["bouncekeeper"]
    body, content_type = metrics.exposition(
        current_app.extensions["store"], settings.sink_names, _queue_reader(settings)
    )
    return Response(body, content_type=content_type)


def _queue_reader(settings: Settings) -> Callable[[], dict[str, int]] | None:
    """Reads the depth of the ingest and sync queues from a Redis or RabbitMQ broker (None for
    any other); its client or connection is made at the first scrape and kept."""
    extensions = current_app.extensions
    queues = (extensions["celery"].conf.task_default_queue, SYNC_QUEUE)
    url = settings.effective_broker_url
    if is_amqp(url):
        if "metrics_broker" not in extensions:
            extensions["metrics_broker"] = Connection(
                url, connect_timeout=settings.broker_timeout_seconds
            )
        return functools.partial(broker_amqp.queue_depths, extensions["metrics_broker"], queues)
    if "metrics_broker" not in extensions:
        extensions["metrics_broker"] = broker.depth_client(url, settings.broker_timeout_seconds)
    client = extensions["metrics_broker"]
    if client is None:
        return None
    return functools.partial(broker.queue_depths, client, queues)


def _start() -> None:
    given = request.headers.get(REQUEST_ID, "")
    g.request_id = given if _USABLE_ID.fullmatch(given) else uuid.uuid4().hex
    g.started = time.perf_counter()
    clear_contextvars()
    bind_contextvars(request_id=g.request_id)


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID] = g.request_id
    if request.blueprint == "webhooks" and request.view_args is not None:
        name = request.view_args.get("provider", "")
        metrics.observe_webhook(
            name if name in providers.PROVIDERS else "unknown", response.status_code
        )
    log.info(
        "request",
        method=request.method,
        path=request.path,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - g.started) * 1000, 1),
    )
    return response


def _forget(_exc: BaseException | None) -> None:
    clear_contextvars()


def register(app: Flask) -> None:
    """Hooks on every request, and the /metrics route."""
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)
    app.register_blueprint(bp)
