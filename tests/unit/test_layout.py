"""The architecture's rules, checked on the source: domain modules stay pure, app/ never
imports tasks/, and the deployment files describe the same four processes."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ["app/taxonomy.py", "app/events.py", "app/addresses.py", "app/policy.py"]
DOMAIN += [str(p.relative_to(ROOT)) for p in (ROOT / "app/classify").glob("*.py")]
DOMAIN += [str(p.relative_to(ROOT)) for p in (ROOT / "app/mail").glob("*.py")]
FORBIDDEN_IN_DOMAIN = {"flask", "celery", "redis", "kombu", "marshmallow", "werkzeug"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_modules_import_no_framework(module):
    assert not imported_roots(ROOT / module) & FORBIDDEN_IN_DOMAIN


def test_app_never_imports_tasks():
    offenders = [p for p in (ROOT / "app").rglob("*.py") if "tasks" in imported_roots(p)]
    assert offenders == []


def test_redis_keys_are_only_built_in_the_store():
    pattern = re.compile(r"""f?["'](bk|\{self\.prefix\}):""")
    offenders = [
        p
        for p in (ROOT / "app").rglob("*.py")
        if "store" not in p.relative_to(ROOT).parts and pattern.search(p.read_text())
    ]
    assert offenders == []


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_procfile_has_the_four_processes():
    processes = procfile()
    assert set(processes) == {"web", "worker", "sync", "beat"}
    assert "$PORT" in processes["web"] or "${PORT" in processes["web"]
    assert "tasks.worker worker" in processes["worker"]
    assert "-Q" not in processes["worker"]  # the default queue: webhooks and the heartbeat
    assert "tasks.worker worker -Q sync" in processes["sync"]
    assert "tasks.worker beat" in processes["beat"]


def test_compose_runs_redis_with_aof_on_a_named_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"redis", "web", "worker", "sync", "beat"} <= set(services)
    assert "-Q sync" in " ".join(services["sync"]["command"])
    assert "--appendonly" in services["redis"]["command"]
    volume = services["redis"]["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    for name in ("web", "worker", "sync", "beat"):
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_console_script_is_installed():
    exe = shutil.which("bouncekeeper") or str(Path(__file__).parents[2] / ".venv/bin/bouncekeeper")
    result = subprocess.run(
        [exe, "classify"], input='{"id": "x", "enhanced_code": "5.1.1"}\n', text=True,
        capture_output=True, check=True,
    )  # fmt: skip
    assert '"code": 2001' in result.stdout


def test_no_tracked_file_holds_a_merge_conflict_marker():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    marker = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)
    texts = [name for name in tracked if name.endswith((".py", ".md", ".toml", ".yml", ".txt"))]
    assert [name for name in texts if marker.search((ROOT / name).read_text())] == []


def test_gunicorn_conf_sets_the_metrics_directory_before_prometheus_client_loads():
    """prometheus-client picks single- or multi-process values once, when first imported.
    Importing app.gunicorn_conf imports the `app` package first: if that loaded
    prometheus-client (it did once app.queue imported app.broker, which imports app.metrics),
    a web started without PROMETHEUS_MULTIPROC_DIR answered /metrics for one process."""
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    code = (
        "import app.gunicorn_conf as conf\n"
        "from prometheus_client import values\n"
        "print(values.ValueClass.__name__)\n"
        "conf.on_exit(None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "MmapedValue"  # the multi-process kind
