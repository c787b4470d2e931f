"""The one way a state client is made from `REDIS_URL`: a plain URL through redis-py's
`from_url`, a Sentinel URL (app/redis_urls.py) through redis-py's `Sentinel`, whose client
asks the sentinels for the current master and asks again after a connection to it fails, so
writes go on once a replica has been promoted; and a Redis Cluster URL,
`redis+cluster://[user:password@]host:port[,host:port…]` (`rediss+cluster://` for TLS), naming
any seed nodes, through redis-py's `RedisCluster`, which finds the others."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import redis
from redis.cluster import ClusterNode, RedisCluster
from redis.sentinel import Sentinel

from app.redis_urls import SentinelURL, is_sentinel, parse_sentinel

# Options that apply to the connections to the sentinels as well as to the master's.
SENTINEL_SHARED_OPTIONS = ("socket_timeout", "socket_connect_timeout")
CLUSTER_SCHEMES = ("redis+cluster://", "rediss+cluster://")


def client_from_url(url: str, **options: Any) -> redis.Redis | RedisCluster:
    """A client for `url` with redis-py's connection `options` (decode_responses, timeouts)."""
    if is_cluster_url(url):
        return cluster_client(url, **options)
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


def is_cluster_url(url: str) -> bool:
    return url.startswith(CLUSTER_SCHEMES)


def cluster_nodes(url: str) -> tuple[list[tuple[str, int]], str | None, str | None]:
    """The seed nodes, user and password of a `redis+cluster://` URL (ValueError if bad)."""
    rest = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0]
    user = password = None
    if "@" in rest:
        credentials, rest = rest.rsplit("@", 1)
        user, _, password = credentials.partition(":")
        user, password = unquote(user) or None, unquote(password) or None
    nodes = []
    for seed in rest.split(","):
        host, colon, port = seed.strip().rpartition(":")
        if not colon or not host or not port.isdigit():
            raise ValueError(f"a cluster seed node must be host:port, not {seed!r}")
        nodes.append((host.strip("[]"), int(port)))
    return nodes, user, password


def cluster_client(url: str, **options: Any) -> RedisCluster:
    nodes, user, password = cluster_nodes(url)
    return RedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in nodes],
        username=user,
        password=password,
        ssl=url.startswith("rediss+"),
        **options,
    )
