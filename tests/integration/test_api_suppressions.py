"""The suppressions API end to end on a real Redis: scopes, list and filters, add, import,
export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from app import create_app
from app.store import Store
from tests.helpers import BASE_MS, sample_payload
from tests.integration.test_admin_api import ingest

ADMIN = {"Authorization": "Bearer admin-token"}
ADMIN_2 = {"Authorization": "Bearer second-admin"}
READ = {"Authorization": "Bearer read-token"}
BASE = "/api/v1/suppressions"


@pytest.fixture
def app(settings, state):
    return create_app(replace(settings, api_read_tokens="read-token, other-read",
                              api_admin_tokens="second-admin"))  # fmt: skip


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


def add(client, email, reason="asked to stop", **extra):
    return client.post(BASE, headers=ADMIN, json={"email": email, "reason": reason, **extra})


READS = [
    ("get", BASE),
    ("get", f"{BASE}/a@example.com"),
    ("get", f"{BASE}/export"),
    ("get", "/api/v1/contacts/a@example.com"),
    ("get", "/api/v1/alerts"),
]
WRITES = [
    ("post", BASE),
    ("delete", f"{BASE}/a@example.com"),
    ("post", f"{BASE}/import"),
]


@pytest.mark.parametrize(("method", "path"), READS + WRITES)
def test_no_or_unknown_token_is_401(client, method, path):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic YTpi"}):
        response = getattr(client, method)(path, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"]["status"] == 401


@pytest.mark.parametrize(("method", "path"), READS)
def test_read_scope_reads(client, method, path):
    assert getattr(client, method)(path, headers=READ).status_code in (200, 404)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_read_scope_cannot_write(client, method, path):
    response = getattr(client, method)(path, headers=READ, json={"email": "a@example.com"})
    assert response.status_code == 403
    assert "admin scope" in response.get_json()["error"]["message"]


def test_every_admin_token_writes_and_reads(client):
    assert add(client, "a@example.com").status_code == 201
    assert client.get(f"{BASE}/a@example.com", headers=ADMIN_2).status_code == 200
    other_read = {"Authorization": "Bearer other-read"}
    assert client.get(f"{BASE}/a@example.com", headers=other_read).status_code == 200


def test_add_manually(client, store):
    response = add(client, " Bob@Example.COM ", "customer asked", code=2001, actor="alice")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["email"], body["source"], body["code"], body["category"]) == (
        "bob@example.com", "manual", 2001, "permanent",
    )  # fmt: skip
    assert body["evidence"]["diagnostic"] == "customer asked"
    assert body["evidence"]["matched_by"] == "operator:alice"
    assert store.audit_log(1)[0][1]["reason"] == "customer asked"
    assert store.change_log()[-1][1]["op"] == "add"
    again = add(client, "bob@example.com")
    assert again.status_code == 409
    assert "already suppressed (source manual)" in again.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@example.com"}, "reason"),
        ({"email": "a@example.com", "reason": "  "}, "reason"),
        ({"reason": "x"}, "email"),
        ({"email": "a@example.com", "reason": "x", "code": "many"}, "code"),
    ],
)
def test_add_validation_is_400_with_the_field(client, body, field):
    response = client.post(BASE, headers=ADMIN, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in error["fields"]
    assert error["title"] == "Bad Request"


def test_add_unknown_code_and_bad_address(client):
    unknown = add(client, "a@example.com", code=1234)
    assert unknown.status_code == 400
    assert "1234" in unknown.get_json()["error"]["message"]
    assert add(client, "not-an-address").get_json()["error"]["fields"] == {
        "email": ["not an email address: 'not-an-address'"]
    }


@pytest.mark.parametrize(
    ("email", "says"),
    [
        ("us\x00er@example.com", "control character U+0000"),
        ("us\x1ber@example.com", "control character U+001B"),
        ("a" * 65 + "@example.com", "local part is 65 octets, more than 64"),
    ],
)
def test_add_refuses_control_characters_and_long_local_parts(client, store, email, says):
    response = add(client, email)
    assert response.status_code == 400
    assert says in response.get_json()["error"]["fields"]["email"][0]
    assert list(store.suppressed_emails()) == []


def test_add_keeps_sharp_s_a_letter_of_its_own(client, store):
    """UTS #46: straße.de is xn--strae-oqa.de; IDNA 2003 made it strasse.de, another domain."""
    assert add(client, "User@Straße.de").status_code == 201
    assert list(store.suppressed_emails()) == ["user@xn--strae-oqa.de"]
    assert store.suppression("user@strasse.de") is None
    found = client.get(f"{BASE}/user@straße.de", headers=ADMIN)
    assert found.get_json()["email"] == "user@xn--strae-oqa.de"


