"""Redis Sentinel URLs: `redis+sentinel://[user:password@]host:port[,host:port…]/<master>[/<db>]`
(and `rediss+sentinel://` for TLS), one string for state, broker and beat alike.

A plain `redis://` URL names one server; under Sentinel the server that takes writes changes
at a failover, so the URL names the sentinels to ask and the master's name instead. redis-py,
kombu and celery-redbeat each take Sentinel in a form of their own (a `Sentinel` object, a
`sentinel://h;sentinel://h` URL with a `master_name` option, a `redis-sentinel://` URL with a
`sentinels` option); this module parses ours once, and app/store/connect.py and app/queue.py
translate it for each.

The user name and password authenticate to the master and its replicas; the sentinels are
asked without them (Sentinel's own `requirepass` is a separate setting, usually unset).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

SENTINEL_SCHEMES = {"redis+sentinel": False, "rediss+sentinel": True}  # scheme: TLS
DEFAULT_SENTINEL_PORT = 26379


@dataclass(frozen=True)
class SentinelURL:
    sentinels: tuple[tuple[str, int], ...]
    master: str
    db: int = 0
    username: str | None = None
    password: str | None = None
    tls: bool = False


def is_sentinel(url: str) -> bool:
    return url.partition("://")[0] in SENTINEL_SCHEMES


def parse_sentinel(url: str) -> SentinelURL:
    """The parts of a Sentinel URL; ValueError saying what is wrong with a bad one."""
    scheme, _, rest = url.partition("://")
    if scheme not in SENTINEL_SCHEMES:
        raise ValueError("is not a redis+sentinel:// or rediss+sentinel:// URL")
    if "?" in rest or "#" in rest:
        raise ValueError("takes no query or fragment")
    netloc, _, path = rest.partition("/")
    username = password = None
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        user, has_password, secret = userinfo.partition(":")
        username = unquote(user) or None
        password = unquote(secret) if has_password else None
    sentinels = tuple(_host_port(part) for part in netloc.split(","))
    parts = path.split("/") if path else []
    if not parts or not parts[0]:
        raise ValueError("names no master: …/<master name>[/<db>]")
    if len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
        raise ValueError("has a path other than /<master name>[/<db>]")
    db = int(parts[1]) if len(parts) == 2 else 0
    return SentinelURL(
        sentinels, unquote(parts[0]), db, username, password, SENTINEL_SCHEMES[scheme]
    )


def _host_port(part: str) -> tuple[str, int]:
    if not part:
        raise ValueError("has an empty sentinel address")
    if part.startswith("["):  # [IPv6]:port
        host, _, port = part[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = part.rpartition(":") if ":" in part else (part, "", "")
    if not host:
        raise ValueError(f"has a sentinel address without a host: {part!r}")
    if port and not port.isdigit():
        raise ValueError(f"has a sentinel port that is not a number: {part!r}")
    return host, int(port) if port else DEFAULT_SENTINEL_PORT
