"""`POST /webhooks/email` through the real stack: the web, a real Celery worker and Redis.

Every shape that carries a raw message (message/rfc822, SendGrid's raw form, a Mailgun route's
body-mime, an SES receipt-rule notification through SNS), each way to present the secret, and
what the message becomes: a suppression with the DSN's status as evidence, a complaint, a soft
bounce, an auto-reply recorded and not counted, nothing for a message that is no bounce, and
the same message applied once however often and however it arrives.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
from dataclasses import replace

import pytest
from pytest_httpserver import HTTPServer

from app.providers import generic
from tests.helpers import contact, suppression, wait_for
from tests.integration.test_metrics import scrape, value
from tests.mail_messages import arf, auto_reply, dsn, plain
from tests.providers import basic
from tests.sns_signing import TOPIC, FakeSns

SECRET = "email-secret"
BEARER = {"Authorization": f"Bearer {SECRET}"}
LOOPBACK = r"^http://(localhost|127\.0\.0\.1):\d+/"
SNS = FakeSns()

pytestmark = pytest.mark.usefixtures("worker")


@pytest.fixture
def settings(settings):
    return replace(
        settings, email_secret=SECRET, ses_topic_arns=TOPIC, sns_cert_url_pattern=LOOPBACK
    )


def post_raw(client, raw: bytes, headers=BEARER):
    return client.post("/webhooks/email", data=raw, content_type="message/rfc822", headers=headers)


def accepted(response, count: int = 1):
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"accepted": count}


def history(client, email: str) -> list[dict]:
    return wait_for(lambda: contact(client, email))["history"]


def test_a_dsn_suppresses_with_its_status_as_evidence(client):
    email = "gone.dsn@example.com"
    accepted(post_raw(client, dsn(email, status="5.1.1")))
    record = wait_for(lambda: suppression(client, email))
    assert (record["code"], record["source"]) == (2001, "hard")
    assert record["evidence"]["provider"] == "email"
    assert "5.1.1" in record["evidence"]["diagnostic"] + record["evidence"]["matched_by"]


def test_an_arf_report_is_a_complaint(client):
    email = "angry.arf@example.com"
    accepted(post_raw(client, arf(email), headers=basic(SECRET)))
    record = wait_for(lambda: suppression(client, email))
    assert record["source"] == "complaint"


def test_a_delay_dsn_is_a_soft_bounce(client):
    email = "slow.dsn@example.com"
    accepted(
        post_raw(
            client,
            dsn(email, action="delayed", status="4.2.2", diagnostic="smtp; 452 4.2.2 Mailbox full"),
        )
    )
    (entry,) = history(client, email)
    assert entry["action"] == "soft"
    assert suppression(client, email) is None


def test_an_auto_reply_is_recorded_and_not_counted(client):
    email = "away@example.com"
    response = post_raw(client, auto_reply(email))
    assert response.status_code == 202, response.get_json()
    (entry,) = history(client, email)
    assert entry["code"] == 5001
    assert entry["action"] == "ignore"
    assert suppression(client, email) is None


def test_a_message_that_is_no_bounce_is_answered_with_why(client, state):
    labels = {"way": "webhook", "kind": "not_bounce"}
    before = value(scrape(client), "bouncekeeper_mail_messages_total", **labels)
    response = post_raw(client, plain())
    after = value(scrape(client), "bouncekeeper_mail_messages_total", **labels)
    assert after == before + 1
    assert response.status_code == 200
    body = response.get_json()
    assert body["accepted"] == 0
    assert body["kind"] == "not_bounce"
    assert body["ignored"]
    time.sleep(0.5)  # nothing was queued; give a wrongly queued task the chance to show
    assert state.keys("bk:contact:*") == []


def test_the_same_message_twice_is_applied_once(client):
    email = "twice.dsn@example.com"
    raw = dsn(email, action="delayed", status="4.4.1", diagnostic="smtp; 421 4.4.1 timeout")
    accepted(post_raw(client, raw))
    wait_for(lambda: contact(client, email))
    form = {"email": raw.decode(), "to": "bounces@sender.example.com"}
    response = client.post(
        "/webhooks/email", data=form, content_type="multipart/form-data", headers=BEARER
    )
    accepted(response)
    time.sleep(1.0)  # the second copy is applied (as a duplicate) by now
    assert len(history(client, email)) == 1


def test_sendgrid_inbound_parse_raw_form(client):
    email = "gone.sendgrid@example.com"
    form = {"email": dsn(email).decode(), "envelope": json.dumps({"to": ["b@x"]})}
    response = client.post(
        "/webhooks/email", data=form, content_type="multipart/form-data", headers=basic(SECRET)
    )
    accepted(response)
    wait_for(lambda: suppression(client, email))


def test_mailgun_route_body_mime_form(client):
    email = "gone.mailgun@example.com"
    body = urllib.parse.urlencode({"recipient": "bounces@x", "body-mime": dsn(email).decode()})
    response = client.post(
        "/webhooks/email",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=basic(SECRET, user="api"),
    )
    accepted(response)
    wait_for(lambda: suppression(client, email))


def test_signed_with_the_generic_scheme(client):
    email = "gone.signed@example.com"
    raw = dsn(email)
    signature = generic.sign(raw, int(time.time()), SECRET)
    accepted(post_raw(client, raw, headers={generic.HEADER: signature}))
    wait_for(lambda: suppression(client, email))


@pytest.mark.parametrize("encoding", ["BASE64", "UTF8"])
def test_ses_receipt_rule_notification_through_sns(client, httpserver: HTTPServer, encoding):
    httpserver.expect_request("/SimpleNotificationService-email.pem").respond_with_data(SNS.pem)
    email = f"gone.ses.{encoding.lower()}@example.com"
    raw = dsn(email)
    content = base64.b64encode(raw).decode() if encoding == "BASE64" else raw.decode()
    notice = {
        "notificationType": "Received",
        "receipt": {"action": {"type": "SNS", "topicArn": TOPIC, "encoding": encoding}},
        "mail": {"messageId": "abc"},
        "content": content,
    }
    envelope = SNS.envelope(httpserver.url_for("/SimpleNotificationService-email.pem"), notice)
    response = client.post(
        "/webhooks/email", data=json.dumps(envelope), content_type="text/plain; charset=UTF-8"
    )
    accepted(response)
    wait_for(lambda: suppression(client, email))


@pytest.mark.usefixtures("untouched")
class TestRefused:
    """Refused before anything is queued: nothing in the state, nothing on the broker."""

    @pytest.fixture
    def settings(self, settings):
        return replace(settings, broker_url=settings.broker_url.rsplit("/", 1)[0] + "/8")

    @pytest.mark.parametrize(
        "headers",
        [{}, {"Authorization": "Bearer wrong"}, basic("wrong"), {generic.HEADER: "t=1,v1=00"}],
        ids=["none", "wrong-bearer", "wrong-basic", "bad-signature"],
    )
    def test_without_the_secret_is_401(self, client, headers):
        response = post_raw(client, dsn("x@example.com"), headers=headers)
        assert response.status_code == 401

    def test_an_unsigned_sns_notification_is_401(self, client):
        envelope = {"Type": "Notification", "MessageId": "1", "TopicArn": TOPIC, "Message": "{}"}
        response = client.post(
            "/webhooks/email", data=json.dumps(envelope), content_type="text/plain"
        )
        assert response.status_code == 401

    def test_another_content_type_is_415(self, client):
        response = client.post(
            "/webhooks/email", data=b"x", content_type="image/png", headers=BEARER
        )
        assert response.status_code == 415
        assert "message/rfc822" in response.get_json()["error"]["message"]

    def test_a_form_without_the_message_is_400(self, client):
        response = client.post(
            "/webhooks/email",
            data={"text": "hello"},
            content_type="multipart/form-data",
            headers=BEARER,
        )
        assert response.status_code == 400
        assert "body-mime" in response.get_json()["error"]["message"]


def test_off_without_the_secret_names_the_variable(app, client, settings):
    app.extensions["bouncekeeper"] = replace(settings, email_secret="")
    response = post_raw(client, dsn("x@example.com"))
    assert response.status_code == 404
    assert "BOUNCEKEEPER_EMAIL_SECRET" in response.get_json()["error"]["message"]


class TestSesReceiving:
    """The SNS side of SES receiving on /webhooks/email: the handshake, and notifications that
    carry no message to take in."""

    @pytest.fixture
    def cert_url(self, httpserver: HTTPServer) -> str:
        path = "/SimpleNotificationService-email.pem"
        httpserver.expect_request(path).respond_with_data(SNS.pem)
        return httpserver.url_for(path)

    def post(self, client, envelope):
        return client.post(
            "/webhooks/email", data=json.dumps(envelope), content_type="text/plain; charset=UTF-8"
        )

    def test_the_subscription_is_confirmed(self, client, httpserver, cert_url):
        httpserver.expect_request("/confirm").respond_with_data("<ConfirmSubscriptionResponse/>")
        confirm = SNS.envelope(
            cert_url,
            "confirm",
            kind="SubscriptionConfirmation",
            Token="t0k",
            SubscribeURL=httpserver.url_for("/confirm"),
        )
        response = self.post(client, confirm)
        assert (response.status_code, response.get_json()) == (200, {"confirmed": TOPIC})
        assert [r.path for r, _ in httpserver.log][-1:] == ["/confirm"]

    def test_another_notification_is_answered_and_not_queued(self, client, cert_url, broker):
        queued = broker.llen("celery")
        notice = {"notificationType": "Bounce", "bounce": {}, "mail": {}}
        response = self.post(client, SNS.envelope(cert_url, notice))
        assert response.status_code == 200
        assert response.get_json()["accepted"] == 0
        assert broker.llen("celery") == queued

    @pytest.mark.parametrize(
        ("notice", "needle"),
        [
            ({"notificationType": "Received", "receipt": {"action": {"type": "S3"}}}, "SNS action"),
            (
                {
                    "notificationType": "Received",
                    "receipt": {"action": {"type": "SNS", "encoding": "BASE64"}},
                    "content": "not base64!",
                },
                "not valid base64",
            ),
        ],
        ids=["no-content", "bad-base64"],
    )
    def test_a_received_notification_without_a_message_is_400(
        self, client, cert_url, notice, needle
    ):
        response = self.post(client, SNS.envelope(cert_url, notice))
        assert response.status_code == 400
        assert needle in response.get_json()["error"]["message"]
