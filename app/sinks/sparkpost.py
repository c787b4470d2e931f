"""SparkPost: additions in bulk (PUT /api/v1/suppression-list `{"recipients": […]}`, each
address as both `transactional` and `non_transactional`, so no mail of any kind reaches it),
removals one per address (DELETE /api/v1/suppression-list/{recipient}); the API key is the
whole Authorization header. EU accounts set BASE_URL to https://api.eu.sparkpost.com.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from app.changes import Batch, Change
from app.sinks import Options, _http

BASE_URL = "https://api.sparkpost.com"
MAX_BATCH = 5000  # no per-request cap is documented: 10,000 entries (two per address) per PUT


class SparkPostSink:
    def __init__(self, name: str, api_key: str, base_url: str, timeout: float, batch_size: int):
        self.name = name
        self.url = f"{base_url.rstrip('/')}/api/v1/suppression-list"
        self.timeout = timeout
        self.batch_size = batch_size
        self.session = _http.session({"Authorization": api_key})

    def push(self, batch: Batch) -> dict[str, str]:
        if batch.add:
            body = {"recipients": [e for c in batch.add for e in _entries(c)]}
            response = _http.send(self.session, "PUT", self.url, self.timeout, json=body)
            _http.ensure_ok(response)
        urls = {c.email: f"{self.url}/{_http.path_part(c.email)}" for c in batch.remove}
        return _http.per_address(self.session, "DELETE", urls, self.timeout)

    def suppressed(self) -> Iterator[str]:
        """Every entry (an address may appear once per type), following the `next` links."""
        url: str | None = f"{self.url}?per_page=10000"
        while url:
            page = _http.ensure_ok(_http.send(self.session, "GET", url, self.timeout)).json()
            results = page.get("results") or []
            yield from (item["recipient"].lower() for item in results)
            links = {link.get("rel"): link.get("href") for link in page.get("links") or []}
            url = urljoin(self.url, links["next"]) if results and links.get("next") else None


def _entries(change: Change) -> list[dict[str, str]]:
    description = f"bouncekeeper: {change.source} {change.code or ''} {change.category}".strip()
    return [
        {"recipient": change.email, "type": kind, "description": description}
        for kind in ("transactional", "non_transactional")
    ]


def from_options(options: Options) -> SparkPostSink:
    return SparkPostSink(
        name=options.name,
        api_key=options.text("api_key"),
        base_url=options.text("base_url", BASE_URL),
        timeout=options.timeout(),
        batch_size=options.batch_size(1000, MAX_BATCH),
    )
