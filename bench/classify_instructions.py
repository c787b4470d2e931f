"""Instructions per classification, counted by callgrind over the classification loop alone.

    .venv/bin/python -m compileall -q app bench
    PYTHONHASHSEED=0 PYTHONPATH=$PWD valgrind --tool=callgrind --dump-before=builtin_vars \\
        --callgrind-out-file=/tmp/cg.out .venv/bin/python bench/classify_instructions.py 2
    grep summary: $(ls /tmp/cg.out.* | sort -t. -k3 -n | tail -1)   # then divide by 2 x 591

Importing app.classify builds thousands of patterns and costs 150 times the loop, so
subtracting an import-only run leaves a small difference of two large, slightly noisy
counts. Here the loop sits between two vars() calls instead: with `--dump-before=builtin_vars`
callgrind writes a part file at each call (the import makes many of its own), and the last
numbered part is the loop and nothing else. Instruction counts repeat to a few hundredths of
a percent, where wall-clock rates on the shared 2-core machine vary by a fifth.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.classify import classify
from bench.corpus import DEFAULT_PATH, evidence


def main(argv: list[str]) -> int:
    passes = int(argv[0]) if argv else 2
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    evidences = [evidence(json.loads(line)) for line in lines if line.strip()]
    vars()  # callgrind's mark: the loop starts
    for _ in range(passes):
        for item in evidences:
            classify(item)
    vars()  # and ends
    print(f"records: {len(evidences)}, passes: {passes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
