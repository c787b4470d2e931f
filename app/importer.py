"""Bulk import of an existing suppression list: CSV with an `email` column, or JSON Lines.

The input is read line by line from a binary stream (a file or the request body) and written
in pipelined batches, so memory stays flat however long the file is. Each row goes through the
same SUPPRESS script as a manual suppression: an address already on the list is left as it is,
which makes a re-run of the same file a no-op. Rows that cannot be used are counted and named
by line number; they never stop the rest of the file.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.addresses import InvalidAddressError, normalize
from app.csv_cells import unescape
from app.store import Store
from app.taxonomy import CODES, FailureCode

FORMATS = ("csv", "jsonl")
BATCH = 1000
MAX_ERRORS = 100
SOURCE = "import"


class ImportFormatError(ValueError):
    """The input as a whole is unusable (no `email` column); nothing was imported."""


@dataclass
class RowError:
    line: int
    error: str
    email: str | None = None


@dataclass
class ImportReport:
    """What happened to each row: `accepted` are new suppressions, `already_suppressed` were on
    the list before (left untouched), `rejected` were unusable; `errors` names the first
    MAX_ERRORS rejected lines."""

    rows: int = 0
    accepted: int = 0
    already_suppressed: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def errors_truncated(self) -> bool:
        return self.rejected > len(self.errors)

    def reject(self, line: int, error: str, email: str | None = None) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, error, email))


def _text_lines(stream: Iterable[bytes]) -> Iterator[str]:
    """Decoded lines with their line ends; bytes that are not UTF-8 become U+FFFD, which the
    row check rejects, so one bad line cannot abort the import."""
    for number, raw in enumerate(stream):
        line = raw.decode("utf-8", errors="replace")
        yield line.removeprefix("\ufeff") if number == 0 else line


def csv_rows(stream: Iterable[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) per CSV record; the header is line 1 and must name `email`. A cell
    escaped against formula injection (as our own export writes it) is read unescaped."""
    reader = csv.reader(_text_lines(stream))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFormatError(f"the CSV header (line 1) is not valid CSV: {exc}") from exc
    names = [name.strip().lower() for name in header or []]
    if "email" not in names:
        raise ImportFormatError("the CSV header (line 1) has no `email` column")
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a bare CR inside a field: this record only is lost
            yield start, {"_error": f"not valid CSV: {exc}"}
        else:
            if any(cell.strip() for cell in row):
                yield start, dict(zip(names, map(unescape, row), strict=False))
        start = reader.line_num + 1


def jsonl_rows(stream: Iterable[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) per non-blank line; a line that is not an object is passed on as
    an error row so it is reported, not raised."""
    for number, line in enumerate(_text_lines(stream), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        yield number, value if isinstance(value, dict) else {"_error": "not a JSON object"}


def _record(row: dict[str, Any], reason: str, codes: Mapping[int, FailureCode]) -> dict:
    """The SUPPRESS record for one row, or ValueError naming what is wrong with it."""
    if "_error" in row:
        raise ValueError(row["_error"])
    email = row.get("email")
    if not isinstance(email, str) or "\ufffd" in email:
        raise ValueError("email is missing or not UTF-8 text")
    raw_code = row.get("code")
    code, category = "", ""
    if raw_code not in (None, ""):
        try:
            number = int(str(raw_code).strip())
        except ValueError:
            raise ValueError(f"code {raw_code!r} is not a number") from None
        if number not in codes:
            raise ValueError(f"code {number} is not a known failure code")
        code, category = str(number), str(codes[number].category)
    note = row.get("reason") or row.get("diagnostic") or reason
    return {"email": normalize(email), "code": code, "category": category,
            "source": SOURCE, "diagnostic": str(note)}  # fmt: skip


def import_rows(
    store: Store,
    rows: Iterable[tuple[int, dict[str, Any]]],
    actor: str,
    reason: str,
    codes: Mapping[int, FailureCode] = CODES,
) -> ImportReport:
    """Suppress every usable row (source `import`), BATCH rows per round trip. A row may name
    a failure `code` (seed 000 or a rules file's; its category follows) and a `reason` (or
    `diagnostic`) kept as the evidence; without one the import's `reason` is kept."""
    report, batch = ImportReport(), []

    def flush() -> None:
        for result in store.suppress_many(batch, actor, reason, int(time.time() * 1000)):
            if result == "suppressed":
                report.accepted += 1
            else:
                report.already_suppressed += 1
        batch.clear()

    for line, row in rows:
        report.rows += 1
        try:
            batch.append(_record(row, reason, codes))
        except (ValueError, InvalidAddressError) as exc:
            email = row.get("email")
            report.reject(line, str(exc), email if isinstance(email, str) else None)
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    return report


def read(stream: Iterable[bytes], fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a binary stream in `fmt` ('csv' or 'jsonl')."""
    return csv_rows(stream) if fmt == "csv" else jsonl_rows(stream)
