"""`bouncekeeper ingest-mail` on real mbox files and maildirs, applied to a real Redis: counts,
--json, exit codes, and a second run (or a message the webhook took in) applied once."""

from __future__ import annotations

import json
import mailbox

import pytest
from click.testing import CliRunner

from app.cli import main
from app.store import Store
from tests.mail_messages import arf, auto_reply, dsn, plain


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


@pytest.fixture
def run(settings):
    def invoke(*args: str, **env: str):
        return CliRunner().invoke(main, list(args), env={"REDIS_URL": settings.redis_url, **env})

    return invoke


@pytest.fixture
def mbox_path(tmp_path):
    path = tmp_path / "bounces.mbox"
    box = mailbox.mbox(path)
    for raw in (dsn("gone.mbox@example.com"), arf("angry.mbox@example.com"), plain()):
        box.add(raw)
    box.close()
    return path


@pytest.fixture
def maildir_path(tmp_path):
    path = tmp_path / "Maildir"
    box = mailbox.Maildir(path)
    box.add(dsn("slow.maildir@example.com", action="delayed", status="4.2.2",
                diagnostic="smtp; 452 4.2.2 Mailbox full"))  # fmt: skip
    box.add(auto_reply("away.maildir@example.com"))
    return path


def test_mbox_and_maildir_with_json_counts(run, store, mbox_path, maildir_path):
    done = run("ingest-mail", str(mbox_path), str(maildir_path), "--json")
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["messages"] == 5
    assert report["kinds"] == {
        "bounce": 1, "complaint": 1, "not_bounce": 1, "deferral": 1, "auto_reply": 1,
    }  # fmt: skip
    assert report["refused"] == 0
    assert store.suppression("gone.mbox@example.com")["source"] == "hard"
    assert store.suppression("angry.mbox@example.com")["source"] == "complaint"
    assert store.suppression("slow.maildir@example.com") is None
    again = json.loads(run("ingest-mail", str(mbox_path), str(maildir_path), "--json").stdout)
    assert again["events"] == report["events"]
    assert again["outcomes"] == {"duplicate": report["events"]}


def test_table_on_stderr_and_a_refused_message_exits_1(run, tmp_path):
    path = tmp_path / "big.mbox"
    box = mailbox.mbox(path)
    box.add(dsn("big.mbox@example.com") + b"X" * 5000)
    box.add(dsn("small.mbox@example.com"))
    box.close()
    done = run("ingest-mail", str(path), BOUNCEKEEPER_MAIL_MAX_BYTES="4096")
    assert done.exit_code == 1
    assert "refused" in done.stderr
    assert "BOUNCEKEEPER_MAIL_MAX_BYTES" in done.stderr
    assert "messages" in done.stderr


def test_a_path_that_is_no_mailbox_exits_2(run, tmp_path):
    (tmp_path / "dir").mkdir()
    for path in (tmp_path / "missing.mbox", tmp_path / "dir"):
        done = run("ingest-mail", str(path))
        assert done.exit_code == 2
        assert str(path) in done.output
