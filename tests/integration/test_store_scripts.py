"""The store's Lua scripts against the pure reference model, on a real Redis (fakeredis has no
`cmsgpack`, and the scripts are what runs in production)."""

import hashlib
import json

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest import limits
from app.policy import Policy
from app.reference import ReferenceStore
from app.store import Application, Store
from tests.helpers import BASE_MS, DAY_MS

LIMITS = limits(Policy())
NOW = BASE_MS + 100 * DAY_MS


SCRIPT_DB = 5


@pytest.fixture(scope="module")
def client(redis_server):
    connection = redis.Redis.from_url(f"{redis_server}/{SCRIPT_DB}", decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def store(client):
    client.flushdb()
    return Store(client)


def application(
    event_id,
    action,
    at_ms,
    weight=0.0,
    code=3001,
    source="hard",
    email=None,
    message_id="<m@x>",
    diagnostic="452 4.2.2 mailbox full",
    provider="zeptomail",
):
    return Application(
        email=email or "a@example.com",
        event_id=event_id,
        action=action,
        weight=weight,
        occurred_at_ms=at_ms,
        code=code,
        category="temporary",
        source=source,
        diagnostic=diagnostic,
        matched_by="enhanced:4.2.2",
        provider=provider,
        message_id=message_id,
    )


def apply(store, *items, now=NOW):
    return store.apply(list(items), LIMITS, now)


def test_duplicate_event_counts_once(store):
    first = application("e1", "soft", BASE_MS, 1.0)
    assert [o.result for o in apply(store, first, first)] == ["counted", "duplicate"]
    assert store.contact("a@example.com").events == 1


def test_dedup_forgets_after_its_ttl(store):
    first = application("e1", "soft", BASE_MS, 1.0)
    apply(store, first)
    later = NOW + store.dedup_ttl_ms + 1000
    assert [o.result for o in apply(store, first, now=later)] == ["counted"]


def test_hard_bounce_writes_record_index_and_change_log(store):
    apply(store, application("e1", "suppress", BASE_MS, code=2001))
    record = store.suppression("a@example.com")
    assert (record["code"], record["source"]) == ("2001", "hard")
    assert store.redis.zscore(store.suppression_index_key, "a@example.com") == NOW
    [(_, entry)] = store.change_log()
    assert (entry["op"], entry["email"], entry["source"]) == ("add", "a@example.com", "hard")


def test_second_hard_bounce_does_not_log_a_second_change(store):
    outcomes = apply(
        store,
        application("e1", "suppress", BASE_MS, code=2001),
        application("e2", "suppress", BASE_MS + 1, code=2001),
    )
    assert [o.result for o in outcomes] == ["suppressed", "already_suppressed"]
    assert len(store.change_log()) == 1
    assert store.suppression("a@example.com")["hits"] == "2"


def test_complaint_upgrades_a_hard_suppression(store):
    apply(store, application("e1", "suppress", BASE_MS, code=2001))
    [outcome] = apply(store, application("e2", "suppress", BASE_MS, source="complaint"))
    assert outcome.result == "upgraded"
    record = store.suppression("a@example.com")
    assert (record["source"], record["previous_source"]) == ("complaint", "hard")
    assert [e["source"] for _, e in store.change_log()] == ["hard", "complaint"]


def test_escalation_records_source_escalated(store):
    outcomes = apply(
        store, *(application(f"e{n}", "soft", BASE_MS + n * DAY_MS, 1.0) for n in range(3))
    )
    assert [o.result for o in outcomes] == ["counted", "counted", "escalated"]
    assert store.suppression("a@example.com")["source"] == "escalated"


def test_history_is_capped_newest_first(store):
    items = [application(f"e{n}", "soft", BASE_MS + n, 0.25) for n in range(15)]
    apply(store, *items)
    history = store.contact("a@example.com").history
    assert len(history) == Store.HISTORY_CAP
    assert history[0]["at"] == BASE_MS + 14
    assert history[0]["code"] == 3001


def entry(item):
    """The history entry an applied event should leave, as Store.contact reads it."""
    fields = (item.occurred_at_ms, item.code, item.action, item.provider, item.message_id)
    return dict(zip(("at", "code", "action", "provider", "message_id"), fields, strict=True)) | {
        "diagnostic": item.diagnostic
    }


def test_history_keeps_every_field_through_the_packing(store):
    """Entries are stored against their newer neighbour (docs/ARCHITECTURE.md): repeated,
    changed, empty and odd values, and times out of order, all read back as sent."""
    items = [
        application("e0", "soft", BASE_MS + DAY_MS, 0.5, message_id="<a.1@mail.example.com>"),
        application("e1", "soft", BASE_MS, 0.5, message_id="<a.2@mail.example.com>"),
        application("e2", "reset", BASE_MS + 2 * DAY_MS, code=None, message_id="no-at-sign"),
        application("e3", "sender_side", BASE_MS + 3, code=1002, message_id="a@b@c", diagnostic=""),
        application("e4", "suppress", BASE_MS + 4, code=2001, provider="other", message_id=""),
        application("e5", "suppress", BASE_MS + 4, code=2001, provider="other", message_id=""),
        application("e6", "custom", BASE_MS + 5, code=9999, message_id="<a.3@mail.example.com>"),
    ]
    apply(store, *items)
    assert store.contact("a@example.com").history == [entry(i) for i in reversed(items)]


def write_first_format_state(store, email, state):
    """A contact state as the first format stored it: one MessagePack map, days as ints."""
    script = """
    local s, days = cjson.decode(ARGV[1]), {}
    for day, weight in pairs(s.d) do days[tonumber(day)] = weight end
    s.d = days
    return redis.call('SET', KEYS[1], cmsgpack.pack(s))
    """
    store.redis.eval(script, 1, store.contact_key(email), json.dumps(state))


def test_state_in_the_first_format_is_read_and_rewritten(store):
    old = application("old", "soft", BASE_MS, 1.0, message_id="<o@x>")
    digest = hashlib.sha1(old.event_id.encode(), usedforsecurity=False).hexdigest()[:16]
    seen_s = NOW // 1000
    history = [[BASE_MS, 3001, "soft", "zeptomail", "<o@x>", "452 4.2.2 mailbox full"]]
    state = {"r": 0, "n": 1, "d": {str(BASE_MS // DAY_MS): 1.0}, "e": {digest: seen_s}}
    write_first_format_state(store, "a@example.com", state | {"h": history})
    before = store.contact("a@example.com")
    assert (before.events, before.days, before.history) == (1, {BASE_MS // DAY_MS: 1.0},
                                                            [entry(old)])  # fmt: skip
    [replay] = apply(store, old)
    assert replay.result == "duplicate"  # its digest carried over
    new = application("new", "soft", BASE_MS + DAY_MS, 1.0)
    assert [o.result for o in apply(store, new)] == ["counted"]
    after = store.contact("a@example.com")
    assert (after.events, after.history) == (2, [entry(new), entry(old)])
    assert after.days == {BASE_MS // DAY_MS: 1.0, BASE_MS // DAY_MS + 1: 1.0}


def write_second_format_state(store, email, state):
    """A contact state as the second format stored it: an array [r, l, n, d, e, h], digests
    as bytes, history entries {at, code, action, provider, message id to its last '@', the
    rest, diagnostic}, older ones relative to the newer (ms before it, false where equal)."""
    script = """
    local s, days, e = cjson.decode(ARGV[1]), {}, {}
    for day, weight in pairs(s.d) do days[tonumber(day)] = weight end
    for hex, seen in pairs(s.e) do
      e[struct.pack('>I4I4', tonumber(hex:sub(1, 8), 16), tonumber(hex:sub(9, 16), 16))] = seen
    end
    return redis.call('SET', KEYS[1], cmsgpack.pack({s.r, s.l, s.n, days, e, s.h}))
    """
    store.redis.eval(script, 1, store.contact_key(email), json.dumps(state))


def test_state_in_the_second_format_is_read_and_rewritten(store):
    older = application("o1", "soft", BASE_MS, 1.0, message_id="<o.1@x>")
    newer = application("o2", "sender_side", BASE_MS + DAY_MS, code=1002,
                        message_id="<é.2@x>")  # fmt: skip
    digests = {
        hashlib.sha1(i.event_id.encode(), usedforsecurity=False).hexdigest()[:16]: NOW // 1000
        for i in (older, newer)
    }
    history = [
        [BASE_MS + DAY_MS, 1002, 3, 1, "<é.2", "@x>", "452 4.2.2 mailbox full"],
        [DAY_MS, 3001, 2, False, "<o.1", False, False],
    ]
    state = {"r": 0, "l": 0, "n": 2, "d": {str(BASE_MS // DAY_MS): 1.0}, "e": digests}
    write_second_format_state(store, "a@example.com", state | {"h": history})
    before = store.contact("a@example.com")
    assert (before.events, before.history) == (2, [entry(newer), entry(older)])
    assert [o.result for o in apply(store, older, newer)] == ["duplicate", "duplicate"]
    new = application("new", "soft", BASE_MS + 2 * DAY_MS, 1.0, message_id="<n.3@x>")
    assert [o.result for o in apply(store, new)] == ["counted"]
    after = store.contact("a@example.com")
    assert (after.events, after.history) == (3, [entry(new), entry(newer), entry(older)])
    assert after.days == {BASE_MS // DAY_MS: 1.0, BASE_MS // DAY_MS + 2: 1.0}


def test_contact_state_expires(store):
    apply(store, application("e1", "soft", BASE_MS, 1.0))
    ttl = store.redis.pttl(store.contact_key("a@example.com"))
    assert 0 < ttl <= store.state_ttl_ms(LIMITS.window_days)


def domain_traffic(store, others: int, rejected: int):
    """`others` soft bounces, then `rejected` sender-side rejections, all at big.example."""
    items = [application(f"o{n}", "soft", BASE_MS + n, 0.25, email=f"u{n}@big.example")
             for n in range(others)]  # fmt: skip
    items += [application(f"r{n}", "sender_side", BASE_MS + n, code=1002,
                          email=f"r{n}@big.example") for n in range(rejected)]  # fmt: skip
    return [o.result for o in apply(store, *items)]


@pytest.mark.parametrize(
    ("others", "rejected", "alert_at"),
    [
        (300, 20, ("20", "320")),  # the count binds: 20 of 320 is 6.25 %
        (500, 40, ("27", "527")),  # the share binds: 27/527 >= 5 % > 26/526
        (1000, 40, None),  # 40 of 1040 never reaches 5 %
    ],
)
def test_sender_side_alert_needs_count_and_share(store, others, rejected, alert_at):
    results = domain_traffic(store, others, rejected)
    alerts = store.alerts()
    if alert_at is None:
        assert alerts == []
        return
    assert results.count("sender_side_alert") == 1
    [(_, alert)] = alerts
    assert (alert["domain"], alert["sender_side"], alert["total"]) == ("big.example", *alert_at)
    total = others + rejected
    assert store.domain_day("big.example", BASE_MS) == {"total": total, "sender_side": rejected}


def test_unsuppress_clears_soft_state_logs_and_audits(store):
    apply(store, *(application(f"e{n}", "soft", BASE_MS + n * DAY_MS, 1.0) for n in range(3)))
    result = store.unsuppress("a@example.com", "ops@x", "customer fixed mailbox", NOW, 14, False)
    assert result == "removed"
    assert store.suppression("a@example.com") is None
    assert store.contact("a@example.com").days == {}
    assert [e["op"] for _, e in store.change_log()] == ["add", "remove"]
    [(_, audit)] = store.audit_log()
    assert (audit["actor"], audit["reason"], audit["previous_source"]) == (
        "ops@x",
        "customer fixed mailbox",
        "escalated",
    )
    # a late bounce from before the removal does not bring the old score back
    [late] = apply(store, application("late", "soft", BASE_MS + 3 * DAY_MS, 1.0))
    assert late.result == "before_reset"


def test_complaint_is_only_lifted_with_force(store):
    apply(store, application("e1", "suppress", BASE_MS, source="complaint"))
    assert store.unsuppress("a@example.com", "ops", "why", NOW, 14, False) == "complaint"
    assert store.suppression("a@example.com") is not None
    assert store.unsuppress("a@example.com", "ops", "why", NOW, 14, True) == "removed"
    assert store.unsuppress("a@example.com", "ops", "why", NOW, 14, True) == "not_suppressed"


@pytest.mark.parametrize("bad", [0, 1])
def test_rejects_non_numeric_arguments_before_writing(store, bad):
    """A bad value in any event of a call refuses the whole call before its first write."""
    items = [application(f"e{n}", "soft", BASE_MS, 1.0) for n in range(2)]
    call = store._batch_call(items, LIMITS, NOW)
    values = json.loads(call["args"][0])
    values[10][bad][9] = "heavy"  # the weight
    call["args"][0] = json.dumps(values)
    with pytest.raises(Exception, match="non-numeric"):
        store._apply(**call)
    assert store.redis.dbsize() == 0


def test_a_failing_event_ends_its_call_with_the_events_before_it_counted(store):
    store.redis.set(store.suppression_key("b@example.com"), "not a hash")
    items = [application("e1", "soft", BASE_MS, 1.0),
             application("e2", "soft", BASE_MS, 1.0, email="b@example.com"),
             application("e3", "soft", BASE_MS, 1.0, email="c@example.com")]  # fmt: skip
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        apply(store, *items)
    assert store.contact("a@example.com").events == 1
    assert store.contact("c@example.com") is None
    assert store.domain_day("example.com", BASE_MS) == {"total": 1}
    store.redis.delete(store.suppression_key("b@example.com"))
    assert [o.result for o in apply(store, *items)] == ["duplicate", "counted", "counted"]
    assert store.domain_day("example.com", BASE_MS) == {"total": 3}


EMAILS = ["a@example.com", "b@example.com"]
event = st.tuples(
    st.sampled_from(["soft", "soft", "soft", "reset", "suppress", "sender_side", "ignore"]),
    st.integers(min_value=0, max_value=40 * 24).map(lambda hours: BASE_MS + hours * 3_600_000),
    st.sampled_from([0.25, 0.5, 1.0]),
    st.sampled_from(["hard", "complaint"]),
    st.sampled_from(EMAILS),
    st.one_of(
        st.sampled_from(["<a.1@mail.example.com>", "<a.2@mail.example.com>", "x@y@z", "bare", ""]),
        st.text(max_size=30),
    ),
    st.sampled_from(["452 4.2.2 mailbox full", "550 5.1.1 user unknown", ""]),
)
operation = st.one_of(
    event.map(lambda e: ("event", e)),
    st.integers(0, 30).map(lambda back: ("replay", back)),  # an ESP retry of an earlier event
    st.tuples(st.sampled_from(EMAILS), st.booleans()).map(lambda u: ("unsuppress", u)),
)


@pytest.mark.parametrize("shards", [1, 4])
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=40), st.lists(st.integers(1, 6), min_size=1))
def test_scripts_match_the_reference_model(client, shards, operations, batch_sizes):
    """Events go to the store in batches of varied sizes (cut into script calls of 3), each
    applied as the model applies them one by one; unsharded, and spread over 4 shards (each
    address's changes then in its shard's log, in the model's order)."""
    client.flushdb()
    store = Store(client, shards=shards)
    store.APPLY_BATCH = 3
    model = ReferenceStore()
    sent: list[Application] = []
    applied: dict[str, list[Application]] = {email: [] for email in EMAILS}
    batch: list[Application] = []
    sizes = iter(batch_sizes * 40)
    size = next(sizes)

    def flush():
        nonlocal size
        for item, outcome in zip(batch, apply(store, *batch), strict=True):
            if outcome.result != "duplicate":
                applied[item.email].insert(0, item)
            result, score = model.apply(item, LIMITS)
            assert outcome.result.replace("sender_side_alert", "recorded") == result
            if score is not None:
                assert outcome.score == pytest.approx(score)
        batch.clear()
        size = next(sizes)

    for n, (kind, value) in enumerate(operations):
        if kind == "unsuppress":
            flush()
            email, force = value
            now = NOW + n
            got = store.unsuppress(email, "ops", "test", now, LIMITS.window_days, force)
            assert got == model.unsuppress(email, now, force)
            continue
        if kind == "replay":
            if not sent:
                continue
            item = sent[max(0, len(sent) - 1 - value)]
        else:
            action, at_ms, weight, source, email, message_id, diagnostic = value
            item = application(f"e{n}", action, at_ms, weight, source=source, email=email,
                               message_id=message_id, diagnostic=diagnostic)  # fmt: skip
            sent.append(item)
        batch.append(item)
        if len(batch) >= size:
            flush()
    flush()
    for email in EMAILS:
        state, expected = store.contact(email), model.contacts.get(email)
        if expected is None:
            assert state is None
            continue
        assert state.days == expected.score.days
        assert state.reset_at_ms == expected.score.reset_at_ms
        assert state.events == expected.events
        assert state.history == [entry(item) for item in applied[email][: Store.HISTORY_CAP]]
        record = store.suppression(email)
        assert (record or {}).get("source") == model.suppressions.get(email)
    log = [(e["op"], e["email"], e["source"]) for _, e in store.change_log(count=1000)]
    if shards == 1:
        assert log == model.changes
    for email in EMAILS:
        assert [c for c in log if c[1] == email] == [c for c in model.changes if c[1] == email]
    assert sorted(log) == sorted(model.changes)
