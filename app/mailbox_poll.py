"""One poll of the bounce mailbox: each new message taken in the way `POST /webhooks/email`
takes one (app.providers.email.accept), published, and only then marked in the mailbox.

At least once: a message is marked after its publish succeeded, so a poll that dies between
the two publishes it again next time, and the event ids (the message's own Message-ID)
make the second copy a duplicate. A message over a limit is marked refused and left for a
person (as is one the parser fails on); one that is no bounce is marked taken in, its reason
logged. A broker that refuses the publish ends the poll with the message unmarked, for the
next poll.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app import metrics
from app.config import Settings
from app.providers import email
from app.providers.base import Accepted, RejectedError

log = logging.getLogger("bouncekeeper.mailbox")

MAX_PER_POLL = 200  # messages one poll takes in; the rest wait for the next poll


class MailboxLike(Protocol):
    def pending(self, limit: int) -> list[tuple[int, int]]: ...
    def fetch(self, uid: int) -> bytes: ...
    def taken_in(self, uid: int) -> None: ...
    def refused(self, uid: int) -> None: ...


@dataclass
class PollReport:
    queued: int = 0  # messages published with their events
    ignored: int = 0  # no bounce: nothing to apply, marked taken in
    refused: int = 0  # over a size or MIME limit: marked refused
    more: bool = False  # MAX_PER_POLL reached: more messages wait


def poll(
    mailbox: MailboxLike,
    publish: Callable[[Accepted, int], None],
    settings: Settings,
    limit: int = MAX_PER_POLL,
) -> PollReport:
    """Take in up to `limit` messages; `publish(accepted, received_at_ms)` raises when the
    broker refuses, which ends the poll (the message stays unmarked)."""
    report = PollReport()
    pending = mailbox.pending(limit)
    report.more = len(pending) >= limit
    for uid, size in pending:
        received_at_ms = int(time.time() * 1000)
        try:
            if size > settings.mail_max_bytes:
                metrics.observe_mail("mailbox", "refused")
                raise email.TooLargeError(
                    f"the message is {size} bytes, over BOUNCEKEEPER_MAIL_MAX_BYTES "
                    f"({settings.mail_max_bytes})"
                )
            result = email.accept(mailbox.fetch(uid), settings, received_at_ms, way="mailbox")
        except RejectedError as exc:
            log.warning("mailbox message UID %d refused (%d): %s", uid, exc.status, exc.message)
            mailbox.refused(uid)
            report.refused += 1
            continue
        except Exception:  # a parser bug: set this message aside rather than stall the mailbox
            log.exception("mailbox message UID %d could not be parsed; marked refused", uid)
            mailbox.refused(uid)
            report.refused += 1
            continue
        if isinstance(result, Accepted):
            publish(result, received_at_ms)
            report.queued += 1
        else:
            report.ignored += 1
        mailbox.taken_in(uid)
    return report
