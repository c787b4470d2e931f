"""Reading the suppression list: one record shape, filters, cursor pages and exports.

The admin API and the CLI both read through here, so a filter or a field means the same thing
in `GET /api/v1/suppressions`, its export and `bouncekeeper export`.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app import taxonomy
from app.addresses import InvalidAddressError, normalize
from app.csv_cells import escape
from app.store import Store

# `esp`: the ESP suppressed the address for a reason of its own (an operator there, an
# unsubscribe), reported as a change of its suppression list (e.g. Postmark's SubscriptionChange)
SOURCES = ("hard", "escalated", "complaint", "manual", "import", "esp")
EXPORT_FIELDS = (
    "email", "code", "category", "source", "created_at", "updated_at", "last_seen_at", "hits",
    "diagnostic", "matched_by", "provider", "message_id", "event_id",
)  # fmt: skip
SCAN_BATCH = 500
# Addresses per bulk check: one request, or one batch of `bouncekeeper check-bulk`. 10,000 are
# one pipelined round trip, about 0.1 s (bench/RESULTS.md); more would hold a web thread longer.
MAX_CHECK = 10_000
# Record categories: the taxonomy's, and `complaint`, which complaint records carry.
CATEGORIES = (*(str(c) for c in taxonomy.Category), "complaint")


LAST_MS = 253_402_300_799_000  # 9999-12-31T23:59:59Z, the last time `datetime` can show


class CursorError(ValueError):
    """A pagination cursor that this service did not hand out."""


def iso(ms: int | str | None) -> str | None:
    """Milliseconds since the epoch as ISO 8601 UTC, the one time format of API and CLI."""
    if ms in (None, ""):
        return None
    # A time stored before event times were bounded may lie past year 9999 (the event script's
    # JSON keeps 14 digits, which rounds 9999-12-31T23:59:59.999 up): shown as the last one.
    at = min(int(ms), LAST_MS)
    return datetime.fromtimestamp(at / 1000, UTC).isoformat(timespec="milliseconds")


def _code(record: dict[str, str]) -> int | None:
    return int(record["code"]) if record.get("code") else None


def esp_lists(record: dict[str, str]) -> list[str]:
    """The ESP suppression lists that alone hold this suppression (an ESP reactivation there
    lifts it), sorted; empty when bouncekeeper's own evidence or an operator holds it."""
    return sorted(json.loads(record["esp_lists"])) if record.get("esp_lists") else []


def render(record: dict[str, str]) -> dict[str, Any]:
    """The suppression as the API's `GET /suppressions/<email>` and `bouncekeeper check` show
    it: why (code, meaning, evidence), since when, and how often it was seen again."""
    code = _code(record)
    return {
        "email": record["email"],
        "code": code,
        "category": record.get("category") or None,
        "meaning": taxonomy.CODES[code].meaning if code in taxonomy.CODES else None,
        "source": record["source"],
        "created_at": iso(record.get("created_at")),
        "updated_at": iso(record.get("updated_at")),
        "last_seen_at": iso(record.get("last_seen_at")),
        "hits": int(record.get("hits", 1)),
        "esp_lists": esp_lists(record),
        "evidence": {
            "occurred_at": iso(record.get("occurred_at")),
            "diagnostic": record.get("diagnostic", ""),
            "matched_by": record.get("matched_by", ""),
            "grade": record.get("grade", ""),
            "provider": record.get("provider", ""),
            "message_id": record.get("message_id", ""),
            "event_id": record.get("event_id", ""),
        },
    }


def flat(record: dict[str, str]) -> dict[str, Any]:
    """One export row: the record's fields in EXPORT_FIELDS order, times in ISO 8601."""
    row: dict[str, Any] = {name: record.get(name, "") for name in EXPORT_FIELDS}
    row["code"] = _code(record)
    row["hits"] = int(record.get("hits", 1))
    for name in ("created_at", "updated_at", "last_seen_at"):
        row[name] = iso(record.get(name))
    return row


@dataclass(frozen=True, slots=True)
class Filters:
    """What to list; every given filter must match. `since`/`until` bound when the address was
    suppressed (inclusive), `text` is a case-insensitive substring of the address, the
    diagnostic or `matched_by`."""

    code: int | None = None
    category: str | None = None
    source: str | None = None
    domain: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    text: str | None = None

    def matches(self, record: dict[str, str]) -> bool:
        if self.code is not None and _code(record) != self.code:
            return False
        if self.category is not None and record.get("category") != self.category:
            return False
        if self.source is not None and record.get("source") != self.source:
            return False
        if self.domain is not None and record["email"].rpartition("@")[2] != self.domain:
            return False
        if self.text:
            needle = self.text.lower()
            haystack = (record["email"], record.get("diagnostic", ""), record.get("matched_by", ""))
            return any(needle in value.lower() for value in haystack)
        return True