def test_list_pages_newest_first_with_a_cursor(client, store):
    for n in range(7):
        store.suppress({"email": f"u{n}@example.com", "source": "manual"}, "t", "r", BASE_MS + n)
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(BASE, headers=READ, query_string=query).get_json()
        seen += [item["email"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"u{n}@example.com" for n in reversed(range(7))]


def test_cursor_survives_its_entry_being_removed(client, store):
    for n in range(4):
        store.suppress({"email": f"u{n}@example.com", "source": "manual"}, "t", "r", BASE_MS)
    first = client.get(BASE, headers=READ, query_string={"limit": 2}).get_json()
    client.delete(f"{BASE}/{first['items'][-1]['email']}", headers=ADMIN, json={"reason": "x"})
    second = client.get(BASE, headers=READ, query_string={"cursor": first["next_cursor"]})
    emails = [item["email"] for item in first["items"] + second.get_json()["items"]]
    assert sorted(emails) == [f"u{n}@example.com" for n in range(4)]


def test_list_filters(client, store):
    ingest(store, sample_payload())  # john.doe@zylker.com, 2002 permanent, hard
    add(client, "ann@example.com", "blocklist cleanup", code=3001)
    add(client, "bob@zylker.com", "asked by phone")

    def emails(**query):
        response = client.get(BASE, headers=READ, query_string=query)
        assert response.status_code == 200, response.get_json()
        return sorted(item["email"] for item in response.get_json()["items"])

    assert emails(code=2002) == ["john.doe@zylker.com"]
    assert emails(category="temporary") == ["ann@example.com"]
    assert emails(source="manual") == ["ann@example.com", "bob@zylker.com"]
    assert emails(domain="ZYLKER.com") == ["bob@zylker.com", "john.doe@zylker.com"]
    add(client, "eva@bücher.de", "idn")
    assert emails(domain="Bücher.DE") == ["eva@xn--bcher-kva.de"]
    assert emails(text="PHONE") == ["bob@zylker.com"]
    assert emails(text="bad-domain") == ["john.doe@zylker.com"]
    assert emails(since="2000-01-01T00:00:00Z") == [
        "ann@example.com", "bob@zylker.com", "eva@xn--bcher-kva.de", "john.doe@zylker.com",
    ]  # fmt: skip
    assert emails(until="2000-01-01T00:00:00") == []
    assert emails(source="complaint") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "limit"), ({"source": "nope"}, "source"), ({"cursor": "!!"}, "cursor"),
     ({"since": "yesterday"}, "since"), ({"domain": "a..b"}, "domain"),
     ({"sorce": "hard"}, "sorce")],
)  # fmt: skip
def test_list_bad_query_is_400_with_the_field(client, query, field):
    response = client.get(BASE, headers=READ, query_string=query)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


GOOD_AND_BAD_CSV = (
    "Email,code,reason\n"
    "ann@example.com,2001,old ESP list\n"
    "not-an-address,,\n"
    "\n"
    "BOB@example.com,,\n"
    "carol@example.com,77,\n"
    'dave@example.com,,"multi\nline reason"\n'
    "eve@example.com,abc,\n"
    "ann@example.com,,duplicate in the same file\n"
)


def post_import(client, body, content_type="text/csv", **query):
    return client.post(
        f"{BASE}/import", headers=ADMIN, data=body, content_type=content_type, query_string=query
    )


def test_import_csv_reports_good_and_bad_rows_by_line(client, store):
    response = post_import(client, GOOD_AND_BAD_CSV.encode(), actor="migration")
    assert response.status_code == 200
    report = response.get_json()
    assert report["rows"] == 7
    assert (report["accepted"], report["already_suppressed"], report["rejected"]) == (3, 1, 3)
    assert [(e["line"], e["email"]) for e in report["errors"]] == [
        (3, "not-an-address"), (6, "carol@example.com"), (9, "eve@example.com"),
    ]  # fmt: skip
    assert "77 is not a known failure code" in report["errors"][1]["error"]
    assert report["errors_truncated"] is False
    ann = store.suppression("ann@example.com")
    assert (ann["source"], ann["code"], ann["category"]) == ("import", "2001", "permanent")
    assert ann["diagnostic"] == "old ESP list"
    assert store.suppression("dave@example.com")["diagnostic"] == "multi\nline reason"
    assert store.suppression("bob@example.com")["diagnostic"] == "bulk import"


def test_import_names_rows_with_control_characters_or_long_local_parts(client, store):
    body = "email\nok@example.com\nbad\x01@example.com\n" + "a" * 65 + "@example.com\n"
    report = post_import(client, body.encode()).get_json()
    assert (report["accepted"], report["rejected"]) == (1, 2)
    assert "control character U+0001" in report["errors"][0]["error"]
    assert "local part is 65 octets" in report["errors"][1]["error"]
    assert list(store.suppressed_emails()) == ["ok@example.com"]


def test_import_is_idempotent(client, store):
    post_import(client, GOOD_AND_BAD_CSV.encode())
    changes = len(store.change_log(1000))
    again = post_import(client, GOOD_AND_BAD_CSV.encode()).get_json()
    assert (again["accepted"], again["already_suppressed"], again["rejected"]) == (0, 4, 3)
    assert len(store.change_log(1000)) == changes


def test_import_never_downgrades_an_existing_suppression(client, store):
    ingest(store, sample_payload())
    report = post_import(client, b"email\njohn.doe@zylker.com\n").get_json()
    assert report["already_suppressed"] == 1
    assert store.suppression("john.doe@zylker.com")["source"] == "hard"


