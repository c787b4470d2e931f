"""The `bouncekeeper` command."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

import click

from app.classify import BUILT_IN, Evidence, TextRules, classify, explain
from app.classify import custom as custom_rules
from app.cli_deadletters import deadletter_group
from app.cli_errors import BadInput, Unavailable, failed
from app.cli_mail import ingest_mail_command
from app.cli_suppressions import COMMANDS
from app.config import ENV_NAMES
from app.policy import Policy

if TYPE_CHECKING:
    from rich.table import Table

    from app.config import Settings
    from app.sinks import Sink
    from app.stats import StatsReport
    from app.store import Store
    from app.store.sync import SyncStore

_EVIDENCE_KEYS = ("smtp_code", "enhanced_code", "diagnostic", "provider_reason", "bounce_type")


class _Main(click.Group):
    """The command group; a Redis that is down or refuses a command ends any command with one
    line and status 3 instead of redis-py's traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        import redis

        from app.store.shards import ShardCountMismatch

        try:
            return super().invoke(ctx)
        except ShardCountMismatch as exc:
            raise BadInput(str(exc)) from None
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise Unavailable(f"cannot reach Redis {_redis_named()}: {exc}") from None
        except redis.RedisError as exc:
            raise Unavailable(f"Redis {_redis_named()} refused the command: {exc}") from None


@click.group(cls=_Main)
@click.version_option(package_name="bouncekeeper", prog_name="bouncekeeper")
def main() -> None:
    """bouncekeeper: bounce webhooks in, a correct suppression list out.

    Exit status: 0 done (check: may be mailed); 1 found or refused (check: suppressed; an
    address not suppressed, already suppressed, a rejected row, a failed sink); 2 usage or bad
    input; 3 no Redis configured or Redis unreachable.
    """


