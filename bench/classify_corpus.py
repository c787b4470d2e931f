"""Agreement of the classifier with Sisimai's labels over the Sisimai corpus.

    .venv/bin/python bench/classify_corpus.py [path/to/sisimai.jsonl]

Prints code and category agreement for the whole corpus, the rule-writing two thirds and the
held-out third, the same against the strict one-code-per-reason mapping, what the classifier
said to the records reported apart, a confusion table (expected code -> our codes) and every
disagreement group with its count in the held-out third. The reason -> codes mapping is
bench/corpus.py's REASON_CODES, argued in docs/CLASSIFICATION.md.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import DEFAULT_PATH, Score, is_holdout, load, score


def _summary(name: str, result: Score) -> str:
    return (
        f"| {name} | {result.total} | {result.category_agree} ({result.category_rate:.1%}) "
        f"| {result.code_agree} ({result.code_rate:.1%}) |"
    )


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    records = load(path)
    parts = {
        "all": records,
        "rules (2/3)": [r for r in records if not is_holdout(r)],
        "holdout (1/3)": [r for r in records if is_holdout(r)],
    }
    results = {name: score(part) for name, part in parts.items()}
    print(f"corpus: {path} ({len(records)} records)\n")
    print("| part | bounces scored | category agreement | code agreement |")
    print("|---|---|---|---|")
    for name, result in results.items():
        print(_summary(name, result))
    print("\nthe same classifier against the strict mapping (one code per reason, all scored):\n")
    print("| part | bounces scored | category agreement | code agreement |")
    print("|---|---|---|---|")
    for name, part in parts.items():
        print(_summary(name, score(part, strict=True)))
    overall = results["all"]
    print("\nnot bounces, and Sisimai's undecided (reported apart, not scored):")
    for (reason, code), count in sorted((overall.not_bounces + overall.unlabelled).items()):
        print(f"  {reason:9} -> classifier said {code} x{count}")
    print("\nconfusion (expected code -> our codes):")
    rows: dict[int, dict[int, int]] = defaultdict(dict)
    for (expected, ours), count in overall.confusion.items():
        rows[expected][ours] = count
    for expected in sorted(rows):
        cells = ", ".join(f"{ours}:{n}" for ours, n in sorted(rows[expected].items()))
        print(f"  {expected} -> {cells}")
    print("\ndisagreements (reason, expected -> ours, matched_by, count; * = other category,")
    print("h = holdout records in the group):")
    held = score(parts["holdout (1/3)"]).misses
    for key, count in sorted(overall.misses.items()):
        reason, expected, ours, matched_by = key
        flag = " " if expected // 1000 == ours // 1000 else "*"
        print(f" {flag} {reason:15} {expected} -> {ours}  {matched_by:32} x{count} h{held[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
