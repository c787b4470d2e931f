"""`bouncekeeper ingest-mail`: bounce mail kept in mbox files and maildirs, applied straight
to the state store the way the worker applies a message from `POST /webhooks/email`.

Each message is parsed (app.mail), held to the same limits, given the same event ids (its own
Message-ID, so a message already taken in by the webhook or the mailbox poller is a duplicate
here, and running a backfill twice applies nothing the second time) and applied in batches.
"""

from __future__ import annotations

import mailbox
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.classify import BUILT_IN, TextRules
from app.config import Settings
from app.events import BounceEvent, bounded
from app.ingest import apply_events
from app.mail import to_events
from app.policy import Policy
from app.providers import email
from app.providers.base import RejectedError
from app.store import Store

BATCH_EVENTS = 500


class NotAMailboxError(ValueError):
    """A path that is neither an mbox file nor a maildir."""


@dataclass
class BackfillReport:
    messages: int = 0
    kinds: Counter[str] = field(default_factory=Counter)  # bounce, complaint, not_bounce, …
    refused: int = 0  # over a size or MIME limit
    events: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # the store's results
    errors: list[str] = field(default_factory=list)  # "<path> #<n>: why", the first 100

    def as_dict(self) -> dict:
        return {
            "messages": self.messages,
            "kinds": dict(self.kinds),
            "refused": self.refused,
            "events": self.events,
            "outcomes": dict(self.outcomes),
            "errors": self.errors,
        }


def open_mailbox(path: Path) -> mailbox.Mailbox:
    """A maildir (a directory with cur/, new/ and tmp/) or an mbox file, read-only in spirit:
    nothing is written to either."""
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            return mailbox.Maildir(path, create=False)
        raise NotAMailboxError(f"{path} is a directory but no maildir (no cur/, new/, tmp/)")
    if path.is_file():
        return mailbox.mbox(path, create=False)
    raise NotAMailboxError(f"{path} does not exist")


def count(paths: Iterable[Path]) -> int:
    """How many messages the paths hold (for the progress bar)."""
    total = 0
    for path in paths:
        box = open_mailbox(path)
        try:
            total += len(box)
        finally:
            box.close()
    return total


def messages(paths: Iterable[Path]) -> Iterator[tuple[str, bytes]]:
    """("<path> #<n>", raw bytes) of every message, in each mailbox's order (an mbox's From_
    line is not part of the message)."""
    for path in paths:
        box = open_mailbox(path)
        try:
            for number, key in enumerate(box.keys(), start=1):
                yield f"{path} #{number}", box.get_bytes(key)
        finally:
            box.close()


def ingest(
    raws: Iterable[tuple[str, bytes]],
    store: Store,
    settings: Settings,
    policy: Policy,
    rules: TextRules = BUILT_IN,
    step: Callable[[], None] = lambda: None,
) -> BackfillReport:
    """Parse and apply every message; `step` is called after each (the progress bar)."""
    report = BackfillReport()
    batch: list[BounceEvent] = []
    for where, raw in raws:
        report.messages += 1
        now_ms = int(time.time() * 1000)
        try:
            if len(raw) > settings.mail_max_bytes:
                limit = settings.mail_max_bytes
                raise email.TooLargeError(
                    f"{len(raw)} bytes, over BOUNCEKEEPER_MAIL_MAX_BYTES ({limit})"
                )
            parsed = email.report_of(raw, settings)
        except RejectedError as exc:
            report.refused += 1
            if len(report.errors) < 100:
                report.errors.append(f"{where}: {exc.message}")
            step()
            continue
        report.kinds[str(parsed.kind)] += 1
        max_ahead_ms = settings.event_max_ahead_seconds * 1000
        batch += [bounded(event, now_ms, max_ahead_ms) for event in to_events(parsed, now_ms)]
        if len(batch) >= BATCH_EVENTS:
            _apply(batch, store, policy, rules, report)
            batch = []
        step()
    _apply(batch, store, policy, rules, report)
    return report


def _apply(
    batch: list[BounceEvent],
    store: Store,
    policy: Policy,
    rules: TextRules,
    report: BackfillReport,
) -> None:
    outcomes = apply_events(batch, store, policy, int(time.time() * 1000), rules)
    report.events += len(batch)
    report.outcomes.update(outcome.result for outcome in outcomes)
