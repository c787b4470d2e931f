"""`bouncekeeper run` (what `make run` starts), from a directory of its own with no REDIS_URL:
the banner comes once the web answers, every URL in it works, its curl posts a bounce dated
now, and the CLI finds the embedded Redis to say the address is suppressed."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.helpers import wait_for

BIN = Path(sys.executable).parent
LAST_BANNER_LINE = "Ctrl-C stops everything."
URL = re.compile(r"http://127\.0\.0\.1:\d+/[^\s')]*")


class Stack:
    """The running `bouncekeeper run` and the lines it printed so far."""

    def __init__(self, process: subprocess.Popen, cwd: Path, env: dict[str, str]) -> None:
        self.process, self.cwd, self.env = process, cwd, env
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def banner(self) -> list[str]:
        """Everything printed up to the banner's last line."""
        seen: list[str] = []
        while LAST_BANNER_LINE not in seen:
            assert self.process.poll() is None, "\n".join(seen)
            seen.append(self.lines.get(timeout=180))
        return seen


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    env = {
        key: value
        for key, value in os.environ.items()
        # no REDIS_URL: the embedded Redis; no test metrics directory: make run empties its own
        if key != "REDIS_URL"
        and not key.startswith("BOUNCEKEEPER_")
        and key != "PROMETHEUS_MULTIPROC_DIR"
    }
    port = free_port()
    command = [str(BIN / "bouncekeeper"), "run", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        yield Stack(process, tmp_path, env)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        process.stdout.close()


def status_of(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - http://127.0.0.1 from the banner
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def shell(line: str, cwd: Path) -> str:
    return subprocess.run(
        shlex.split(line), cwd=cwd, capture_output=True, text=True, check=True, timeout=30
    ).stdout


def test_the_banner_comes_when_the_web_answers_and_all_it_shows_works(stack: Stack):
    banner = stack.banner()
    text = "\n".join(banner)
    token = re.search(r"API token: (\S+)\)", text).group(1)
    post, ask = (line.strip() for line in banner if line.strip().startswith("curl "))
    # every URL shown outside the two curls, but the webhook's (POST only: the curl posts it)
    pages = [
        url
        for line in banner
        if not line.strip().startswith("curl ")
        for url in URL.findall(line)
        if "/webhooks/" not in url
    ]
    assert any(u.endswith("/dashboard") for u in pages)
    assert any(u.endswith("/api/v1/docs") for u in pages)
    assert {u: status_of(u, token) < 400 for u in pages} == dict.fromkeys(pages, True)

    sample = Path(re.search(r"@(\S+)", post).group(1))
    [bounce] = json.loads(sample.read_text())["data"]
    assert abs(bounce["action_time"] - time.time() * 1000) < 3_600_000  # dated now, not 2024
    assert json.loads(shell(post, stack.cwd)) == {"accepted": 1}

    def suppressed() -> dict | None:
        body = json.loads(shell(ask, stack.cwd))
        return body if "code" in body else None

    suppression = wait_for(suppressed, timeout=60, interval=0.5)
    assert (suppression["email"], suppression["source"]) == ("john.doe@zylker.com", "hard")

    check = subprocess.run(
        [str(BIN / "bouncekeeper"), "check", "john.doe@zylker.com"],
        cwd=stack.cwd, env=stack.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert check.returncode == 1, check.stdout + check.stderr  # suppressed

    os.killpg(stack.process.pid, signal.SIGINT)
    assert stack.process.wait(timeout=60) == 0
    assert not (stack.cwd / "var" / "redis.url").exists()