def domain_filter(raw: str) -> str:
    """A domain as the records store it (IDNA, lower case), so `Bücher.de` finds
    `xn--bcher-kva.de`; InvalidAddressError if it cannot be one."""
    return normalize(f"x@{raw}").rpartition("@")[2]


def encode_cursor(position: tuple[int, str]) -> str:
    score, email = position
    return base64.urlsafe_b64encode(f"{score}:{email}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        score, _, email = raw.partition(":")
        position = (int(score), email)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise CursorError("not a cursor from a previous page") from None
    if not email:
        raise CursorError("not a cursor from a previous page")
    return position


def scan(
    store: Store, filters: Filters, after: tuple[int, str] | None = None
) -> Iterator[tuple[tuple[int, str], dict[str, str] | None]]:
    """Every index position from `after` on, newest first, with its record when it matches
    the filters (None otherwise), so a caller can stop anywhere and resume from the position."""
    while True:
        entries = store.suppression_page(SCAN_BATCH, after, filters.since_ms, filters.until_ms)
        if not entries:
            return
        records = store.suppressions([email for email, _ in entries])
        for (email, score), record in zip(entries, records, strict=True):
            after = (score, email)
            yield after, record if record is not None and filters.matches(record) else None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def page(store: Store, filters: Filters, limit: int, cursor: str | None = None) -> Page:
    """Up to `limit` matching suppressions, newest first. At most `limit * 20` (at least 2,000)
    entries are examined per call, so a rare filter may give a short page with a cursor: the
    list ends only when `next_cursor` is null."""
    after = decode_cursor(cursor) if cursor else None
    budget, items = max(limit * 20, 2000), []
    for examined, (position, record) in enumerate(scan(store, filters, after), start=1):
        if record is not None:
            items.append(render(record))
        if len(items) == limit or examined == budget:
            return Page(items, encode_cursor(position))
    return Page(items, None)


def matching(store: Store, filters: Filters) -> Iterator[dict[str, str]]:
    """Every matching suppression record, newest first, read in batches (exports)."""
    return (record for _, record in scan(store, filters) if record is not None)


def csv_lines(records: Iterable[dict[str, str]]) -> Iterator[str]:
    """The export as CSV text, header first, one chunk per row (for streaming); text cells are
    escaped against formula injection (app/csv_cells.py), which the importer undoes."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = flat(record)
        writer.writerow({k: escape(v) if isinstance(v, str) else v for k, v in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def json_lines(records: Iterable[dict[str, str]]) -> Iterator[str]:
    """The export as JSON Lines, one object per suppression."""
    for record in records:
        yield json.dumps(flat(record), ensure_ascii=False) + "\n"


EXPORTERS = {"csv": csv_lines, "jsonl": json_lines}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Which of the checked addresses may not be mailed (each as given, in the given order,
    duplicates included) and which are not addresses at all, with why."""

    checked: int
    suppressed: list[dict[str, Any]]
    invalid: list[dict[str, str]]


def check(store: Store, given: Sequence[str]) -> CheckResult:
    """The bulk pre-send check of `given` (at most MAX_CHECK): every address normalized, the
    distinct ones read in one pipelined round trip (Store.suppression_summaries)."""
    invalid: list[dict[str, str]] = []
    valid: list[tuple[str, str]] = []
    for raw in given:
        try:
            valid.append((raw, normalize(raw)))
        except InvalidAddressError as exc:
            invalid.append({"email": raw, "error": str(exc)})
    distinct = list(dict.fromkeys(address for _, address in valid))
    found = dict(zip(distinct, store.suppression_summaries(distinct), strict=True))
    suppressed = []
    for raw, address in valid:
        summary = found[address]
        if summary is not None:
            code, category, source, created_at = summary
            suppressed.append(
                {
                    "email": raw,
                    "normalized": address,
                    "code": int(code) if code else None,
                    "category": category or None,
                    "source": source,
                    "since": iso(created_at),
                }
            )
    return CheckResult(len(given), suppressed, invalid)
