"""Which Redis the `bouncekeeper` command works on: REDIS_URL, else the embedded Redis that
`make run` recorded under var/, else a one-line error; run as a real process, as a shell
would, against a redis-server of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import operations
from app.cli import shown_url
from app.cli_errors import EXIT_BAD_INPUT, EXIT_FOUND, EXIT_UNAVAILABLE
from app.devstack import REDIS_URL_FILE
from app.store import Store
from tests.conftest import free_port

BOUNCEKEEPER = str(Path(sys.executable).parent / "bouncekeeper")
ADDRESS = "cli-resolution@example.com"


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A directory to run the CLI in, as a checkout where `make run` may have left var/."""
    path = tmp_path / "clone"
    path.mkdir()
    return path


def cli(cwd: Path, *args: str, redis_url: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    return subprocess.run(
        [BOUNCEKEEPER, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def record(clone: Path, url: str) -> None:
    """What `make run` leaves while its embedded Redis is up (app.devstack.record_redis_url)."""
    (clone / REDIS_URL_FILE).parent.mkdir(parents=True, exist_ok=True)
    (clone / REDIS_URL_FILE).write_text(url + "\n")


def test_without_redis_url_the_cli_uses_the_redis_make_run_recorded(clone, private_redis):
    url = f"{private_redis}/0"
    store = Store.from_url(url)
    operations.suppress(store, ADDRESS, "test", "seeded")
    record(clone, url)

    shown = cli(clone, "check", ADDRESS)
    assert "SUPPRESSED" in shown.stdout, shown.stdout + shown.stderr
    assert "using Redis" not in shown.stderr  # a read names no Redis

    lifted = cli(clone, "unsuppress", ADDRESS, "--reason", "test")
    assert lifted.returncode == 0, lifted.stderr
    assert f"using Redis {url} (var/redis.url)" in lifted.stderr
    assert store.suppression(ADDRESS) is None


def test_an_explicit_redis_url_wins_over_the_recorded_one(clone, private_redis):
    url = f"{private_redis}/0"
    record(clone, f"redis://127.0.0.1:{free_port()}/0")  # a dead port
    done = cli(clone, "suppress", ADDRESS, "--reason", "test", redis_url=url)
    assert done.returncode == 0, done.stderr
    assert f"using Redis {url} (REDIS_URL)" in done.stderr
    assert Store.from_url(url).suppression(ADDRESS) is not None


def test_with_neither_the_cli_says_no_redis_is_configured(clone):
    for args in (["check", ADDRESS], ["suppress", ADDRESS, "--reason", "x"], ["stats"]):
        result = cli(clone, *args)
        assert result.returncode == EXIT_UNAVAILABLE, result.stderr
        assert result.stderr.splitlines() == [
            "Error: no Redis configured: set REDIS_URL, or run `make run` in this directory "
            "(it records its Redis in var/redis.url)"
        ]
        assert result.stdout == ""


def test_a_password_is_never_printed():
    assert shown_url("redis://:s3cret@db.internal:6380/2") == "redis://:***@db.internal:6380/2"
    assert shown_url("rediss://app:s3cret@db:6380/0") == "rediss://app:***@db:6380/0"
    assert shown_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("recorded", [False, True], ids=["REDIS_URL", "stale var file"])
def test_an_unreachable_redis_is_one_line_and_status_3(clone, recorded):
    url = f"redis://127.0.0.1:{free_port()}/0"
    if recorded:
        record(clone, url)  # left by a `make run` that was killed
    source = "var/redis.url" if recorded else "REDIS_URL"
    for args in (
        ["check", ADDRESS],
        ["suppress", ADDRESS, "--reason", "x"],
        ["stats"],
        ["export"],
        ["deadletter", "list"],
    ):
        result = cli(clone, *args, redis_url=None if recorded else url)
        assert result.returncode == EXIT_UNAVAILABLE, result.stderr
        error = [line for line in result.stderr.splitlines() if not line.startswith("using")]
        assert len(error) == 1, result.stderr
        assert error[0].startswith(f"Error: cannot reach Redis {url} ({source}): "), error


def test_bad_input_is_one_line_and_status_2_a_refusal_status_1(clone, private_redis):
    url = f"{private_redis}/0"
    for args, status, message in (
        (["check", "no-at-sign"], EXIT_BAD_INPUT, "Error: "),
        (["suppress", ADDRESS, "--reason", " "], EXIT_BAD_INPUT, "Error: a reason is required"),
        (["suppress", ADDRESS, "--reason", "x", "--code", "7"], EXIT_BAD_INPUT, "Error: code 7"),
        (["unsuppress", ADDRESS, "--reason", "x"], EXIT_FOUND, f"Error: {ADDRESS} is not"),
        (["stats", "--days", "99"], EXIT_BAD_INPUT, "Error: "),
    ):
        result = cli(clone, *args, redis_url=url)
        assert result.returncode == status, (args, result.stderr)
        error = [line for line in result.stderr.splitlines() if not line.startswith("using")]
        assert len(error) == 1, (args, result.stderr)
        assert error[0].startswith(message), (args, result.stderr)
    env_bad = cli(clone, "check", ADDRESS, redis_url="http://nowhere")
    assert (env_bad.returncode, env_bad.stderr) == (
        EXIT_BAD_INPUT,
        "Error: REDIS_URL must be a redis://, rediss://, unix://, redis+sentinel://, "
        "rediss+sentinel://, redis+cluster:// or rediss+cluster:// URL\n",
    )
