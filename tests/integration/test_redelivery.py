"""A task taken by a worker that died before acking is redelivered and applied."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from kombu import Connection

from app import create_app
from app.config import Settings
from app.store import Store
from tests.helpers import sample_payload, wait_for

ORPHAN_BROKER_DB = 4


@pytest.fixture
def orphan_settings(settings):
    base = settings.broker_url.rsplit("/", 1)[0]
    return Settings(
        **{
            **settings.__dict__,
            "broker_url": f"{base}/{ORPHAN_BROKER_DB}",
            "visibility_timeout_seconds": 1,
        }
    )


def test_unacked_task_of_a_dead_worker_is_redelivered(orphan_settings, state):
    client = create_app(orphan_settings).test_client()
    response = client.post(
        "/webhooks/zeptomail",
        json=sample_payload(),
        headers={"Authorization": "Bearer zepto-secret"},
    )
    assert response.status_code == 202

    # A "worker" takes the message and dies: fetched, never acked, connection abandoned.
    dead = Connection(orphan_settings.effective_broker_url)
    message = dead.SimpleQueue("celery").get(timeout=5)
    assert message.payload is not None
    time.sleep(1.5)  # past the visibility timeout

    env = {
        **os.environ,
        "REDIS_URL": orphan_settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": orphan_settings.effective_broker_url,
        "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tasks.worker", "worker", "--pool", "solo",
         "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        env=env,
    )  # fmt: skip
    try:
        store = Store.from_url(orphan_settings.redis_url)
        record = wait_for(lambda: store.suppression("john.doe@zylker.com"), timeout=30)
        assert record["code"] == "2002"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        dead.release()
