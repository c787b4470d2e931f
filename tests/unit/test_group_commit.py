"""Group commit: who sends what, and who hears of a failed send."""

from __future__ import annotations

import threading

import pytest

from app.group_commit import GroupCommit


class Gate:
    """A send that records its batches and can be held open while a queue forms behind it."""

    def __init__(self, fail_on: str = "") -> None:
        self.batches: list[list[str]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail_on = fail_on

    def __call__(self, batch: list[str]) -> None:
        self.batches.append(batch)
        self.entered.set()
        self.release.wait(5)
        if self.fail_on in batch:
            raise ConnectionError(f"broker refused {batch}")


def submit_in_thread(group: GroupCommit, item: str, errors: dict) -> threading.Thread:
    def run() -> None:
        try:
            group.submit(item)
        except ConnectionError as exc:
            errors[item] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_queued(group: GroupCommit, count: int) -> None:
    for _ in range(500):
        if len(group._queue) == count:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"expected {count} queued, found {len(group._queue)}")


def queue_behind_a_send(group: GroupCommit, gate: Gate, later: str) -> dict:
    """Submit "a", hold its send open until every item of `later` is queued behind it, then
    let everything finish; returns the errors each caller saw."""
    errors: dict = {}
    first = submit_in_thread(group, "a", errors)
    gate.entered.wait(5)
    threads = [submit_in_thread(group, item, errors) for item in later]
    wait_queued(group, len(later))
    gate.release.set()
    for thread in [first, *threads]:
        thread.join(5)
    return errors


def test_a_lone_item_is_sent_at_once_on_its_own():
    gate = Gate()
    gate.release.set()
    GroupCommit(gate).submit("a")
    assert gate.batches == [["a"]]


def test_items_arriving_during_a_send_share_the_next_one():
    gate = Gate()
    errors = queue_behind_a_send(GroupCommit(gate), gate, "bcd")
    assert gate.batches[0] == ["a"]
    assert sorted(gate.batches[1]) == ["b", "c", "d"]
    assert len(gate.batches) == 2
    assert errors == {}


def test_a_batch_is_capped_and_the_rest_follow():
    gate = Gate()
    errors = queue_behind_a_send(GroupCommit(gate, max_items=2), gate, "bcde")
    assert errors == {}
    assert [len(batch) for batch in gate.batches] == [1, 2, 2]
    assert sorted(item for batch in gate.batches for item in batch) == list("abcde")


def test_every_caller_in_a_failed_send_hears_of_it_and_no_other():
    gate = Gate(fail_on="c")
    errors = queue_behind_a_send(GroupCommit(gate), gate, "bc")
    assert sorted(errors) == ["b", "c"]
    assert all(isinstance(exc, ConnectionError) for exc in errors.values())


def test_the_sender_itself_hears_of_its_failure():
    gate = Gate(fail_on="a")
    gate.release.set()
    with pytest.raises(ConnectionError):
        GroupCommit(gate).submit("a")
