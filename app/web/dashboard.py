"""`/dashboard`: server-rendered pages an operator opens in a browser.

Any API token opens them, as a bearer token or as the basic-auth password, so a browser's own
login prompt works; lifting a suppression needs the admin scope and a CSRF token
(app/web/dashboard_contact.py). Charts are plain SVG computed here (app/web/charts.py): no
script, no CDN. This module holds the login, the overview and the domain page.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, current_app, g, render_template, request

from app import headlines, stats, suppressions, watchlist
from app.addresses import InvalidAddressError
from app.config import Settings
from app.credentials import basic_password, bearer
from app.policy import MS_PER_DAY, utc_day
from app.store import Store, reports
from app.store.sync import SyncStore
from app.sync import status as sync_status
from app.web import charts
from app.web.auth import scope_of
from app.web.errors import fail

bp = Blueprint("dashboard", __name__)

DEFAULT_DAYS = 14
PAGE_SIZE = 20
TOP_DOMAINS = 10
NEAR_LIMIT = 20
NEAR_SCAN = 10_000  # applied events searched for contacts whose soft bounce was counted
NEAR_CHECKED = 3  # candidates read per row shown: scores fall as days leave the window
DOMAIN_EVENTS = 50
REFRESH_SECONDS = 60
BEHIND_INTERVALS = 2  # a sink lagging more sync intervals than this is shown as behind


@bp.before_request
def require_token() -> None:
    settings: Settings = current_app.extensions["bouncekeeper"]
    if not settings.admin_tokens and not settings.read_tokens:
        fail(403, "the dashboard is off: set BOUNCEKEEPER_API_TOKEN to enable it")
    header = request.headers.get("Authorization", "")
    g.scope = scope_of(bearer(header) or basic_password(header), settings)
    if g.scope is None:
        fail(
            401,
            "log in with the API token as the password",
            headers={"WWW-Authenticate": 'Basic realm="bouncekeeper", charset="UTF-8"'},
        )
    g.operator = request.authorization.username if request.authorization else ""


def session_key(settings: Settings) -> str:
    """The key that signs the dashboard's session cookie (which holds its CSRF token):
    derived from the configured tokens, so every web process agrees on it with no setting of
    its own, and rotating the tokens voids old forms."""
    tokens = "\n".join(sorted({*settings.admin_tokens, *settings.read_tokens}))
    digest = hashlib.blake2b(tokens.encode(), key=b"bouncekeeper dashboard session")
    return digest.hexdigest()


def when(value: str | int | None) -> str:
    """An instant (ISO 8601 or epoch ms) as `YYYY-MM-DD HH:MM:SS` UTC, to fit on one line."""
    if value in (None, ""):
        return ""
    if isinstance(value, int) or str(value).isdigit():
        value = suppressions.iso(value)
    at = datetime.fromisoformat(str(value)).astimezone(UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S")


def percent(rate: headlines.Rate | None) -> str:
    if rate is None or rate.value is None:
        return "n/a"
    return f"{rate.value * 100:.2f} %"


def register(app: Flask) -> None:
    """The dashboard's pages, its template filters and its session cookie."""
    from app.web import dashboard_contact  # noqa: F401 - adds the contact pages to bp

    settings: Settings = app.extensions["bouncekeeper"]
    app.secret_key = session_key(settings)
    app.config.update(SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)
    app.add_template_filter(when)
    app.add_template_filter(percent)
    app.add_template_filter(headlines.change, "change")
    app.add_template_filter(stats.day_iso, "day")
    app.register_blueprint(bp)


def _days() -> int:
    days = request.args.get("days", str(DEFAULT_DAYS))
    if not days.isdigit() or not 1 <= int(days) <= stats.MAX_DAYS:
        fail(400, f"days must be an integer from 1 to {stats.MAX_DAYS}")
    return int(days)


def headline_figures(
    store: Store, report: stats.StatsReport, before: list[reports.DayCounts] | None
) -> dict[str, Any]:
    """Suppressed now, and each trend over the shown days beside the days before them."""
    shown = report.days
    return {
        "suppressed": reports.state_reading(store).suppressed,
        "new": headlines.trend(shown, before, headlines.new_suppressions),
        "new_by_source": headlines.new_by_source(shown),
        "complaints": headlines.trend(shown, before, headlines.complaint_rate),
        "sender_side": headlines.trend(shown, before, headlines.sender_side_rate),
        "events": headlines.trend(shown, before, lambda day: day.total),
    }


