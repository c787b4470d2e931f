"""The labelled development corpus (tests/fixtures/bounce_corpus/): loading, the split by
source, and the scores issue #14 asks for.

Every record was labelled by ../shared/CLASSIFICATION-RUBRIC.md before the classifier ran on
it (tests/fixtures/bounce_corpus/README.md). The split is by `group`, the record's source
document or MTA module, never by record: rules are written from the `rules` part only, and the
`check` part is what the figures are reported on, so a phrase family seen in one provider's
page is tested on other providers' wording.

Mailing-list managers' notices (Mailman's and Sympa's translated hold and reject messages) are
kept in the corpus but scored apart: they are what a list sends its poster, not what a
receiving server answers, and the issue's yardstick is server replies. The choice was made
before the classifier was run on them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import taxonomy
from app.classify import Classification, Evidence, classify
from app.policy import ActionKind, Policy

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "tests" / "fixtures" / "bounce_corpus"
# Replies written from general knowledge of MTAs, providers and filters (issue #14's fifth
# round), labelled before the classifier ran on them: a second yardstick beside the check part.
PROBE_PATH = ROOT / "tests" / "fixtures" / "probe_general.jsonl"
LIST_NOTICE_GROUPS = ("mailman2:", "sympa:")
PARTS = ("rules", "check")


def load(directory: Path = CORPUS_DIR, pattern: str = "*.jsonl") -> list[dict[str, Any]]:
    """Every record of every file matching `pattern`, in file order: one round's file alone
    gives that round's own blind figure, measured before rules are written from it."""
    records = []
    for path in sorted(directory.glob(pattern)):
        with path.open(encoding="utf-8") as lines:
            records += [json.loads(line) for line in lines if line.strip()]
    return records


def load_probe(path: Path = PROBE_PATH) -> list[dict[str, Any]]:
    """The general-knowledge probe's records, in file order."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def part_of(record: dict[str, Any]) -> str:
    """`check` for a third of the groups (a stable hash of the group), `rules` for the rest."""
    digest = hashlib.sha256(record["group"].encode()).digest()
    return "check" if int.from_bytes(digest[:8], "big") % 3 == 0 else "rules"


def is_list_notice(record: dict[str, Any]) -> bool:
    return record["group"].startswith(LIST_NOTICE_GROUPS)


def evidence(record: dict[str, Any]) -> Evidence:
    """The three fields the held-out evaluation feeds `bouncekeeper classify`."""
    return Evidence(
        smtp_code=record.get("smtp_code", ""),
        enhanced_code=record.get("enhanced_code", ""),
        diagnostic=record.get("diagnostic", ""),
    )


def _category(code: int) -> taxonomy.Category:
    return taxonomy.category_of(code)


@dataclass
class Score:
    """Issue #14's figures over one set of records, for one answerer."""

    total: int = 0
    category_right: int = 0
    exact: int = 0
    accepted: int = 0  # exact, or one of the record's listed alternatives
    dead: int = 0  # records labelled 2xxx
    dead_found: int = 0  # ...answered with a 2xxx code
    sender: int = 0  # records labelled 1xxx
    sender_found: int = 0  # ...answered with a 1xxx code
    suppressed_at_once: int = 0
    wrong_suppressions: int = 0  # suppressed at once, labelled other than 2xxx
    indefensible: int = 0  # ...and no listed alternative is 2xxx either
    misses: Counter[tuple[int, int, str]] = field(default_factory=Counter)

    def add(self, record: dict[str, Any], code: int, suppress: bool, why: str = "") -> None:
        expected, alt = record["expected"], record.get("alt", [])
        self.total += 1
        self.category_right += _category(code) == _category(expected)
        self.exact += code == expected
        self.accepted += code == expected or code in alt
        if expected // 1000 == 2:
            self.dead += 1
            self.dead_found += code // 1000 == 2
        if expected // 1000 == 1:
            self.sender += 1
            self.sender_found += code // 1000 == 1
        if suppress:
            self.suppressed_at_once += 1
            if expected // 1000 != 2:
                self.wrong_suppressions += 1
                self.indefensible += not any(a // 1000 == 2 for a in alt)
        if code != expected and code not in alt:
            self.misses[(expected, code, why)] += 1

    def rate(self, name: str) -> float:
        base = {"dead_found": self.dead, "sender_found": self.sender}.get(name, self.total)
        return getattr(self, name) / base if base else 0.0


def score(
    records: Iterable[dict[str, Any]],
    answer: Callable[[dict[str, Any]], tuple[int, bool, str]],
) -> Score:
    """The figures for `answer(record) -> (code, suppressed at once, why)`."""
    result = Score()
    for record in records:
        result.add(record, *answer(record))
    return result


def ours(policy: Policy | None = None) -> Callable[[dict[str, Any]], tuple[int, bool, str]]:
    """bouncekeeper's answer: the code, whether the default policy suppresses at once (which
    needs a permanent code on strong evidence), and the layer and rule that decided."""
    chosen = policy or Policy()

    def answer(record: dict[str, Any]) -> tuple[int, bool, str]:
        verdict: Classification = classify(evidence(record))
        action = chosen.action_for_code(verdict.code, verdict.grade)
        return verdict.code, action.kind is ActionKind.SUPPRESS, verdict.matched_by

    return answer
