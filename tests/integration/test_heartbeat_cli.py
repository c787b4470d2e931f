"""`bouncekeeper heartbeat`: docker-compose's healthcheck of beat, run as a real process."""

from __future__ import annotations

import json

from app.store import Store
from tests.integration.test_cli_redis import cli


def stamp(store: Store, seconds_ago: int) -> None:
    """A heartbeat written `seconds_ago` by Redis's clock, as the heartbeat task writes it."""
    seconds, micros = store.redis.time()
    written_ms = seconds * 1000 + micros // 1000 - seconds_ago * 1000
    store.redis.mset({store.heartbeat_key: written_ms, store.heartbeat_server_key: written_ms})


def test_heartbeat_exits_0_only_while_the_heartbeat_is_recent(settings, state, tmp_path):
    store = Store.from_url(settings.redis_url)
    none = cli(tmp_path, "heartbeat", redis_url=settings.redis_url)
    assert (none.returncode, none.stdout.strip()) == (1, "no heartbeat recorded")

    stamp(store, 5)
    fresh = cli(tmp_path, "heartbeat", "--json", redis_url=settings.redis_url)
    assert fresh.returncode == 0, fresh.stderr
    body = json.loads(fresh.stdout)
    assert (body["fresh"], body["max_age_s"]) == (True, 120)
    assert 5 <= body["heartbeat_age_s"] < 120

    stamp(store, 600)  # beat or every worker stopped ten minutes ago
    stale = cli(tmp_path, "heartbeat", redis_url=settings.redis_url)
    assert stale.returncode == 1
    assert "STALE, limit 120 s" in stale.stdout
