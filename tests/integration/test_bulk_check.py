"""`POST /api/v1/suppressions/check` and `bouncekeeper check-bulk` on a real Redis: which of
many addresses may not be mailed, in one request."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from app import create_app
from app.cli import main
from app.ingest import apply_events
from app.policy import Policy
from app.providers import generic
from app.store import Store
from app.suppressions import MAX_CHECK
from tests.helpers import BASE_MS, sample_payload
from tests.integration.test_admin_api import ingest
from tests.providers import generic_event

READ = {"Authorization": "Bearer read-token"}
CHECK = "/api/v1/suppressions/check"


@pytest.fixture
def app(settings, state):
    return create_app(replace(settings, api_read_tokens="read-token"))


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


def complain(store: Store, email: str) -> None:
    item = generic.EventSchema().load(generic_event("complaint", email, BASE_MS))
    events = generic.parse({"events": [item]}, BASE_MS)
    apply_events(events, store, Policy(), BASE_MS)


@pytest.fixture
def suppressed(store):
    """john.doe@zylker.com (seed 004's hard bounce), a complaint and a manual suppression."""
    ingest(store, sample_payload())
    complain(store, "angry@example.com")
    store.suppress({"email": "ann@xn--bcher-kva.de", "source": "manual"}, "t", "r", BASE_MS)


GIVEN = [
    " John.Doe@Zylker.com",
    "free@example.com",
    "not-an-address",
    "angry@example.com",
    "ann@Bücher.de",
    "john.doe@zylker.com",
]


def expected_suppressed() -> list[dict]:
    since = "2026-03-02T09:00:00.000+00:00"
    john = {"normalized": "john.doe@zylker.com", "code": 2002, "category": "permanent",
            "source": "hard"}  # fmt: skip
    return [
        {"email": " John.Doe@Zylker.com", **john},
        {"email": "angry@example.com", "normalized": "angry@example.com", "code": None,
         "category": "complaint", "source": "complaint", "since": since},
        {"email": "ann@Bücher.de", "normalized": "ann@xn--bcher-kva.de", "code": None,
         "category": None, "source": "manual", "since": since},
        {"email": "john.doe@zylker.com", **john},
    ]  # fmt: skip


def without_john_since(items: list[dict]) -> list[dict]:
    """john's `since` is when the sample was applied (its evidence time is the sample's)."""
    return [{k: v for k, v in item.items() if not (k == "since" and "john" in
             item["normalized"])} for item in items]  # fmt: skip


def test_json_check_lists_the_suppressed_ones_as_given_and_the_invalid(client, suppressed):
    response = client.post(CHECK, headers=READ, json={"emails": GIVEN})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["checked"] == 6
    assert without_john_since(body["suppressed"]) == without_john_since(expected_suppressed())
    assert body["suppressed"][0]["since"].endswith("+00:00")
    assert body["invalid"] == [
        {"email": "not-an-address", "error": "not an email address: 'not-an-address'"}
    ]


def test_text_check_reads_one_address_a_line(client, suppressed):
    text = "\r\n".join([*GIVEN, "", "   "]) + "\r\n"
    response = client.post(
        CHECK, headers=READ, data=text.encode(), content_type="text/plain; charset=utf-8"
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["checked"] == 6
    assert [item["email"] for item in body["suppressed"]] == [
        "John.Doe@Zylker.com", "angry@example.com", "ann@Bücher.de", "john.doe@zylker.com",
    ]  # fmt: skip
    assert [item["email"] for item in body["invalid"]] == ["not-an-address"]


def test_nothing_suppressed_is_an_empty_list(client, store):
    response = client.post(CHECK, headers=READ, json={"emails": ["a@example.com"]})
    assert response.get_json() == {"checked": 1, "suppressed": [], "invalid": []}


def test_ten_thousand_addresses_in_one_request(client, store):
    emails = [f"user{n}@example{n % 7}.com" for n in range(MAX_CHECK)]
    for n in range(0, MAX_CHECK, 1000):
        store.suppress({"email": emails[n], "source": "manual"}, "t", "r", BASE_MS)
    response = client.post(CHECK, headers=READ, json={"emails": emails})
    assert response.status_code == 200
    body = response.get_json()
    assert body["checked"] == MAX_CHECK
    assert [item["email"] for item in body["suppressed"]] == emails[::1000]


@pytest.mark.parametrize(
    "send",
    [
        {"json": {"emails": [f"u{n}@example.com" for n in range(MAX_CHECK + 1)]}},
        {"data": "\n".join(f"u{n}@example.com" for n in range(MAX_CHECK + 1)),
         "content_type": "text/plain"},
        {"data": "x" * (MAX_CHECK * 400), "content_type": "text/plain"},
    ],
)  # fmt: skip
def test_over_the_limit_is_413(client, store, send):
    response = client.post(CHECK, headers=READ, **send)
    assert response.status_code == 413
    assert "10,000" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("send", "says"),
    [
        ({"json": {}}, "emails"),
        ({"json": {"emails": "a@example.com"}}, "emails"),
        ({"json": {"emails": ["a@example.com", 7]}}, "emails"),
        ({"json": {"emails": [], "emials": []}}, "emials"),
        ({"json": ["a@example.com"]}, "JSON object"),
        ({"data": "{", "content_type": "application/json"}, "not JSON"),
        ({"data": b"\xff@example.com", "content_type": "text/plain"}, "not UTF-8"),
    ],
)
def test_bad_bodies_are_400_naming_the_problem(client, store, send, says):
    response = client.post(CHECK, headers=READ, **send)
    assert response.status_code == 400
    assert says in response.get_json()["error"]["message"]
    assert "_schema" not in json.dumps(response.get_json())


def test_other_media_types_are_415(client, store):
    response = client.post(CHECK, headers=READ, data="a@b.c", content_type="text/csv")
    assert response.status_code == 415
    assert "text/plain" in response.get_json()["error"]["message"]


def test_check_needs_a_token(client, store):
    assert client.post(CHECK, json={"emails": []}).status_code == 401


@pytest.fixture
def run(settings):
    def invoke(*args: str, input: str | bytes | None = None):
        return CliRunner().invoke(main, list(args), env={"REDIS_URL": settings.redis_url},
                                  input=input)  # fmt: skip

    return invoke


def test_cli_check_bulk_streams_a_file(run, suppressed, tmp_path, monkeypatch):
    monkeypatch.setattr("app.cli_suppressions.CHECK_BATCH", 2)  # several batches
    path = tmp_path / "list.txt"
    path.write_text("\n".join(GIVEN) + "\n", encoding="utf-8")
    done = run("check-bulk", str(path))
    assert done.exit_code == 1, done.output
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert [(row[0], row[1], row[2], row[4]) for row in rows] == [
        ("John.Doe@Zylker.com", "john.doe@zylker.com", "2002", "hard"),
        ("angry@example.com", "angry@example.com", "", "complaint"),
        ("ann@Bücher.de", "ann@xn--bcher-kva.de", "", "manual"),
        ("john.doe@zylker.com", "john.doe@zylker.com", "2002", "hard"),
    ]
    assert "line 3: not an email address: 'not-an-address'" in done.stderr
    assert "checked 6: 4 suppressed, 1 invalid" in done.stderr


def test_cli_check_bulk_reads_stdin_as_json_lines(run, suppressed):
    done = run("check-bulk", "-", "--json", input="free@example.com\nangry@example.com\n")
    assert done.exit_code == 1
    assert [json.loads(line) for line in done.stdout.splitlines()] == [
        {"line": 2, "email": "angry@example.com", "normalized": "angry@example.com",
         "code": None, "category": "complaint", "source": "complaint",
         "since": "2026-03-02T09:00:00.000+00:00"},
    ]  # fmt: skip


def test_cli_check_bulk_exits_0_when_all_may_be_mailed(run, store):
    done = run("check-bulk", "-", input="free@example.com\n")
    assert (done.exit_code, done.stdout) == (0, "")
