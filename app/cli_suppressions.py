"""`bouncekeeper check | check-bulk | suppress | import | export`: the suppression list from a
shell.

Each command calls the same function as its admin API endpoint (app.operations,
app.suppressions, app.importer), so both answer alike. Tables and progress go to stderr
through rich, data (exports, `--json`) to stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from app import importer, operations, suppressions
from app.addresses import InvalidAddressError, normalize
from app.cli_errors import EXIT_FOUND, BadInput, failed
from app.store import Store
from app.taxonomy import CODES, FailureCode

err = Console(stderr=True)
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def _codes() -> Mapping[int, FailureCode]:
    from app.classify import custom
    from app.config import Settings

    try:
        return {**CODES, **custom.load_optional(Settings.from_env().rules).codes}
    except custom.RulesError as exc:
        raise BadInput(str(exc)) from None


def _store(write: bool = False) -> Store:
    from app.cli import _store

    return _store(write)


def _table(title: str, rows: Iterable[tuple[str, Any]]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    for name, value in rows:
        table.add_row(name, "" if value is None else str(value))
    return table


@click.command("check")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
def check_command(email: str, as_json: bool) -> None:
    """Is EMAIL suppressed, why and since when; and its soft-bounce state. Exits 0 when EMAIL
    may be mailed, 1 when it is suppressed (so `bouncekeeper check "$to" && send`)."""
    from app.cli import _policy

    store = _store()
    try:
        contact = operations.contact(store, email, _policy(None))
        address = normalize(email)
    except InvalidAddressError as exc:
        raise BadInput(str(exc)) from None
    record = store.suppression(address)
    shown = suppressions.render(record) if record else None
    if as_json:
        click.echo(json.dumps({"email": address, "suppression": shown, "contact": contact}))
        sys.exit(EXIT_FOUND if shown else 0)
    console = Console()
    if shown is None:
        console.print(f"{address} is [green]not suppressed[/green]")
    else:
        evidence = shown.pop("evidence")
        console.print(_table(f"{address} is SUPPRESSED", [*shown.items(), *evidence.items()]))
    if contact is not None:
        summary = [(key, contact[key]) for key in ("score", "threshold", "window_days", "events")]
        console.print(_table("soft-bounce state", summary))
        for entry in contact["history"]:
            console.print(f"  {entry['at']}  {entry['code']}  {entry['action']}  "
                          f"{entry['diagnostic']}", markup=False, highlight=False)  # fmt: skip
    sys.exit(EXIT_FOUND if shown else 0)


CHECK_BATCH = suppressions.MAX_CHECK  # lines per read, as the API's per request


def _batches(stream: BinaryIO) -> Iterator[list[tuple[int, str]]]:
    """(line number, address) of the stream's non-blank lines, CHECK_BATCH at a time; a line
    that is not UTF-8 is given as is, for the check to report as invalid."""
    batch: list[tuple[int, str]] = []
    for number, raw in enumerate(stream, start=1):
        line = raw.decode("utf-8", "backslashreplace").strip()
        if line:
            batch.append((number, line))
        if len(batch) == CHECK_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@click.command("check-bulk")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of tab-separated")
def check_bulk_command(file: str, as_json: bool) -> None:
    """Which addresses of FILE (one a line; `-` for stdin) may not be mailed: prints each
    suppressed one (as given, normalized, code, category, source, since; tab-separated, or
    JSON Lines with --json), invalid lines on stderr. Read in batches of 10,000, each one
    Redis round trip, as `POST /api/v1/suppressions/check`. Exits 0 when every address may be
    mailed, 1 when any is suppressed or invalid."""
    store = _store()
    checked = suppressed = invalid = 0
    with sys.stdin.buffer if file == "-" else open(file, "rb") as stream:
        for batch in _batches(stream):
            result = suppressions.check(store, [address for _, address in batch])
            lines = {address: number for number, address in reversed(batch)}
            checked += result.checked
            suppressed += len(result.suppressed)
            invalid += len(result.invalid)
            for item in result.suppressed:
                _print_suppressed(item, lines[item["email"]], as_json)
            for item in result.invalid:
                err.print(f"line {lines[item['email']]}: {item['error']}", markup=False,
                          highlight=False)  # fmt: skip
    err.print(f"checked {checked}: {suppressed} suppressed, {invalid} invalid", highlight=False)
    sys.exit(1 if suppressed or invalid else 0)


def _print_suppressed(item: dict[str, Any], line: int, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"line": line, **item}, ensure_ascii=False))
    else:
        click.echo("\t".join("" if value is None else str(value) for value in item.values()))


@click.command("suppress")
@click.argument("email")
@click.option("--reason", required=True, help="why (audited, kept as the evidence)")
@click.option("--code", type=int, help="failure code, e.g. 2001 (default: none)")
@click.option("--actor", default="cli", show_default=True, help="who (audited)")
@click.option("--json", "as_json", is_flag=True, help="print the record as the API answers it")
def suppress_command(email: str, reason: str, code: int | None, actor: str, as_json: bool) -> None:
    """Suppress EMAIL by hand (source `manual`); the sync adds it at the sender too."""
    try:
        record = operations.suppress(_store(write=True), email, actor, reason, code, _codes())
    except (operations.OperationError, InvalidAddressError) as exc:
        raise failed(exc) from None
    if as_json:
        click.echo(json.dumps(suppressions.render(record)))
        return
    click.echo(f"suppressed {record['email']} (by {actor}: {reason.strip()})")


def _counted(stream: BinaryIO, progress: Progress, task: Any) -> Iterator[bytes]:
    """The stream's lines, moving the progress bar every 4,096 lines (cheap enough for 10^6)."""
    done = 0
    for number, line in enumerate(stream, start=1):
        done += len(line)
        if number % 4096 == 0:
            progress.update(task, completed=done)
        yield line
    progress.update(task, completed=done)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(importer.FORMATS), help="default: by extension")
