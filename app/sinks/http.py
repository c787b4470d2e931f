"""The generic HTTP sink: POST `{"add": […], "remove": […]}` to a URL, HMAC-signed.

Each entry is `{id, email, code, category, source, at}`: `id` is the change-log id (ordered:
a receiver keeps, per address, the change with the highest id, so a replayed or late batch
never undoes a newer one), `at` the change time in ms. Headers: `X-Bouncekeeper-Timestamp`
(Unix seconds) and `X-Bouncekeeper-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>"
with the shared secret>`. A 2xx accepts the batch; its JSON body may list refused entries as
`{"rejected": [{"email": …, "reason": …}]}`. docs/SYNC.md is the receiver's guide.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from app.changes import Batch, Change
from app.config import ConfigError
from app.sinks import Options, _http

MAX_BATCH = 10_000


class HttpSink:
    def __init__(self, name: str, url: str, secret: str, timeout: float, batch_size: int):
        self.name = name
        self.url = url
        self.secret = secret.encode()
        self.timeout = timeout
        self.batch_size = batch_size
        self.session = _http.session({"Content-Type": "application/json"})

    def push(self, batch: Batch) -> dict[str, str]:
        """One signed POST per batch; the receiver's `rejected` list becomes ours."""
        body = json.dumps(
            {"add": [_entry(c) for c in batch.add], "remove": [_entry(c) for c in batch.remove]},
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "X-Bouncekeeper-Timestamp": timestamp,
            "X-Bouncekeeper-Signature": "sha256=" + sign(self.secret, timestamp, body),
        }
        response = _http.send(
            self.session, "POST", self.url, self.timeout, data=body, headers=headers
        )
        _http.ensure_ok(response)
        return _rejections(response.content)


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 over `<timestamp>.<body>`: the timestamp is signed so a captured
    request cannot be replayed later with a fresh one."""
    return hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _entry(change: Change) -> dict[str, object]:
    return {"id": change.id, **change.to_dict()}


def _rejections(content: bytes) -> dict[str, str]:
    """A 2xx accepted the batch whatever its body says; only well-formed refusals count."""
    try:
        body = json.loads(content) if content.strip() else {}
    except ValueError:
        return {}
    items = body.get("rejected") if isinstance(body, dict) else None
    return {
        str(item["email"]): str(item.get("reason", ""))
        for item in items or []
        if isinstance(item, dict) and item.get("email")
    }


def from_options(options: Options) -> HttpSink:
    url = options.text("url")
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"{options.variable('url')} must be an http:// or https:// URL")
    return HttpSink(
        name=options.name,
        url=url,
        secret=options.text("secret"),
        timeout=options.timeout(),
        batch_size=options.batch_size(500, MAX_BATCH),
    )
