"""The sync's plain parts: backoff, Retry-After, sink settings and the beat schedule."""

import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.config import ConfigError, Settings
from app.queue import SYNC_TASK, sync_schedule
from app.sinks import build
from app.sinks._http import retry_after
from app.sync import backoff_seconds


@pytest.mark.parametrize("failures", [1, 2, 5, 9, 30])
def test_backoff_doubles_with_jitter_up_to_the_cap(failures):
    ceiling = min(60.0, 2.0 ** (failures - 1))
    delays = [backoff_seconds(failures, None, 60.0, random.Random(seed)) for seed in range(50)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(set(delays)) > 1


def test_backoff_never_comes_back_before_retry_after():
    assert backoff_seconds(1, 30.0, 60.0, random.Random(1)) == 30.0
    assert backoff_seconds(1, 30.0, 5.0, random.Random(1)) == 30.0


def test_retry_after_as_seconds_or_http_date():
    assert retry_after("7") == 7.0
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after(later, now=now.timestamp()) == 90.0
    assert retry_after("soon") is None
    assert retry_after(None) is None
    assert retry_after("999999") == 3600.0


def test_one_beat_entry_per_sink():
    settings = Settings(sinks="crm,ses", sync_interval=15.0)
    schedule = sync_schedule(settings)
    assert set(schedule) == {"sync:crm", "sync:ses"}
    assert schedule["sync:ses"]["task"] == SYNC_TASK
    assert schedule["sync:ses"]["args"] == ["ses"]
    assert schedule["sync:ses"]["schedule"] == timedelta(seconds=15)


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("crm", {"type": "http"}, "BOUNCEKEEPER_SINK_CRM_URL is required"),
        ("nope", {}, "BOUNCEKEEPER_SINK_NOPE_TYPE='nope'"),
        ("http", {"url": "http://h", "secret": "s", "batch_size": "20000"}, "BATCH_SIZE must"),
        ("http", {"url": "http://h", "secret": "s", "timeout": "soon"}, "TIMEOUT='soon'"),
        ("http", {"url": "ftp://h", "secret": "s"}, "HTTP_URL must be an http"),
    ],
)
def test_sink_settings_errors_name_the_variable(name, values, message):
    with pytest.raises(ConfigError, match=message):
        build(name, values)


def test_sink_type_defaults_to_its_name():
    sink = build("http", {"url": "http://h/x", "secret": "s", "batch_size": "50"})
    assert (sink.name, sink.batch_size) == ("http", 50)


def test_worker_and_beat_refuse_to_start_on_a_bad_sink_setting():
    env = {**os.environ, "BOUNCEKEEPER_SINKS": "crm", "BOUNCEKEEPER_SINK_CRM_TYPE": "http"}
    result = subprocess.run(
        [sys.executable, "-c", "import tasks.worker"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "BOUNCEKEEPER_SINK_CRM_URL is required" in result.stderr
