"""The `bouncekeeper` command."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from app.classify import Evidence, classify
from app.policy import Policy

_EVIDENCE_KEYS = ("smtp_code", "enhanced_code", "diagnostic", "provider_reason", "bounce_type")


@click.group()
def main() -> None:
    """bouncekeeper: bounce webhooks in, a correct suppression list out."""


def classify_record(record: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """One classify-contract output object for one input object."""
    evidence = Evidence(
        **{key: _text(record.get(key)) for key in _EVIDENCE_KEYS},
        provider=_text(record.get("provider")),
    )
    verdict = classify(evidence)
    action = policy.action_for_code(verdict.code)
    return {
        **record,
        "code": verdict.code,
        "category": str(verdict.category),
        "action": str(action.kind),
        "weight": action.weight,
        "matched_by": verdict.matched_by,
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def run_classify(lines: TextIO, out: TextIO, err: TextIO) -> int:
    """Classify JSON Lines; a bad line yields an `error` object in its place, so output line N
    still answers input line N, and the exit status is 1."""
    policy, failed = Policy(), False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            result = classify_record(record, policy)
        except ValueError as exc:
            failed = True
            err.write(f"line {number}: {exc}\n")
            result = {"error": str(exc), "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failed else 0


@main.command("classify")
def classify_command() -> None:
    """Classify bounces: JSON Lines on stdin, one JSON line per input on stdout.

    Each input object may have smtp_code, enhanced_code, diagnostic, provider_reason,
    bounce_type and provider; every other key is carried through untouched.
    """
    sys.exit(run_classify(sys.stdin, sys.stdout, sys.stderr))


@main.command("run")
@click.option("--port", envvar="PORT", default=8000, show_default=True, help="web port")
def run_command(port: int) -> None:
    """Start web, worker and beat; with no REDIS_URL, on an embedded Redis under ./var/."""
    from app.devstack import run

    sys.exit(run(port))
