"""`bouncekeeper check | suppress | import | export` against a real Redis, and that they agree
with the API."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from app.cli import main
from app.store import Store
from tests.helpers import BASE_MS, sample_payload, soft
from tests.integration.test_admin_api import ingest
from tests.integration.test_api_suppressions import GOOD_AND_BAD_CSV


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


@pytest.fixture
def run(settings):
    def invoke(*args: str, input: str | bytes | None = None):
        env = {"REDIS_URL": settings.redis_url}
        return CliRunner().invoke(main, list(args), env=env, input=input)

    return invoke


def test_suppress_then_check(run, store):
    done = run("suppress", "Ann@Example.com", "--reason", "asked by phone", "--code", "2001")
    assert done.exit_code == 0, done.output
    assert done.stdout == "suppressed ann@example.com (by cli: asked by phone)\n"
    record = store.suppression("ann@example.com")
    assert (record["source"], record["code"], record["matched_by"]) == ("manual", "2001",
                                                                       "operator:cli")  # fmt: skip
    again = run("suppress", "ann@example.com", "--reason", "x")
    assert again.exit_code == 1
    assert "already suppressed" in again.output
    shown = run("check", "ann@example.com")
    assert shown.exit_code == 1  # suppressed: may not be mailed
    assert "SUPPRESSED" in shown.stdout
    assert "asked by phone" in shown.stdout


def test_suppress_needs_a_reason_and_a_valid_address(run):
    assert run("suppress", "a@example.com").exit_code == 2
    blank = run("suppress", "a@example.com", "--reason", " ")
    assert (blank.exit_code, "reason is required" in blank.output) == (2, True)
    assert run("suppress", "nope", "--reason", "x").exit_code == 2


def test_check_json_matches_the_api(run, store, client):
    ingest(store, sample_payload())
    ingest(store, soft("soft@example.com", BASE_MS))
    headers = {"Authorization": "Bearer admin-token"}
    hard = json.loads(run("check", "John.Doe@zylker.com", "--json").stdout)
    api = client.get("/api/v1/suppressions/john.doe@zylker.com", headers=headers).get_json()
    assert hard["suppression"] == api
    soft_state = json.loads(run("check", "soft@example.com", "--json").stdout)
    assert soft_state["suppression"] is None
    api = client.get("/api/v1/contacts/soft@example.com", headers=headers).get_json()
    assert soft_state["contact"] == api
    free = run("check", "new@example.com")
    assert (free.exit_code, "not suppressed" in free.stdout) == (0, True)
    assert run("check", "John.Doe@zylker.com", "--json").exit_code == 1
    assert run("check", "new@example.com", "--json").exit_code == 0


def test_import_file_with_good_and_bad_rows(run, store, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(GOOD_AND_BAD_CSV)
    result = run("import", str(path), "--actor", "migration")
    assert result.exit_code == 1  # some rows were rejected
    assert "line 3: not an email address: 'not-an-address'" in result.stderr
    assert "line 9: code 'abc' is not a number" in result.stderr
    assert store.suppression("dave@example.com")["source"] == "import"
    assert store.audit_log(1)[0][1]["actor"] == "migration"


def test_import_json_lines_from_stdin_is_idempotent(run, store):
    lines = "".join(json.dumps({"email": f"u{n}@example.com"}) + "\n" for n in range(5))
    first = run("import", "-", "--format", "jsonl", input=lines)
    assert first.exit_code == 0, first.output
    assert len(list(store.suppressed_emails())) == 5
    again = run("import", "-", "--format", "jsonl", input=lines)
    assert again.exit_code == 0
    assert "already_suppressed │ 5" in again.stderr


def test_import_needs_a_format_it_can_tell(run, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("email\na@example.com\n")
    assert run("import", str(path)).exit_code == 2
    no_column = tmp_path / "bad.csv"
    no_column.write_text("address\na@example.com\n")
    result = run("import", str(no_column))
    assert (result.exit_code, "no `email` column" in result.output) == (2, True)


def test_export_csv_to_stdout_matches_the_api(run, store, client):
    ingest(store, sample_payload())
    run("suppress", "ann@example.com", "--reason", "by hand", "--code", "3001")
    result = run("export")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["email"] for row in rows] == ["ann@example.com", "john.doe@zylker.com"]
    api = client.get("/api/v1/suppressions/export", headers={"Authorization": "Bearer admin-token"})
    assert result.stdout_bytes == api.get_data()  # (`stdout` turns CRLF into LF)
    hard = run("export", "--format", "jsonl", "--source", "hard", "--since", "2000-01-01")
    assert [json.loads(line)["email"] for line in hard.stdout.splitlines()] == [
        "john.doe@zylker.com"
    ]


def test_stats_json_matches_the_api(run, store, client):
    ingest(store, sample_payload())
    shown = run("stats", "--json", "--days", "3")
    assert shown.exit_code == 0, shown.output
    headers = {"Authorization": "Bearer admin-token"}
    api = client.get("/api/v1/stats?days=3", headers=headers).get_json()
    assert json.loads(shown.stdout) == api
    assert api["days"]  # not an empty comparison


def test_writing_commands_print_json_as_the_api_answers(run, store, client, tmp_path):
    headers = {"Authorization": "Bearer admin-token"}
    done = run("suppress", "Eve@Example.com", "--reason", "asked", "--json")
    assert done.exit_code == 0, done.output
    api = client.get("/api/v1/suppressions/eve@example.com", headers=headers).get_json()
    assert json.loads(done.stdout) == api
    lifted = run("unsuppress", "eve@example.com", "--reason", "back", "--json")
    assert lifted.exit_code == 0, lifted.output
    assert json.loads(lifted.stdout) == {
        "email": "eve@example.com",
        "removed": True,
        "actor": "cli",
        "reason": "back",
    }
    path = tmp_path / "list.csv"
    path.write_text(GOOD_AND_BAD_CSV)
    imported = run("import", str(path), "--json")
    assert imported.exit_code == 1  # some rows were rejected
    report = json.loads(imported.stdout)
    assert report["rejected"] >= 2
    assert {"line": 3, "error": "not an email address: 'not-an-address'"}.items() <= report[
        "errors"
    ][0].items()