def classify_record(
    record: dict[str, Any],
    policy: Policy,
    rules: TextRules = BUILT_IN,
    with_explanation: bool = False,
) -> dict[str, Any]:
    """One classify-contract output object for one input object."""
    evidence = Evidence(
        **{key: _text(record.get(key)) for key in _EVIDENCE_KEYS},
        provider=_text(record.get("provider")),
    )
    verdict = classify(evidence, rules)
    action = policy.action_for_code(verdict.code, verdict.grade)
    result = {
        **record,
        "code": verdict.code,
        "category": str(verdict.category),
        "action": str(action.kind),
        "weight": action.weight,
        "matched_by": verdict.matched_by,
        "grade": str(verdict.grade),
    }
    if with_explanation:
        result["explain"] = [
            {
                "layer": step.layer,
                "matched": step.matched,
                "code": step.code,
                "grade": str(step.grade),
            }
            for step in explain(evidence, rules)
        ]
    return result


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def run_classify(
    lines: TextIO,
    out: TextIO,
    err: TextIO,
    rules: custom_rules.CustomRules = custom_rules.NONE,
    with_explanation: bool = False,
) -> int:
    """Classify JSON Lines; a bad line yields an `error` object in its place, so output line N
    still answers input line N, and the exit status is 1."""
    policy, failed = rules.policy, False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            result = classify_record(record, policy, rules.text, with_explanation)
        except ValueError as exc:
            failed = True
            err.write(f"line {number}: {exc}\n")
            result = {"error": str(exc), "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failed else 0


@main.command("classify")
@click.option("--explain", "with_explanation", is_flag=True, help="add every layer's answer")
@click.option(
    "--rules",
    "rules_file",
    envvar=ENV_NAMES["rules"],
    type=click.Path(dir_okay=False),
    help="TOML rules file (default: $BOUNCEKEEPER_RULES)",
)
def classify_command(with_explanation: bool, rules_file: str | None) -> None:
    """Classify bounces: JSON Lines on stdin, one JSON line per input on stdout.

    Each input object may have smtp_code, enhanced_code, diagnostic, provider_reason,
    bounce_type and provider; every other key is carried through untouched. --explain adds
    `explain`: every layer consulted, in order, and what it said.
    """
    try:
        rules = custom_rules.load_optional(rules_file)
    except custom_rules.RulesError as exc:
        raise BadInput(str(exc)) from None
    sys.exit(run_classify(sys.stdin, sys.stdout, sys.stderr, rules, with_explanation))


def redis_source() -> str:
    """Where the CLI's Redis comes from: `REDIS_URL`, else the file a running `make run`
    wrote (app.devstack.REDIS_URL_FILE)."""
    from app import devstack

    return (
        ENV_NAMES["redis_url"]
        if ENV_NAMES["redis_url"] in os.environ
        else str(devstack.REDIS_URL_FILE)
    )


def cli_settings() -> Settings:
    """The environment's settings with the Redis to use: REDIS_URL when set, else the embedded
    Redis that `make run` started here (its port is new at each start); never a guessed
    127.0.0.1:6379, which may be another service's Redis."""
    from app import devstack
    from app.config import ConfigError, Settings

    try:
        if ENV_NAMES["redis_url"] in os.environ:
            return Settings.from_env()
        url = devstack.recorded_redis_url()
        if url is None:
            raise Unavailable(
                "no Redis configured: set REDIS_URL, or run `make run` in this directory "
                f"(it records its Redis in {devstack.REDIS_URL_FILE})"
            )
        return Settings.from_env(redis_url=url)
    except ConfigError as exc:
        raise BadInput(str(exc)) from None


def _redis_named() -> str:
    """The Redis a failed command used, for its error line."""
    try:
        return f"{shown_url(cli_settings().redis_url)} ({redis_source()})"
    except click.ClickException:
        return f"({redis_source()})"


def shown_url(url: str) -> str:
    """The URL with its password masked, fit for a terminal or a log."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


def _store(write: bool = False) -> Store:
    """The state store on the CLI's Redis; a command that writes names that Redis on stderr,
    so a write never lands somewhere unseen."""
    from app.store import Store

    settings = cli_settings()
    if write:
        click.echo(f"using Redis {shown_url(settings.redis_url)} ({redis_source()})", err=True)
    return Store.from_url(
        settings.redis_url, settings.key_prefix, settings.dedup_ttl_seconds, settings.shards
    )


def _policy(path: str | None) -> Policy:
    """The policy of a rules file, or of the configured one (BOUNCEKEEPER_RULES) when none is
    named; a bad file is a clean error naming its line or key."""
    from app.classify import custom
    from app.config import Settings

    try:
        return custom.load_optional(path or Settings.from_env().rules).policy
    except custom.RulesError as exc:
        raise BadInput(str(exc)) from None


@main.command("unsuppress")
@click.argument("email")
@click.option("--reason", required=True, help="why the suppression is lifted (audited)")
@click.option("--actor", default="cli", show_default=True, help="who lifts it (audited)")
@click.option("--force", is_flag=True, help="also lift a spam-complaint suppression")
@click.option("--json", "as_json", is_flag=True, help="print the API's answer")
def unsuppress_command(email: str, reason: str, actor: str, force: bool, as_json: bool) -> None:
    """Remove EMAIL from the suppression list; the sync will remove it at the sender too."""
    from app.addresses import InvalidAddressError
    from app.operations import OperationError, unsuppress

    try:
        done = unsuppress(_store(write=True), email, actor, reason, force, _policy(None))
    except (OperationError, InvalidAddressError) as exc:
        raise failed(exc) from None
    if as_json:
        body = {"email": done.email, "removed": True, "actor": done.actor, "reason": done.reason}
        click.echo(json.dumps(body))
        return
    click.echo(f"removed {done.email} (by {done.actor}: {done.reason})")


@main.command("migrate-addresses")
@click.option("--dry-run", is_flag=True, help="only print what would change")
@click.option("--actor", default="cli", show_default=True, help="who migrates (audited)")
@click.option(
    "--known",
    type=click.File("r", encoding="utf-8"),
    help="addresses you send to, one a line: their IDNA 2003 keys (ß as ss) move too",
)
@click.option("--json", "as_json", is_flag=True, help="the whole report as one JSON object")
def migrate_addresses_command(
    dry_run: bool, actor: str, known: TextIO | None, as_json: bool
) -> None:
    """Re-key stored addresses and domains whose normal form changed (UTS #46 / IDNA 2008),
    merging each into what its new form holds already. Idempotent; run it once every worker
    runs this version. Keys that are no valid address any more are listed and left. With
    --known, the keys IDNA 2003 stored for those addresses under another domain
    (`user@straße.de` as `user@strasse.de`) move to their own form as well."""
    import time

    from app.migrate_addresses import migrate

    lines = known if known is not None else ()
    store = _store(write=not dry_run)
    if store.layout.sharded:
        # an address and its new form may be in two shards: no one script can move it
        raise BadInput("migrate-addresses works on unsharded state (BOUNCEKEEPER_SHARDS=1) only")
    report = migrate(store, int(time.time() * 1000), actor, dry_run, lines)
    if as_json:
        from dataclasses import asdict

        click.echo(json.dumps({"dry_run": dry_run, **asdict(report)}, ensure_ascii=False))
        return
    verb = "would move" if dry_run else "moved"
    for item in report.addresses:
        move = item.move
        click.echo(
            f"{verb} {item.old!r} -> {item.new}: suppression {move.suppression}, "
            f"contact {move.contact}, sink failed entries {move.failed}"
        )
    for old, new in sorted(report.domains.items()):
        click.echo(f"{verb} domain counters {old!r} -> {new}")
    for why in sorted(report.invalid.values()):
        click.echo(f"left as is: {why}")
    for old, claims in sorted(report.ambiguous.items()):
        click.echo(f"left as is, ambiguous: {old!r} may be any of {', '.join(claims)}")
    for why in sorted(report.unknown.values()):
        click.echo(f"--known line skipped: {why}", err=True)
    click.echo(
        f"{report.examined} addresses examined: {len(report.addresses)} {verb}, "
        f"{report.domain_keys} domain counters {verb}, {len(report.invalid)} left as they are "
        "(no valid address or domain under the new rules)"
    )


@main.group("policy")
def policy_group() -> None:
    """Preview and apply a policy change against the current state."""


def _show(report) -> None:
    click.echo(f"contacts examined:  {report.contacts}")
    click.echo(f"would suppress:     {report.count('suppress')}")
    click.echo(f"would unsuppress:   {report.count('unsuppress')}")
    click.echo(f"unchanged:          {report.unchanged}")
    for change in report.changes[:20]:
        click.echo(f"  {change.op:<10} {change.email} ({change.source})")
    if len(report.changes) > 20:
        click.echo(f"  ... and {len(report.changes) - 20} more")


@policy_group.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="every change as JSON, not the first 20")
def policy_check(file: str, as_json: bool) -> None:
    """Show how many contacts FILE's policy would change, without changing anything."""
    from dataclasses import asdict

    from app import reevaluate

    report = reevaluate.plan(_store(), _policy(file))
    if as_json:
        click.echo(json.dumps(asdict(report)))
        return
    _show(report)


@policy_group.command("apply")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", default="cli", show_default=True)
@click.option("--yes", is_flag=True, help="apply without asking")
@click.option("--json", "as_json", is_flag=True, help="the plan and the count applied as JSON")
def policy_apply(file: str, actor: str, yes: bool, as_json: bool) -> None:
    """Re-evaluate every contact under FILE's policy and apply the changes (audited)."""
    from dataclasses import asdict

    from app import reevaluate

    if as_json and not yes:
        raise click.UsageError("--json needs --yes (there is no prompt to answer)")
    store, policy = _store(write=True), _policy(file)
    report = reevaluate.plan(store, policy)
    if not as_json:
        _show(report)
    if not report.changes and not as_json:
        return
    if not yes:
        click.confirm(f"apply {len(report.changes)} changes?", abort=True)
    done = sum(1 for _ in reevaluate.apply(store, policy, report, actor))
    if as_json:
        click.echo(json.dumps({**asdict(report), "applied": done}))
        return
    click.echo(f"applied {done} changes; deploy the same rules file to the workers")


@main.command("stats")
@click.option("--days", default=7, show_default=True, help="how many days back, today included")
@click.option("--top", default=10, show_default=True, help="how many recipient domains")
@click.option("--json", "as_json", is_flag=True, help="print the API's JSON instead of tables")
def stats_command(days: int, top: int, as_json: bool) -> None:
    """Applied events per day by category, and totals by code, provider and domain."""
    import time

    from rich.console import Console

    from app import stats

    try:
        report = stats.collect(_store(), days, int(time.time() * 1000), top)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if as_json:
        click.echo(json.dumps(stats.as_dict(report)))
        return
    console = Console()
    for table in stats_tables(report):
        console.print(table)


def stats_tables(report: StatsReport) -> list[Table]:
    """The report as rich tables: per day by category, then totals per dimension. They fit 80
    columns: the categories of a day are one folding cell (a column each would cut the date
    column), and dates and counts never wrap."""
    from rich.table import Table

    from app import stats

    categories = list(report.total("by_category"))
    per_day = Table(title="Events per day and category")
    per_day.add_column("day", no_wrap=True, min_width=10)
    per_day.add_column("events", no_wrap=True, justify="right")
    per_day.add_column("by category")
    for day in report.days:
        counts = [f"{c}={day.by_category[c]}" for c in categories if day.by_category.get(c)]
        per_day.add_row(stats.day_iso(day.day), str(day.total), "  ".join(counts))
    tables = [per_day]
    for title, rows in (
        ("By code", report.total("by_code").items()),
        ("By provider", report.total("by_provider").items()),
        ("Top recipient domains", report.top_domains),
        ("Sender-side rejections by domain", report.top_sender_side),
    ):
        table = Table(title=title)
        table.add_column("name", overflow="fold")
        table.add_column("events", no_wrap=True, justify="right")
        for name, count in rows:
            table.add_row(name, str(count))
        tables.append(table)
    return tables


@main.command("sync")
@click.argument("sink")
@click.option("--full", is_flag=True, help="push the whole current list, not only changes")
@click.option("--diff", is_flag=True, help="only report where SINK's list and ours differ")
@click.option("--json", "as_json", is_flag=True, help="print the outcome as JSON")
def sync_command(sink: str, full: bool, diff: bool, as_json: bool) -> None:
    """Sync SINK now, in the foreground: its pending changes, or with --full every current
    suppression (first connection, or repair after the change log was trimmed); --diff
    compares SINK's list with ours and changes nothing. `sync status` shows every sink's
    lag, last success and current error (as `GET /api/v1/sync`) and syncs nothing."""
    from app import sinks
    from app.config import ConfigError, Settings
    from app.store.sync import SyncStore
    from app.sync import failed_count, full_sync, sync_sink

    if sink == "status":
        if full or diff:
            raise click.UsageError("`sync status` takes neither --full nor --diff")
        _sync_status(as_json)
        return
    if full and diff:
        raise click.UsageError("--full and --diff exclude each other")

    try:
        settings = Settings.from_env()
        if sink not in settings.sink_names:
            raise ConfigError(f"{sink!r} is not in BOUNCEKEEPER_SINKS")
        target = sinks.build(sink, settings.sink_options.get(sink, {}))
    except ConfigError as exc:
        raise BadInput(str(exc)) from None
    store = SyncStore(_store(write=not diff))
    if diff:
        _show_drift(store, target, as_json)
        return
    lease_ms = settings.sync_lease_seconds * 1000
    try:
        if full:
            result = full_sync(store, target, lease_ms=lease_ms)
        else:
            backoff = settings.sync_backoff_max_seconds
            result = sync_sink(store, target, lease_ms=lease_ms, backoff_cap_s=backoff)
    except sinks.SinkError as exc:
        raise click.ClickException(f"{sink}: {sinks.scrub(target, str(exc))}") from None
    failed = failed_count(store, sink)
    if as_json:
        outcome = {"sink": sink, "status": result.status, "pushed": result.pushed,
                   "batches": result.batches, "error": result.error or None,
                   "retry_in": result.retry_in if result.error else None,
                   "failed_entries": failed}  # fmt: skip
        click.echo(json.dumps(outcome))
        sys.exit(0 if result.status in ("caught_up", "more") else 1)
    click.echo(f"{sink}: {result.status}, {result.pushed} pushed in {result.batches} batches")
    if result.error:
        click.echo(f"{sink}: {result.error}; next try in {result.retry_in:.1f} s", err=True)
    if failed:
        click.echo(
            f"{sink}: {failed} addresses refused (redis-cli HGETALL "
            f"{' '.join(part.failed_key(sink) for part in store.parts())})"
        )
    if result.status not in ("caught_up", "more"):
        sys.exit(1)


def _sync_status(as_json: bool) -> None:
    """Each configured sink's state, one block of lines each (fits 80 columns)."""
    import time

    from app import sync
    from app.store.sync import SyncStore

    settings = cli_settings()
    found = sync.status(settings, SyncStore(_store()), int(time.time() * 1000))
    if as_json:
        click.echo(json.dumps({"sinks": found}))
        return
    if not found:
        click.echo("no sinks configured (BOUNCEKEEPER_SINKS)")
    for name, state in found.items():
        more = "+" if state["lag_capped"] else ""
        failures = state["failures_in_a_row"]
        failing = f", FAILING ({failures} in a row)" if failures else ""
        click.echo(
            f"{name}: {state['lag_entries']}{more} changes behind "
            f"({state['lag_seconds']:.0f} s){failing}"
        )
        click.echo(f"  last success  {state['last_success'] or 'never'}")
        click.echo(f"  pushed        {state['accepted']} accepted, {state['rejected']} rejected, "
                   f"{state['failed_entries']} refused addresses")  # fmt: skip
        if state["failures_in_a_row"]:
            click.echo(f"  error         {state['last_error']} (at {state['last_error_at']})")
            click.echo(f"  next try      {state['retry_at']}")


def _show_drift(store: SyncStore, target: Sink, as_json: bool) -> None:
    from app import sinks
    from app.sync import drift

    if not isinstance(target, sinks.Listing):
        raise click.ClickException(f"{target.name}: this sink cannot list its suppressions")
    try:
        found = drift(store.store.suppressed_emails(), target.suppressed())
    except sinks.SinkError as exc:
        raise click.ClickException(f"{target.name}: {sinks.scrub(target, str(exc))}") from None
    if as_json:
        body = {"sink": target.name, "only_ours": found.only_ours, "only_theirs": found.only_theirs}
        click.echo(json.dumps(body))
        return
    click.echo(
        f"{target.name}: {len(found.only_ours)} suppressed here only, "
        f"{len(found.only_theirs)} at the sink only"
    )
    for label, emails in (("here only", found.only_ours), ("sink only", found.only_theirs)):
        if emails:
            more = f" (and {len(emails) - 20} more)" if len(emails) > 20 else ""
            click.echo(f"{label}: {', '.join(emails[:20])}{more}")


@main.command("heartbeat")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def heartbeat_command(as_json: bool) -> None:
    """Age of the last worker heartbeat, which beat schedules every 30 s and a worker writes.
    Exits 0 when it is within BOUNCEKEEPER_HEARTBEAT_MAX_AGE_SECONDS, 1 when it is older or
    none was recorded (beat or every worker is down): docker-compose's healthcheck of beat."""
    from app.cli_errors import EXIT_FOUND
    from app.store.reports import state_reading

    limit = cli_settings().heartbeat_max_age_seconds
    age = state_reading(_store()).heartbeat_age_s
    fresh = age is not None and age <= limit
    if as_json:
        click.echo(json.dumps({"heartbeat_age_s": age, "max_age_s": limit, "fresh": fresh}))
    elif age is None:
        click.echo("no heartbeat recorded")
    else:
        click.echo(
            f"last heartbeat {age:.0f} s ago ({'ok' if fresh else 'STALE'}, limit {limit} s)"
        )
    sys.exit(0 if fresh else EXIT_FOUND)


@main.command("run")
@click.option("--port", envvar="PORT", default=8000, show_default=True, help="web port")
def run_command(port: int) -> None:
    """Start web, worker, sync worker and beat; with no REDIS_URL, on an embedded Redis under
    ./var/."""
    from app.devstack import run

    sys.exit(run(port))


for _command in (*COMMANDS, deadletter_group, ingest_mail_command):
    main.add_command(_command)