def near_threshold(store: Store, now_ms: int) -> list[watchlist.Near]:
    """The candidates' scores as their last event left them, checked against their state now
    (days may have left the window; a lift clears them) for the few highest only."""
    policy = current_app.extensions["rules"].policy
    ranked = reports.soft_scores(store, NEAR_SCAN)
    emails = [email for email, _ in ranked[: NEAR_LIMIT * NEAR_CHECKED]]
    states = store.contacts_of(emails)
    records = store.suppressions(emails)
    held = {email for email, record in zip(emails, records, strict=True) if record}
    contacts = [(e, s.days) for e, s in zip(emails, states, strict=True) if s is not None]
    return watchlist.near_threshold(
        contacts, held, utc_day(now_ms), policy.window_days, policy.threshold, NEAR_LIMIT
    )


def domain_rows(store: Store, report: stats.StatsReport, since_ms: int) -> list[dict[str, Any]]:
    """Domains with sender-side rejections in the range, or alerts raised in it."""
    alerts: dict[str, list[dict[str, str]]] = {}
    for _, fields in store.alerts(count=1000):
        if int(fields["at"]) >= since_ms:
            alerts.setdefault(fields["domain"], []).append(fields)
    rejections = dict(report.top_sender_side)
    names = list(rejections) + sorted(set(alerts) - set(rejections))
    return [
        {
            "domain": name,
            "rejections": rejections.get(name, 0),
            "alerts": len(alerts.get(name, [])),
            "last_alert": alerts[name][0]["at"] if name in alerts else "",
        }
        for name in names
    ]


def sync_rows(settings: Settings, store: Store, now_ms: int) -> list[dict[str, Any]]:
    """Each configured sink's lag, last success and, while it is failing, its error: a sink
    that succeeded since its last failure shows none. A sink whose oldest unconfirmed change
    is older than two sync intervals is `behind` even when no push failed (a stuck or slow
    run, or beat not scheduling it)."""
    rows = []
    for name, state in sync_status(settings, SyncStore(store), now_ms).items():
        failing = state["failures_in_a_row"] > 0
        behind = state["lag_seconds"] > BEHIND_INTERVALS * settings.sync_interval
        error = state["last_error"] if failing else None
        rows.append({**state, "sink": name, "failing": failing, "behind": behind, "error": error})
    return rows


@bp.get("/dashboard")
def overview() -> str:
    days = _days()
    store: Store = current_app.extensions["store"]
    settings: Settings = current_app.extensions["bouncekeeper"]
    now_ms = int(time.time() * 1000)
    report = stats.collect(store, days, now_ms, TOP_DOMAINS)
    before = None
    if 2 * days <= stats.MAX_DAYS:
        before = reports.day_counts(store, stats.last_days(days, now_ms - days * MS_PER_DAY), 1)
    cursor = request.args.get("after")
    try:
        page = suppressions.page(store, suppressions.Filters(), PAGE_SIZE, cursor)
    except suppressions.CursorError as exc:
        fail(400, f"after: {exc}")
    since_ms = (utc_day(now_ms) - days + 1) * MS_PER_DAY
    return render_template(
        "dashboard.html",
        days=days,
        first_day=stats.day_iso(report.days[0].day),
        last_day=stats.day_iso(report.days[-1].day),
        head=headline_figures(store, report, before),
        events_chart=charts.stacked(
            [(stats.day_iso(d.day), headlines.events_by_legend(d)) for d in report.days],
            charts.EVENT_COLORS,
        ),
        new_chart=charts.stacked(
            [(stats.day_iso(d.day), d.new_by_source) for d in report.days], charts.SOURCE_COLORS
        ),
        near=near_threshold(store, now_ms),
        policy=current_app.extensions["rules"].policy,
        domains=domain_rows(store, report, since_ms),
        sinks=sync_rows(settings, store, now_ms),
        sync_interval=settings.sync_interval,
        page=page,
        cursor=cursor,
        refresh=REFRESH_SECONDS if request.args.get("refresh") != "0" else None,
        generated=now_ms,
    )


@bp.get("/dashboard/domain")
def domain_page() -> str:
    try:
        name = suppressions.domain_filter(request.args.get("name", "").strip())
    except InvalidAddressError as exc:
        fail(400, f"name: {exc}; give a recipient domain, e.g. ?name=example.com")
    store: Store = current_app.extensions["store"]
    now_ms = int(time.time() * 1000)
    alerts = [fields for _, fields in store.alerts(count=1000) if fields["domain"] == name]
    return render_template(
        "domain.html",
        name=name,
        events=reports.recent_events(store, name, DOMAIN_EVENTS),
        alerts=alerts,
        today=store.domain_day(name, now_ms),
        limit=DOMAIN_EVENTS,
        generated=now_ms,
    )
