from __future__ import annotations

import time

import pytest

from app import create_app
from app.config import Settings
from app.ingest import apply_events
from app.policy import Policy
from app.providers import zeptomail
from app.store import Store
from tests.helpers import BASE_MS, sample_payload, soft

ADMIN = {"Authorization": "Bearer admin-token"}


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


def ingest(store, payload):
    events = zeptomail.parse(zeptomail.schema().load(payload), BASE_MS)
    return apply_events(events, store, Policy(), BASE_MS)


@pytest.mark.parametrize("path", ["/api/v1/suppressions/a@b.c", "/api/v1/contacts/a@b.c"])
def test_token_required(client, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_api_is_off_without_a_token(settings, state):
    client = create_app(Settings(**{**settings.__dict__, "api_token": ""})).test_client()
    response = client.get("/api/v1/suppressions/a@b.c", headers=ADMIN)
    assert response.status_code == 403
    assert "BOUNCEKEEPER_API_TOKEN" in response.get_json()["error"]["message"]


def test_not_suppressed_is_404(client):
    response = client.get("/api/v1/suppressions/nobody@example.com", headers=ADMIN)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "nobody@example.com is not suppressed"


def test_invalid_address_is_400(client):
    response = client.get("/api/v1/suppressions/not-an-address", headers=ADMIN)
    assert response.status_code == 400
    assert "email" in response.get_json()["error"]["fields"]


def test_lookup_normalizes_the_address(client, store):
    ingest(store, sample_payload())
    response = client.get("/api/v1/suppressions/John.Doe@ZYLKER.com", headers=ADMIN)
    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == "john.doe@zylker.com"
    assert body["meaning"] == "The domain of the email address is invalid"


def test_contact_state(client, store):
    ingest(store, soft("c@example.com", BASE_MS))
    body = client.get("/api/v1/contacts/c@example.com", headers=ADMIN).get_json()
    assert body["suppressed"] is False
    assert body["counted"] == [{"day": "2026-03-02", "weight": 1.0}]
    assert body["last"]["code"] == 3001
    assert body["history"][0]["diagnostic"] == "452 4.2.2 quota-issues"
    assert body["history"][0]["at"] == "2026-03-02T09:00:00.000+00:00"
    assert (body["threshold"], body["window_days"]) == (3.0, 14)


def test_unknown_contact_is_404(client):
    assert client.get("/api/v1/contacts/new@example.com", headers=ADMIN).status_code == 404


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_when_everything_answers(client, store):
    store.record_heartbeat(int(time.time() * 1000))
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = {"redis": "ok", "broker": "ok", "heartbeat": "ok", "clock": "ok"}
    assert response.get_json()["checks"] == checks


def test_readyz_names_the_broken_dependency(settings, state):
    from tests.conftest import free_port

    down = Settings(**{**settings.__dict__, "broker_url": f"redis://127.0.0.1:{free_port()}/0"})
    response = create_app(down).test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["redis"] == "ok"
    assert checks["broker"].startswith("unreachable")


def test_delete_suppression_requires_a_reason(client, store):
    ingest(store, sample_payload())
    response = client.delete("/api/v1/suppressions/john.doe@zylker.com", headers=ADMIN, json={})
    assert response.status_code == 400
    assert "reason" in response.get_json()["error"]["fields"]
    assert store.suppression("john.doe@zylker.com") is not None


def test_delete_suppression(client, store):
    ingest(store, sample_payload())
    response = client.delete(
        "/api/v1/suppressions/john.doe@zylker.com",
        headers=ADMIN,
        json={"reason": "domain fixed", "actor": "alice"},
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "email": "john.doe@zylker.com",
        "removed": True,
        "actor": "alice",
        "reason": "domain fixed",
    }
    assert store.suppression("john.doe@zylker.com") is None
    again = client.delete(
        "/api/v1/suppressions/john.doe@zylker.com", headers=ADMIN, json={"reason": "x"}
    )
    assert again.status_code == 404


def test_alerts_listing(client, store):
    assert client.get("/api/v1/alerts", headers=ADMIN).get_json() == {"alerts": []}
