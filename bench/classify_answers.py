"""Every corpus record's answer, one line each, so that a change meant to leave every answer
alone (a speed-up of the engine) can be checked to: dump before, dump after, compare.

    .venv/bin/python -m bench.classify_answers > before.tsv
    ... change the classifier ...
    .venv/bin/python -m bench.classify_answers --against before.tsv

A line is file, record id (or line number), code, category, matched_by, grade, then the same
for explain()'s decisive step and settle step, so explain() is held to its answers too. Every
corpus is dumped: the labelled one (tests/fixtures/bounce_corpus/), the general-knowledge
probe and Sisimai's (../shared/corpus/). `--against` prints how many lines differ and the ids
of only the differing lines of the rule-writing part: the labelled check part, the blind probe
and Sisimai's held-out third are not to be read while rules are written (bench/labelled.py),
so their differences are only counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.classify import Evidence, classify, explain
from bench import corpus, labelled


def _records() -> Iterator[tuple[str, str, bool, Evidence]]:
    """(file, id, is kept from rule writers, evidence) for every record, in file order."""
    for path in sorted(labelled.CORPUS_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    record = json.loads(line)
                    check = labelled.part_of(record) == "check"
                    yield path.name, record["id"], check, labelled.evidence(record)
    for record in labelled.load_probe():
        yield labelled.PROBE_PATH.name, record["id"], True, labelled.evidence(record)
    with corpus.DEFAULT_PATH.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                record = json.loads(line)
                held_out = corpus.is_holdout(record)
                yield "shared/sisimai.jsonl", str(number), held_out, corpus.evidence(record)


def answers() -> Iterator[tuple[str, bool]]:
    """(answer line, is kept from rule writers) for every record."""
    for name, ident, check, evidence in _records():
        verdict = classify(evidence)
        steps = explain(evidence)
        decisive = next(step for step in steps if step.code is not None)
        settle = steps[-1] if steps[-1].layer == "settle" else None
        fields = [
            name,
            ident,
            str(verdict.code),
            verdict.category.value,
            verdict.matched_by,
            verdict.grade.value,
            f"{decisive.layer}:{decisive.matched}:{decisive.code}:{decisive.grade.value}",
            "" if settle is None else f"{settle.matched}:{settle.code}:{settle.grade.value}",
        ]
        yield "\t".join(fields), check


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="an earlier dump to compare with")
    args = parser.parse_args(argv)
    if args.against is None:
        for line, _ in answers():
            print(line)
        return 0
    before = args.against.read_text(encoding="utf-8").splitlines()
    now = list(answers())
    if len(before) != len(now):
        print(f"{len(before)} lines before, {len(now)} now: not the same records")
        return 1
    differing = {"rules": [], "check": []}
    for old, (new, check) in zip(before, now, strict=True):
        if old != new:
            differing["check" if check else "rules"].append(new.split("\t", 2)[:2])
    for name, ident in differing["rules"]:
        print(f"differs: {name} {ident}")
    print(
        f"{len(now)} records; differing: {len(differing['rules'])} rule-writing part, "
        f"{len(differing['check'])} check part, probe or held out"
    )
    return 1 if differing["rules"] or differing["check"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
