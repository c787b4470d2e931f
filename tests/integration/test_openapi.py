"""The OpenAPI spec: served, committed without drift, and kept by the app under schemathesis."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app import create_app
from app.config import Settings
from app.web.api import spec_json

SPEC_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
ADMIN = {"Authorization": "Bearer admin-token"}


def test_committed_spec_matches_the_code(app):
    assert SPEC_FILE.read_text() == spec_json(app.extensions["bouncekeeper_api"]), (
        "docs/openapi.json is stale: run `make openapi` and commit it"
    )


def test_spec_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == json.loads(SPEC_FILE.read_text())


def test_docs_page_uses_local_assets_only(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page
    assert "https://" not in page
    script = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    try:
        assert script.status_code == 200
        assert len(script.get_data()) > 100_000
    finally:
        script.close()


TEXT_BODIES = ("text/csv", "application/x-ndjson", "text/plain", "message/rfc822")


@schemathesis.serializer(*TEXT_BODIES)
def _text_body(ctx, value):
    """Generated bodies for the import, the bulk check and raw mail are strings; send them as
    they are."""
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


@pytest.fixture
def served(settings, state):
    return create_app(replace(settings, api_read_tokens="read-token"))


# Loaded through the app's own /api/v1/openapi.json (WSGI, no socket). This app only serves the
# spec (its Redis is unreachable); each case runs against `served`, on the test Redis. The
# pytest-fixture loader would do both in one, but breaks on pytest 9.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app(Settings(redis_url="redis://127.0.0.1:1/0"))
)


@schema.hook
def filter_query(ctx, query):
    """Drop generated queries with a parameter whose value is an empty list: it is never sent,
    so a case meant to carry an unknown parameter would reach the app without one."""
    return not any(value == [] for value in (query or {}).values())


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_keeps_its_spec(case, served):
    """No 5xx, every status documented, every body as the spec says.

    Left out: the positive-data check, since schema-valid input may still get a 400 (an address
    that does not normalize, a cursor not from a previous page); and for the import's text
    body the negative-data check, since any bytes are a valid text body (a generated `true`
    "is not a string" only before it is sent).
    """
    excluded = [schemathesis.checks.positive_data_acceptance]
    if case.media_type in TEXT_BODIES:
        excluded.append(schemathesis.checks.negative_data_rejection)
    case.call_and_validate(app=served, headers=ADMIN, excluded_checks=excluded)
