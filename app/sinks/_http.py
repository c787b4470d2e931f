"""What the HTTP sinks share: one session per sink, a deadline on each whole exchange, and
turning failures into SinkError.

The deadline: `requests` applies its timeout to the connect and to each read, so a sink that
sends one byte every few seconds (or its headers that way) never times out and held a worker
process for ever. Each exchange here has a wall-clock deadline of the sink's timeout as well:
a timer shuts the exchange's socket down when it passes, which ends a read blocked on it (TLS
included) at once. The connection is known because the session's connection pools hand each
connection they lend to the exchange of the thread that asked.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from app.sinks import SinkError

RETRY_AFTER_MAX_S = 3600.0  # a sink asking for more than an hour is not taken literally


class _Exchange:
    """The connections one request used, and whether its deadline cut them."""

    def __init__(self) -> None:
        self.connections: list[Any] = []
        self.lock = threading.Lock()
        self.done = False
        self.cut = False

    def cut_off(self) -> None:
        """The deadline passed: shut down the sockets of an exchange still going."""
        with self.lock:
            if self.done:
                return
            self.cut = True
            for connection in self.connections:
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    with contextlib.suppress(OSError):  # already closed: nothing to cut
                        sock.shutdown(socket.SHUT_RDWR)


_current = threading.local()  # .exchange: the _Exchange of this thread's request, if any


def _lent(connection: Any) -> Any:
    exchange = getattr(_current, "exchange", None)
    if exchange is not None:
        with exchange.lock:
            exchange.connections.append(connection)
    return connection


class _Pool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        return _lent(super()._get_conn(timeout))


class _TLSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        return _lent(super()._get_conn(timeout))


_POOLS = {"http": _Pool, "https": _TLSPool}


class _Adapter(HTTPAdapter):
    """requests' adapter, with pools that tell the exchange which connection it got."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


def session(headers: dict[str, str]) -> requests.Session:
    """A keep-alive session: one TCP (and TLS) connection serves a whole sync run."""
    s = requests.Session()
    s.headers.update({"User-Agent": "bouncekeeper-sync", **headers})
    for prefix in ("https://", "http://"):
        s.mount(prefix, _Adapter())
    return s


def send(
    s: requests.Session, method: str, url: str, timeout: float, **kw: Any
) -> requests.Response:
    """The response, unless the sink is unreachable, slow, overloaded or failing: those raise
    SinkError (with the sink's Retry-After), so the batch is retried with backoff. Other 4xx
    come back for the caller to judge (a refused address is not a failed batch). `timeout`
    bounds the whole exchange, from connecting to the body's last byte."""
    exchange = _Exchange()
    timer = threading.Timer(timeout, exchange.cut_off)
    timer.daemon = True
    _current.exchange = exchange
    timer.start()
    try:
        response = s.request(method, url, timeout=timeout, **kw)
    except requests.Timeout:
        raise SinkError(f"{method} {url}: timed out after {timeout:g} s") from None
    except requests.RequestException as exc:
        if exchange.cut:
            raise SinkError(
                f"{method} {url}: timed out: no whole answer within {timeout:g} s"
            ) from None
        raise SinkError(f"{method} {url}: {type(exc).__name__}: {exc}") from None
    finally:
        with exchange.lock:
            exchange.done = True
        timer.cancel()
        _current.exchange = None
    if response.status_code == 429 or response.status_code >= 500:
        raise SinkError(
            f"{method} {url}: HTTP {response.status_code} {response.text[:200]}",
            retry_after=retry_after(response.headers.get("Retry-After")),
        )
    return response


def ensure_ok(response: requests.Response, *also: int) -> requests.Response:
    """A 2xx (or a status in `also`), else SinkError: the whole call was refused."""
    if response.ok or response.status_code in also:
        return response
    request = response.request
    raise SinkError(
        f"{request.method} {request.url}: HTTP {response.status_code} {response.text[:200]}"
    )


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return None
        seconds = when - (time.time() if now is None else now)
    return min(max(seconds, 0.0), RETRY_AFTER_MAX_S)


def per_address(
    s: requests.Session, method: str, urls: dict[str, str], timeout: float
) -> dict[str, str]:
    """One call per address (`urls`: address -> URL), for senders without a bulk call. An
    address already absent (404) is done; another 4xx refuses that address alone."""
    refused: dict[str, str] = {}
    for email, url in urls.items():
        response = send(s, method, url, timeout)
        if not response.ok and response.status_code != 404:
            if response.status_code in (401, 403):
                ensure_ok(response)  # our credentials, not the address: the batch fails
            refused[email] = f"HTTP {response.status_code} {response.text[:200]}"
    return refused


def path_part(email: str) -> str:
    """An address as one URL path segment (`+` and `/` escaped, `@` kept readable)."""
    return quote(email, safe="@")
