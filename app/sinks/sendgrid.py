"""SendGrid: an addition goes to the global unsubscribes (no mail of any kind reaches it);
a removal deletes the address from the global unsubscribes and from the bounce list, so a
bounce SendGrid recorded itself does not keep suppressing an address bouncekeeper lifted.

POST /v3/asm/suppressions/global `{"recipient_emails": […]}`, DELETE
/v3/asm/suppressions/global/{email}, DELETE /v3/suppression/bounces `{"emails": […]}`; Bearer
API key. EU subusers set BASE_URL to https://api.eu.sendgrid.com.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

from app.changes import Batch
from app.sinks import Options, _http

BASE_URL = "https://api.sendgrid.com"
LIST_PAGE = 500
MAX_BATCH = 1000  # no documented cap on the bulk calls; kept to a request size SendGrid takes


class SendGridSink:
    def __init__(self, name: str, api_key: str, base_url: str, timeout: float, batch_size: int):
        self.name = name
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.batch_size = batch_size
        self.session = _http.session({"Authorization": f"Bearer {api_key}"})

    def push(self, batch: Batch) -> dict[str, str]:
        """Bulk add, bulk bounce delete, then one unsubscribe delete per removed address."""
        if batch.add:
            emails = [c.email for c in batch.add]
            url = f"{self.base}/v3/asm/suppressions/global"
            _http.ensure_ok(self._send("POST", url, json={"recipient_emails": emails}))
        if not batch.remove:
            return {}
        emails = [c.email for c in batch.remove]
        url = f"{self.base}/v3/suppression/bounces"
        _http.ensure_ok(self._send("DELETE", url, json={"emails": emails}), 404)
        urls = {e: f"{self.base}/v3/asm/suppressions/global/{_http.path_part(e)}" for e in emails}
        return _http.per_address(self.session, "DELETE", urls, self.timeout)

    def suppressed(self) -> Iterator[str]:
        """The global unsubscribes, LIST_PAGE at a time (offset paging)."""
        offset = 0
        while True:
            params = {"limit": LIST_PAGE, "offset": offset}
            url = f"{self.base}/v3/suppression/unsubscribes"
            page = _http.ensure_ok(self._send("GET", url, params=params)).json()
            yield from (item["email"].lower() for item in page)
            if len(page) < LIST_PAGE:
                return
            offset += LIST_PAGE

    def _send(self, method: str, url: str, **kw: Any) -> requests.Response:
        return _http.send(self.session, method, url, self.timeout, **kw)


def from_options(options: Options) -> SendGridSink:
    return SendGridSink(
        name=options.name,
        api_key=options.text("api_key"),
        base_url=options.text("base_url", BASE_URL),
        timeout=options.timeout(),
        batch_size=options.batch_size(500, MAX_BATCH),
    )
