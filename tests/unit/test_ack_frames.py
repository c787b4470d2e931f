"""Which basic.ack frames settle a batch on RabbitMQ (app.broker_amqp.ack_frames): a multiple
ack must never reach below a delivery someone else has not settled."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.broker_amqp import ack_frames


def test_a_batch_that_is_all_the_unsettled_is_one_multiple_ack():
    assert ack_frames([3, 1, 2], {1, 2, 3}) == [(3, True)]


def test_one_message_is_a_plain_ack():
    assert ack_frames([5], {5, 6}) == [(5, False)]


def test_an_unsettled_tag_below_cuts_the_multiple_ack_short():
    assert ack_frames([1, 2, 4, 5], {1, 2, 3, 4, 5}) == [(2, True), (4, False), (5, False)]


def test_nothing_to_ack_is_no_frame():
    assert ack_frames([], {1}) == []


@given(st.sets(st.integers(1, 60)), st.data())
def test_the_frames_settle_exactly_the_batch(unsettled: set[int], data) -> None:
    batch = data.draw(st.sets(st.sampled_from(sorted(unsettled)))) if unsettled else set()
    acked: set[int] = set()
    for tag, multiple in ack_frames(batch, unsettled):
        acked |= {t for t in unsettled if t <= tag} if multiple else {tag}
    assert acked == batch
