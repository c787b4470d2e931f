"""The store's Lua script against the pure SoftScore model, on fakeredis (pure store logic)."""

import fakeredis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.policy import Policy, SoftScore
from app.store import Application, Store
from tests.helpers import BASE_MS, DAY_MS

POLICY = Policy()
NOW = BASE_MS + 100 * DAY_MS


@pytest.fixture
def store():
    return Store(fakeredis.FakeRedis(decode_responses=True))


def application(event_id, action, at_ms, weight=0.0, code=3001, source="hard"):
    return Application(
        email="a@example.com",
        event_id=event_id,
        action=action,
        weight=weight,
        occurred_at_ms=at_ms,
        code=code,
        category="temporary",
        source=source,
        diagnostic="452 4.2.2 mailbox full",
        matched_by="enhanced:4.2.2",
        provider="zeptomail",
        message_id="<m@x>",
        history={"at": at_ms},
    )


def apply(store, *apps):
    return store.apply(list(apps), POLICY.window_days, POLICY.threshold, NOW)


def test_duplicate_event_counts_once(store):
    first = application("e1", "soft", BASE_MS, 1.0)
    assert [o.result for o in apply(store, first, first)] == ["counted", "duplicate"]
    assert store.contact("a@example.com")["summary"]["events"] == "1"


def test_hard_bounce_writes_record_index_and_change_log(store):
    apply(store, application("e1", "suppress", BASE_MS, code=2001))
    record = store.suppression("a@example.com")
    assert (record["code"], record["source"]) == ("2001", "hard")
    assert store.redis.zscore(store.suppression_index_key, "a@example.com") == NOW
    [(_, entry)] = store.change_log()
    assert entry["op"] == "add"
    assert entry["email"] == "a@example.com"


def test_second_hard_bounce_does_not_log_a_second_change(store):
    outcomes = apply(
        store,
        application("e1", "suppress", BASE_MS, code=2001),
        application("e2", "suppress", BASE_MS + 1, code=2001),
    )
    assert [o.result for o in outcomes] == ["suppressed", "already_suppressed"]
    assert len(store.change_log()) == 1
    assert store.suppression("a@example.com")["hits"] == "2"


def test_escalation_records_source_escalated(store):
    outcomes = apply(
        store, *(application(f"e{n}", "soft", BASE_MS + n * DAY_MS, 1.0) for n in range(3))
    )
    assert [o.result for o in outcomes] == ["counted", "counted", "escalated"]
    assert store.suppression("a@example.com")["source"] == "escalated"


def test_rejects_non_numeric_arguments_before_writing(store):
    item = application("e1", "soft", BASE_MS, 1.0)
    args = store._args(item, POLICY.window_days, POLICY.threshold, NOW)
    args[2] = "heavy"  # the weight
    with pytest.raises(Exception, match="non-numeric"):
        store._apply(keys=store._keys(item.email, item.event_id), args=args)
    assert store.redis.dbsize() == 0


step = st.tuples(
    st.sampled_from(["soft", "soft", "soft", "reset"]),
    st.integers(min_value=0, max_value=40 * 24).map(lambda hours: BASE_MS + hours * 3_600_000),
    st.sampled_from([0.25, 0.5, 1.0]),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=25))
def test_script_matches_the_pure_model(steps):
    store = Store(fakeredis.FakeRedis(decode_responses=True))
    model = SoftScore()
    escalated = False
    for n, (action, at_ms, weight) in enumerate(steps):
        [outcome] = apply(store, application(f"e{n}", action, at_ms, weight))
        if action == "reset":
            model.reset(at_ms)
            assert outcome.result == "reset"
            continue
        expected, score = model.add(at_ms, weight, POLICY)
        if expected == "counted" and score >= POLICY.threshold:
            expected = "already_suppressed" if escalated else "escalated"
            escalated = True
        assert outcome.result == expected
        if expected != "stale" and expected != "before_reset":
            assert outcome.score == pytest.approx(score)
    stored = store.contact("a@example.com")["days"]
    assert stored == model.days
