"""A real loopback receiver for the http sink, written as a receiver should be (docs/SYNC.md):
it checks the signature, keeps per address the change with the highest id, and refuses the
addresses it is told to. It can fail on cue: one fault per request, taken from `faults`."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

PATH = "/bouncekeeper"


def stream_id(entry_id: str) -> tuple[int, int]:
    ms, seq = entry_id.split("-")
    return int(ms), int(seq)


class Receiver:
    def __init__(self, port: int, secret: str, slow_seconds: float = 0.0):
        self.server = HTTPServer("127.0.0.1", port, threaded=True)
        self.server.expect_request(PATH, method="POST").respond_with_handler(self.handle)
        self.secret = secret.encode()
        self.slow_seconds = slow_seconds
        self.url = f"http://127.0.0.1:{port}{PATH}"
        self.faults: deque[str] = deque()  # "500", "429", "slow" (apply, answer late), "hang"
        self.refuse: set[str] = set()
        self.latest: dict[str, tuple[tuple[int, int], str]] = {}  # email -> (id, op)
        self.batches: list[list[str]] = []  # change ids of every applied request
        self.answered_429_at: list[float] = []
        self.requested_at: list[float] = []
        self.entered = threading.Event()  # a "hang" request has arrived
        self.release = threading.Event()  # let the "hang" request finish
        self.lock = threading.Lock()

    @property
    def suppressed(self) -> set[str]:
        with self.lock:
            return {email for email, (_, op) in self.latest.items() if op == "add"}

    def handle(self, request: Request) -> Response:
        now = time.time()
        body = request.get_data()
        stamp = request.headers.get("X-Bouncekeeper-Timestamp", "")
        expected = hmac.new(self.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(
            request.headers.get("X-Bouncekeeper-Signature", ""), "sha256=" + expected
        ):
            return Response("bad signature", 401)
        with self.lock:
            self.requested_at.append(now)
            fault = self.faults.popleft() if self.faults else "ok"
        if fault == "500":
            return Response("boom", 500)
        if fault == "429":
            with self.lock:
                self.answered_429_at.append(time.time())
            return Response("slow down", 429, headers={"Retry-After": "1"})
        if fault == "hang":
            self.entered.set()
            self.release.wait()
        refused = self.apply(json.loads(body))
        if fault == "slow":
            time.sleep(self.slow_seconds)  # applied, but the client has given up waiting
        return Response(json.dumps({"rejected": refused}), 200, content_type="application/json")

    def apply(self, body: dict) -> list[dict[str, str]]:
        refused, ids = [], []
        with self.lock:
            for op in ("add", "remove"):
                for entry in body[op]:
                    if entry["email"] in self.refuse:
                        refused.append({"email": entry["email"], "reason": "invalid mailbox"})
                        continue
                    ids.append(entry["id"])
                    key, known = stream_id(entry["id"]), self.latest.get(entry["email"])
                    if known is None or key > known[0]:
                        self.latest[entry["email"]] = (key, op)
            self.batches.append(ids)
        return refused
