"""Mailgun: additions go to the domain's bounce list, up to 1,000 per call (POST
/v3/{domain}/bounces with a JSON array), removals one per address (DELETE
/v3/{domain}/bounces/{address}); basic auth `api:<key>`. EU domains set BASE_URL to
https://api.eu.mailgun.net.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime

from app.changes import Batch, Change
from app.sinks import Options, _http

BASE_URL = "https://api.mailgun.net"
MAX_BATCH = 1000  # Mailgun's limit for one bounces import call


class MailgunSink:
    def __init__(
        self, name: str, api_key: str, domain: str, base_url: str, timeout: float, batch_size: int
    ):
        self.name = name
        self.url = f"{base_url.rstrip('/')}/v3/{domain}/bounces"
        self.timeout = timeout
        self.batch_size = batch_size
        self.session = _http.session({})
        self.session.auth = ("api", api_key)

    def push(self, batch: Batch) -> dict[str, str]:
        if batch.add:
            records = [_bounce(c) for c in batch.add]
            response = _http.send(self.session, "POST", self.url, self.timeout, json=records)
            _http.ensure_ok(response)
        urls = {c.email: f"{self.url}/{_http.path_part(c.email)}" for c in batch.remove}
        return _http.per_address(self.session, "DELETE", urls, self.timeout)

    def suppressed(self) -> Iterator[str]:
        """The domain's bounce list, following Mailgun's `paging.next` links to an empty page."""
        url: str | None = f"{self.url}?limit={MAX_BATCH}"
        while url:
            page = _http.ensure_ok(_http.send(self.session, "GET", url, self.timeout)).json()
            items = page.get("items") or []
            yield from (item["address"].lower() for item in items)
            url = page.get("paging", {}).get("next") if items else None


def _bounce(change: Change) -> dict[str, str]:
    """Mailgun wants an SMTP code and text; ours are taxonomy codes, so the text names them."""
    at = datetime.fromtimestamp(change.at_ms / 1000, tz=UTC)
    return {
        "address": change.email,
        "code": "550",
        "error": f"bouncekeeper: {change.source} {change.code or ''} {change.category}".strip(),
        "created_at": format_datetime(at, usegmt=True),
    }


def from_options(options: Options) -> MailgunSink:
    return MailgunSink(
        name=options.name,
        api_key=options.text("api_key"),
        domain=options.text("domain"),
        base_url=options.text("base_url", BASE_URL),
        timeout=options.timeout(),
        batch_size=options.batch_size(MAX_BATCH, MAX_BATCH),
    )
