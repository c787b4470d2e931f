"""Postmark: suppressions per message stream. POST /message-streams/{stream}/suppressions and
…/suppressions/delete, each `{"Suppressions": [{"EmailAddress": …}]}` with at most 50
addresses; header X-Postmark-Server-Token. Postmark answers per address, and an address it
marks `Failed` is a refusal.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.changes import Batch, Change
from app.sinks import Options, SinkError, _http

BASE_URL = "https://api.postmarkapp.com"
MAX_BATCH = 50  # Postmark's limit per suppressions call


class PostmarkSink:
    def __init__(
        self, name: str, token: str, stream: str, base_url: str, timeout: float, batch_size: int
    ):
        self.name = name
        self.url = f"{base_url.rstrip('/')}/message-streams/{stream}/suppressions"
        self.timeout = timeout
        self.batch_size = batch_size
        self.session = _http.session(
            {"X-Postmark-Server-Token": token, "Accept": "application/json"}
        )

    def push(self, batch: Batch) -> dict[str, str]:
        refused = self._call(self.url, batch.add)
        return refused | self._call(f"{self.url}/delete", batch.remove)

    def _call(self, url: str, changes: list[Change]) -> dict[str, str]:
        if not changes:
            return {}
        body = {"Suppressions": [{"EmailAddress": c.email} for c in changes]}
        response = _http.send(self.session, "POST", url, self.timeout, json=body)
        try:
            results = _http.ensure_ok(response).json()["Suppressions"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SinkError(f"POST {url}: unreadable answer ({exc})") from None
        return {
            r.get("EmailAddress", ""): r.get("Message") or "Failed"
            for r in results
            if r.get("Status") == "Failed"
        }

    def suppressed(self) -> Iterator[str]:
        """The stream's whole list, in one dump call."""
        url = f"{self.url}/dump"
        response = _http.ensure_ok(_http.send(self.session, "GET", url, self.timeout))
        for item in response.json().get("Suppressions", []):
            yield item["EmailAddress"].lower()


def from_options(options: Options) -> PostmarkSink:
    return PostmarkSink(
        name=options.name,
        token=options.text("server_token"),
        stream=options.text("stream", "outbound"),
        base_url=options.text("base_url", BASE_URL),
        timeout=options.timeout(),
        batch_size=options.batch_size(MAX_BATCH, MAX_BATCH),
    )
