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
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SINK_NAME = "chaos"
# How a loopback sink answers: "ok" records the body and answers 200 at once; "trickle" answers
# 200 one byte every TRICKLE_EVERY_S seconds, status line first (so no read of the client times
# out, yet the answer never ends); "hang" reads the request and answers nothing. The last two
# record nothing: they only hold the client.
MODES = ("ok", "trickle", "hang")
TRICKLE_EVERY_S = 0.2
HOLDER_NOTICE_S = 2.5 * TRICKLE_EVERY_S  # how long a held request may take to see its client left


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

    def __init__(self, name: str = SINK_NAME, mode: str = "ok", timeout: float = 10.0) -> None:
        assert mode in MODES, mode
        self.name = name
        self.mode = mode
        self.timeout = timeout  # the sink's BOUNCEKEEPER_SINK_<NAME>_TIMEOUT
        self.receiver = Receiver()
        self.secret = secrets.token_urlsafe(16)
        self.stopping = threading.Event()
        self.held = 0  # requests a trickle or hang sink has been sent
        self.holding = 0  # of those, the ones it is holding now
        self.most_held = 0  # the most it held at once: one per sink when runs are fenced
        self._count = threading.Lock()
        receiver, sink = self.receiver, self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if sink.mode == "ok":
                    receiver.record(json.loads(body or b"{}"))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                    return
                sink.settle_holders()
                with sink._count:
                    sink.held += 1
                    sink.holding += 1
                    sink.most_held = max(sink.most_held, sink.holding)
                try:
                    self._hold()
                finally:
                    with sink._count:
                        sink.holding -= 1

            def _hold(self) -> None:
                """Until the client gives up (or the sink stops): nothing, or a trickle."""
                if sink.mode == "hang":
                    while not sink.stopping.wait(0.05):
                        if self._client_gone():
                            return
                    return
                answer = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b" " * 100000
                for byte in answer:
                    if sink.stopping.wait(TRICKLE_EVERY_S) or self._client_gone():
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return  # the client gave up

            def _client_gone(self) -> bool:
                """Whether the client closed its end (a read would not block and gets EOF)."""
                ready, _, _ = select.select([self.connection], [], [], 0)
                if not ready:
                    return False
                try:
                    return self.connection.recv(1, socket.MSG_PEEK) == b""
                except OSError:
                    return True

            def log_message(self, *_: Any) -> None:
                """Quiet: the run prints its own summary."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def settle_holders(self) -> None:
        """Before a new request is counted, let the held ones notice a client that left: a
        holder looks every 0.05 s (hang) or TRICKLE_EVERY_S (trickle), so a run that gave up
        and the next run's request can overlap here by that much without ever overlapping in
        the client. Counting them together made the check flaky ("held 2 at once")."""
        deadline = time.monotonic() + HOLDER_NOTICE_S
        while self.holding and time.monotonic() < deadline:
            time.sleep(0.01)

    def __enter__(self) -> LoopbackSink:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/suppressions"

    def options(self) -> dict[str, str]:
        """The sink's own settings, as BOUNCEKEEPER_SINK_<NAME>_<SETTING> takes them."""
        timeout = str(self.timeout)
        return {"type": "http", "url": self.url, "secret": self.secret, "timeout": timeout}

    def env(self) -> dict[str, str]:
        return env([self])


def env(sinks: list[LoopbackSink], interval: float = 1) -> dict[str, str]:
    """The environment that configures these sinks, and a sync run per sink every `interval`."""
    variables = {
        "BOUNCEKEEPER_SINKS": ",".join(sink.name for sink in sinks),
        "BOUNCEKEEPER_SYNC_INTERVAL": str(interval),
    }
    for sink in sinks:
        for key, value in sink.options().items():
            variables[f"BOUNCEKEEPER_SINK_{sink.name.upper()}_{key.upper()}"] = value
    return variables
