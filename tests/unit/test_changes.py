"""Coalescing: each address ends in its last state; nothing else reaches a sink."""

from hypothesis import given
from hypothesis import strategies as st

from app.changes import Change, coalesce


def change(n: int, op: str, email: str) -> Change:
    return Change(f"{n}-0", op, email, 2001, "permanent", "hard", n)


def test_last_change_of_an_address_wins():
    batch = coalesce(
        [
            change(1, "add", "a@x.io"),
            change(2, "add", "b@x.io"),
            change(3, "remove", "a@x.io"),
            change(4, "remove", "b@x.io"),
            change(5, "add", "b@x.io"),
        ]
    )
    assert [c.email for c in batch.remove] == ["a@x.io"]
    assert [(c.email, c.id) for c in batch.add] == [("b@x.io", "5-0")]
    assert len(batch) == 2


def test_from_entry_reads_the_change_log_fields():
    fields = {"op": "add", "email": "a@x.io", "code": "2001", "category": "permanent"}
    fields |= {"source": "hard", "at": "1700000000000"}
    c = Change.from_entry("1700000000000-3", fields)
    assert c.to_dict() == {
        "email": "a@x.io",
        "code": 2001,
        "category": "permanent",
        "source": "hard",
        "at": 1_700_000_000_000,
    }
    assert Change.from_entry("1-0", {"op": "remove", "email": "a@x.io", "code": ""}).code is None


ops = st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.sampled_from("abcdef")))


@given(ops)
def test_coalesced_batch_applied_anywhere_gives_the_state_of_applying_every_change(seq):
    changes = [change(n, op, f"{name}@x.io") for n, (op, name) in enumerate(seq)]
    one_by_one: dict[str, bool] = {}
    for c in changes:
        one_by_one[c.email] = c.op == "add"
    batch = coalesce(changes)
    assert {c.email: True for c in batch.add} | {c.email: False for c in batch.remove} == (
        one_by_one
    )
    assert len(batch) == len(one_by_one)


def test_drift_both_ways_ignores_repeats():
    from app.sync import drift

    found = drift(["a@x.io", "b@x.io", "b@x.io"], ["c@x.io", "b@x.io", "c@x.io", "d@x.io"])
    assert (found.only_ours, found.only_theirs) == (["a@x.io"], ["c@x.io", "d@x.io"])
