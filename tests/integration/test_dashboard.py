"""The dashboard: its login, and what a real browser shows over a seeded Redis."""

from __future__ import annotations

import base64
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.policy import utc_day
from app.stats import day_iso
from app.store import Store
from tests.seed import seed

CHROMIUM = "/usr/bin/chromium"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"


def basic(password: str) -> dict[str, str]:
    token = base64.b64encode(f"operator:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def store(app) -> Store:
    return app.extensions["store"]


def test_browser_gets_a_basic_auth_challenge(client):
    response = client.get("/dashboard")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert client.get("/dashboard", headers=basic("wrong")).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [basic("admin-token"), {"Authorization": "Bearer admin-token"}],
    ids=["basic", "bearer"],
)
def test_token_opens_the_dashboard_either_way(client, headers):
    response = client.get("/dashboard", headers=headers)
    assert response.status_code == 200
    assert "no sinks configured" in response.get_data(as_text=True)


def test_dashboard_is_off_without_a_token(settings, state):
    client = create_app(replace(settings, api_token="")).test_client()
    assert client.get("/dashboard", headers=basic("")).status_code == 403


def test_sync_status_shows_what_the_sync_engine_records(client, store):
    store.redis.hset(
        "bk:sync:http", mapping={"cursor": "1-0", "failures": "2", "last_error": "503"}
    )
    store.redis.set("bk:sync:http:lock", "token")
    page = client.get("/dashboard", headers=basic("admin-token")).get_data(as_text=True)
    assert 'data-sink="http"' in page
    assert "failures: 2" in page
    assert "last_error: 503" in page
    assert "no sinks configured" not in page


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app on a real HTTP server on a free loopback port, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_dashboard_in_chromium_shows_the_seeded_figures(served, store, tmp_path):
    seeded = seed(store)
    today, yesterday = day_iso(utc_day(seeded.today_ms)), day_iso(utc_day(seeded.yesterday_ms))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            http_credentials={"username": "operator", "password": "admin-token"},
            viewport={"width": 1100, "height": 1000},
        )
        page = context.new_page()
        response = page.goto(f"{served}/dashboard?days=7")
        assert response is not None
        assert response.status == 200

        def bar(day: str, category: str) -> str | None:
            selector = f'#events-chart rect[data-day="{day}"][data-category="{category}"]'
            return page.locator(selector).get_attribute("data-count")

        assert bar(today, "permanent") == str(len(seeded.hard))
        assert bar(today, "rejected") == str(seeded.blocked_today)
        assert bar(today, "temporary") == str(seeded.soft_today)
        assert bar(yesterday, "rejected") == str(seeded.blocked_yesterday)
        assert page.locator(f'#events-chart text.total[data-day="{today}"]').text_content() == "9"
        assert page.locator("#events-chart rect.bar").count() == 4
        assert page.locator("#events-chart rect.bar").first.is_visible()

        domain = page.locator('#domains tr[data-domain="blocked.example"]')
        rejections = seeded.blocked_today + seeded.blocked_yesterday
        assert domain.locator(".rejections").inner_text() == str(rejections)
        assert domain.locator(".alerts").inner_text() == "1"

        rows = page.locator("#suppressions tbody tr")
        assert rows.count() == len(seeded.hard)
        for email in seeded.hard:
            row = page.locator(f'#suppressions tr[data-email="{email}"]')
            assert row.locator(".source").inner_text() == "hard"
            assert row.locator(".code").inner_text() == "2002"
            assert "5.1.2" in row.locator(".evidence").inner_text()
        assert page.locator("#sync").inner_text().endswith("no sinks configured")

        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(shot, DOCS_SCREENSHOT)
