"""Store operations without scripts, on fakeredis: keys, caps and small records."""

import json

import fakeredis
import pytest

from app.store import Store
from app.store.dead_letters import DeadLetter


@pytest.fixture
def store():
    return Store(fakeredis.FakeRedis(decode_responses=True), prefix="t")


def test_dead_letter_is_capped_newest_first(store):
    for n in range(Store.DEAD_LETTER_CAP + 5):
        store.dead_letter(DeadLetter("zeptomail", {"n": n}, "ValueError()", n, n - 1))
    entries = store.redis.lrange(store.dead_letter_key, 0, -1)
    assert len(entries) == Store.DEAD_LETTER_CAP
    assert json.loads(entries[0])["payload"] == {"n": Store.DEAD_LETTER_CAP + 4}


def test_heartbeat_round_trip(store):
    assert store.last_heartbeat() is None
    store.record_heartbeat(1234)
    assert store.last_heartbeat() == 1234


def test_per_contact_keys_share_a_hash_tag(store):
    email = "a@example.com"
    tags = {key[key.index("{") : key.index("}") + 1] for key in
            (store.contact_key(email), store.suppression_key(email))}  # fmt: skip
    assert tags == {"{a@example.com}"}
    assert store.domain_day_key("example.com", 0).startswith("t:domain:{example.com}:")


def test_state_outlives_window_and_dedup_horizon(store):
    day = 86_400_000
    assert store.state_ttl_ms(14) == 15 * day
    assert store.state_ttl_ms(1) == store.dedup_ttl_ms + day
