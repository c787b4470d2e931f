"""The whole path: ZeptoMail POST -> broker -> real worker -> Redis -> admin API."""

from __future__ import annotations

import pytest

from tests.helpers import (
    BASE_MS,
    DAY_MS,
    contact,
    sample_payload,
    soft,
    suppression,
    wait_for,
    zepto_bounce,
)

pytestmark = pytest.mark.usefixtures("worker")

HOOK = {"Authorization": "Bearer zepto-secret"}


def post(client, payload):
    response = client.post("/webhooks/zeptomail", json=payload, headers=HOOK)
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def test_seed_sample_suppresses_with_2002(client):
    assert post(client, sample_payload()) == {"accepted": 1}
    record = wait_for(lambda: suppression(client, "john.doe@zylker.com"))
    assert record["code"] == 2002
    assert record["category"] == "permanent"
    assert record["source"] == "hard"
    assert record["evidence"]["matched_by"] == "enhanced:5.1.2"
    assert record["evidence"]["occurred_at"] == "2024-09-05T13:37:39.000+00:00"


def test_three_soft_bounces_on_three_days_escalate(client):
    email = "full@example.com"
    for n in range(3):
        post(client, soft(email, BASE_MS + n * DAY_MS, message_id=f"<m{n}@x>"))
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["source"]) == (3001, "escalated")
    assert contact(client, email)["events"] == 3


def test_ten_soft_bounces_on_one_day_do_not_escalate(client):
    email = "busy@example.com"
    for n in range(10):
        post(client, soft(email, BASE_MS + n * 60_000, message_id=f"<m{n}@x>"))
    state = wait_for(lambda: (c := contact(client, email)) and c["events"] == 10 and c)
    assert state["counted"] == [{"day": "2026-03-02", "weight": 1.0}]
    assert suppression(client, email) is None


def test_same_webhook_twice_counts_once(client):
    email = "twice@example.com"
    payload = soft(email, BASE_MS)
    post(client, payload)
    post(client, payload)
    marker = "marker@example.com"
    post(client, zepto_bounce(marker, BASE_MS))  # processed after both copies (one solo worker)
    wait_for(lambda: suppression(client, marker))
    state = contact(client, email)
    assert state["events"] == 1
    assert len(state["history"]) == 1


def test_batch_of_many_recipients_in_one_webhook(client):
    payload = sample_payload()
    item = payload["data"][0]
    payload["data"] = [
        {**item, "contact_email": f"user{n}@zylker.com", "action_time": BASE_MS + n}
        for n in range(50)
    ]
    assert post(client, payload) == {"accepted": 50}
    wait_for(lambda: suppression(client, "user49@zylker.com"))
    assert all(suppression(client, f"user{n}@zylker.com") for n in range(50))


def test_open_event_resets_the_soft_score(client):
    email = "alive@example.com"
    post(client, soft(email, BASE_MS))
    post(client, soft(email, BASE_MS + DAY_MS, message_id="<m2@x>"))
    opened = {
        "webhook_name": "Open webhook",
        "action": "email_open",
        "data": [{"contact_email": email, "action_time": BASE_MS + DAY_MS + 60_000}],
    }
    post(client, opened)
    post(client, soft(email, BASE_MS + 2 * DAY_MS, message_id="<m3@x>"))
    state = wait_for(lambda: (c := contact(client, email)) and c["events"] == 4 and c)
    assert state["counted"] == [{"day": "2026-03-04", "weight": 1.0}]
    assert suppression(client, email) is None
