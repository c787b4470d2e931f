"""Mailgun's legacy (API v2) form webhooks through the web, a real Celery worker and Redis:
signed like the JSON ones, applied like them, refused with what is wrong."""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import urlencode

import pytest
from werkzeug.datastructures import MultiDict

from app import create_app
from tests.helpers import contact, suppression, wait_for
from tests.providers import MAILGUN_LEGACY_BOUNCE, mailgun_legacy_form, with_secrets

QUEUE_ONLY_DB = 13  # a broker database no test worker consumes, so queued tasks stay countable


@pytest.fixture
def settings(settings):
    return with_secrets(settings)


def post_form(client, fields, multipart=False):
    """POST the fields as Mailgun does: urlencoded, or multipart/form-data (with attachments)."""
    if multipart:
        return client.post("/webhooks/mailgun", data=MultiDict(fields),
                           content_type="multipart/form-data")  # fmt: skip
    return client.post(
        "/webhooks/mailgun",
        data=urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize("multipart", [False, True], ids=["urlencoded", "multipart"])
def test_legacy_hard_bounce_suppresses(client, multipart):
    email = f"gone.legacy.{int(multipart)}@example.com"
    at_s = int(time.time()) - 60
    form = mailgun_legacy_form("bounced", email, timestamp=at_s, **MAILGUN_LEGACY_BOUNCE)
    response = post_form(client, form, multipart)
    assert response.status_code == 202, response.get_json()
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["source"]) == (2001, "hard")
    evidence = record["evidence"]
    assert evidence["provider"] == "mailgun"
    assert evidence["message_id"] == "20130503182626.18666.16540@mg.example.org"
    assert evidence["diagnostic"].startswith("5.1.1 The email account")
    assert evidence["occurred_at"].startswith(time.strftime("%Y-%m-%dT%H:%M", time.gmtime(at_s)))


@pytest.mark.usefixtures("worker")
def test_legacy_complaint_suppresses_as_complaint(client):
    form = mailgun_legacy_form("complained", "angry.legacy@example.com")
    assert post_form(client, form, multipart=True).status_code == 202
    record = wait_for(lambda: suppression(client, "angry.legacy@example.com"))
    assert record["source"] == "complaint"


@pytest.mark.usefixtures("worker")
def test_legacy_drop_for_a_previously_bounced_address_is_only_recorded(client):
    """Code 605: Mailgun did not try, the address was already on its bounce list."""
    email = "dropped.legacy@example.com"
    form = mailgun_legacy_form(
        "dropped", email, reason="hardfail", code="605",
        description="Not delivering to previously bounced address",
    )  # fmt: skip
    assert post_form(client, form).status_code == 202
    state = wait_for(lambda: contact(client, email))
    assert state["history"][0]["provider"] == "mailgun"
    assert suppression(client, email) is None


@pytest.mark.usefixtures("worker")
def test_custom_variables_named_like_mailguns_fields_do_not_stand_in(client):
    """Mailgun adds the message's custom variables to the form between its event fields and
    the signature fields."""
    email = "variables.legacy@example.com"
    variables = (("token", "mine"), ("timestamp", "1"), ("event", "delivered"),
                 ("recipient", "someone.else@example.com"))  # fmt: skip
    form = mailgun_legacy_form("bounced", email, variables=variables, **MAILGUN_LEGACY_BOUNCE)
    assert post_form(client, form).status_code == 202
    assert wait_for(lambda: suppression(client, email))["source"] == "hard"
    assert suppression(client, "someone.else@example.com") is None


@pytest.fixture
def queue_only(settings):
    base = settings.broker_url.rsplit("/", 1)[0]
    return create_app(replace(settings, broker_url=f"{base}/{QUEUE_ONLY_DB}")).test_client()


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        (lambda f: [p for p in f if p[0] != "signature"], 401,
         "legacy form webhook: it needs the fields timestamp, token and signature "
         "(missing: signature)"),
        (lambda f: [(k, "0" * 64 if k == "signature" else v) for k, v in f], 401,
         "wrong Mailgun signature"),
        (lambda f: mailgun_legacy_form("bounced", "a@example.com", key="not-the-key"), 401,
         "wrong Mailgun signature"),
        (lambda f: mailgun_legacy_form("bounced", "a@example.com", timestamp=1_000_000_000), 401,
         "stale Mailgun signature"),
        (lambda f: mailgun_legacy_form("bounced", "not-an-address"), 400,
         "invalid mailgun legacy form payload: recipient"),
        (lambda f: mailgun_legacy_form("bounced", "a\x00b@example.com"), 400,
         "control character U+0000"),
        (lambda f: [p for p in f if p[0] != "event"], 400,
         "invalid mailgun legacy form payload: event"),
    ],
)  # fmt: skip
def test_bad_legacy_requests_say_what_is_wrong_and_change_nothing(queue_only, change, status, says):
    form = change(mailgun_legacy_form("bounced", "a@example.com", **MAILGUN_LEGACY_BOUNCE))
    response = post_form(queue_only, form)
    assert response.status_code == status, response.get_json()
    assert says in response.get_json()["error"]["message"] + str(
        response.get_json()["error"].get("fields", "")
    )


@pytest.mark.usefixtures("untouched")
def test_multipart_without_a_boundary_is_400(queue_only):
    response = queue_only.post(
        "/webhooks/mailgun", data=b"event=bounced", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "without a boundary" in response.get_json()["error"]["message"]
