"""Stacked bar charts as plain SVG geometry, computed here: no script, no CDN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 760, 240, 40
FALLBACK_COLOR = "#5d6d7e"

# Legend words of the events chart (app.headlines), in stacking order, bottom first.
EVENT_COLORS = {
    "permanent": "#b03a2e",
    "rejected": "#7d3c98",
    "temporary": "#ca6f1e",
    "communication": "#2471a3",
    "complaint": "#a04000",
    "informational": "#717d7e",
    "unknown": "#99a3a4",
    "delivered": "#229954",
    "opened or clicked": "#7dcea0",
    "other, no failure code": "#aab7b8",
}
# Suppression sources (app.suppressions.SOURCES), in stacking order.
SOURCE_COLORS = {
    "hard": "#b03a2e",
    "escalated": "#ca6f1e",
    "complaint": "#a04000",
    "esp": "#7d3c98",
    "manual": "#2471a3",
    "import": "#717d7e",
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One stacked segment, already in SVG coordinates."""

    day: str
    series: str
    count: int
    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass(frozen=True, slots=True)
class Column:
    """One day's label and total under and over its bar."""

    day: str
    total: int
    x: float
    top: float


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    columns: list[Column]
    peak: int
    legend: dict[str, int]  # each series' sum over the days, in stacking order
    colors: Mapping[str, str]
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


def ordered(counts: Mapping[str, int], colors: Mapping[str, str]) -> list[str]:
    """Series in the colors' order, then any others alphabetically."""
    known = [name for name in colors if name in counts]
    return known + sorted(set(counts) - set(known))


def stacked(days: Sequence[tuple[str, Mapping[str, int]]], colors: Mapping[str, str]) -> Chart:
    """Stacked bars of counts per series per day (oldest first), scaled to the busiest day."""
    peak = max((sum(counts.values()) for _, counts in days), default=0) or 1
    plot_h = HEIGHT - 2 * PAD
    slot = (WIDTH - 2 * PAD) / max(len(days), 1)
    bars, columns, legend = [], [], {}
    for i, (day, counts) in enumerate(days):
        base = HEIGHT - PAD
        total = sum(counts.values())
        centre = round(PAD + (i + 0.5) * slot, 1)
        columns.append(Column(day, total, centre, round(base - total / peak * plot_h, 1)))
        for name in ordered(counts, colors):
            height = counts[name] / peak * plot_h
            base -= height
            legend[name] = legend.get(name, 0) + counts[name]
            bars.append(
                Bar(
                    day=day,
                    series=name,
                    count=counts[name],
                    x=round(PAD + i * slot + slot * 0.15, 1),
                    y=round(base, 1),
                    width=round(slot * 0.7, 1),
                    height=round(height, 1),
                    color=colors.get(name, FALLBACK_COLOR),
                )
            )
    legend = {name: legend[name] for name in ordered(legend, colors)}
    return Chart(bars, columns, peak, legend, colors)
