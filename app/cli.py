"""The `bouncekeeper` command."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from app.classify import BUILT_IN, Evidence, TextRules, classify, explain
from app.classify import custom as custom_rules
from app.config import ENV_NAMES
from app.policy import Policy, policy_with_codes

_EVIDENCE_KEYS = ("smtp_code", "enhanced_code", "diagnostic", "provider_reason", "bounce_type")


@click.group()
def main() -> None:
    """bouncekeeper: bounce webhooks in, a correct suppression list out."""


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
    action = policy.action_for_code(verdict.code)
    result = {
        **record,
        "code": verdict.code,
        "category": str(verdict.category),
        "action": str(action.kind),
        "weight": action.weight,
        "matched_by": verdict.matched_by,
    }
    if with_explanation:
        result["explain"] = [
            {"layer": step.layer, "matched": step.matched, "code": step.code}
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
    policy, failed = policy_with_codes(rules.actions), False
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
        raise click.ClickException(str(exc)) from None
    sys.exit(run_classify(sys.stdin, sys.stdout, sys.stderr, rules, with_explanation))


@main.command("run")
@click.option("--port", envvar="PORT", default=8000, show_default=True, help="web port")
def run_command(port: int) -> None:
    """Start web, worker and beat; with no REDIS_URL, on an embedded Redis under ./var/."""
    from app.devstack import run

    sys.exit(run(port))
