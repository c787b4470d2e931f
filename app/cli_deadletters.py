"""`bouncekeeper deadletter list | replay`: the dead-letter list from a shell.

A replay publishes the entry's task onto the ingest queue (`bouncekeeper.ingest` with the
webhook's provider, payload, arrival time and replay guard; a malformed message as it was
sent) and only then removes the entry, in one atomic LREM of its stored form
(app.store.Store.forget_dead_letter). A replay cut short between the two leaves the entry on
the list, to be replayed again: the event dedup absorbs the second copy. Nothing is removed
for a publish the broker refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from app.logs import REQUEST_ID_HEADER
from app.queue import INGEST_TASK
from app.store import Store
from app.store.dead_letters import DeadLetter

if TYPE_CHECKING:
    from celery import Celery

ERROR_WIDTH = 80  # characters of an entry's error shown in the table


@click.group("deadletter")
def deadletter_group() -> None:
    """Webhooks the worker could not apply: list them, replay them once fixed."""


@deadletter_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line, payload included")
def list_command(as_json: bool) -> None:
    """Every entry, newest first: its index (for `replay`), when it was dead-lettered, its
    provider and the error."""
    entries = _store().dead_letters()
    if as_json:
        for index, (_, entry) in enumerate(entries):
            click.echo(json.dumps({"index": index, **json.loads(entry.encode())}))
        return
    table = Table("index", "dead-lettered at", "provider", "error", title="Dead letters")
    for index, (_, entry) in enumerate(entries):
        error = entry.error if len(entry.error) <= ERROR_WIDTH else entry.error[:ERROR_WIDTH] + "…"
        table.add_row(str(index), _iso(entry.at_ms), entry.provider or f"({entry.task})", error)
    Console().print(table)
    click.echo(f"{len(entries)} entries")


@deadletter_group.command("replay")
@click.argument("indexes", nargs=-1, type=int)
@click.option("--all", "replay_all", is_flag=True, help="replay every entry, oldest first")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per replayed entry")
def replay_command(indexes: tuple[int, ...], replay_all: bool, as_json: bool) -> None:
    """Put the entries at INDEXES (as `list` shows them) back on the ingest queue, or every
    entry with --all; each leaves the list once its task is queued."""
    if replay_all == bool(indexes):
        raise click.UsageError("name the entries to replay by index, or give --all")
    store = _store(write=True)
    entries = store.dead_letters()
    if replay_all:
        chosen = list(reversed(list(enumerate(entries))))
    else:
        wrong = [index for index in indexes if not 0 <= index < len(entries)]
        if wrong:
            raise click.ClickException(f"no entry at index {wrong[0]} ({len(entries)} entries)")
        chosen = [(index, entries[index]) for index in dict.fromkeys(indexes)]
    from kombu.exceptions import OperationalError

    done = 0
    try:
        for position, still_listed in replay(store, _celery(), [entry for _, entry in chosen]):
            index, (_, entry) = chosen[position]
            done += 1
            if as_json:
                task = entry.task_args(INGEST_TASK)[0]
                line = {"index": index, "provider": entry.provider, "task": task,
                        "replayed_twice": not still_listed}  # fmt: skip
                click.echo(json.dumps(line))
                continue
            note = "" if still_listed else " (it had already left the list: replayed twice)"
            click.echo(f"replayed #{index} ({entry.provider or entry.task}){note}")
    except OperationalError as exc:
        raise click.ClickException(
            f"the broker refused the publish ({exc}); {done} replayed, "
            f"{len(chosen) - done} left on the list"
        ) from None
    if not as_json:
        click.echo(f"{done} replayed")


def replay(
    store: Store, celery: Celery, entries: list[tuple[str, DeadLetter]]
) -> Iterator[tuple[int, bool]]:
    """Publish each entry's task, then remove the entry: yields (position in `entries`,
    whether the entry was still on the list). A publish the broker refuses raises kombu's
    OperationalError, and that entry and the ones after it stay."""
    for position, (raw, entry) in enumerate(entries):
        task, args = entry.task_args(INGEST_TASK)
        headers = {REQUEST_ID_HEADER: entry.request_id} if entry.request_id else None
        celery.send_task(task, args=args, headers=headers, argsrepr="(replayed)", retry=True)
        yield position, store.forget_dead_letter(raw)


def _iso(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="seconds")


def _store(write: bool = False) -> Store:
    from app.cli import _store

    return _store(write)


def _celery() -> Celery:
    from app.cli import cli_settings
    from app.queue import make_celery

    return make_celery(cli_settings())
