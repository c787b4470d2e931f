"""A permanent code on weak evidence, through the web, a real Celery worker and Redis: a bare
550 whose wording no rule knows is counted, never suppressed at once, and escalates on the
third day within the window (docs/POLICY.md, "Evidence grades")."""

from __future__ import annotations

import pytest

from tests.helpers import BASE_MS, DAY_MS, contact, suppression, wait_for
from tests.providers import generic_event, generic_request, post, with_secrets

pytestmark = pytest.mark.usefixtures("worker")

UNKNOWN_WORDING = "550 Computer says no"


@pytest.fixture
def settings(settings):
    return with_secrets(settings)


def bare_550(email: str, at_ms: int) -> dict:
    return generic_event("bounce", email, at_ms, smtp_code="550", diagnostic=UNKNOWN_WORDING)


def send(client, *events: dict) -> None:
    response = post(client, "generic", generic_request(list(events)))
    assert response.status_code == 202, response.get_json()


def applied(client, email: str, events: int) -> dict:
    return wait_for(lambda: (c := contact(client, email)) and c["events"] == events and c)


def test_a_bare_550_counts_and_escalates_on_the_third_day(client):
    email = "maybe.gone@example.com"
    send(client, bare_550(email, BASE_MS), bare_550(email, BASE_MS + 3_600_000))
    state = applied(client, email, 2)
    assert suppression(client, email) is None  # two replies on day one: counted once
    assert state["counted"] == [{"day": "2026-03-02", "weight": 1.0}]

    send(client, bare_550(email, BASE_MS + DAY_MS))
    applied(client, email, 3)
    assert suppression(client, email) is None  # two days: 2.0 of the threshold's 3.0

    send(client, bare_550(email, BASE_MS + 2 * DAY_MS))
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["source"]) == (2999, "escalated")
    assert record["evidence"]["matched_by"] == "smtp:550"
    assert record["evidence"]["grade"] == "class"


def test_a_stated_cause_still_suppresses_at_once(client):
    email = "surely.gone@example.com"
    send(
        client,
        generic_event(
            "bounce", email, BASE_MS, smtp_code="550",
            diagnostic="550 Requested action not taken: no such user here",
        ),
    )  # fmt: skip
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["source"]) == (2001, "hard")
    assert record["evidence"]["grade"] == "text"
