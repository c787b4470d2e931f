"""`bouncekeeper policy check|apply` and `unsuppress` against a real Redis."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app import taxonomy
from app.classify import Classification
from app.cli import main
from app.events import BounceEvent, EventType
from app.ingest import decide, limits
from app.policy import Policy
from app.store import Store
from tests.helpers import BASE_MS, DAY_MS


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


@pytest.fixture
def run(settings):
    def invoke(*args: str, input: str | None = None):
        env = {"REDIS_URL": settings.redis_url}
        return CliRunner().invoke(main, list(args), env=env, input=input)

    return invoke


def seed(store, email, code, days):
    verdict = Classification(code, taxonomy.category_of(code), "test")
    events = [
        BounceEvent("zeptomail", EventType.BOUNCE, email, BASE_MS + n * DAY_MS, message_id=str(n))
        for n in range(days)
    ]
    store.apply([decide(e, verdict, Policy()) for e in events], limits(Policy()), BASE_MS)


@pytest.fixture
def stricter(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('[policy]\nversion = "strict"\nthreshold = 2.0\n[policy.codes]\n2999 = 1.0\n')
    return path


def test_check_counts_without_changing(store, run, stricter):
    seed(store, "two-days@example.com", 3001, 2)  # 2.0: escalates under threshold 2.0
    seed(store, "generic@example.com", 2999, 1)  # hard now, a soft 1.0 under the new policy
    seed(store, "one-day@example.com", 3001, 1)
    result = run("policy", "check", str(stricter))
    assert result.exit_code == 0, result.output
    assert "contacts examined:  3" in result.output
    assert "would suppress:     1" in result.output
    assert "would unsuppress:   1" in result.output
    assert store.suppression("two-days@example.com") is None
    as_json = json.loads(run("policy", "check", str(stricter), "--json").stdout)
    assert (as_json["contacts"], as_json["unchanged"]) == (3, 1)
    assert sorted((c["email"], c["op"]) for c in as_json["changes"]) == [
        ("generic@example.com", "unsuppress"),
        ("two-days@example.com", "suppress"),
    ]


def test_apply_changes_and_audits(store, run, stricter):
    seed(store, "two-days@example.com", 3001, 2)
    seed(store, "generic@example.com", 2999, 1)
    result = run("policy", "apply", str(stricter), "--yes", "--actor", "bob")
    assert result.exit_code == 0, result.output
    assert store.suppression("two-days@example.com")["source"] == "escalated"
    assert store.suppression("generic@example.com") is None
    actors = {entry["actor"] for _, entry in store.audit_log()}
    assert actors == {"bob"}
    again = run("policy", "apply", str(stricter), "--yes", "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {"contacts": 2, "unchanged": 2, "changes": [], "applied": 0}
    assert run("policy", "apply", str(stricter), "--json").exit_code == 2


def test_bad_policy_file_names_the_key(run, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[policy]\nthreshold = -1\n")
    result = run("policy", "check", str(path))
    assert result.exit_code == 2
    assert "policy.threshold" in result.output


def test_unsuppress_command(store, run):
    seed(store, "gone@example.com", 2001, 1)
    result = run("unsuppress", "gone@example.com", "--reason", "re-verified", "--actor", "eve")
    assert result.exit_code == 0, result.output
    assert store.suppression("gone@example.com") is None
    missing = run("unsuppress", "gone@example.com", "--reason", "again")
    assert missing.exit_code == 1
    assert "is not suppressed" in missing.output


def test_check_respects_an_operators_lift(store, run, tmp_path):
    seed(store, "lifted@example.com", 2001, 1)
    assert run("unsuppress", "lifted@example.com", "--reason", "verified").exit_code == 0
    defaults = tmp_path / "defaults.toml"
    defaults.write_text("[policy]\n")
    result = run("policy", "check", str(defaults))
    assert "would suppress:     0" in result.output


def test_late_hard_bounce_dated_before_a_lift_does_not_resuppress(store, run):
    seed(store, "late@example.com", 2001, 1)
    run("unsuppress", "late@example.com", "--reason", "verified")
    verdict = Classification(2001, taxonomy.category_of(2001), "test")
    late = BounceEvent("zeptomail", EventType.BOUNCE, "late@example.com", BASE_MS + 1, "550")
    [outcome] = store.apply([decide(late, verdict, Policy())], limits(Policy()), BASE_MS)
    assert outcome.result == "before_lift"
    assert store.suppression("late@example.com") is None
