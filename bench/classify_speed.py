"""Classifications per second on one core over the Sisimai corpus, against a baseline from the
same run: merely parsing the same JSON lines.

    .venv/bin/python bench/classify_speed.py [path/to/sisimai.jsonl] [--rounds N]

Each round parses every line (baseline), then classifies every record's evidence; the best
round of each is reported, so a noisy neighbour slows a round but not the figure. Rounds are
timed in this process's CPU time, not wall time: on a shared machine another process holding
the core stops the clock instead of inflating it, and the work is single-threaded, so CPU time
is time on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.classify import classify
from bench.corpus import DEFAULT_PATH, evidence

REPEAT = 50  # passes over the corpus per timed round, so one round lasts long enough to time


def _best_rate(work: object, items: list, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(REPEAT):
            for item in items:
                work(item)  # type: ignore[operator]
        best = min(best, time.process_time() - started)
    return len(items) * REPEAT / best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    lines = [line for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()]
    evidences = [evidence(json.loads(line)) for line in lines]
    parse_rate = _best_rate(json.loads, lines, args.rounds)
    classify_rate = _best_rate(classify, evidences, args.rounds)
    print(f"records: {len(lines)}, passes per round: {REPEAT}, rounds: {args.rounds}")
    print(f"json.loads:  {parse_rate:12,.0f} lines/s")
    print(f"classify():  {classify_rate:12,.0f} classifications/s")
    print(f"ratio classify/parse: {classify_rate / parse_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
