"""Every provider's documented payloads through the web, a real Celery worker and Redis."""

from __future__ import annotations

import pytest

from app.store import Store
from tests.helpers import BASE_MS, contact, suppression, wait_for
from tests.providers import (
    CASES,
    POSTMARK,
    POSTMARK_AUTH,
    as_json,
    post,
    postal_delivery_event,
    postal_failed,
    postal_message,
    postal_request,
    postmark_bounce,
    postmark_delivery,
    postmark_subscription_change,
    with_secrets,
)

pytestmark = pytest.mark.usefixtures("worker")
BY_NAME = pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)


@pytest.fixture
def settings(settings):
    return with_secrets(settings)


def send(client, case, request):
    response = post(client, case.name, request)
    assert response.status_code == 202, response.get_json()
    return response.get_json()


@BY_NAME
def test_hard_bounce_suppresses(client, case):
    email = f"gone.{case.name}@example.com"
    send(client, case, case.bounce(email, BASE_MS))
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["source"]) == (2001, "hard")
    assert record["evidence"]["provider"] == case.name


@pytest.mark.parametrize("case", [c for c in CASES if c.complaint], ids=lambda case: case.name)
def test_complaint_suppresses_as_complaint(client, case):
    email = f"angry.{case.name}@example.com"
    send(client, case, case.complaint(email, BASE_MS))
    record = wait_for(lambda: suppression(client, email))
    assert record["source"] == "complaint"


@BY_NAME
def test_delivery_is_recorded_as_proof_of_life(client, case):
    email = f"alive.{case.name}@example.com"
    send(client, case, case.delivery(email, BASE_MS))
    state = wait_for(lambda: contact(client, email))
    assert state["history"][0]["action"] == "reset"
    assert suppression(client, email) is None


@pytest.mark.parametrize("case", [c for c in CASES if c.batch], ids=lambda case: case.name)
def test_one_request_carries_a_batch(client, case):
    emails = [f"batch{n}.{case.name}@example.com" for n in range(20)]
    assert send(client, case, case.batch(emails, BASE_MS)) == {"accepted": len(emails)}
    wait_for(lambda: all(suppression(client, email) for email in emails))


def postmark_change(client, email, at_ms, **fields):
    record = postmark_subscription_change(email, at_ms, **fields)
    send(client, POSTMARK, as_json(record, POSTMARK_AUTH))


def test_postmark_subscription_changes_suppress_and_reactivate(client, state):
    """Postmark reports complaints and hard bounces on broadcast streams only as changes of
    the stream's suppression list: applied as the ESP decided, the same change once, and its
    reactivation lifts what the list alone held, audited."""
    postmark_change(client, "angry@example.com", BASE_MS, reason="SpamComplaint")
    gone = "gone.broadcast@example.com"
    postmark_change(client, gone, BASE_MS)
    record = wait_for(lambda: suppression(client, gone))
    assert (record["code"], record["category"], record["source"]) == (2999, "permanent", "hard")
    assert record["esp_lists"] == ["postmark:broadcast"]
    assert record["evidence"]["matched_by"] == "esp:postmark:broadcast:HardBounce"
    complaint = wait_for(lambda: suppression(client, "angry@example.com"))
    assert (complaint["source"], complaint["code"]) == ("complaint", None)

    postmark_change(client, gone, BASE_MS)  # Postmark's retry of the same change
    postmark_change(client, gone, BASE_MS + 60_000, suppress=False, origin="Customer")
    send(client, POSTMARK, as_json(postmark_delivery(gone, BASE_MS + 120_000), POSTMARK_AUTH))
    history = wait_for(lambda: len(contact(client, gone)["history"]) == 3 and contact(client, gone))
    assert [entry["action"] for entry in history["history"]] == [
        "reset",
        "reactivate",
        "esp_suppress",
    ]
    assert history["events"] == 3  # the retry was not applied again
    assert suppression(client, gone) is None
    [(_, lifted)] = Store(state).audit_log(1)
    assert (lifted["op"], lifted["email"], lifted["actor"]) == (
        "unsuppress",
        gone,
        "esp:postmark:broadcast",
    )


def test_postmark_reactivation_keeps_what_bouncekeepers_own_evidence_holds(client, state):
    email = "kept.broadcast@example.com"
    send(client, POSTMARK, as_json(postmark_bounce(email, BASE_MS), POSTMARK_AUTH))
    wait_for(lambda: suppression(client, email))
    postmark_change(client, email, BASE_MS + 60_000, suppress=False, origin="Customer")
    wait_for(lambda: contact(client, email)["history"][0]["action"] == "reactivate")
    record = suppression(client, email)
    assert (record["source"], record["code"], record["esp_lists"]) == ("hard", 2001, [])
    [(_, kept)] = Store(state).audit_log(1)
    assert (kept["op"], kept["result"]) == ("reactivation_kept", "kept_own_evidence")


def test_postal_retry_is_applied_once_and_a_delay_counts_as_soft(client):
    """Postal resends the very same signed body (its uuid) after a failed attempt; a
    MessageDelayed is a deferral; a MessageBounced counts against the original recipient."""
    gone, slow, bounced = "gone.postal@example.com", "slow.postal@example.com", "b@example.com"
    failed = postal_request("MessageDeliveryFailed", postal_failed(gone, BASE_MS))
    assert post(client, "postal", failed).status_code == 202
    assert post(client, "postal", failed).status_code == 202  # Postal timed out and retried
    greylisted = "451 4.7.1 Greylisted, please try again later"
    delay = postal_delivery_event(
        "MessageDelayed", slow, BASE_MS, status="SoftFail", output=greylisted
    )
    assert post(client, "postal", postal_request("MessageDelayed", delay)).status_code == 202
    bounce = {
        "original_message": postal_message(bounced, BASE_MS),
        "bounce": postal_message("sender@example.com", BASE_MS, direction="incoming"),
    }
    assert post(client, "postal", postal_request("MessageBounced", bounce)).status_code == 202
    record = wait_for(lambda: suppression(client, gone))
    assert (record["code"], record["source"]) == (2001, "hard")
    soft = wait_for(lambda: contact(client, slow))
    assert soft["history"][0]["action"] != "suppress"
    assert suppression(client, slow) is None
    wait_for(lambda: contact(client, bounced))
    assert suppression(client, bounced) is None
    assert wait_for(lambda: contact(client, gone))["events"] == 1
