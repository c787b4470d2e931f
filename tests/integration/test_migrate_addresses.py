"""`bouncekeeper migrate-addresses` on a real Redis: keys written under an earlier normal form
of addresses are moved to today's, merged where today's form has keys already, atomically per
address; a dry run changes nothing; a second run finds nothing; keys that are no valid address
any more are listed and left.

The earlier normal form (Python's IDNA 2003 codec) turned `ann@example.com。` (an ideographic
full stop ends the domain) into the key `ann@example.com.`, beside `ann@example.com`: one
mailbox, two keys. The same codec let a NUL through into a key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from app.addresses import normalize
from app.ingest import apply_events
from app.migrate_addresses import migrate
from app.policy import MS_PER_DAY, Policy
from app.providers import zeptomail
from app.store import Store
from tests.helpers import BASE_MS, soft, zepto_bounce

OLD_ANN, ANN = "ann@example.com.", "ann@example.com"
OLD_BOB, BOB = "bob@example.org.", "bob@example.org"
OLD_CARL, CARL = "carl@example.net.", "carl@example.net"
BROKEN = "us\x00er@example.com"  # the earlier form let a NUL through
NOW_MS = BASE_MS + 10 * MS_PER_DAY
LATER = BASE_MS + MS_PER_DAY + 3_600_000  # the day of the old key's hard bounce, an hour on


def events_for(recipient: str, payload: dict) -> list:
    """The payload's events as the earlier normal form stored them: under `recipient`."""
    parsed = zeptomail.parse(zeptomail.schema().load(payload), BASE_MS)
    return [replace(event, recipient=recipient) for event in parsed]


def seed(store: Store) -> list:
    """Old-form and new-form state side by side; returns an already applied old-form event."""
    first_soft = events_for(OLD_ANN, soft(ANN, BASE_MS, message_id="<s1@example>"))
    apply_events(first_soft, store, Policy(), BASE_MS)
    apply_events(events_for(OLD_ANN, zepto_bounce(ANN, BASE_MS + MS_PER_DAY)), store, Policy(),
                 BASE_MS)  # fmt: skip
    apply_events(events_for(ANN, soft(ANN, LATER, message_id="<s3@example>")),
                 store, Policy(), BASE_MS)  # fmt: skip
    store.suppress({"email": OLD_BOB, "source": "complaint", "code": "5001"}, "t", "fbl", BASE_MS)
    store.suppress({"email": BOB, "source": "manual", "code": "2001"}, "t", "r", BASE_MS + 5)
    apply_events(events_for(OLD_CARL, soft(CARL, BASE_MS)), store, Policy(), BASE_MS)
    store.redis.hset("bk:sync:http:failed", OLD_ANN, '{"op": "add", "reason": "invalid"}')
    store.suppress({"email": BROKEN, "source": "manual"}, "t", "r", BASE_MS)
    store.suppress({"email": "dan@example.com", "source": "manual"}, "t", "r", BASE_MS)
    return first_soft


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


def snapshot(client: redis.Redis) -> dict[str, bytes]:
    return {key: client.dump(key) for key in client.keys("*")}


def test_dry_run_says_what_would_move_and_changes_nothing(settings, store):
    seed(store)
    raw = redis.Redis.from_url(settings.redis_url)  # bytes: DUMP's values are binary
    before = snapshot(raw)
    report = migrate(store, NOW_MS, dry_run=True)
    assert snapshot(raw) == before
    moves = {item.old: (item.new, item.move.suppression, item.move.contact, item.move.failed)
             for item in report.addresses}  # fmt: skip
    assert moves == {
        OLD_ANN: (ANN, "moved", "merged", 1),
        OLD_BOB: (BOB, "merged", "none", 0),
        OLD_CARL: (CARL, "none", "moved", 0),
    }
    assert report.domains == {"example.com.": "example.com", "example.net.": "example.net"}
    assert list(report.invalid) == [BROKEN]
    assert "control character U+0000" in report.invalid[BROKEN]


