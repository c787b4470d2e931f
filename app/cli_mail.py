"""`bouncekeeper ingest-mail PATH…`: backfill bounce mail from mbox files and maildirs
(app.backfill), with a progress bar on stderr and the counts as a table, or `--json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from app import backfill
from app.cli_errors import EXIT_FOUND, BadInput

err = Console(stderr=True)


@click.command("ingest-mail")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the counts as one JSON object")
def ingest_mail_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Apply the bounces, complaints and auto-replies in mbox files and maildirs, as if each
    message had been posted to /webhooks/email (same parser, limits, dedup: a message already
    taken in is a duplicate). Exits 1 if any message was refused (over a size or MIME limit),
    2 if a path is no mbox or maildir."""
    from app.classify import custom
    from app.cli import _store, cli_settings

    settings = cli_settings()
    try:
        total = backfill.count(paths)
        rules = custom.load_optional(settings.rules)
    except (backfill.NotAMailboxError, custom.RulesError) as exc:
        raise BadInput(str(exc)) from None
    except OSError as exc:
        raise BadInput(f"cannot read {exc.filename}: {exc.strerror}") from None
    store = _store(write=True)
    columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=as_json and not err.is_terminal) as progress:
        task = progress.add_task("ingest-mail", total=total)
        report = backfill.ingest(
            backfill.messages(paths),
            store,
            settings,
            rules.policy,
            rules.text,
            step=lambda: progress.advance(task),
        )
    status = EXIT_FOUND if report.refused else 0
    if as_json:
        click.echo(json.dumps(report.as_dict()))
        sys.exit(status)
    table = Table(title="ingest-mail", show_header=False, title_justify="left")
    table.add_row("messages", str(report.messages))
    for kind, n in sorted(report.kinds.items()):
        table.add_row(f"  {kind}", str(n))
    table.add_row("refused", str(report.refused))
    table.add_row("events", str(report.events))
    for result, n in sorted(report.outcomes.items()):
        table.add_row(f"  {result}", str(n))
    err.print(table)
    for line in report.errors:
        err.print(line, markup=False, highlight=False)
    sys.exit(status)
