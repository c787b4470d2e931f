"""The dashboard's pages over a real Redis filled through the real ingest path: login, the
figures it shows, the contact page's lift form (scope and CSRF), and each sink's state."""

from __future__ import annotations

import base64
import re
import time
from dataclasses import replace

import pytest

from app import create_app, providers
from app.config import Settings
from app.ingest import apply_events
from app.operations import suppress
from app.sinks import build
from app.stats import collect
from app.store import Store
from app.store.sync import SyncStore
from app.sync import sync_sink
from tests.conftest import free_port
from tests.helpers import sample_payload, soft, wait_for, zepto_bounce
from tests.integration.receiver import Receiver
from tests.seed import BLOCKED, POLICY, seed

SECRET = "sink-secret"


def basic(password: str, user: str = "operator") -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


ADMIN = basic("admin-token")
READ = basic("read-token")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, api_read_tokens="read-token")


@pytest.fixture
def store(app) -> Store:
    return app.extensions["store"]


def page(client, path: str, headers=ADMIN, status: int = 200) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def text(html: str) -> str:
    """The page's words, tags dropped and blanks folded, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_browser_gets_a_basic_auth_challenge(client):
    response = client.get("/dashboard")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert client.get("/dashboard", headers=basic("wrong")).status_code == 401
    assert client.get("/dashboard/contact", headers=basic("wrong")).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [ADMIN, READ, {"Authorization": "Bearer admin-token"}],
    ids=["basic", "read", "bearer"],
)
def test_any_token_opens_the_dashboard(client, headers):
    assert "no sinks configured" in page(client, "/dashboard", headers)


def test_dashboard_is_off_without_a_token(settings, state):
    client = create_app(replace(settings, api_token="", api_read_tokens="")).test_client()
    assert client.get("/dashboard", headers=basic("")).status_code == 403


def apply(store: Store, payload: dict, now_ms: int) -> None:
    apply_events(providers.get("zeptomail").parse(payload, now_ms), store, POLICY, now_ms)


def zepto_event(action: str, email: str, at_ms: int, n: int) -> dict:
    payload = zepto_bounce(email, at_ms, message_id=f"<{action}{n}@x>", bounce_reason="")
    payload["action"] = payload["actionType"] = action
    return payload


def test_headlines_count_what_was_applied_and_made(client, store):
    seeded = seed(store)
    today = seeded.today_ms
    for n in range(8):
        apply(store, zepto_event("email_delivered", f"d{n}@zylker.com", today + 100 + n, n), today)
    apply(store, zepto_event("spam_complaint", "d0@zylker.com", today + 200, 0), today)
    suppress(store, "by-hand@zylker.com", "ann", "asked to be left alone")
    html = page(client, "/dashboard?days=7")
    words = text(html)
    # 3 hard + 1 complaint through the event script, 1 by hand through its own script
    assert re.search(
        r'data-figure="suppressed">\s*<h2>Suppressed now</h2>\s*<p class="figure">5<', html
    )
    assert "hard 3" in words
    assert "complaint 1" in words
    assert "manual 1" in words
    # 1 complaint per 8 deliveries; 5 sender-side rejections per 8 deliveries + 10 bounces
    assert "Complaint rate 12.50 % 1 complaints per 8 deliveries reported" in words
    assert "Sender-side rejection rate 27.78 % 5 rejections of us per 18 deliveries" in words
    legend = re.findall(r'<li data-series="([^"]+)">', html)
    assert "delivered" in legend
    assert "none" not in legend
    report = collect(store, 1, today)
    assert report.days[-1].new_by_source == {"hard": 3, "complaint": 1, "manual": 1}
    assert report.days[-1].by_kind == {"bounce": 9, "delivery": 8, "complaint": 1}


def test_contacts_close_to_the_threshold_are_listed_highest_first(client, store):
    seeded = seed(store)
    for n, at in enumerate((seeded.yesterday_ms + 5, seeded.today_ms + 50)):
        apply(store, soft("near@other.example", at, f"<near{n}@x>"), seeded.today_ms)
    html = page(client, "/dashboard")
    rows = re.findall(r'<tr data-email="([^"]+)">.*?class="num score">([^<]+)</td>', html, re.S)
    assert rows[:3] == [
        ("near@other.example", "2 / 3"),
        ("full0@other.example", "1 / 3"),
        ("full1@other.example", "1 / 3"),
    ]
    now = int(time.time() * 1000)
    apply(store, zepto_event("email_delivered", "full1@other.example", now, 1), now)  # reset
    blocked = zepto_bounce("full0@other.example", now, message_id="<z@x>", bounce_reason="",
                           diagnostic_message=BLOCKED, bounce_extended_code="5.7.1")  # fmt: skip
    apply(store, blocked, now)  # sender-side: leaves the score as it was
    html = page(client, "/dashboard")
    rows = re.findall(r'<tr data-email="([^"]+)">.*?class="num score">([^<]+)</td>', html, re.S)
    assert rows == [("near@other.example", "2 / 3"), ("full0@other.example", "1 / 3")]


def test_domain_page_lists_its_alerts_and_recent_events(client, store):
    seed(store)
    html = page(client, "/dashboard")
    assert 'href="/dashboard/domain?name=blocked.example"' in html
    words = text(page(client, "/dashboard/domain?name=blocked.example"))
    assert "3 / 3" in words  # raised at the 3rd sender-side rejection of the hour (POLICY)
    assert words.count("sender_side") == 5
    assert page(client, "/dashboard/domain?name=not%20a%20domain", status=400)


def test_contact_page_shows_evidence_score_history(client, store):
    seed(store)
    words = text(page(client, "/dashboard/contact?email=%20Ann@Zylker.com"))
    assert "ann@zylker.com Suppressed: do not mail." in words
    assert "source hard" in words
    assert "evidence grade text" in words or "evidence grade status" in words
    assert "5.1.2" in words
    words = text(page(client, "/dashboard/contact?email=full0@other.example"))
    assert "Not suppressed: may be mailed." in words
    assert "1 of 3 within 14 days" in words
    assert "Lift the suppression" not in words
    assert "Find an address" in page(client, "/dashboard/contact?email=nope", status=400)


def lift(client, email: str, reason: str, headers=ADMIN, token: str | None = None):
    html = page(client, f"/dashboard/contact?email={email}", headers)
    form = {"email": email, "reason": reason}
    if token is None:
        form["csrf_token"] = csrf_token(html)
    elif token:
        form["csrf_token"] = token
    return client.post("/dashboard/contact/lift", data=form, headers=headers)


def test_admin_lifts_with_a_reason_as_the_api_would(client, store):
    seed(store)
    response = lift(client, "ann@zylker.com", "confirmed by phone")
    assert response.status_code == 303
    assert store.suppression("ann@zylker.com") is None
    audit = store.audit_log(1)[0][1]
    assert (audit["op"], audit["actor"], audit["reason"]) == (
        "unsuppress", "dashboard:operator", "confirmed by phone",
    )  # fmt: skip
    words = text(page(client, response.headers["Location"]))
    assert "Lifted the suppression of ann@zylker.com (reason: confirmed by phone)." in words
    assert "Not suppressed: may be mailed." in words


@pytest.mark.parametrize(
    ("token", "status", "says"),
    [("", 400, "CSRF token is missing"), ("forged", 400, "CSRF token is invalid")],
    ids=["missing", "forged"],
)
def test_a_lift_without_this_dashboards_csrf_token_is_refused(client, store, token, status, says):
    seed(store)
    changes = store.redis.xlen(store.change_log_key)
    response = lift(client, "ann@zylker.com", "from another site", token=token)
    assert response.status_code == status
    assert says in text(response.get_data(as_text=True))
    assert store.suppression("ann@zylker.com") is not None
    assert store.redis.xlen(store.change_log_key) == changes


def test_a_read_token_sees_no_form_and_cannot_lift(client, store):
    seed(store)
    html = page(client, "/dashboard/contact?email=ann@zylker.com", READ)
    assert '<form method="post"' not in html
    assert "this login has the read scope" in text(html)
    admin_html = page(client, "/dashboard/contact?email=ann@zylker.com")
    form = {"email": "ann@zylker.com", "reason": "r", "csrf_token": csrf_token(admin_html)}
    response = client.post("/dashboard/contact/lift", data=form, headers=READ)
    assert response.status_code == 403
    assert "needs a token with the admin scope" in text(response.get_data(as_text=True))
    assert store.suppression("ann@zylker.com") is not None


def test_a_lift_without_a_reason_or_of_a_complaint_without_force_is_refused(client, store):
    seeded = seed(store)
    apply(store, zepto_event("spam_complaint", "c@zylker.com", seeded.today_ms, 0), seeded.today_ms)
    response = lift(client, "ann@zylker.com", "")
    assert response.status_code == 400
    assert "a reason is required" in text(response.get_data(as_text=True))
    response = lift(client, "c@zylker.com", "mistake")
    assert response.status_code == 409
    assert "lifting it needs force" in text(response.get_data(as_text=True))
    assert store.suppression("ann@zylker.com") is not None
    assert store.suppression("c@zylker.com") is not None


@pytest.fixture
def receiver():
    sink = Receiver(free_port(), SECRET)
    sink.server.start()
    yield sink
    sink.server.stop()


def sink_settings(settings: Settings, receiver: Receiver) -> Settings:
    options = {"type": "http", "url": receiver.url, "secret": SECRET}
    return replace(settings, sinks="crm", sink_options={"crm": options})


def run_sync(store: Store, settings: Settings) -> str:
    sink = build("crm", settings.sink_options["crm"])
    return sync_sink(SyncStore(store), sink, lease_ms=10_000, backoff_cap_s=0.01).status


def test_sync_shows_lag_and_only_the_current_error(settings, state, receiver):
    settings = sink_settings(settings, receiver)
    client = create_app(settings).test_client()
    store = Store.from_url(settings.redis_url)
    seed(store)
    receiver.faults.append("500")
    assert run_sync(store, settings) == "failed"
    words = text(page(client, "/dashboard"))
    assert re.search(r"crm 3 \d+ never failing \(1 in a row, retry .*\): .*500", words), words
    wait_for(lambda: run_sync(store, settings) == "caught_up")  # once its 10 ms backoff is over
    words = text(page(client, "/dashboard"))
    assert re.search(r"crm 0 0 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ok", words), words
    assert "500" not in words.split("Sync to the senders")[1].split("Suppressions")[0]


def test_contact_page_shows_where_each_sink_stands(settings, state, receiver):
    settings = sink_settings(settings, receiver)
    client = create_app(settings).test_client()
    store = Store.from_url(settings.redis_url)
    seed(store)
    assert "crm pending add not confirmed yet" in text(
        page(client, "/dashboard/contact?email=ann@zylker.com")
    )
    receiver.refuse.add("bob@zylker.com")
    assert run_sync(store, settings) == "caught_up"
    assert "crm sent add confirmed" in text(page(client, "/dashboard/contact?email=ann@zylker.com"))
    assert "crm refused add: invalid mailbox" in text(
        page(client, "/dashboard/contact?email=bob@zylker.com")
    )
    assert "crm in step no change of it waiting" in text(
        page(client, "/dashboard/contact?email=full0@other.example")
    )


def test_suppressions_page_older_and_a_bad_cursor(client, store):
    seeded = seed(store)
    for n in range(25):
        suppress(store, f"m{n:02}@zylker.com", "ann", "paging")
    first = page(client, "/dashboard")
    assert first.count('class="source"') == 20
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = page(client, older)
    assert second.count('class="source"') == 25 + len(seeded.hard) - 20
    assert "m24@zylker.com" in first
    assert "m24@zylker.com" not in second
    page(client, "/dashboard?after=garbage", status=400)


def test_the_readme_sample_dated_2024_is_labelled_as_such(client, store):
    """The sample's event is dated 2024: no bar of these days holds it, and the page says so
    beside the suppression it made today, instead of '0 events' over a table that has it."""
    now = int(time.time() * 1000)
    apply(store, sample_payload(), now)
    words = text(page(client, "/dashboard"))
    assert "Events 0 dated in these 14 days" in words
    assert "Suppressed now 1 1 new in these 14 days" in words
    row = words.split("Suppressions, newest first")[1]
    assert re.search(
        r"john\.doe@zylker\.com hard 2002 \d{4}-\d\d-\d\d \S+ 2024-09-05 13:37:39", row
    )
    assert "an event counts on the day the ESP dated it" in words


def test_a_sink_far_behind_is_flagged_though_no_push_failed(settings, state, receiver):
    settings = sink_settings(settings, receiver)
    store = Store.from_url(settings.redis_url)
    # a change 10 minutes old that no run has pushed yet (beat not scheduling the sync, say)
    old = int(time.time() * 1000) - 600_000
    store.redis.xadd(store.change_log_key, {"op": "add", "email": "a@x.example"}, id=f"{old}-0")
    html = page(create_app(settings).test_client(), "/dashboard")
    assert re.search(r'<tr data-sink="crm" class="behind">', html)
    words = text(html)
    assert re.search(r"crm 1 60\d never behind: its oldest unsent change is 60\d s old", words)
    assert "(the sync runs every 60 s)" in words