def test_migration_moves_and_merges_each_address_once(store):
    replayed = seed(store)
    day = store.domain_day("example.com", LATER)
    old_day = store.domain_day("example.com.", LATER)
    assert day["total"] == old_day["total"] == 1
    carl_ttl = store.redis.pttl(store.contact_key(OLD_CARL))

    report = migrate(store, NOW_MS, actor="upgrade")
    assert len(report.addresses) == 3

    # Ann: the old suppression moved, the two contact states merged into one
    record = store.suppression(ANN)
    assert (record["email"], record["source"]) == (ANN, "hard")
    assert store.suppression(OLD_ANN) is None
    assert store.redis.zscore(store.suppression_index_key, OLD_ANN) is None
    assert store.redis.zscore(store.suppression_index_key, ANN) is not None
    ann = store.contact(ANN)
    assert store.contact(OLD_ANN) is None
    assert ann.events == 3
    assert [entry["at"] for entry in ann.history] == [
        LATER, BASE_MS + MS_PER_DAY, BASE_MS,
    ]  # fmt: skip
    assert [entry["message_id"] for entry in ann.history][::2] == ["<s3@example>", "<s1@example>"]
    assert len(ann.days) == 2  # both soft-bounce days counted
    # the old key's dedup digests came along: its event, redelivered, is a duplicate
    again = apply_events([replace(replayed[0], recipient=ANN)], store, Policy(), BASE_MS + 60_000)
    assert [outcome.result for outcome in again] == ["duplicate"]

    # Bob: the complaint is the stronger record and wins the merge; hits add up
    bob = store.suppression(BOB)
    assert (bob["source"], bob["hits"], bob["created_at"]) == ("complaint", "2", str(BASE_MS))
    assert store.suppression(OLD_BOB) is None

    # Carl: the contact renamed with its TTL
    assert store.contact(CARL).events == 1
    assert 0 < store.redis.pttl(store.contact_key(CARL)) <= carl_ttl

    # the sink's failed entry, the domain counters and the per-day domain rankings
    assert store.redis.hkeys("bk:sync:http:failed") == [ANN]
    assert store.domain_day("example.com", LATER)["total"] == 2
    assert store.domain_day("example.com", BASE_MS)["total"] == 1  # moved whole
    assert store.domain_day("example.com.", LATER) == {}
    ranked = {key: dict(store.redis.zrange(key, 0, -1, withscores=True))
              for key in store.redis.keys("bk:stats:*:domains")}  # fmt: skip
    assert all("example.com." not in members for members in ranked.values())
    assert sum(members.get("example.com", 0) for members in ranked.values()) == 3
    leftovers = [key for key in store.redis.keys("*") if "example.com.}" in key]
    assert leftovers == []

    # the sinks are told: the old address removed, the new one added; audited per address
    changes = [fields for _, fields in store.change_log(1000)]
    ops = [(c["op"], c["email"]) for c in changes if c["email"] in (OLD_ANN, ANN, OLD_BOB, BOB)]
    assert ops[-4:] == [("remove", OLD_ANN), ("add", ANN), ("remove", OLD_BOB), ("add", BOB)]
    audit = [f for _, f in store.audit_log() if f["op"] == "migrate_address"]
    assert {(f["email"], f["to"], f["actor"]) for f in audit} == {
        (OLD_ANN, ANN, "upgrade"), (OLD_BOB, BOB, "upgrade"),
    }  # fmt: skip

    # left alone: what is not an address any more, and what was right already
    assert store.suppression(BROKEN) is not None
    assert store.suppression("dan@example.com") is not None

    # idempotent: nothing left to move
    second = migrate(store, NOW_MS + 1)
    assert (second.addresses, second.domain_keys) == ([], 0)
    assert list(second.invalid) == [BROKEN]


def test_every_key_left_is_in_normal_form(store):
    seed(store)
    migrate(store, NOW_MS)
    for email in store.suppressed_emails():
        assert email == BROKEN or normalize(email) == email


