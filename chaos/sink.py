"""The sync sink check, a step of its own: skipped until the sync (issue #6) is on the branch.

When `app.sinks` exists, the run configures one sink of type `http` (app/sinks/http.py posts
`{"add": […], "remove": […]}`, each entry with its change-log `id`) pointed at a loopback
receiver, starts beat to schedule the sync, and at the end waits until the receiver's set
equals the oracle's suppression set. The receiver keeps, per address, the entry with the
highest change-log id, as docs/SYNC.md tells a receiver to.
"""

from __future__ import annotations

import importlib.util
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SINK_NAME = "chaos"


def available() -> bool:
    """Whether this checkout has the sync at all."""
    return importlib.util.find_spec("app.sinks") is not None


def _stream_id(value: str) -> tuple[int, int]:
    ms, _, seq = value.partition("-")
    return int(ms), int(seq or 0)


class Receiver:
    """Records what the sink was told: the newest change per address."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[tuple[int, int], str]] = {}
        self.posts = 0
        self.entries = 0

    def record(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.posts += 1
            for op in ("add", "remove"):
                for entry in body.get(op, []):
                    self.entries += 1
                    key = _stream_id(str(entry["id"]))
                    email = str(entry["email"])
                    if email not in self._latest or self._latest[email][0] < key:
                        self._latest[email] = (key, op)

    def suppressed(self) -> set[str]:
        with self._lock:
            return {email for email, (_, op) in self._latest.items() if op == "add"}


class LoopbackSink:
    """The receiver served on 127.0.0.1, and the environment that points a sink at it."""

    def __init__(self) -> None:
        self.receiver = Receiver()
        self.secret = secrets.token_urlsafe(16)
        receiver = self.receiver

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                receiver.record(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *_: Any) -> None:
                """Quiet: the run prints its own summary."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackSink:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def env(self) -> dict[str, str]:
        prefix = f"BOUNCEKEEPER_SINK_{SINK_NAME.upper()}_"
        return {
            "BOUNCEKEEPER_SINKS": SINK_NAME,
            f"{prefix}TYPE": "http",
            f"{prefix}URL": f"http://127.0.0.1:{self.server.server_port}/suppressions",
            f"{prefix}SECRET": self.secret,
            "BOUNCEKEEPER_SYNC_INTERVAL": "1",
        }
