"""What the HTTP sinks share: one session per sink, and turning failures into SinkError."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import requests

from app.sinks import SinkError

RETRY_AFTER_MAX_S = 3600.0  # a sink asking for more than an hour is not taken literally


def session(headers: dict[str, str]) -> requests.Session:
    """A keep-alive session: one TCP (and TLS) connection serves a whole sync run."""
    s = requests.Session()
    s.headers.update({"User-Agent": "bouncekeeper-sync", **headers})
    return s


def send(
    s: requests.Session, method: str, url: str, timeout: float, **kw: Any
) -> requests.Response:
    """The response, unless the sink is unreachable, slow, overloaded or failing: those raise
    SinkError (with the sink's Retry-After), so the batch is retried with backoff. Other 4xx
    come back for the caller to judge (a refused address is not a failed batch)."""
    try:
        response = s.request(method, url, timeout=timeout, **kw)
    except requests.Timeout:
        raise SinkError(f"{method} {url}: timed out after {timeout:g} s") from None
    except requests.RequestException as exc:
        raise SinkError(f"{method} {url}: {type(exc).__name__}: {exc}") from None
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
