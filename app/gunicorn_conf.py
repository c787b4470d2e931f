"""gunicorn settings, loaded with `gunicorn -c python:app.gunicorn_conf`.

Logs go out as the app's JSON lines. Without a PROMETHEUS_MULTIPROC_DIR from the operator
(shared with the worker so one scrape sees both), the web gets a private one for this run, so
`/metrics` still adds up all of its own worker processes instead of answering for one at random.
The variable is set before anything imports prometheus-client, which reads it once.

gunicorn 25.1+ opens a control socket for `gunicornc`, by default at one path per user
(`$XDG_RUNTIME_DIR/gunicorn.ctl` or `~/.gunicorn/gunicorn.ctl`): a second instance on the host
(another web, a test, a second checkout's `make run`) took it over from the first. Each
instance here gets its own, in a private directory made at start and removed at exit; its
path is logged at boot (`gunicornc -s PATH`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

_private_dir = None
_control_dir = tempfile.mkdtemp(prefix="bouncekeeper-gunicorn-")  # mode 0700: ours alone
control_socket = os.path.join(_control_dir, "gunicorn.ctl")
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _private_dir = tempfile.mkdtemp(prefix="bouncekeeper-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _private_dir

from app.config import Settings  # noqa: E402 - after the variable, see above
from app.logs import gunicorn_logconfig  # noqa: E402

logconfig_dict = gunicorn_logconfig(Settings.from_env().log_level)

# Threads, so that a process serves several webhooks at once (an ESP opens dozens of
# connections) and concurrent ones share a publish (app/group_commit.py). The more requests a
# process holds at once, the larger the groups: with 4 threads they averaged 2 webhooks, and
# CPU per 1-event request was 726-773 µs with 8 threads, 706-756 µs with 16 (bench/RESULTS.md,
# session 4). `--threads` or `--worker-class` on the command line override
# these.
worker_class = "gthread"
threads = 16


def when_ready(server: Any) -> None:
    """gunicorn hook: say where this instance's control socket is."""
    server.log.info("control socket: gunicornc -s %s", control_socket)


def on_exit(_server: Any) -> None:
    """gunicorn hook: remove the control socket's directory, and the private metrics
    directory if this run made one."""
    shutil.rmtree(_control_dir, ignore_errors=True)
    if _private_dir:
        shutil.rmtree(_private_dir, ignore_errors=True)