def test_import_json_lines(client, store):
    lines = [
        json.dumps({"email": "a@example.com", "code": 2004}),
        "",
        "[1, 2]",
        "{broken",
        json.dumps({"email": 42}),
        json.dumps({"email": "b@example.com", "reason": "complained by mail"}),
    ]
    body = ("\n".join(lines) + "\n").encode()
    report = post_import(client, body, "application/x-ndjson").get_json()
    assert (report["accepted"], report["rejected"]) == (2, 3)
    assert [e["line"] for e in report["errors"]] == [3, 4, 5]
    assert store.suppression("b@example.com")["diagnostic"] == "complained by mail"


def test_import_rejects_lines_that_are_not_utf8(client, store):
    report = post_import(client, b"email\nok@example.com\n\xff\xfe@example.com\n").get_json()
    assert (report["accepted"], report["rejected"]) == (1, 1)
    assert report["errors"][0]["line"] == 3


def test_a_record_the_csv_reader_refuses_is_a_rejected_line_not_a_500(client, store):
    body = b"email\nok@example.com\nbad\r@example.com\nlast@example.com\n"
    report = post_import(client, body).get_json()
    assert (report["accepted"], report["rejected"]) == (2, 1)
    assert report["errors"][0]["line"] == 3
    assert "not valid CSV" in report["errors"][0]["error"]
    assert store.suppression("last@example.com") is not None


def test_a_header_the_csv_reader_refuses_is_400(client):
    response = post_import(client, b"email,no\rte\nx@example.com\n")
    assert response.status_code == 400
    assert "not valid CSV" in response.get_json()["error"]["message"]


def test_import_without_email_column_or_known_type(client):
    response = post_import(client, b"address\na@example.com\n")
    assert response.status_code == 400
    assert "email" in response.get_json()["error"]["fields"]
    assert post_import(client, b"email\n", "application/octet-stream").status_code == 415
    named = post_import(client, b"email\nx@example.com\n", "application/octet-stream", format="csv")
    assert named.get_json()["accepted"] == 1


def test_import_body_limit_is_413(settings, state):
    small = create_app(replace(settings, max_import_bytes=64)).test_client()
    response = small.post(
        f"{BASE}/import", headers=ADMIN, data=b"email\n" + b"a@example.com\n" * 20,
        content_type="text/csv",
    )  # fmt: skip
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413


def test_export_csv_and_json_lines(client, store):
    ingest(store, sample_payload())
    add(client, "ann@example.com", "by hand, with a comma", code=3001)
    response = client.get(f"{BASE}/export", headers=READ)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["email"] for row in rows] == ["ann@example.com", "john.doe@zylker.com"]
    assert rows[0]["diagnostic"] == "by hand, with a comma"
    assert rows[1]["code"] == "2002"
    query = {"format": "jsonl", "source": "hard"}
    jsonl = client.get(f"{BASE}/export", headers=READ, query_string=query)
    assert jsonl.mimetype == "application/x-ndjson"
    [line] = jsonl.get_data(as_text=True).splitlines()
    assert json.loads(line)["email"] == "john.doe@zylker.com"


def test_export_then_import_round_trips(client, store, state):
    add(client, "ann@example.com", "by hand", code=3001)
    exported = client.get(f"{BASE}/export", headers=READ).get_data()
    state.flushdb()
    report = post_import(client, exported).get_json()
    assert (report["accepted"], report["rejected"]) == (1, 0)
    assert store.suppression("ann@example.com")["code"] == "3001"


def test_empty_export_is_just_the_header(client):
    body = client.get(f"{BASE}/export", headers=READ).get_data(as_text=True)
    assert body.strip().split(",")[0] == "email"


FORMULAS = {
    "=cmd@example.com": '=HYPERLINK("http://evil.example/","click")',
    "+tag@example.com": "+1 555 0100",
    "-dash@example.com": "-2+3",
    "quote@example.com": "'=already quoted",
    "tab@example.com": "\tindented",
    "cr@example.com": "\rreturn",
    "at@example.com": "@SUM(A1:A2)",
}


def test_export_escapes_formulas_and_imports_back_to_the_same_values(client, store, state):
    for email, diagnostic in FORMULAS.items():  # as an ESP's text would reach the record
        store.suppress({"email": email, "source": "hard", "diagnostic": diagnostic}, "t", "t", 1)
    exported = client.get(f"{BASE}/export", headers=READ).get_data()
    rows = list(csv.DictReader(io.StringIO(exported.decode(), newline="")))
    for row in rows:  # no cell a spreadsheet would run
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
    assert {row["email"] for row in rows} >= {"'=cmd@example.com", "'+tag@example.com"}
    state.flushdb()
    report = post_import(client, exported).get_json()
    assert (report["accepted"], report["rejected"]) == (len(FORMULAS), 0)
    for email, diagnostic in FORMULAS.items():
        assert store.suppression(email)["diagnostic"] == diagnostic
