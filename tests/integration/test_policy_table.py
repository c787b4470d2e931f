"""Every row of the default policy table, reset, complaints, sender-side alerts and unsuppress,
applied by the real scripts on a real Redis."""

from __future__ import annotations

import pytest

from app import taxonomy
from app.classify import Classification, Grade
from app.events import BounceEvent, EventType
from app.ingest import decide, limits
from app.operations import OperationError, unsuppress
from app.policy import Policy
from app.store import Store
from tests.helpers import BASE_MS, DAY_MS

POLICY = Policy()


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


def event(email, n, kind=EventType.BOUNCE, at_ms=None):
    at = BASE_MS + n * DAY_MS if at_ms is None else at_ms
    return BounceEvent("zeptomail", kind, email, at, message_id=f"<{n}@x>")


def bounce(store, email, code, days, kind=EventType.BOUNCE):
    """`days` bounces with `code`, one per UTC day; the outcomes in order."""
    verdict = Classification(code, taxonomy.category_of(code), "test")
    plans = [decide(event(email, n, kind), verdict, POLICY) for n in range(days)]
    return [o.result for o in store.apply(plans, limits(POLICY), BASE_MS)]


@pytest.mark.parametrize("code", [2001, 2002, 2003, 2004, 2999])
def test_permanent_codes_suppress_at_once(store, code):
    assert bounce(store, "p@example.com", code, 1) == ["suppressed"]
    record = store.suppression("p@example.com")
    assert (record["source"], record["code"]) == ("hard", str(code))


@pytest.mark.parametrize("code", [2001, 2002, 2003, 2004, 2999])
def test_permanent_codes_on_class_evidence_alone_count_and_escalate_on_the_third_day(store, code):
    email = f"w{code}@example.com"
    verdict = Classification(code, taxonomy.category_of(code), "smtp:550", Grade.CLASS)
    plans = [decide(event(email, n), verdict, POLICY) for n in range(3)]
    results = [o.result for o in store.apply(plans, limits(POLICY), BASE_MS)]
    assert results == ["counted", "counted", "escalated"]
    assert store.suppression(email)["source"] == "escalated"


@pytest.mark.parametrize(
    ("codes", "days_to_escalate"),
    [((3001, 3002, 4006), 3), ((3003, 3999, 9999), 6), ((4001, 4002, 4003, 4004, 4999), 12)],
)
def test_soft_codes_escalate_after_threshold_over_weight_days(store, codes, days_to_escalate):
    for code in codes:
        email = f"s{code}@example.com"
        results = bounce(store, email, code, days_to_escalate)
        assert results[:-1] == ["counted"] * (days_to_escalate - 1), code
        assert results[-1] == "escalated", code
        assert store.suppression(email)["source"] == "escalated"


@pytest.mark.parametrize("code", [1002, 1003, 1004, 1006, 1007, 1011, 1999, 5001, 5999])
def test_sender_side_and_informational_never_count(store, code):
    email = f"n{code}@example.com"
    assert bounce(store, email, code, 20) == ["recorded"] * 20
    assert store.contact(email).days == {}
    assert store.suppression(email) is None


def test_complaint_suppresses_at_once_and_resists_unsuppress(store):
    plan = decide(event("c@example.com", 0, EventType.COMPLAINT), None, POLICY)
    [outcome] = store.apply([plan], limits(POLICY), BASE_MS)
    assert outcome.result == "suppressed"
    assert store.suppression("c@example.com")["source"] == "complaint"
    with pytest.raises(OperationError) as refused:
        unsuppress(store, "c@example.com", "ops", "asked", False, POLICY)
    assert refused.value.status == 409
    unsuppress(store, "c@example.com", "ops", "asked twice, confirmed", True, POLICY)
    assert store.suppression("c@example.com") is None


def test_delivery_resets_the_score(store):
    bounce(store, "r@example.com", 3001, 2)
    reset = decide(event("r@example.com", 2, EventType.DELIVERY), None, POLICY)
    assert store.apply([reset], limits(POLICY), BASE_MS)[0].result == "reset"
    assert store.contact("r@example.com").days == {}


def test_sender_side_rejections_raise_a_domain_alert(store):
    verdict = Classification(1002, taxonomy.category_of(1002), "test")
    plans = [
        decide(event(f"u{n}@blocked.example", 0, at_ms=BASE_MS + n), verdict, POLICY)
        for n in range(25)
    ]
    results = [o.result for o in store.apply(plans, limits(POLICY), BASE_MS)]
    assert results.count("sender_side_alert") == 1
    [(_, alert)] = store.alerts()
    assert alert["domain"] == "blocked.example"
    assert store.domain_day("blocked.example", BASE_MS) == {"total": 25, "sender_side": 25}


def test_unsuppress_feeds_the_change_log_and_audit(store):
    bounce(store, "u@example.com", 2001, 1)
    done = unsuppress(store, "U@Example.com", "alice", "typo fixed", False, POLICY)
    assert done.email == "u@example.com"
    assert [e["op"] for _, e in store.change_log()] == ["add", "remove"]
    [(_, audit)] = store.audit_log()
    assert (audit["actor"], audit["reason"]) == ("alice", "typo fixed")
    with pytest.raises(OperationError) as missing:
        unsuppress(store, "u@example.com", "alice", "again", False, POLICY)
    assert missing.value.status == 404
