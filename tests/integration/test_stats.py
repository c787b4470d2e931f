"""Per-day stats and recent events: counted by the event script, read by the API and the CLI."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from app import providers
from app.cli import main
from app.ingest import apply_events
from app.policy import utc_day
from app.stats import day_iso
from app.store import Store, reports
from tests.helpers import zepto_bounce
from tests.seed import POLICY, seed

READ = {"Authorization": "Bearer admin-token"}


@pytest.fixture
def store(app) -> Store:
    return app.extensions["store"]


def test_stats_count_applied_events_by_dimension(client, store):
    seeded = seed(store)
    body = client.get("/api/v1/stats?days=2", headers=READ).get_json()
    hard, blocked = len(seeded.hard), seeded.blocked_today + seeded.blocked_yesterday
    assert body["events"] == hard + blocked + seeded.soft_today
    assert body["by_code"] == {"1002": blocked, "2002": hard, "3001": seeded.soft_today}
    assert body["by_category"] == {"rejected": blocked, "permanent": hard, "temporary": 2}
    assert body["by_provider"] == {"zeptomail": body["events"]}
    assert body["top_sender_side"] == [{"domain": "blocked.example", "rejections": blocked}]
    assert {"domain": "zylker.com", "events": 2} in body["top_domains"]
    yesterday, today = body["days"]
    assert (yesterday["events"], yesterday["by_category"]) == (1, {"rejected": 1})
    assert today["events"] == body["events"] - 1


def test_a_duplicate_event_is_not_counted_again(client, store):
    seed(store)
    before = client.get("/api/v1/stats?days=1", headers=READ).get_json()["events"]
    seed(store)  # the same events again: every one is a duplicate
    assert client.get("/api/v1/stats?days=1", headers=READ).get_json()["events"] == before


def test_stats_keys_expire_with_the_domain_counters(store):
    seeded = seed(store)
    for key in reports.event_stat_keys(store.prefix, seeded.today_ms)[:3]:
        assert 0 < store.redis.pttl(key) <= Store.DOMAIN_COUNTER_TTL_MS


@pytest.mark.parametrize("query", ["days=0", "days=36", "days=x", "top=0"])
def test_stats_refuse_a_bad_range(client, query):
    response = client.get(f"/api/v1/stats?{query}", headers=READ)
    assert response.status_code == 400


def test_stats_and_events_need_the_token(client):
    assert client.get("/api/v1/stats").status_code == 401
    assert client.get("/api/v1/events?domain=x.example").status_code == 401


def test_events_by_domain_come_newest_first(client, store):
    seed(store)
    body = client.get("/api/v1/events?domain=Blocked.Example&limit=3", headers=READ).get_json()
    assert body["domain"] == "blocked.example"
    assert [e["email"] for e in body["events"]] == [
        "old@blocked.example",
        "user3@blocked.example",
        "user2@blocked.example",
    ]
    assert {(e["code"], e["action"]) for e in body["events"]} == {(1002, "sender_side")}


def test_events_by_contact_come_from_its_history(client, store):
    seeded = seed(store)
    body = client.get(f"/api/v1/events?contact={seeded.hard[0]}", headers=READ).get_json()
    [event] = body["events"]
    assert (event["code"], event["category"], event["action"]) == (2002, "permanent", "suppress")
    empty = client.get("/api/v1/events?contact=nobody@example.com", headers=READ).get_json()
    assert empty["events"] == []


@pytest.mark.parametrize("query", ["", "contact=a@b.c&domain=b.c", "contact=not-an-address"])
def test_events_need_exactly_one_valid_filter(client, query):
    assert client.get(f"/api/v1/events?{query}", headers=READ).status_code == 400


def test_alerted_domain_is_in_the_alert_stream(store):
    seed(store)
    [(_, alert)] = store.alerts()
    assert alert["domain"] == "blocked.example"
    assert int(alert["sender_side"]) == POLICY.alert_min_rejections


def test_cli_prints_the_same_figures(settings, store):
    seeded = seed(store)
    env = {"REDIS_URL": settings.redis_url}
    result = CliRunner(env=env).invoke(main, ["stats", "--days", "2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    day = day_iso(utc_day(seeded.today_ms))
    [row] = [line.split() for line in result.output.splitlines() if day in line]
    assert [cell for cell in row if cell.isdigit()] == ["9"]  # the day's total
    assert [cell.split("=")[1] for cell in row if "=" in cell] == ["4", "3", "2"]  # by category
    assert "blocked.example" in result.output


def test_cli_refuses_a_range_beyond_the_counters(settings):
    result = CliRunner(env={"REDIS_URL": settings.redis_url}).invoke(
        main, ["stats", "--days", "99"]
    )
    assert result.exit_code == 2  # bad input
    assert "between 1 and 35" in result.output


DAY_MS = 86_400_000


def test_new_suppressions_count_on_the_day_they_are_made_by_every_script(store):
    """An event of one day applied the next counts under the next day's `new:hard` (a day
    hash with no events of its own, which still gets the counters' ttl); a suppression by hand
    and an import count under their sources; a duplicate or an existing one counts nothing."""
    today = utc_day(int(time.time() * 1000))
    now = today * DAY_MS + 3_600_000
    tomorrow_now = now + DAY_MS
    event = zepto_bounce("late@zylker.com", now - 60_000, message_id="<late@x>")
    events = providers.get("zeptomail").parse(event, tomorrow_now)
    apply_events(events, store, POLICY, tomorrow_now)
    apply_events(events, store, POLICY, tomorrow_now)  # a duplicate: no second count
    tomorrow = reports.stats_day_key(store.prefix, today + 1)
    assert store.redis.hgetall(tomorrow) == {"new:hard": "1"}
    assert 0 < store.redis.pttl(tomorrow) <= Store.DOMAIN_COUNTER_TTL_MS
    record = {"email": "hand@zylker.com", "code": "", "category": "", "source": "manual"}
    assert store.suppress(record, "ann", "why", tomorrow_now) == "suppressed"
    imported = [{**record, "email": f"i{n}@zylker.com", "source": "import"} for n in range(3)]
    assert store.suppress_many(imported + imported[:1], "ann", "old list", tomorrow_now) == [
        "suppressed", "suppressed", "suppressed", "already_suppressed",
    ]  # fmt: skip
    assert store.redis.hgetall(tomorrow) == {"new:hard": "1", "new:manual": "1", "new:import": "3"}
    (day,) = reports.day_counts(store, [today + 1], 1)
    assert (day.total, day.new_by_source) == (0, {"hard": 1, "manual": 1, "import": 3})
