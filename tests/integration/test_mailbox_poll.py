"""The IMAP poller through the real stack: a real Dovecot on loopback, the publish to the real
broker, a real Celery worker applying, Redis for state and the poll's lock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.imap import DONE_KEYWORD, REJECTED_KEYWORD
from app.publisher import Publisher
from app.queue import make_celery
from app.store import Store
from app.store.mailbox_lock import MailboxLock
from tasks.mailbox import poll_once, publishing
from tests.conftest import free_port
from tests.dovecot import needs_dovecot, running_dovecot
from tests.helpers import contact, suppression, wait_for
from tests.integration.test_metrics import scrape, value
from tests.integration.workers import celery_process
from tests.mail_messages import dsn, plain

pytestmark = [needs_dovecot, pytest.mark.usefixtures("worker")]
TAKEN_IN = {"\\Seen", DONE_KEYWORD}


@pytest.fixture
def dovecot():
    with running_dovecot(mailboxes=("Processed",)) as server:
        yield server


@pytest.fixture
def settings(settings, dovecot):
    return replace(settings, imap_url=dovecot.url(), mail_max_bytes=8192)


@pytest.fixture
def lock(settings, state):
    return MailboxLock(Store.from_url(settings.redis_url))


@pytest.fixture
def publish(celery_app):
    return publishing(Publisher(celery_app))


def test_the_poller_takes_in_a_dsn_and_leaves_it_flagged(client, settings, dovecot, lock, publish):
    email = "gone.imap@example.com"
    dovecot.append(dsn(email))
    dovecot.append(plain())
    dovecot.append(dsn("big.imap@example.com") + b"X" * 10_000)
    before = scrape(client)
    result = poll_once(settings, lock, publish)
    assert result == {"status": "done", "queued": 1, "ignored": 1, "refused": 1, "more": False}
    after = scrape(client)
    for kind in ("bounce", "not_bounce", "refused"):
        labels = {"way": "mailbox", "kind": kind}
        counted = value(after, "bouncekeeper_mail_messages_total", **labels)
        assert counted == value(before, "bouncekeeper_mail_messages_total", **labels) + 1
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["evidence"]["provider"]) == (2001, "email")
    assert dovecot.flags() == [TAKEN_IN, TAKEN_IN, {"\\Flagged", REJECTED_KEYWORD}]
    again = poll_once(settings, lock, publish)
    assert again == {"status": "done", "queued": 0, "ignored": 0, "refused": 0, "more": False}


def test_a_message_in_the_mailbox_twice_is_applied_once(client, settings, dovecot, lock, publish):
    email = "twice.imap@example.com"
    raw = dsn(email, action="delayed", status="4.2.2", diagnostic="smtp; 452 4.2.2 full")
    dovecot.append(raw)
    dovecot.append(raw)
    assert poll_once(settings, lock, publish)["queued"] == 2
    wait_for(lambda: contact(client, email))
    poll_once(settings, lock, publish)  # a later poll: nothing new; both copies applied by now
    wait_for(lambda: len(contact(client, email)["history"]) == 1)
    assert len(contact(client, email)["history"]) == 1


def test_moved_to_a_mailbox_when_asked(client, settings, dovecot, lock, publish):
    email = "moved.imap@example.com"
    dovecot.append(dsn(email))
    moving = replace(settings, imap_move_to="Processed")
    assert poll_once(moving, lock, publish)["queued"] == 1
    wait_for(lambda: suppression(client, email))
    assert dovecot.flags("INBOX") == []
    assert dovecot.flags("Processed") == [TAKEN_IN]


def test_a_broker_that_refuses_leaves_the_message_unmarked(settings, dovecot, lock):
    dovecot.append(dsn("kept.imap@example.com"))
    dead = replace(
        settings, broker_url=f"redis://127.0.0.1:{free_port()}/0", broker_timeout_seconds=0.2
    )
    result = poll_once(settings, lock, publishing(Publisher(make_celery(dead))))
    assert result["status"] == "failed"
    assert dovecot.flags() == [set()]


def test_one_poll_at_a_time(settings, dovecot, lock, publish):
    dovecot.append(dsn("locked.imap@example.com"))
    assert lock.acquire("another-poll", 60_000)
    assert poll_once(settings, lock, publish) == {"status": "busy"}
    assert dovecot.flags() == [set()]
    lock.release("another-poll")
    assert poll_once(settings, lock, publish)["queued"] == 1


def test_an_unreachable_mailbox_is_a_failed_poll(settings, lock, publish):
    gone = replace(settings, imap_url=f"imap://u:p@127.0.0.1:{free_port()}/INBOX")
    result = poll_once(gone, lock, publish)
    assert result["status"] == "failed"
    assert "127.0.0.1" in result["error"]


def test_beat_schedules_the_poll_and_a_worker_process_runs_it(private_redis, dovecot):
    """The whole loop with nothing called by hand: beat (redbeat) schedules the poll every
    second, a worker process polls the mailbox, publishes, and applies what it published."""
    email = "beat.imap@example.com"
    dovecot.append(dsn(email))
    env = {
        "REDIS_URL": f"{private_redis}/0",
        "BOUNCEKEEPER_BROKER_URL": f"{private_redis}/1",
        "BOUNCEKEEPER_IMAP_URL": dovecot.url(),
        "BOUNCEKEEPER_IMAP_POLL_SECONDS": "1",
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
    }
    store = Store.from_url(env["REDIS_URL"])
    worker_args = ("worker", "--pool", "solo", "--without-gossip", "--without-mingle",
                   "--loglevel", "WARNING")  # fmt: skip
    with (
        celery_process(env, *worker_args),
        celery_process(env, "beat", "--loglevel", "WARNING"),
    ):
        record = wait_for(lambda: store.suppression(email), timeout=60)
        assert record["provider"] == "email"
        wait_for(lambda: dovecot.flags() == [TAKEN_IN], timeout=10)
