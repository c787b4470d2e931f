"""Process-level setup for metrics and logs: make run's metrics directory, gunicorn's lines."""

from __future__ import annotations

import json
import subprocess
import sys

from app.devstack import fresh_metrics_dir

GUNICORN_LINES = """
import logging.config
from app.logs import gunicorn_logconfig
logging.config.dictConfig(gunicorn_logconfig("INFO"))
logging.getLogger("gunicorn.error").info("Booting worker with pid: %s", 42)
logging.getLogger("gunicorn.access").info("GET / 200")
"""


def test_make_run_starts_with_an_empty_metrics_dir(tmp_path):
    (tmp_path / "counter_1.db").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("not ours")
    assert fresh_metrics_dir(tmp_path / "new").is_dir()
    fresh_metrics_dir(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "notes.txt"]


def test_gunicorn_logs_json_and_leaves_access_lines_to_the_app():
    result = subprocess.run(
        [sys.executable, "-c", GUNICORN_LINES], capture_output=True, text=True, check=True
    )
    [line] = [json.loads(text) for text in result.stderr.splitlines()]
    assert (line["logger"], line["level"]) == ("gunicorn.error", "info")
    assert line["event"] == "Booting worker with pid: 42"
    assert result.stdout == ""


UNCONFIGURED = """
from app.sync import log
log.warning("sink failed", sink="crm", failures_in_a_row=2)
log.info("below the default level", sink="crm")
"""


def test_a_process_that_never_configures_logging_warns_on_stderr_only():
    """The CLI never calls configure_logging: structlog's own default would print every line,
    info included, to stdout, where `--json` output goes."""
    result = subprocess.run(
        [sys.executable, "-c", UNCONFIGURED], capture_output=True, text=True, check=True
    )
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["sink failed"]
