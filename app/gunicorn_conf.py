"""gunicorn settings, loaded with `gunicorn -c python:app.gunicorn_conf`.

Logs go out as the app's JSON lines. Without a PROMETHEUS_MULTIPROC_DIR from the operator
(shared with the worker so one scrape sees both), the web gets a private one for this run, so
`/metrics` still adds up all of its own worker processes instead of answering for one at random.
The variable is set before anything imports prometheus-client, which reads it once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

_private_dir = None
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


def on_exit(_server: Any) -> None:
    """gunicorn hook: remove the private metrics directory, if this run made one."""
    if _private_dir:
        shutil.rmtree(_private_dir, ignore_errors=True)
