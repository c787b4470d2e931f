"""The one way a state client is made from `REDIS_URL`: a plain URL through redis-py's
`from_url`, a Sentinel URL (app/redis_urls.py) through redis-py's `Sentinel`, whose client
asks the sentinels for the current master and asks again after a connection to it fails, so
writes go on once a replica has been promoted."""

from __future__ import annotations

from typing import Any

import redis
from redis.sentinel import Sentinel

from app.redis_urls import SentinelURL, is_sentinel, parse_sentinel

# Options that apply to the connections to the sentinels as well as to the master's.
SENTINEL_SHARED_OPTIONS = ("socket_timeout", "socket_connect_timeout")


def client_from_url(url: str, **options: Any) -> redis.Redis:
    """A client for `url` with redis-py's connection `options` (decode_responses, timeouts)."""
    if not is_sentinel(url):
        return redis.Redis.from_url(url, **options)
    return sentinel_master(parse_sentinel(url), **options)


def sentinel_master(parsed: SentinelURL, **options: Any) -> redis.Redis:
    sentinel_options = {k: options[k] for k in SENTINEL_SHARED_OPTIONS if k in options}
    if parsed.tls:
        sentinel_options["ssl"] = True
        options = {**options, "ssl": True}
    sentinel = Sentinel(
        list(parsed.sentinels),
        sentinel_kwargs=sentinel_options,
        username=parsed.username,
        password=parsed.password,
        db=parsed.db,
        **options,
    )
    return sentinel.master_for(parsed.master)
