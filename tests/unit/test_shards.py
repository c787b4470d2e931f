"""The shard layout: one shard keeps the unsharded key names, more give every key of an
address's update its shard's hash tag, and a store refuses a shard count other than its own."""

from __future__ import annotations

import fakeredis
import pytest

from app.store import Store
from app.store.shards import Layout, ShardCountMismatch, shard_of


def slot_tag(key: str) -> str:
    """The part of `key` Redis Cluster hashes: the first non-empty {…}, else the whole key."""
    start = key.find("{")
    end = key.find("}", start + 1)
    return key[start + 1 : end] if start >= 0 and end > start + 1 else key


def test_one_shard_keeps_the_unsharded_key_names():
    store = Store(fakeredis.FakeRedis(decode_responses=True), prefix="bk")
    assert store.contact_key("a@x.io") == "bk:contact:{a@x.io}"
    assert store.suppression_key("a@x.io") == "bk:suppression:{a@x.io}"
    assert store.change_log_key_of(0) == "bk:changes"
    assert store.suppression_index_key_of(0) == "bk:suppressed"
    assert store.domain_hour_key("x.io", 7_200_000) == "bk:domain:{x.io}:hour:2"
    assert store.heartbeat_key == "bk:heartbeat"


def test_every_key_of_an_update_shares_its_shards_tag():
    store = Store(fakeredis.FakeRedis(decode_responses=True), prefix="bk", shards=8)
    email = "a}b{c@x.io"  # braces in an address cannot move its tag
    shard = store.shard_of(email)
    keys = [store.contact_key(email), store.suppression_key(email)]
    keys += [store.change_log_key_of(shard), store.suppression_index_key_of(shard)]
    keys += [store.audit_key_of(shard), store.alerts_key_of(shard)]
    keys.append(store.domain_day_key("x.io", 0, shard))
    assert {slot_tag(key) for key in keys} == {f"s{shard}"}
    assert slot_tag(store.heartbeat_key) == slot_tag(store.heartbeat_server_key) == "g"


def test_the_shard_of_an_address_is_stable_and_spread_evenly():
    assert shard_of("a@example.com", 64) == 40  # a stored layout: this value must not change
    assert shard_of("a@example.com", 1) == 0
    counts = [0] * 8
    for n in range(8000):
        counts[shard_of(f"user{n}@example.com", 8)] += 1
    assert min(counts) > 900
    assert max(counts) < 1100


def test_the_shard_count_is_recorded_and_another_refused():
    client = fakeredis.FakeRedis(decode_responses=True)
    Store(client, shards=4).check_shards()
    assert client.get(Layout("bk", 4).record_key) == "4"
    Store(client, shards=4).check_shards()
    for other in (1, 8):
        with pytest.raises(ShardCountMismatch, match="written with 4 shards"):
            Store(client, shards=other).check_shards()


def test_one_shard_records_nothing_and_unsharded_state_refuses_more():
    client = fakeredis.FakeRedis(decode_responses=True)
    store = Store(client)
    store.check_shards()
    assert client.dbsize() == 0
    store.suppress({"email": "a@x.io", "source": "manual"}, "ops", "test", 1_000)
    with pytest.raises(ShardCountMismatch, match="written with 1 shard"):
        Store(client, shards=4).check_shards()
