"""Sentinel URLs (app/redis_urls.py) and what each of their users is given (app/queue.py)."""

from __future__ import annotations

import pytest

from app.config import ConfigError, Settings
from app.queue import SENTINEL_TRANSPORT, make_celery
from app.redis_urls import SentinelURL, is_sentinel, parse_sentinel


def test_hosts_master_and_db():
    assert parse_sentinel("redis+sentinel://a:26379,b:26380,[::1]:5/main/3") == SentinelURL(
        (("a", 26379), ("b", 26380), ("::1", 5)), "main", 3
    )


def test_defaults_credentials_and_tls():
    parsed = parse_sentinel("rediss+sentinel://user:p%40ss@s1/main")
    assert parsed == SentinelURL((("s1", 26379),), "main", 0, "user", "p@ss", tls=True)
    assert parse_sentinel("redis+sentinel://:secret@s1:1/m").password == "secret"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("redis+sentinel://s1:26379", "names no master"),
        ("redis+sentinel://s1:26379/", "names no master"),
        ("redis+sentinel://s1:26379/m/x", "/<master name>[/<db>]"),
        ("redis+sentinel://s1:26379/m/0/1", "/<master name>[/<db>]"),
        ("redis+sentinel://s1:port/m", "not a number"),
        ("redis+sentinel://s1,,s2/m", "empty sentinel address"),
        ("redis+sentinel://s1/m?db=1", "no query"),
    ],
)
def test_a_bad_sentinel_url_stops_the_process_naming_the_variable(url: str, problem: str):
    with pytest.raises(ConfigError, match="REDIS_URL") as raised:
        Settings.from_env({"REDIS_URL": url})
    assert problem in str(raised.value)
    with pytest.raises(ConfigError, match="BOUNCEKEEPER_BROKER_URL"):
        Settings.from_env({"BOUNCEKEEPER_BROKER_URL": url})


def test_only_the_sentinel_schemes_are_sentinel():
    assert is_sentinel("redis+sentinel://s/m")
    assert is_sentinel("rediss+sentinel://s/m")
    assert not is_sentinel("redis://s:1/0")
    assert not is_sentinel("sentinel://s:1")


def test_kombu_gets_its_own_form_with_the_master_name_and_our_transport():
    celery = make_celery(Settings(redis_url="redis+sentinel://:pw@h1:1,h2:2/main/4"))
    assert celery.conf.broker_url == "sentinel://:pw@h1:1/4;sentinel://:pw@h2:2/4"
    assert celery.conf.broker_transport == SENTINEL_TRANSPORT
    options = celery.conf.broker_transport_options
    assert options["master_name"] == "main"
    assert options["visibility_timeout"] == 300  # the Redis broker's own options stay
    with celery.connection_for_write() as connection:
        assert type(connection.transport).__name__ == "SentinelTransport"
        assert connection.transport.Channel.__module__ == "app.broker"


def test_redbeat_gets_the_sentinels_and_the_master_name():
    celery = make_celery(Settings(redis_url="redis+sentinel://:pw@h1:1,h2:2/main/4"))
    assert celery.conf.redbeat_redis_url.startswith("redis-sentinel")
    options = celery.conf.redbeat_redis_options
    assert options["sentinels"] == [("h1", 1), ("h2", 2)]
    assert (options["service_name"], options["db"], options["password"]) == ("main", 4, "pw")
