"""`GET /dashboard`: one server-rendered page an operator can open in a browser.

The read token is accepted as a bearer token or as the basic-auth password, so a browser's
own login prompt works. The chart is plain SVG computed here: no script, no CDN.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request

from app import stats
from app.config import Settings
from app.credentials import basic_password, bearer
from app.sinks.redact import redact, secrets_of
from app.store import Store, reports
from app.web.auth import scope_of
from app.web.errors import fail

bp = Blueprint("dashboard", __name__)

DEFAULT_DAYS = 14
LATEST_SUPPRESSIONS = 20
TOP_DOMAINS = 10
TIME_FIELDS = ("_at", "success", "before")  # the sync engine's epoch-ms fields
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 760, 260, 40
# Categories in stacking order (bottom first); "none" is events without a code (deliveries).
CATEGORY_COLORS = {
    "permanent": "#b03a2e",
    "rejected": "#7d3c98",
    "temporary": "#ca6f1e",
    "communication": "#2471a3",
    "complaint": "#a04000",
    "informational": "#717d7e",
    "unknown": "#99a3a4",
    "none": "#229954",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One stacked segment of the chart, already in SVG coordinates."""

    day: str
    category: str
    count: int
    x: float
    y: float
    width: float
    height: float
    color: str


@bp.before_request
def require_read_token() -> None:
    settings: Settings = current_app.extensions["bouncekeeper"]
    if not settings.admin_tokens and not settings.read_tokens:
        fail(403, "the dashboard is off: set BOUNCEKEEPER_API_TOKEN to enable it")
    header = request.headers.get("Authorization", "")
    if scope_of(bearer(header) or basic_password(header), settings) is None:
        fail(
            401,
            "log in with the API token as the password",
            headers={"WWW-Authenticate": 'Basic realm="bouncekeeper", charset="UTF-8"'},
        )


@dataclass(frozen=True, slots=True)
class Column:
    """One day's label and total under and over its bar."""

    day: str
    total: int
    x: float
    top: float


def chart(report: stats.StatsReport) -> tuple[list[Bar], list[Column], int]:
    """Stacked bars of events per category per day, scaled to the busiest day."""
    peak = max((day.total for day in report.days), default=0) or 1
    plot_h = CHART_HEIGHT - 2 * CHART_PAD
    slot = (CHART_WIDTH - 2 * CHART_PAD) / max(len(report.days), 1)
    bars, columns = [], []
    for i, day in enumerate(report.days):
        base = CHART_HEIGHT - CHART_PAD
        top = base - day.total / peak * plot_h
        centre = round(CHART_PAD + (i + 0.5) * slot, 1)
        columns.append(Column(stats.day_iso(day.day), day.total, centre, round(top, 1)))
        for category in _ordered(day.by_category):
            count = day.by_category[category]
            height = count / peak * plot_h
            base -= height
            bars.append(
                Bar(
                    day=stats.day_iso(day.day),
                    category=category,
                    count=count,
                    x=round(CHART_PAD + i * slot + slot * 0.15, 1),
                    y=round(base, 1),
                    width=round(slot * 0.7, 1),
                    height=round(height, 1),
                    color=CATEGORY_COLORS.get(category, "#5d6d7e"),
                )
            )
    return bars, columns, peak


def _ordered(by_category: dict[str, int]) -> list[str]:
    known = [c for c in CATEGORY_COLORS if c in by_category]
    return known + sorted(set(by_category) - set(known))


def domain_rows(store: Store, report: stats.StatsReport, now_ms: int) -> list[dict[str, Any]]:
    """Top domains by sender-side rejections, with today's counters and their alerts."""
    alerts: dict[str, list[dict[str, str]]] = {}
    for _, fields in store.alerts(count=1000):
        alerts.setdefault(fields["domain"], []).append(fields)
    rows = []
    for domain, rejections in report.top_sender_side:
        today = store.domain_day(domain, now_ms)
        raised = alerts.get(domain, [])
        rows.append(
            {
                "domain": domain,
                "rejections": rejections,
                "today_sender_side": today.get("sender_side", 0),
                "today_total": today.get("total", 0),
                "alerts": len(raised),
                "last_alert": stats.iso(raised[0]["at"]) if raised else "",
            }
        )
    return rows


def suppression_rows(store: Store) -> list[dict[str, str]]:
    """The latest suppressions with the evidence that caused them."""
    rows = reports.latest_suppressions(store, LATEST_SUPPRESSIONS)
    for row in rows:
        row["created"] = stats.iso(row["created_at"]) if row.get("created_at") else ""
    return rows


def sync_rows(store: Store, settings: Settings) -> list[dict[str, Any]]:
    """Each sink's state as the sync engine records it; times (ms fields) made readable and
    errors masked again (app/sinks/redact.py: one recorded before redaction existed)."""
    rows = []
    for sink, fields in reports.sync_states(store).items():
        secrets = secrets_of(settings.sink_options.get(sink, {}))
        shown = {
            name: stats.iso(value)
            if name.endswith(TIME_FIELDS) and value.isdigit()
            else redact(value, secrets)
            for name, value in sorted(fields.items())
            if value not in ("", "0") or name == "failures"
        }
        rows.append({"sink": sink, "fields": shown})
    return rows


@bp.get("/dashboard")
def dashboard() -> str:
    days = request.args.get("days", str(DEFAULT_DAYS))
    if not days.isdigit() or not 1 <= int(days) <= stats.MAX_DAYS:
        fail(400, f"days must be an integer from 1 to {stats.MAX_DAYS}")
    store: Store = current_app.extensions["store"]
    now_ms = int(time.time() * 1000)
    report = stats.collect(store, int(days), now_ms, TOP_DOMAINS)
    bars, columns, peak = chart(report)
    return render_template(
        "dashboard.html",
        report=report,
        days=int(days),
        bars=bars,
        columns=columns,
        peak=peak,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        pad=CHART_PAD,
        colors=CATEGORY_COLORS,
        categories=report.total("by_category"),
        domains=domain_rows(store, report, now_ms),
        suppressions=suppression_rows(store),
        sinks=sync_rows(store, current_app.extensions["bouncekeeper"]),
        generated=stats.iso(now_ms),
    )
