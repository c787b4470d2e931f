"""Signed webhooks need only the broker (issue #15, item 8): the worker claims the request's
nonce, so a state outage does not refuse them, a replay is still never applied, and a
redelivered message is not mistaken for one. And a broker outage is answered with what makes
each ESP send the request again (item 9): 429 for Brevo, 503 for the others."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import redis

from app import create_app
from app.store import Store
from tests.conftest import free_port
from tests.helpers import BASE_MS, suppression, wait_for
from tests.providers import CASES, mailgun_failed, post, with_secrets

SIGNED = [case for case in CASES if case.signed]
UNWATCHED_DB = 9


@pytest.fixture
def settings(settings):
    return with_secrets(settings)


@pytest.mark.parametrize("case", SIGNED, ids=lambda case: case.name)
def test_a_signed_webhook_is_accepted_while_the_state_store_is_down(settings, redis_server, case):
    # a broker database no worker of the session consumes, so the queued message stays put
    unwatched = f"{redis_server}/{UNWATCHED_DB}"
    broker = redis.Redis.from_url(unwatched, decode_responses=True)
    broker.flushdb()
    down = replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0", broker_url=unwatched)
    response = post(create_app(down).test_client(), case.name, case.bounce("a@example.com", 0))
    assert response.status_code == 202, response.get_json()
    assert broker.llen("celery") == 1
    broker.close()


@pytest.mark.usefixtures("worker")
def test_a_replayed_signature_is_never_applied(client):
    """Mailgun signs the timestamp and token, not the body: a captured signature block sent
    again with another event is accepted by the web and dropped by the worker."""
    body, headers = CASES[0].bounce("first@example.com", BASE_MS)
    forged = json.loads(body)
    forged["event-data"] = mailgun_failed("second@example.com", BASE_MS / 1000)
    assert post(client, "mailgun", (body, headers)).status_code == 202
    assert post(client, "mailgun", (json.dumps(forged).encode(), headers)).status_code == 202
    marker = CASES[0].bounce("marker@example.com", BASE_MS)  # applied after both (solo worker)
    assert post(client, "mailgun", marker).status_code == 202
    wait_for(lambda: suppression(client, "marker@example.com"))
    assert suppression(client, "first@example.com") is not None
    assert suppression(client, "second@example.com") is None


def test_a_nonce_claim_holds_for_its_own_request_only(settings, state):
    store = Store.from_url(settings.redis_url)
    assert store.claim_nonce("mailgun", "token", "request-1", 60)
    assert store.claim_nonce("mailgun", "token", "request-1", 60)  # its message redelivered
    assert not store.claim_nonce("mailgun", "token", "request-2", 60)  # a replay
    assert 0 < state.ttl(store.nonce_key("mailgun", "token")) <= 60


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_broker_outage_is_answered_so_that_the_esp_retries(settings, state, case):
    down = replace(settings, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    response = post(create_app(down).test_client(), case.name, case.bounce("a@example.com", 0))
    assert response.status_code == (429 if case.name == "brevo" else 503)
    assert response.headers["Retry-After"] == "30"
    assert state.dbsize() == 0
