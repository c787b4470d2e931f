"""The store's suppression-list scripts and pages on a real Redis: the batch script writes what
SUPPRESS writes, and keyset pages neither skip nor repeat, ties and removals included."""

from __future__ import annotations

import pytest

from app.store import Store


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


def record(email, **extra):
    return {"email": email, "code": "2001", "category": "permanent", "source": "import",
            "diagnostic": "old list", **extra}  # fmt: skip


def test_suppress_many_writes_what_suppress_writes(store, state):
    assert store.suppress(record("one@example.com"), "ann", "why", 1000) == "suppressed"
    single = store.suppression("one@example.com")
    single_audit = store.audit_log(1)[0][1]
    state.flushdb()
    results = store.suppress_many(
        [record("one@example.com"), record("two@example.com"), record("one@example.com")],
        "ann", "why", 1000,
    )  # fmt: skip
    assert results == ["suppressed", "suppressed", "already_suppressed"]
    assert store.suppression("one@example.com") == single
    assert store.audit_log(2)[1][1] == single_audit
    assert [entry["op"] for _, entry in store.change_log()] == ["add", "add"]
    assert sorted(store.suppressed_emails()) == ["one@example.com", "two@example.com"]


def test_suppress_many_leaves_existing_records_alone(store):
    store.suppress(record("one@example.com", source="hard"), "x", "y", 5)
    assert store.suppress_many([record("one@example.com")], "a", "b", 9) == ["already_suppressed"]
    assert store.suppression("one@example.com")["source"] == "hard"


def walk(store, count, **bounds):
    seen, after = [], None
    while page := store.suppression_page(count, after, **bounds):
        seen += [email for email, _ in page]
        after = (page[-1][1], page[-1][0])
    return seen


def test_pages_are_newest_first_and_break_ties_by_address(store):
    for n, at in enumerate([10, 20, 20, 20, 30]):
        store.suppress(record(f"u{n}@example.com"), "a", "b", at)
    expected = ["u4", "u3", "u2", "u1", "u0"]
    for count in (1, 2, 3, 10):
        assert walk(store, count) == [f"{name}@example.com" for name in expected]
    assert walk(store, 2, since_ms=20, until_ms=20) == [
        "u3@example.com", "u2@example.com", "u1@example.com",
    ]  # fmt: skip


def test_a_page_resumes_after_its_last_entry_was_removed(store):
    for n in range(6):
        store.suppress(record(f"u{n}@example.com"), "a", "b", 100)
    first = store.suppression_page(3)
    assert [email for email, _ in first] == ["u5@example.com", "u4@example.com", "u3@example.com"]
    store.unsuppress("u3@example.com", "a", "b", 200, 14, False)
    rest = store.suppression_page(3, (first[-1][1], first[-1][0]))
    assert [email for email, _ in rest] == ["u2@example.com", "u1@example.com", "u0@example.com"]