def run_cli(redis_url: str, *args: str) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("bouncekeeper")
    env = {**os.environ, "REDIS_URL": redis_url}
    return subprocess.run([str(command), "migrate-addresses", *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip


def test_cli_dry_run_then_migrate_then_nothing_left(private_redis):
    url = f"{private_redis}/0"
    store = Store.from_url(url)
    seed(store)

    dry = run_cli(url, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"would move {OLD_ANN!r} -> {ANN}: suppression moved, contact merged" in dry.stdout
    assert "would move domain counters 'example.com.' -> example.com" in dry.stdout
    assert "left as is: control character U+0000" in dry.stdout
    assert store.suppression(OLD_ANN) is not None

    done = run_cli(url)
    assert done.returncode == 0, done.stderr
    assert f"moved {OLD_BOB!r} -> {BOB}: suppression merged, contact none" in done.stdout
    assert "3 moved" in done.stdout
    assert store.suppression(OLD_ANN) is None
    assert store.suppression(ANN) is not None

    again = run_cli(url)
    assert again.returncode == 0, again.stderr
    assert "0 moved, 0 domain counters moved, 1 left as they are" in again.stdout
    as_json = run_cli(url, "--dry-run", "--json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert (report["dry_run"], report["addresses"], report["domains"]) == (True, [], {})
    assert len(report["invalid"]) == 1


SHARP = "user@straße.de"  # IDNA 2003 stored it as user@strasse.de, another domain's address
SHARP_OLD, SHARP_NEW = "user@strasse.de", "user@xn--strae-oqa.de"


def test_idna2003_form_is_what_earlier_builds_stored():
    from app.migrate_addresses import idna2003_form

    assert idna2003_form(" User@Straße.DE ") == SHARP_OLD
    assert idna2003_form("ann@example.com\u3002") == OLD_ANN
    assert normalize(SHARP) == SHARP_NEW


def test_known_addresses_move_their_idna2003_keys(store):
    apply_events(events_for(SHARP_OLD, zepto_bounce(SHARP, BASE_MS)), store, Policy(), BASE_MS)
    store.suppress({"email": "x@strasse.de", "source": "manual"}, "t", "r", BASE_MS)
    known = [" User@Straße.DE\n", "x@strasse.de\n", "x@straße.de\n", "not an address\n", "\n"]

    dry = migrate(store, NOW_MS, dry_run=True, known=known)
    assert [(i.old, i.new, i.move.suppression) for i in dry.addresses] == [
        (SHARP_OLD, SHARP_NEW, "moved"),
    ]  # fmt: skip
    assert store.suppression(SHARP_OLD) is not None
    # x@strasse.de is on the list itself: its key may be either address, so it stays
    assert dry.ambiguous == {"x@strasse.de": ["x@strasse.de", "x@xn--strae-oqa.de"]}
    assert list(dry.unknown) == ["not an address"]

    done = migrate(store, NOW_MS, known=known)
    assert [(i.old, i.new) for i in done.addresses] == [(SHARP_OLD, SHARP_NEW)]
    assert store.suppression(SHARP_OLD) is None
    assert store.suppression(SHARP_NEW)["email"] == SHARP_NEW
    assert store.contact(SHARP_NEW).events == 1
    assert store.suppression("x@strasse.de") is not None
    assert migrate(store, NOW_MS, known=known).addresses == []


def test_cli_known_file(private_redis, tmp_path):
    url = f"{private_redis}/0"
    store = Store.from_url(url)
    store.suppress({"email": SHARP_OLD, "source": "manual"}, "t", "r", BASE_MS)
    known = tmp_path / "contacts.txt"
    known.write_text(f"{SHARP}\nann@example.com\n", encoding="utf-8")
    done = run_cli(url, "--known", str(known))
    assert done.returncode == 0, done.stderr
    assert f"moved {SHARP_OLD!r} -> {SHARP_NEW}: suppression moved" in done.stdout
    assert store.suppression(SHARP_NEW) is not None
