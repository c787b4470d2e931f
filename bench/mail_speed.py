"""Messages per second through the email parser and the classifier on one core, against a
baseline from the same run: merely `email.message_from_bytes` of the same messages.

    .venv/bin/python -m bench.mail_speed [--rounds N] [--repeat N]

The messages are the labelled set of tests/fixtures/mail/ (327 bounces, complaints,
auto-replies and non-bounces from many MTAs). The measured path is what the worker runs per
message: `parse_message`, `to_events`, and `app.ingest.plan` (classify + policy decision) for
every event. Each round runs both over every message `--repeat` times; the best round of each
is reported, timed in this process's CPU time (single-threaded work: CPU time is time on one
core, and a neighbour holding the core stops the clock instead of inflating it).
"""

from __future__ import annotations

import argparse
import email
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.ingest import plan
from app.mail import parse_message, to_events
from app.policy import Policy
from bench.mail_corpus import load

RECEIVED_MS = 1_790_000_000_000


def _best_rate(
    work: Callable[[bytes], object], raws: list[bytes], rounds: int, repeat: int
) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(repeat):
            for raw in raws:
                work(raw)
        best = min(best, time.process_time() - started)
    return len(raws) * repeat / best


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    raws = [item.path.read_bytes() for item in load()]
    policy = Policy()

    def whole(raw: bytes) -> object:
        return [plan(event, policy) for event in to_events(parse_message(raw), RECEIVED_MS)]

    baseline = _best_rate(email.message_from_bytes, raws, args.rounds, args.repeat)
    measured = _best_rate(whole, raws, args.rounds, args.repeat)
    size = sum(len(raw) for raw in raws) / len(raws)
    print(
        f"messages: {len(raws)} (mean {size / 1024:.1f} KiB), passes per round: {args.repeat},"
        f" rounds: {args.rounds}, best round, CPU time on one core"
    )
    print(f"email.message_from_bytes only:        {baseline:8.0f} messages/s")
    print(f"parse_message + to_events + classify: {measured:8.0f} messages/s")
    print(f"ratio (whole path / parsing alone):   {measured / baseline:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
