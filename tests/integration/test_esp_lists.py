"""Changes of an ESP's own suppression list (Postmark's SubscriptionChange) in the event
script, on a real Redis: what they suppress, what a reactivation lifts and what it must not,
in any order the ESP's retries deliver them."""

import itertools
import json

import pytest
import redis

from app.config import Settings
from app.ingest import limits, plan
from app.policy import Policy
from app.providers import postmark
from app.providers.base import WebhookRequest
from app.store import Application, Store
from tests.helpers import BASE_MS, DAY_MS
from tests.providers import SECRETS, postmark_subscription_change

POLICY = Policy()
SETTINGS = Settings(postmark_secret=SECRETS["postmark_secret"])
NOW = BASE_MS + 100 * DAY_MS
EMAIL = "a@example.com"
SCRIPT_DB = 6


@pytest.fixture(scope="module")
def client(redis_server):
    connection = redis.Redis.from_url(f"{redis_server}/{SCRIPT_DB}", decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def store(client):
    client.flushdb()  # our own test server's database, not a shared one
    return Store(client)


def change(at_ms: int, **fields) -> Application:
    """A SubscriptionChange as the worker plans it: parsed from Postmark's payload."""
    body = json.dumps(postmark_subscription_change(EMAIL, at_ms, **fields)).encode()
    accepted = postmark.load(WebhookRequest({}, body, "application/json", at_ms), SETTINGS)
    [event] = postmark.parse(json.loads(json.dumps(accepted.payload)), at_ms)
    return plan(event, POLICY)


def own_bounce(at_ms: int, event_id: str = "own-1") -> Application:
    """A 5.1.1 bounce bouncekeeper classified itself."""
    return Application(
        email=EMAIL, event_id=event_id, action="suppress", weight=0.0, occurred_at_ms=at_ms,
        code=2001, category="permanent", source="hard", diagnostic="550 5.1.1 user unknown",
        matched_by="enhanced:5.1.1", provider="postmark", message_id="<m@x>",
    )  # fmt: skip


def apply(store, *items):
    return [o.result for o in store.apply(list(items), limits(POLICY), NOW)]


def audit(store):
    return [entry for _, entry in reversed(store.audit_log())]


def test_an_esp_hard_bounce_suppresses_and_its_reactivation_lifts_it_audited(store):
    assert apply(store, change(BASE_MS)) == ["suppressed"]
    record = store.suppression(EMAIL)
    assert (record["code"], record["category"], record["source"]) == ("2999", "permanent", "hard")
    assert json.loads(record["esp_lists"]) == {"postmark:broadcast": BASE_MS}
    lift = change(BASE_MS + 1000, suppress=False, origin="Customer")
    assert apply(store, lift) == ["reactivated"]
    assert store.suppression(EMAIL) is None
    assert store.redis.zscore(store.suppression_index_key, EMAIL) is None
    assert [(e["op"], e["source"]) for _, e in store.change_log()] == [
        ("add", "hard"),
        ("remove", "hard"),
    ]
    [entry] = audit(store)
    assert (entry["op"], entry["actor"], entry["previous_source"]) == (
        "unsuppress",
        "esp:postmark:broadcast",
        "hard",
    )
    assert entry["reason"] == "Postmark reactivated sending on stream broadcast (origin Customer)"


@pytest.mark.parametrize(
    ("reason", "source"), [("SpamComplaint", "complaint"), ("ManualSuppression", "esp")]
)
def test_complaints_and_manual_suppressions_at_the_esp_are_lifted_by_its_reactivation(
    store, reason, source
):
    assert apply(store, change(BASE_MS, reason=reason, origin="Admin")) == ["suppressed"]
    assert store.suppression(EMAIL)["source"] == source
    assert apply(store, change(BASE_MS + 1, suppress=False)) == ["reactivated"]


def test_the_same_change_twice_is_applied_once(store):
    assert apply(store, change(BASE_MS), change(BASE_MS)) == ["suppressed", "duplicate"]
    assert store.suppression(EMAIL)["hits"] == "1"
    lift = change(BASE_MS + 1, suppress=False)
    assert apply(store, lift, lift) == ["reactivated", "duplicate"]
    assert len(store.change_log()) == 2


def test_a_reactivation_never_lifts_what_bouncekeepers_own_evidence_holds(store):
    apply(store, own_bounce(BASE_MS))
    assert apply(store, change(BASE_MS + 1, suppress=False)) == ["kept_own_evidence"]
    assert store.suppression(EMAIL)["source"] == "hard"
    [entry] = audit(store)
    assert (entry["op"], entry["result"]) == ("reactivation_kept", "kept_own_evidence")


def test_a_reactivation_never_lifts_an_operators_suppression(store):
    record = {"email": EMAIL, "source": "manual", "diagnostic": "asked us"}
    store.suppress(record, "ops", "asked us", NOW)
    assert apply(store, change(BASE_MS, suppress=False)) == ["kept_own_evidence"]
    assert store.suppression(EMAIL)["source"] == "manual"


def test_own_evidence_and_the_esp_list_end_alike_in_either_order(store):
    """Whichever arrives first, the address is held by bouncekeeper's own bounce afterwards,
    so the ESP's reactivation keeps it."""
    finals = []
    for first, second in [
        (own_bounce(BASE_MS), change(BASE_MS + 1, reason="ManualSuppression")),
        (change(BASE_MS + 1, reason="ManualSuppression"), own_bounce(BASE_MS)),
    ]:
        store.redis.flushdb()
        apply(store, first, second)
        record = store.suppression(EMAIL)
        finals.append((record["source"], record.get("esp_lists")))
        assert apply(store, change(BASE_MS + 2, suppress=False)) == ["kept_own_evidence"]
    assert finals == [("hard", None), ("hard", None)]


def test_an_escalation_takes_over_what_the_esp_list_held(store):
    apply(store, change(BASE_MS, reason="ManualSuppression"))
    soft = [
        Application(
            email=EMAIL, event_id=f"s{n}", action="soft", weight=1.0,
            occurred_at_ms=BASE_MS + n * DAY_MS, code=3001, category="temporary", source="hard",
            diagnostic="452 mailbox full", matched_by="text:mailbox full", provider="postmark",
            message_id="<m@x>",
        )
        for n in range(3)
    ]  # fmt: skip
    assert apply(store, *soft) == ["counted", "counted", "confirmed"]
    record = store.suppression(EMAIL)
    assert (record["source"], record["previous_source"]) == ("escalated", "esp")
    assert "esp_lists" not in record
    assert apply(store, change(BASE_MS + 5 * DAY_MS, suppress=False)) == ["kept_own_evidence"]


def test_a_suppression_and_its_reactivation_end_alike_in_any_order(store):
    """Postmark retries for hours, so a change can arrive after a later one of the same list."""
    changes = [
        change(BASE_MS, reason="HardBounce"),
        change(BASE_MS + 1000, suppress=False),
        change(BASE_MS + 2000, reason="SpamComplaint"),
    ]
    outcomes = set()
    for order in itertools.permutations(changes):
        store.redis.flushdb()
        apply(store, *order)
        record = store.suppression(EMAIL)
        outcomes.add(record and (record["source"], record["esp_lists"]))
    [(source, lists)] = outcomes
    assert (source, json.loads(lists)) == ("complaint", {"postmark:broadcast": BASE_MS + 2000})


def test_an_address_held_by_two_streams_is_lifted_when_both_reactivate(store):
    apply(store, change(BASE_MS), change(BASE_MS + 1, stream="outbound"))
    assert apply(store, change(BASE_MS + 2, suppress=False)) == ["kept_esp"]
    assert json.loads(store.suppression(EMAIL)["esp_lists"]) == {"postmark:outbound": BASE_MS + 1}
    assert apply(store, change(BASE_MS + 3, suppress=False, stream="outbound")) == ["reactivated"]
    assert store.suppression(EMAIL) is None


def test_a_reactivation_of_nothing_changes_nothing_but_is_remembered(store):
    assert apply(store, change(BASE_MS + 1000, suppress=False)) == ["not_suppressed"]
    assert store.suppression(EMAIL) is None
    assert audit(store) == []
    assert apply(store, change(BASE_MS)) == ["before_reactivation"]
    assert store.suppression(EMAIL) is None
