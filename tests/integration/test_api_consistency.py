"""The admin API reads alike everywhere (issue #17, item 4): complaint records filter by their
own category, unknown body fields are refused like unknown query parameters, DELETE takes its
arguments in the query too, and no error names an internal field."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from app import create_app
from app.cli import main
from app.store import Store
from tests.helpers import sample_payload
from tests.integration.test_admin_api import ingest
from tests.integration.test_bulk_check import complain

ADMIN = {"Authorization": "Bearer admin-token"}
READ = {"Authorization": "Bearer read-token"}
BASE = "/api/v1/suppressions"


@pytest.fixture
def app(settings, state):
    return create_app(replace(settings, api_read_tokens="read-token"))


@pytest.fixture
def store(settings, state):
    return Store.from_url(settings.redis_url)


@pytest.fixture
def complaint_and_bounce(store):
    ingest(store, sample_payload())  # john.doe@zylker.com, permanent
    complain(store, "angry@example.com")


def test_list_filters_by_the_complaint_category(client, complaint_and_bounce):
    response = client.get(BASE, headers=READ, query_string={"category": "complaint"})
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert [(item["email"], item["category"]) for item in items] == [
        ("angry@example.com", "complaint")
    ]


def test_export_filters_by_the_complaint_category(client, complaint_and_bounce):
    response = client.get(f"{BASE}/export", headers=READ, query_string={"category": "complaint"})
    assert response.status_code == 200, response.get_json()
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["email"], row["category"]) for row in rows] == [("angry@example.com",
                                                                  "complaint")]  # fmt: skip


def test_cli_export_filters_by_the_complaint_category(settings, complaint_and_bounce):
    done = CliRunner().invoke(main, ["export", "--format", "jsonl", "--category", "complaint"],
                              env={"REDIS_URL": settings.redis_url})  # fmt: skip
    assert done.exit_code == 0, done.output
    assert [json.loads(line)["email"] for line in done.stdout.splitlines()] == ["angry@example.com"]


def add(client, **body):
    return client.post(BASE, headers=ADMIN, json={"email": "a@example.com", "reason": "r", **body})


def test_an_unknown_body_field_is_400_naming_it(client, store):
    response = add(client, acter="alice")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["fields"] == {"acter": ["Unknown field."]}
    assert "acter" in error["message"]
    assert store.suppression("a@example.com") is None


def test_an_unknown_delete_body_field_is_400_and_lifts_nothing(client, store, complaint_and_bounce):
    response = client.delete(f"{BASE}/angry@example.com", headers=ADMIN,
                             json={"reason": "asked", "forse": True})  # fmt: skip
    assert response.status_code == 400
    assert "forse" in response.get_json()["error"]["fields"]
    assert store.suppression("angry@example.com") is not None


@pytest.mark.parametrize(
    ("send", "says"),
    [
        ({"data": "{", "content_type": "application/json"}, "Invalid JSON body."),
        ({"json": ["reason"]}, "must be a JSON object"),
        ({"json": "reason"}, "must be a JSON object"),
    ],
)
@pytest.mark.parametrize("method", ["delete", "post"])
def test_a_malformed_body_is_named_body_not_an_internal_key(client, store, method, send, says):
    path = f"{BASE}/a@example.com" if method == "delete" else BASE
    response = getattr(client, method)(path, headers=ADMIN, **send)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["fields"] == {"body": [says]}
    assert error["message"] == f"invalid body: {says}"


def test_delete_takes_reason_actor_and_force_in_the_query(client, store, complaint_and_bounce):
    query = {"reason": "asked by phone", "actor": "alice", "force": "true"}
    response = client.delete(f"{BASE}/angry@example.com", headers=ADMIN, query_string=query)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"email": "angry@example.com", "removed": True,
                                   "actor": "alice", "reason": "asked by phone"}  # fmt: skip
    assert store.suppression("angry@example.com") is None
    assert store.audit_log(1)[0][1]["actor"] == "alice"


def test_delete_by_query_still_needs_force_for_a_complaint(client, store, complaint_and_bounce):
    response = client.delete(f"{BASE}/angry@example.com", headers=ADMIN,
                             query_string={"reason": "asked"})  # fmt: skip
    assert response.status_code == 409
    assert store.suppression("angry@example.com") is not None


def test_delete_query_defaults_actor_to_api(client, store, complaint_and_bounce):
    response = client.delete(f"{BASE}/john.doe@zylker.com", headers=ADMIN,
                             query_string={"reason": "domain fixed"})  # fmt: skip
    assert response.get_json()["actor"] == "api"


@pytest.mark.parametrize(
    ("send", "field", "says"),
    [
        ({}, "reason", "required, in the query (?reason=...) or in a JSON body"),
        ({"query_string": {"actor": "alice"}}, "reason", "required"),
        ({"query_string": {"reason": "a"}, "json": {"reason": "b"}}, "reason", "both"),
        ({"query_string": {"reason": "a", "force": "maybe"}}, "force", "Not a valid boolean."),
        ({"query_string": {"reason": "a", "forse": "true"}}, "forse", "Unknown field."),
    ],
)
def test_delete_arguments_are_checked_wherever_given(client, store, complaint_and_bounce, send,
                                                     field, says):  # fmt: skip
    response = client.delete(f"{BASE}/john.doe@zylker.com", headers=ADMIN, **send)
    assert response.status_code == 400
    assert says in response.get_json()["error"]["fields"][field][0]
    assert store.suppression("john.doe@zylker.com") is not None


@pytest.mark.parametrize(
    ("method", "path", "statuses", "content_types"),
    [
        ("post", "/webhooks/{provider}", {"200", "202", "400", "401", "404", "413", "415", "503"},
         {"application/json", "application/x-www-form-urlencoded", "multipart/form-data",
          "text/plain", "message/rfc822"}),
        ("get", "/healthz", {"200"}, set()),
        ("get", "/readyz", {"200", "503"}, set()),
        ("get", "/metrics", {"200", "503"}, set()),
    ],
)  # fmt: skip
def test_webhooks_health_and_metrics_are_in_the_spec(client, method, path, statuses,
                                                     content_types):  # fmt: skip
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"][path][method]
    assert statuses <= set(operation["responses"])
    assert all(answer["content"] for answer in operation["responses"].values())
    assert set(operation.get("requestBody", {}).get("content", {})) == content_types


def test_the_spec_says_what_health_and_metrics_answer(client):
    spec = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/healthz", "/readyz", "/metrics"):
        response = client.get(path)
        documented = spec[path]["get"]["responses"][str(response.status_code)]["content"]
        assert response.mimetype in documented, (path, response.mimetype)
