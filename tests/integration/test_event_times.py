"""Event times through the real worker (issue #15, item 7): a date far ahead or far back is
replaced by the arrival time and marked, so it neither freezes a soft score nor breaks a read."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from app.cli import main
from app.providers.fields import MAX_MS
from tests.helpers import ADMIN, DAY_MS, contact, soft, suppression, wait_for, zepto_bounce

pytestmark = pytest.mark.usefixtures("worker")

HOOK = {"Authorization": "Bearer zepto-secret"}


def post(client, payload):
    response = client.post("/webhooks/zeptomail", json=payload, headers=HOOK)
    assert response.status_code == 202, response.get_json()


def applied(client, email: str):
    """Waits for a marker posted after everything else (one solo worker keeps the order)."""
    marker = f"marker-{email}"
    post(client, zepto_bounce(marker, int(time.time() * 1000)))
    wait_for(lambda: suppression(client, marker))


def test_a_soft_bounce_dated_a_month_ahead_does_not_freeze_the_score(client):
    email = "ahead@example.com"
    now = int(time.time() * 1000)
    post(client, soft(email, now + 30 * DAY_MS, message_id="<ahead@x>"))
    for days_ago in (3, 2, 1):
        post(client, soft(email, now - days_ago * DAY_MS, message_id=f"<m{days_ago}@x>"))
    record = wait_for(lambda: suppression(client, email))
    assert record["source"] == "escalated"


@pytest.mark.parametrize("at_ms", [MAX_MS, 0], ids=["year 9999", "epoch 0"])
def test_a_date_out_of_bounds_is_the_arrival_and_reads_back(client, settings, at_ms):
    email = "far@example.com"
    before = int(time.time() * 1000)
    post(client, soft(email, at_ms, message_id="<far@x>"))
    applied(client, email)
    state = contact(client, email)
    assert state is not None, "GET /api/v1/contacts answered no contact"
    assert state["last"]["at"] >= time.strftime("%Y-%m-%d", time.gmtime(before / 1000))
    assert state["last"]["at"] < "9999"
    events = client.get("/api/v1/events?domain=example.com", headers=ADMIN)
    assert events.status_code == 200
    (mine,) = [e for e in events.get_json()["events"] if e["email"] == email]
    assert mine["time_note"] == ("ahead" if at_ms else "before_2000")
    assert mine["reported_at"] == at_ms
    checked = CliRunner().invoke(
        main, ["check", email, "--json"], env={"REDIS_URL": settings.redis_url}
    )
    assert checked.exit_code == 0, checked.output