@click.option("--actor", default="cli", show_default=True, help="who (audited)")
@click.option("--reason", default="bulk import", show_default=True, help="audited; evidence")
@click.option("--json", "as_json", is_flag=True, help="print the API's report on stdout")
def import_command(file: str, fmt: str | None, actor: str, reason: str, as_json: bool) -> None:
    """Import a suppression list: CSV with an `email` column (optional `code`, `reason`) or
    JSON Lines. Idempotent; exits 1 if any row was rejected, naming its line."""
    fmt = fmt or EXTENSIONS.get(Path(file).suffix.lower())
    if fmt is None:
        raise click.UsageError("cannot tell the format from the name: pass --format csv|jsonl")
    store, codes = _store(write=True), _codes()
    size = None if file == "-" else Path(file).stat().st_size
    columns = (TextColumn("importing"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with (
        Progress(*columns, console=err) as progress,
        sys.stdin.buffer if file == "-" else open(file, "rb") as stream,
    ):
        task = progress.add_task("import", total=size)
        rows = importer.read(_counted(stream, progress, task), fmt)
        try:
            report = importer.import_rows(store, rows, actor, reason, codes)
        except importer.ImportFormatError as exc:
            raise BadInput(str(exc)) from None
    if as_json:
        click.echo(json.dumps({**asdict(report), "errors_truncated": report.errors_truncated}))
        sys.exit(1 if report.rejected else 0)
    counts = ("rows", "accepted", "already_suppressed", "rejected")
    err.print(_table("import", [(name, getattr(report, name)) for name in counts]))
    for error in report.errors:
        err.print(f"line {error.line}: {error.error}", markup=False, highlight=False)
    if report.errors_truncated:
        err.print(f"... and {report.rejected - len(report.errors)} more rejected lines")
    sys.exit(1 if report.rejected else 0)


def _ms(value: datetime | None) -> int | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1000)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(importer.FORMATS), default="csv",
              show_default=True)  # fmt: skip
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--code", type=int)
@click.option("--category", type=click.Choice(suppressions.CATEGORIES))
@click.option("--source", type=click.Choice(suppressions.SOURCES))
@click.option("--domain")
@click.option("--since", type=click.DateTime(), help="suppressed at or after (UTC)")
@click.option("--until", type=click.DateTime(), help="suppressed at or before (UTC)")
@click.option("--text", help="case-insensitive substring of address, diagnostic, matched_by")
def export_command(fmt: str, output: Any, since: datetime | None, until: datetime | None,
                   domain: str | None, **filters: Any) -> None:  # fmt: skip
    """Write the suppression list (filtered, newest first), CSV to stdout by default; the same
    rows as `GET /api/v1/suppressions/export`."""
    try:
        domain = suppressions.domain_filter(domain) if domain else None
    except InvalidAddressError as exc:
        raise click.BadParameter(str(exc), param_hint="--domain") from exc
    chosen = suppressions.Filters(
        **filters,
        domain=domain,
        since_ms=_ms(since),
        until_ms=_ms(until),
    )
    output.writelines(suppressions.EXPORTERS[fmt](suppressions.matching(_store(), chosen)))


COMMANDS = (check_command, check_bulk_command, suppress_command, import_command, export_command)
