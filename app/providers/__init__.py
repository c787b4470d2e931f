"""ESP adapters: each turns its provider's webhook request into BounceEvents.

The contract a provider module meets is described in `app.providers.base`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import structlog

from app.events import BounceEvent, bounded
from app.providers import (
    brevo,
    email,
    generic,
    kumomta,
    mailgun,
    mailjet,
    postal,
    postmark,
    sendgrid,
    ses,
    sparkpost,
    zeptomail,
)

log = structlog.get_logger("bouncekeeper.providers")

PROVIDERS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        zeptomail,
        ses,
        sendgrid,
        mailgun,
        postmark,
        sparkpost,
        brevo,
        mailjet,
        kumomta,
        postal,
        generic,
        email,
    )
}


def get(name: str) -> ModuleType | None:
    return PROVIDERS.get(name)


def events(
    module: ModuleType, payload: Any, received_at_ms: int, max_ahead_s: int
) -> list[BounceEvent]:
    """The worker's view of an accepted webhook: the module's events, each reported time held
    to its bounds (app.events.bounded), so no ESP clock can date an event where it would
    distort the soft score."""
    found = [
        bounded(event, received_at_ms, max_ahead_s * 1000)
        for event in module.parse(payload, received_at_ms)
    ]
    for event in found:
        if event.reported_at_ms is not None:
            log.info("event dated by its arrival", provider=event.provider,
                     recipient=event.recipient, reported_at_ms=event.reported_at_ms,
                     time_note=event.time_note)  # fmt: skip
    return found
