"""The three same-run baselines the ingest bench serves beside the real webhook view.

- `noop_app`: returns 202 and does nothing — the framework ceiling.
- `lpush_app`: pushes the raw body onto a Redis list — the queue ceiling.
- `naive_app`: validates with the same schema, then `.delay()`s one task per event — what most
  teams write first.

Each is a gunicorn app factory, configured from BENCH_REDIS_URL.
"""

from __future__ import annotations

import json
import os

import redis
from celery import Celery
from flask import Flask, request

from app.providers import zeptomail


def _redis_url() -> str:
    return os.environ["BENCH_REDIS_URL"]


def noop_app() -> Flask:
    flask_app = Flask("noop")

    @flask_app.post("/webhooks/zeptomail")
    def receive():
        return {"accepted": 0}, 202

    return flask_app


def lpush_app() -> Flask:
    flask_app = Flask("lpush")
    client = redis.Redis.from_url(_redis_url())

    @flask_app.post("/webhooks/zeptomail")
    def receive():
        client.lpush("bench:raw", request.get_data())
        return {"accepted": 1}, 202

    return flask_app


def naive_app() -> Flask:
    flask_app = Flask("naive")
    celery = Celery("naive", broker=_redis_url(), set_as_current=False)
    celery.conf.task_serializer = "json"

    @celery.task(name="naive.ingest_one")
    def ingest_one(item: dict) -> None:
        """Never run here: only its publish cost is measured."""

    @flask_app.post("/webhooks/zeptomail")
    def receive():
        validated = zeptomail.schema().load(json.loads(request.get_data()))
        for item in validated["data"]:
            ingest_one.delay(item)
        return {"accepted": len(validated["data"])}, 202

    return flask_app
