"""The state Redis down or refusing writes: the admin API and the dashboard answer 503 and say
which, never 500 "the event was not accepted" (issue #15)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import redis

from app import create_app
from app.config import Settings
from app.store import Store
from tests.conftest import free_port

ADMIN = {"Authorization": "Bearer admin-token"}
LIFT = {"reason": "re-verified", "actor": "alice"}


def _refuse_writes(server: redis.Redis, how: str) -> None:
    """Make the test's own server refuse writes the way production's does."""
    if how == "maxmemory":
        server.config_set("maxmemory", 1)  # noeviction is the default policy
    else:
        server.replicaof("127.0.0.1", free_port())  # a replica is read-only, even unsynced


@pytest.fixture
def private_settings(settings: Settings, private_redis: str) -> Settings:
    return replace(settings, redis_url=f"{private_redis}/0")


@pytest.mark.parametrize(
    "path", ["/api/v1/suppressions/a@example.com", "/api/v1/contacts/a@example.com", "/dashboard"]
)
def test_state_unreachable_is_503_naming_the_state_store(settings, path):
    down = replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    response = create_app(down).test_client().get(path, headers=ADMIN)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    message = response.get_json()["error"]["message"]
    assert message.startswith("the state store (Redis) is unreachable")
    assert "event" not in message


def test_a_read_only_state_store_is_503_and_the_suppression_stays(private_settings):
    store = Store.from_url(private_settings.redis_url)
    store.suppress({"email": "a@example.com", "source": "manual"}, "alice", "test", 1)
    _refuse_writes(store.redis, "replicaof")
    client = create_app(private_settings).test_client()
    response = client.delete("/api/v1/suppressions/a@example.com", headers=ADMIN, json=LIFT)
    assert response.status_code == 503
    message = response.get_json()["error"]["message"]
    assert message.startswith("the state store (Redis) refuses writes: it is a read-only replica")
    assert client.get("/api/v1/suppressions/a@example.com", headers=ADMIN).status_code == 200


def test_a_state_store_out_of_memory_is_503_and_nothing_is_suppressed(private_settings):
    # Redis lets a script that has written go on under maxmemory (a lift, which deletes first,
    # completes); a manual suppression's first write is refused.
    _refuse_writes(Store.from_url(private_settings.redis_url).redis, "maxmemory")
    client = create_app(private_settings).test_client()
    body = {"email": "a@example.com", **LIFT}
    response = client.post("/api/v1/suppressions", headers=ADMIN, json=body)
    assert response.status_code == 503
    message = response.get_json()["error"]["message"]
    assert message.startswith("the state store (Redis) refuses writes: out of memory")
    assert client.get("/api/v1/suppressions/a@example.com", headers=ADMIN).status_code == 404
