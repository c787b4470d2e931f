"""Small builders shared by unit and integration tests."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
DAY_MS = 86_400_000
BASE_MS = int(datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp() * 1000)


def sample_payload() -> dict[str, Any]:
    """Seed 004's sample bounce, exactly as shipped for `make run`."""
    text = (resources.files("app") / "samples" / "zeptomail_bounce.json").read_text()
    return json.loads(text)


def zepto_bounce(email: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    """A one-event ZeptoMail bounce payload based on the seed sample."""
    payload = sample_payload()
    item = copy.deepcopy(payload["data"][0])
    item.update(contact_email=email, action_time=at_ms, rcpt_domain=email.split("@")[1])
    item.update(fields)
    payload["data"] = [item]
    return payload


def soft(email: str, at_ms: int, message_id: str = "<m1@example>") -> dict[str, Any]:
    """A mailbox-full soft bounce (4.2.2 -> 3001, weight 1.0)."""
    return zepto_bounce(
        email,
        at_ms,
        bounce_type="softbounce",
        bounce_code="452",
        bounce_extended_code="4.2.2",
        bounce_reason="quota-issues",
        message_id=message_id,
    )


def iso(at_ms: int) -> str:
    """RFC 3339 in UTC with milliseconds, as most ESPs write their times."""
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="milliseconds")


def wait_for(predicate: Callable[[], Any], timeout: float = 15.0, interval: float = 0.05) -> Any:
    """Poll until the predicate returns something truthy; fail with the last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    assert value, f"condition not met within {timeout}s (last value {value!r})"
    return value


ADMIN = {"Authorization": "Bearer admin-token"}  # the admin token of tests/conftest.py


def suppression(client, email: str) -> dict[str, Any] | None:
    """The admin API's suppression record of `email`, or None while there is none."""
    response = client.get(f"/api/v1/suppressions/{email}", headers=ADMIN)
    return response.get_json() if response.status_code == 200 else None


def contact(client, email: str) -> dict[str, Any] | None:
    """The admin API's soft state of `email`, or None while it has none."""
    response = client.get(f"/api/v1/contacts/{email}", headers=ADMIN)
    return response.get_json() if response.status_code == 200 else None


def queued_guards(broker) -> list[Any]:
    """The replay guard ([nonce, ttl s, claim], or None) of every webhook queued on the broker's
    default queue, oldest first: what the worker will claim before applying."""
    import base64

    guards: list[Any] = []
    for raw in reversed(broker.lrange("celery", 0, -1)):  # kombu pushes on the left
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        if message["headers"]["task"] == "bouncekeeper.ingest_batch":
            guards += [webhook[4] if len(webhook) > 4 else None for webhook in args[0]]
        else:
            guards.append(args[3] if len(args) > 3 else None)
    return guards


def assert_replay_queued_for_the_worker(broker, first, again) -> None:
    """Both copies of a signed request were accepted and carry one nonce under two claims: the
    worker applies the first to claim it and drops the other (tests/integration/
    test_replay_check.py)."""
    assert (first.status_code, again.status_code) == (202, 202)
    *_, (nonce_1, _, claim_1), (nonce_2, _, claim_2) = queued_guards(broker)
    assert nonce_1 == nonce_2
    assert claim_1 != claim_2
