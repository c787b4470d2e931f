"""Webhook ingest under load: the real view beside three baselines, all in the same run.

Each app is served by gunicorn with the same settings on loopback and driven by `wrk` with 32
connections, for 1-event and 50-event ZeptoMail payloads, the apps taking turns for several
rounds (in reverse order every other round) so that a load spike on a shared machine hits
them all alike; the table shows medians, and the ratio to the raw-LPUSH view is also given
round by round (the two run close together in every round).
A private redis-server is the broker for all of them, so nothing else is measured. Nothing
consumes the queue: this is the web's cost up to the 202.

    .venv/bin/python -m bench.ingest_bench [--duration 10] [--rounds 3] [--connections 32]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from bench.private_redis import free_port, start_redis
from tests.helpers import sample_payload

APPS = {  # name: (label in the table, gunicorn target)
    "noop": ("noop (framework ceiling)", "bench.baseline_apps:noop_app()"),
    "lpush": ("raw LPUSH (queue ceiling)", "bench.baseline_apps:lpush_app()"),
    "naive": ("naive validate + delay() per event", "bench.baseline_apps:naive_app()"),
    "bouncekeeper": ("bouncekeeper", "app:create_app()"),
}
SECRET = "bench-secret"  # noqa: S105 - a throwaway server on loopback
MEASURES = ("rps", "p50", "p99", "cpu_us")
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {secret}"
local f = io.open("{body}", "rb")
wrk.body = f:read("*a")
f:close()
"""


def payload(events: int) -> bytes:
    base = sample_payload()
    item = base["data"][0]
    items = []
    for n in range(events):
        one = copy.deepcopy(item)
        one["contact_email"] = f"user{n}@example{n % 7}.com"
        items.append(one)
    base["data"] = items
    return json.dumps(base).encode()


def serve(
    target: str, port: int, env: dict[str, str], workers: int, threads: int | None
) -> subprocess.Popen:
    """Every app with the production settings (app/gunicorn_conf.py: gthread), so the
    baselines and bouncekeeper differ only in their views."""
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
        *(["--threads", str(threads)] if threads else []), target,
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}/"], check=False
        )
        if probe.returncode == 0:
            return process
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start {target}")


def parse_wrk(output: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def cpu_seconds(app: subprocess.Popen, broker: redis.Redis) -> float:
    """CPU used so far by the app's gunicorn processes and by the Redis server: what a request
    costs the machine apart from wrk, moved less than req/s by a VM that is throttled."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{app.pid}/task/{app.pid}/children").read_text().split()
    total = 0.0
    for pid in [app.pid, *map(int, children)]:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    cpu = broker.info("cpu")
    return total + cpu["used_cpu_user"] + cpu["used_cpu_sys"]


def run_wrk(
    port: int, script: Path, duration: int, connections: int, app: subprocess.Popen,
    broker: redis.Redis,
) -> dict[str, float]:  # fmt: skip
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
        f"http://127.0.0.1:{port}/webhooks/zeptomail",
    ]  # fmt: skip
    before = cpu_seconds(app, broker)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    used = cpu_seconds(app, broker) - before
    result = parse_wrk(output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    result["cpu_us"] = used / requests * 1e6 if requests else float("nan")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs per app")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, help="default: app/gunicorn_conf.py's")
    parser.add_argument("--batches", default="1,50")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    redis_port = free_port()
    server = start_redis(redis_port, workdir)
    url = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        **os.environ,
        "BENCH_REDIS_URL": url,
        "REDIS_URL": url,
        "BOUNCEKEEPER_ZEPTOMAIL_SECRET": SECRET,
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
    }
    print(f"# {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"# wrk -t2 -c{args.connections} -d{args.duration}s, {args.rounds} rounds with the apps "
        f"interleaved, medians shown; gunicorn -c python:app.gunicorn_conf (gthread), "
        f"{args.workers} workers x {args.threads or 'its'} threads"
    )
    print(
        "| app | events/request | req/s | events/s | p50 ms | p99 ms | CPU µs/request | non-2xx |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    client = redis.Redis.from_url(url)
    ports = {name: free_port() for name in APPS}
    processes = {
        name: serve(target, ports[name], env, args.workers, args.threads)
        for name, (_, target) in APPS.items()
    }
    ratios = []
    try:
        for events in (int(n) for n in args.batches.split(",")):
            body = workdir / f"body{events}.json"
            body.write_bytes(payload(events))
            script = workdir / f"post{events}.lua"
            script.write_text(WRK_SCRIPT.format(secret=SECRET, body=body))
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in APPS}
            for round_number in range(args.rounds):
                # every other round in reverse, so that no app always runs last, when a VM
                # that throttles under sustained load is slowest
                order = list(ports.items())
                for name, port in order if round_number % 2 == 0 else reversed(order):
                    runs[name].append(
                        run_wrk(
                            port, script, args.duration, args.connections, processes[name], client
                        )
                    )
                    client.flushdb()
            medians = {}
            for name, results in runs.items():
                median = {key: statistics.median(r[key] for r in results) for key in MEASURES}
                medians[name] = median["rps"]
                non2xx = sum(r["non2xx"] for r in results)
                print(
                    f"| {APPS[name][0]} | {events} | {median['rps']:.0f} "
                    f"| {median['rps'] * events:.0f} | {median['p50']:.1f} | {median['p99']:.1f} "
                    f"| {median['cpu_us']:.0f} | {non2xx} |",
                    flush=True,
                )
            ours = medians["bouncekeeper"]
            paired = [
                mine["rps"] / theirs["rps"]
                for mine, theirs in zip(runs["bouncekeeper"], runs["lpush"], strict=True)
            ]
            ratios.append(
                f"{events} event(s): bouncekeeper/raw LPUSH {ours / medians['lpush']:.2f} "
                f"(medians), {statistics.median(paired):.2f} (median of the rounds' ratios: "
                f"{', '.join(f'{r:.2f}' for r in paired)}); /naive {ours / medians['naive']:.2f}, "
                f"/noop {ours / medians['noop']:.2f}"
            )
            cpu = {name: statistics.median(r["cpu_us"] for r in runs[name]) for name in APPS}
            ratios.append(
                f"{events} event(s), CPU per request (gunicorn processes + Redis, medians): raw "
                f"LPUSH's / bouncekeeper's {cpu['lpush'] / cpu['bouncekeeper']:.2f}, the req/s "
                f"ratio the two would have on equal CPU"
            )
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(timeout=20)
        server.terminate()
        server.wait(timeout=10)
    print()
    for line in ratios:
        print(line)


if __name__ == "__main__":
    main()
