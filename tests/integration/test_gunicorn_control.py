"""Two gunicorns on one host, one user: each has its own control socket (gunicorn's default is
one path per user, so the second took it over from the first)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.conftest import free_port
from tests.helpers import wait_for

BIN = Path(sys.executable).parent
SOCKET_LINE = re.compile(r"control socket: gunicornc -s (\S+)\"")


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """A web on `port`; yields its control socket's path, read from its boot log."""
    command = [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "app:create_app()"]  # fmt: skip
    with log.open("w") as stderr:
        process = subprocess.Popen(command, env=env, stderr=stderr)
    try:
        found = wait_for(lambda: SOCKET_LINE.search(log.read_text()), timeout=60, interval=0.2)
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


def listeners(socket: str) -> str:
    command = [str(BIN / "gunicornc"), "-s", socket, "-c", "show listeners", "-j"]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout


def test_each_instance_has_a_private_control_socket_removed_at_exit(settings, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "XDG_RUNTIME_DIR"}
    env.update(HOME=str(tmp_path), REDIS_URL=settings.redis_url)  # gunicorn's default: ~/.gunicorn
    ports = free_port(), free_port()
    with ExitStack() as stack:
        sockets = [
            stack.enter_context(gunicorn(env, port, tmp_path / f"web{n}.log"))
            for n, port in enumerate(ports)
        ]
        assert sockets[0] != sockets[1]
        for socket, port in zip(sockets, ports, strict=True):
            assert Path(socket).is_socket()
            assert f"127.0.0.1:{port}" in json.dumps(json.loads(listeners(socket)))
    assert not any(Path(socket).parent.exists() for socket in sockets)
    assert not (tmp_path / ".gunicorn").exists()
