"""Every provider's documented payloads through the web, a real Celery worker and Redis."""

from __future__ import annotations

import pytest

from tests.helpers import BASE_MS, contact, suppression, wait_for
from tests.providers import CASES, post, with_secrets

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


@BY_NAME
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
