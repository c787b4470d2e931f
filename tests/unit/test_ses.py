"""Amazon SES notifications: every documented kind, one event per recipient."""

import json
import re

import pytest
from marshmallow import ValidationError

from app.classify import Evidence, classify
from app.config import ConfigError, Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import ses, sns
from tests.sns_signing import bounce_notice

USER_UNKNOWN = {
    "emailAddress": "jane@example.com",
    "status": "5.1.1",
    "action": "failed",
    "diagnosticCode": "smtp; 550 5.1.1 <jane@example.com>... User unknown",
}


def events(notice, published_ms=1, received_at_ms=2):
    payload = {
        "sns_message_id": "19ba9823-d7f2-53c1-860e-cb10e0d13dfc",
        "published_ms": published_ms,
        "notice": ses.NotificationSchema().load(notice),
    }
    return ses.parse(json.loads(json.dumps(payload)), received_at_ms)


def test_documented_bounce_keeps_each_recipients_status_and_diagnostic():
    full = {
        "emailAddress": "Richard@Example.com",
        "status": "4.2.2",
        "action": "failed",
        "diagnosticCode": "smtp; 452 4.2.2 Mailbox full",
    }
    first, second = events(bounce_notice(USER_UNKNOWN, full))
    assert (first.recipient, first.smtp_code, first.enhanced_code) == (
        "jane@example.com",
        "550",
        "5.1.1",
    )
    assert first.diagnostic == USER_UNKNOWN["diagnosticCode"]
    assert (first.bounce_type, first.provider_reason) == ("Permanent", "General")
    assert first.occurred_at_ms == 1772442005101
    assert first.message_id.startswith("00000138111222aa")
    assert (second.recipient, second.enhanced_code) == ("richard@example.com", "4.2.2")
    assert first.event_id == "ses:fb-1:jane@example.com" != second.event_id


def test_transient_label_does_not_outweigh_a_permanent_status():
    mislabelled = {"emailAddress": "x@example.com", "status": "5.4.4",
                   "diagnosticCode": "smtp; 550 5.4.4 Unable to route"}  # fmt: skip
    [event] = events(bounce_notice(mislabelled, kind="Transient"))
    verdict = classify_event(event)
    assert verdict.code == 2002
    assert verdict.matched_by.startswith("enhanced")


@pytest.mark.parametrize(
    ("sub", "code"),
    [("NoEmail", 2001), ("Suppressed", 2999), ("OnAccountSuppressionList", 2999),
     ("MailboxFull", 3001), ("MessageTooLarge", 4999), ("ContentRejected", 1004)],
)  # fmt: skip
def test_bounce_subtype_is_a_hint_when_the_codes_are_silent(sub, code):
    verdict = classify(Evidence(provider_reason=sub, provider="ses"))
    assert (verdict.code, verdict.matched_by) == (code, f"provider:ses:{sub.lower()}")


def test_undetermined_without_codes_is_unknown():
    [event] = events(
        bounce_notice({"emailAddress": "x@example.com"}, kind="Undetermined", sub="Undetermined")
    )
    assert classify_event(event).code == 9999


def test_complaint_and_not_spam_feedback():
    notice = {
        "notificationType": "Complaint",
        "complaint": {
            "userAgent": "AnyCompany Feedback Loop (V0.01)",
            "complainedRecipients": [{"emailAddress": "richard@example.com"}],
            "complaintFeedbackType": "abuse",
            "arrivalDate": "2026-03-02T09:10:00.000Z",
            "timestamp": "2026-03-02T09:10:05.000Z",
            "feedbackId": "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000",
        },
        "mail": {"messageId": "000001378603177f-7a5433e7", "destination": ["richard@example.com"]},
    }
    [event] = events(notice)
    assert (event.event_type, event.recipient) == (EventType.COMPLAINT, "richard@example.com")
    notice["complaint"]["complaintFeedbackType"] = "not-spam"
    assert events(notice)[0].event_type is EventType.OTHER


def test_delivery_names_every_recipient():
    notice = {
        "eventType": "Delivery",  # event publishing uses eventType
        "mail": {"messageId": "0000014644fe5ef6-9a483358", "destination": ["jane@example.com"]},
        "delivery": {
            "timestamp": "2026-03-02T09:00:01.000Z",
            "recipients": ["jane@example.com", "mary@example.com"],
            "processingTimeMillis": 546,
            "reportingMTA": "a8-70.smtp-out.amazonses.com",
            "smtpResponse": "250 ok:  Message 64111812 accepted",
        },
    }
    found = events(notice)
    assert [(e.event_type, e.recipient) for e in found] == [
        (EventType.DELIVERY, "jane@example.com"),
        (EventType.DELIVERY, "mary@example.com"),
    ]
    assert found[0].diagnostic.startswith("250 ok")


def test_other_kinds_carry_no_events():
    assert events({"eventType": "Send", "mail": {"messageId": "m"}, "send": {}}) == []


@pytest.mark.parametrize(
    ("notice", "field"),
    [
        ({"mail": {}}, "notificationType"),
        ({"notificationType": "Bounce", "mail": {}}, "bounce"),
        (bounce_notice({"emailAddress": "nope"}), "bounce"),
        ({"notificationType": "Delivery", "delivery": {"recipients": []}}, "delivery"),
    ],
)
def test_schema_errors_name_the_field(notice, field):
    with pytest.raises(ValidationError) as caught:
        ses.NotificationSchema().load(notice)
    assert field in caught.value.messages


def test_string_to_sign_follows_aws_order_and_skips_absent_subject():
    envelope = {"Type": "Notification", "MessageId": "m", "TopicArn": "t", "Message": "{}",
                "Timestamp": "2026-03-02T09:00:00.000Z", "Signature": "x"}  # fmt: skip
    expected = "Message\n{}\nMessageId\nm\nTimestamp\n2026-03-02T09:00:00.000Z\nTopicArn\nt\n"
    assert sns.string_to_sign(envelope) == (expected + "Type\nNotification\n").encode()
    with_subject = sns.string_to_sign({**envelope, "Subject": "s"})
    assert b"MessageId\nm\nSubject\ns\nTimestamp" in with_subject


@pytest.mark.parametrize(
    ("url", "admitted"),
    [
        ("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6.pem", True),
        ("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem", True),
        ("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", False),
        ("https://sns.us-east-1.amazonaws.com.evil.example/x.pem", False),
        ("https://sns.us-east-1.amazonaws.com@evil.example/x.pem", False),
        ("https://evil.example/sns.us-east-1.amazonaws.com/x.pem", False),
    ],
)  # fmt: skip
def test_default_url_pattern_admits_only_sns_https_hosts(url, admitted):
    assert bool(re.match(Settings().sns_cert_url_pattern, url)) is admitted


def test_a_bad_url_pattern_stops_the_start():
    with pytest.raises(ConfigError, match="BOUNCEKEEPER_SNS_CERT_URL_PATTERN"):
        Settings.from_env({"BOUNCEKEEPER_SNS_CERT_URL_PATTERN": "(unclosed"})
