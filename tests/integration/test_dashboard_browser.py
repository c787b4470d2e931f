"""The dashboard in headless Chromium, over a real Redis filled through the real ingest path and
synced to a real loopback receiver: what a person sees, clicking search -> contact -> lift, at
1280 px and at a phone's width. UPDATE_DOCS_SCREENSHOT=1 copies its screenshots into docs/."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from app import create_app, providers
from app.config import Settings
from app.ingest import apply_events
from app.sinks import build
from app.store import Store
from app.store.sync import SyncStore
from app.sync import sync_sink
from tests.conftest import free_port
from tests.helpers import soft, zepto_bounce
from tests.integration.receiver import Receiver
from tests.seed import POLICY, seed

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parents[2] / "docs"
SECRET = "sink-secret"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    sink = Receiver(free_port(), SECRET)
    sink.server.start()
    yield sink
    sink.server.stop()


@pytest.fixture
def sinks(settings: Settings, state, receiver: Receiver) -> Settings:
    """Two sinks: `crm`, a receiver that answers, and `backup`, a port nobody listens on."""
    down = f"http://127.0.0.1:{free_port()}/hook"
    options = {
        "crm": {"type": "http", "url": receiver.url, "secret": SECRET},
        "backup": {"type": "http", "url": down, "secret": SECRET},
    }
    return replace(settings, sinks="crm,backup", sink_options=options)


@pytest.fixture
def served(sinks: Settings) -> Iterator[str]:
    """The app on a real HTTP server on a free loopback port, for the browser."""
    server = make_server("127.0.0.1", 0, create_app(sinks), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def apply(store: Store, payload: dict, now_ms: int) -> None:
    apply_events(providers.get("zeptomail").parse(payload, now_ms), store, POLICY, now_ms)


def fill(store: Store, settings: Settings) -> None:
    """seed()'s mix, 6 deliveries, a complaint, a contact two soft days from suppression;
    then one sync run per sink: `crm` takes everything, `backup` fails."""
    now = int(time.time() * 1000)
    seeded = seed(store, now)
    today = seeded.today_ms
    for n in range(6):
        payload = zepto_bounce(f"d{n}@zylker.com", today + 100 + n, message_id=f"<d{n}@x>")
        payload["action"] = payload["actionType"] = "email_delivered"
        apply(store, payload, now)
    complaint = zepto_bounce("d0@zylker.com", today + 200, message_id="<c0@x>")
    complaint["action"] = complaint["actionType"] = "spam_complaint"
    apply(store, complaint, now)
    for n, at in enumerate((seeded.yesterday_ms + 5, today + 50)):
        apply(store, soft("near@other.example", at, f"<near{n}@x>"), now)
    for name in ("crm", "backup"):
        sink = build(name, settings.sink_options[name])
        sync_sink(SyncStore(store), sink, lease_ms=10_000, backoff_cap_s=300)


def shoot(page: Page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(shot, DOCS / name)


def on_one_line(page: Page, selector: str) -> bool:
    """Every element matching `selector` is laid out as one line box (a wrapped one has more)."""
    return page.eval_on_selector_all(
        selector, "els => els.length > 0 && els.every(e => e.getClientRects().length === 1)"
    )


def test_search_contact_lift_at_1280_and_on_a_phone(served, sinks, tmp_path):
    store = Store.from_url(sinks.redis_url)
    fill(store, sinks)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            http_credentials={"username": "operator", "password": "admin-token"},
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()
        response = page.goto(f"{served}/dashboard?days=7")
        assert response is not None
        assert response.status == 200

        card = page.locator("#headlines [data-figure]")
        expect(card.filter(has_text="Suppressed now").locator(".figure")).to_have_text("4")
        expect(card.filter(has_text="Complaint rate").locator(".figure")).to_have_text("16.67 %")
        expect(card.filter(has_text="Complaint rate")).to_contain_text(
            "1 complaints per 6 deliveries reported"
        )
        expect(card.filter(has_text="Sender-side rejection rate")).to_contain_text(
            "5 rejections of us per 18 deliveries and bounces"
        )
        expect(card.filter(has_text="New suppressions")).to_contain_text("hard 3")
        legend = page.locator("#events-chart-legend li")
        expect(legend.filter(has_text="delivered")).to_contain_text("delivered 6")
        expect(page.locator('#events-chart-legend li[data-series="none"]')).to_have_count(0)

        near = page.locator("#near tbody tr").first
        expect(near).to_have_attribute("data-email", "near@other.example")
        expect(near.locator(".score")).to_have_text("2 / 3")
        domain = page.locator('#domains tr[data-domain="blocked.example"]')
        expect(domain.locator(".rejections")).to_have_text("5")
        expect(domain.locator(".alerts")).to_have_text("1")

        crm, backup = (
            page.locator('#sync tr[data-sink="crm"]'),
            page.locator('#sync tr[data-sink="backup"]'),
        )
        expect(crm.locator(".lag-entries")).to_have_text("0")
        expect(crm.locator(".state")).to_have_text("ok")
        expect(backup).to_have_class("failing")
        expect(backup.locator(".lag-entries")).to_have_text("4")
        expect(backup.locator(".state")).to_contain_text("failing (1 in a row")
        assert on_one_line(page, "time.when")
        shoot(page, tmp_path, "dashboard.png")

        page.get_by_placeholder("find an address").fill(" Ann@Zylker.com ")
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#address")).to_have_text("ann@zylker.com")
        expect(page.locator("#suppression .status")).to_have_text("Suppressed: do not mail.")
        expect(page.locator("#suppression .source")).to_have_text("hard")
        expect(page.locator("#suppression .evidence")).to_contain_text("5.1.2")
        expect(page.locator("#suppression .grade")).not_to_be_empty()
        expect(page.locator('#sync tr[data-sink="crm"] .state')).to_have_text("sent")
        expect(page.locator('#sync tr[data-sink="backup"] .state')).to_have_text("pending")
        shoot(page, tmp_path, "dashboard-contact.png")

        page.get_by_label("Reason (audited)").fill("confirmed the mailbox by phone")
        page.get_by_role("button", name="Lift suppression").click()
        expect(page.locator(".notice")).to_have_text(
            "Lifted the suppression of ann@zylker.com (reason: confirmed the mailbox by phone)."
        )
        expect(page.locator("#suppression .status")).to_have_text("Not suppressed: may be mailed.")
        expect(page.locator('#sync tr[data-sink="crm"] td').nth(2)).to_have_text(
            "remove not confirmed yet"
        )
        assert store.suppression("ann@zylker.com") is None
        assert store.audit_log(1)[0][1]["actor"] == "dashboard:operator"

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{served}/dashboard?days=7&refresh=0")
        expect(card.filter(has_text="Suppressed now").locator(".figure")).to_have_text("3")
        expect(page.get_by_placeholder("find an address")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone: {width} px wide"
        assert on_one_line(page, "time.when")
        shoot(page, tmp_path, "dashboard-phone.png")
        browser.close()
