"""SES via SNS end to end: signatures v1 and v2 checked against a certificate served by a real
loopback HTTP server, subscription handshake, every bad message 401 with nothing queued."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer

from app.config import Settings
from tests.conftest import free_port
from tests.helpers import assert_replay_queued_for_the_worker, contact, suppression, wait_for
from tests.sns_signing import TOPIC, FakeSns, bounce_notice

QUEUE_ONLY_DB = 8  # a broker database no worker consumes, so queued tasks stay countable
LOOPBACK = r"^http://(localhost|127\.0\.0\.1):\d+/"
SNS = FakeSns()
IMPOSTOR = FakeSns()
UNKNOWN = {"emailAddress": "jane@example.com", "status": "5.1.1", "action": "failed",
           "diagnosticCode": "smtp; 550 5.1.1 <jane@example.com>... User unknown"}  # fmt: skip


@pytest.fixture
def cert_url(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/SimpleNotificationService-test.pem").respond_with_data(SNS.pem)
    return httpserver.url_for("/SimpleNotificationService-test.pem")


@pytest.fixture
def settings(settings):
    return Settings(
        **{**settings.__dict__, "ses_topic_arns": f"arn:aws:sns:eu-west-1:1:other, {TOPIC}",
           "sns_cert_url_pattern": LOOPBACK}
    )  # fmt: skip


def post(client, envelope, content_type="text/plain; charset=UTF-8"):
    body = envelope if isinstance(envelope, str) else json.dumps(envelope)
    kind = envelope["Type"] if isinstance(envelope, dict) else "Notification"
    return client.post(
        "/webhooks/ses",
        data=body,
        content_type=content_type,
        headers={"x-amz-sns-message-type": kind, "x-amz-sns-topic-arn": TOPIC},
    )


class TestQueueOnly:
    @pytest.fixture
    def settings(self, settings):
        base = settings.broker_url.rsplit("/", 1)[0]
        return Settings(**{**settings.__dict__, "broker_url": f"{base}/{QUEUE_ONLY_DB}"})

    @pytest.mark.parametrize("version", ["1", "2"])
    def test_signed_bounce_of_two_recipients_is_one_task(self, client, broker, cert_url, version):
        before = broker.llen("celery")
        other = {**UNKNOWN, "emailAddress": "mary@example.com"}
        envelope = SNS.envelope(cert_url, bounce_notice(UNKNOWN, other), version=version)
        response = post(client, envelope)
        assert response.status_code == 202, response.get_json()
        assert response.get_json() == {"accepted": 2}
        assert broker.llen("celery") == before + 1

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("spoil", "message"),
        [
            (lambda e: {k: v for k, v in e.items() if k != "Signature"}, "does not verify"),
            (lambda e: {**e, "Message": e["Message"].replace("jane", "joan")}, "does not verify"),
            (lambda e: {**e, "Subject": "added after signing"}, "does not verify"),
            (lambda e: {**e, "SignatureVersion": "3"}, "SignatureVersion"),
            (lambda e: {**e, "Signature": "%%%"}, "lacks a signed field or signature"),
            (lambda e: {**e, "SigningCertURL": "https://evil.example/x.pem"}, "not an SNS URL"),
        ],
    )
    def test_bad_signatures_are_401(self, client, cert_url, spoil, message):
        response = post(client, spoil(SNS.envelope(cert_url, bounce_notice(UNKNOWN))))
        assert response.status_code == 401
        assert message in response.get_json()["error"]["message"]

    @pytest.mark.usefixtures("untouched")
    def test_signed_by_another_key_is_401(self, client, cert_url):
        response = post(client, IMPOSTOR.envelope(cert_url, bounce_notice(UNKNOWN)))
        assert response.status_code == 401

    @pytest.mark.usefixtures("untouched")
    def test_stale_message_is_401(self, client, cert_url):
        old = datetime.now(UTC) - timedelta(hours=2)
        response = post(client, SNS.envelope(cert_url, bounce_notice(UNKNOWN), timestamp=old))
        assert response.status_code == 401
        assert "stale" in response.get_json()["error"]["message"]

    @pytest.mark.usefixtures("untouched")
    def test_other_topic_is_401_without_fetching_anything(self, client, httpserver):
        url = httpserver.url_for("/never.pem")
        envelope = SNS.envelope(url, bounce_notice(UNKNOWN), topic="arn:aws:sns:us-east-1:9:x")
        assert post(client, envelope).status_code == 401
        assert httpserver.log == []

    def test_a_replayed_message_goes_to_the_worker_with_the_same_nonce(
        self, client, broker, cert_url
    ):
        envelope = SNS.envelope(cert_url, bounce_notice(UNKNOWN), version="2")
        first = post(client, envelope)
        assert_replay_queued_for_the_worker(broker, first, post(client, envelope))

    @pytest.mark.usefixtures("untouched")
    def test_subscription_is_confirmed_by_fetching_the_subscribe_url(
        self, client, httpserver, cert_url
    ):
        httpserver.expect_request("/confirm", query_string={"Token": "t0k"}).respond_with_data(
            "<ConfirmSubscriptionResponse/>"
        )
        confirm = SNS.envelope(
            cert_url,
            "You have chosen to subscribe to the topic. To confirm, visit the SubscribeURL.",
            kind="SubscriptionConfirmation",
            Token="t0k",
            SubscribeURL=httpserver.url_for("/confirm?Token=t0k"),
        )
        response = post(client, confirm)
        assert (response.status_code, response.get_json()) == (200, {"confirmed": TOPIC})
        assert [r.path for r, _ in httpserver.log][-1:] == ["/confirm"]

    @pytest.mark.usefixtures("untouched")
    def test_subscription_elsewhere_is_never_fetched(self, client, httpserver, cert_url):
        confirm = SNS.envelope(cert_url, "subscribe?", kind="SubscriptionConfirmation",
                               Token="t", SubscribeURL="https://evil.example/confirm")  # fmt: skip
        response = post(client, confirm)
        assert response.status_code == 401
        assert "SubscribeURL" in response.get_json()["error"]["message"]
        other_topic = SNS.envelope(cert_url, "subscribe?", kind="SubscriptionConfirmation",
                                   topic="arn:aws:sns:us-east-1:9:x", Token="t",
                                   SubscribeURL=httpserver.url_for("/confirm"))  # fmt: skip
        assert post(client, other_topic).status_code == 401
        assert "/confirm" not in [r.path for r, _ in httpserver.log]

    @pytest.mark.usefixtures("untouched")
    def test_unsubscribe_confirmation_is_acknowledged(self, client, cert_url):
        bye = SNS.envelope(cert_url, "unsubscribed", kind="UnsubscribeConfirmation",
                           Token="t", SubscribeURL="http://localhost:1/resubscribe")  # fmt: skip
        response = post(client, bye)
        assert (response.status_code, response.get_json()) == (200, {"unsubscribed": TOPIC})

    @pytest.mark.usefixtures("untouched")
    def test_unreachable_certificate_host_is_503(self, client):
        url = f"http://127.0.0.1:{free_port()}/SimpleNotificationService-down.pem"
        response = post(client, SNS.envelope(url, bounce_notice(UNKNOWN)))
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"

    @pytest.mark.usefixtures("untouched")
    def test_expired_certificate_is_401(self, client, httpserver):
        expired = FakeSns(days_valid=-1)
        httpserver.expect_request("/expired.pem").respond_with_data(expired.pem)
        envelope = expired.envelope(httpserver.url_for("/expired.pem"), bounce_notice(UNKNOWN))
        assert post(client, envelope).status_code == 401

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("message", "status", "needle"),
        [
            ("not json", 400, "not valid JSON"),
            ({"notificationType": "Bounce", "mail": {}}, 400, "bounce"),
            ({"eventType": "Send", "mail": {"messageId": "m"}, "send": {}}, 200, "accepted"),
        ],
    )
    def test_bodies_that_carry_no_event(self, client, cert_url, message, status, needle):
        response = post(client, SNS.envelope(cert_url, message))
        assert response.status_code == status
        assert needle in json.dumps(response.get_json())

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("body", "status"),
        [
            ('{"Type": ["Notification"]}', 400),
            ('{"Type": "Welcome"}', 400),
            ('["Notification"]', 400),
            ('{"Type": "Notification", "TopicArn": {"arn": 1}}', 401),
            (json.dumps({"Type": "Notification", "TopicArn": TOPIC}), 401),
        ],
    )
    def test_malformed_envelopes_are_refused_cleanly(self, client, body, status):
        assert post(client, body).status_code == status

    @pytest.mark.usefixtures("untouched")
    @pytest.mark.parametrize(
        ("email", "says"),
        [
            ("n\x00ul@example.com", "control character U+0000"),
            ("a" * 65 + "@example.com", "local part is 65 octets"),
            ("a@\u2603.com", "not a valid IDNA name"),
        ],
    )
    def test_an_invalid_address_is_400_naming_it(self, client, cert_url, email, says):
        notice = bounce_notice(UNKNOWN, {**UNKNOWN, "emailAddress": email})
        response = post(client, SNS.envelope(cert_url, notice))
        assert response.status_code == 400
        assert says in json.dumps(response.get_json()["error"])

    @pytest.mark.usefixtures("untouched")
    def test_form_content_type_is_415(self, client, cert_url):
        envelope = SNS.envelope(cert_url, bounce_notice(UNKNOWN))
        response = post(client, envelope, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 415


@pytest.mark.usefixtures("worker")
class TestEndToEnd:
    def test_bounce_complaint_and_delivery_through_the_worker(self, client, cert_url):
        mislabelled = {"emailAddress": "route@example.com", "status": "5.4.4",
                       "diagnosticCode": "smtp; 550 5.4.4 Unable to route"}  # fmt: skip
        full = {"emailAddress": "full@example.com", "status": "4.2.2",
                "diagnosticCode": "smtp; 452 4.2.2 Mailbox full"}  # fmt: skip
        bounces = bounce_notice(mislabelled, full, kind="Transient", feedback="fb-e2e")
        complaint = {
            "notificationType": "Complaint",
            "complaint": {"complainedRecipients": [{"emailAddress": "angry@example.com"}],
                          "complaintFeedbackType": "abuse", "feedbackId": "fb-c",
                          "timestamp": "2026-03-02T09:10:00.000Z"},
            "mail": {"messageId": "m-c"},
        }  # fmt: skip
        delivery = {
            "notificationType": "Delivery",
            "delivery": {"recipients": ["full@example.com"], "smtpResponse": "250 ok",
                         "timestamp": "2026-03-03T09:00:00.000Z"},
            "mail": {"messageId": "m-d"},
        }  # fmt: skip
        for notice, version in ((bounces, "1"), (complaint, "2"), (delivery, "2")):
            response = post(client, SNS.envelope(cert_url, notice, version=version))
            assert response.status_code == 202, response.get_json()
        wait_for(lambda: (c := contact(client, "full@example.com")) and c["events"] == 2)
        route = suppression(client, "route@example.com")
        assert (route["code"], route["source"]) == (2002, "hard")  # 5.4.4 outweighs "Transient"
        assert route["evidence"]["event_id"] == "ses:fb-e2e:route@example.com"
        assert suppression(client, "angry@example.com")["source"] == "complaint"
        full_state = contact(client, "full@example.com")
        assert full_state["counted"] == []  # the delivery reset the mailbox-full bounce
        assert suppression(client, "full@example.com") is None
