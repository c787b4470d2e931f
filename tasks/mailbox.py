"""The mailbox poll: beat starts one every BOUNCEKEEPER_IMAP_POLL_SECONDS when
BOUNCEKEEPER_IMAP_URL is set; a lock lets one run at a time (app/store/mailbox_lock.py)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict
from functools import cached_property

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from app.config import Settings
from app.imap import Mailbox, MailboxAddress, MailboxError
from app.mailbox_poll import poll
from app.providers import email
from app.providers.base import Accepted
from app.publisher import Publisher
from app.queue import INGEST_TASK, MAIL_POLL_TASK, mail_poll_limits
from app.store.mailbox_lock import MailboxLock
from tasks.base import BounceTask

log = logging.getLogger("bouncekeeper.tasks.mailbox")


def publishing(publisher: Publisher) -> Callable[[Accepted, int], None]:
    """A message's events published the way the webhook publishes a large request: one
    `bouncekeeper.ingest` task, provider `email`."""

    def publish(accepted: Accepted, received_at_ms: int) -> None:
        publisher.send(
            INGEST_TASK,
            [email.NAME, accepted.payload, received_at_ms],
            f"('email', <mailbox message, {accepted.count} events>, {received_at_ms})",
            None,
        )

    return publish


def poll_once(
    settings: Settings, lock: MailboxLock, publish: Callable[[Accepted, int], None]
) -> dict:
    """One poll, unless another holds the lock; a mailbox or broker failure is logged and
    left to the next poll (nothing unpublished was marked)."""
    if not settings.imap_url:
        return {"status": "off"}
    token = uuid.uuid4().hex
    if not lock.acquire(token, int(mail_poll_limits(settings).time_limit + 1) * 1000):
        log.info("mailbox poll skipped: another poll holds the lock")
        return {"status": "busy"}
    address = MailboxAddress.from_url(settings.imap_url)
    try:
        with Mailbox(address, settings.imap_move_to) as mailbox:
            report = poll(mailbox, publish, settings)
    except MailboxError as exc:
        log.error("mailbox poll failed: %s", exc)
        return {"status": "failed", "error": str(exc)}
    except SoftTimeLimitExceeded:
        log.warning("mailbox poll stopped at its time limit")
        return {"status": "time_limit"}
    except (OperationalError, RedisError, OSError) as exc:
        log.error("mailbox poll stopped, a publish failed (that message stays unmarked): %r", exc)
        return {"status": "failed", "error": repr(exc)}
    finally:
        lock.release(token)
    if report.queued or report.ignored or report.refused:
        log.info("mailbox %s: %s", address.shown(), asdict(report))
    return {"status": "more" if report.more else "done", **asdict(report)}


class MailboxTask(BounceTask):
    autoretry_for = ()  # beat starts the next poll; a retry would only pile up behind it

    @cached_property
    def publisher(self) -> Publisher:
        return Publisher(self.app)

    @cached_property
    def lock(self) -> MailboxLock:
        return MailboxLock(self.store)


@shared_task(name=MAIL_POLL_TASK, base=MailboxTask, bind=True)
def poll_mailbox(self: MailboxTask) -> dict:
    return poll_once(self.settings, self.lock, publishing(self.publisher))
