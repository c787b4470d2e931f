"""app.mail on messages written after the RFCs' examples (tests/fixtures/mail/rfc/): what each
report says, and what the same classifier and policy as every webhook then do with it."""

from pathlib import Path

import pytest

from app.events import EventType, TimeNote
from app.ingest import plan
from app.mail import Found, Kind, parse_message, to_events
from app.policy import Policy

RFC = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "rfc"
RECEIVED = 1_790_000_000_000
VERP = "bounces+{local}={domain}@example.com"


def read(name: str, **options):
    return parse_message((RFC / name).read_bytes(), **options)


def decisions(report):
    return [(e.recipient, plan(e, Policy())) for e in to_events(report, RECEIVED)]


def test_a_failed_dsn_is_a_bounce_with_the_whole_evidence():
    report = read("rfc3464-simple.eml")
    assert report.kind is Kind.BOUNCE
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by, entry.action) == (
        "louisl@larry.slip.umd.edu",
        Found.DSN,
        "failed",
    )
    assert (entry.status, entry.smtp_code, entry.diagnostic) == (
        "4.0.0",
        "426",
        "426 connection timed out",
    )
    (event,) = to_events(report, RECEIVED)
    assert event.provider == "email"
    assert event.event_type is EventType.BOUNCE
    assert (event.enhanced_code, event.smtp_code) == ("4.0.0", "426")
    assert event.occurred_at_ms == 773615749000  # Last-Attempt-Date, 17:15:49 -0400
    assert event.time_note is TimeNote.REPORTED


def test_each_recipient_of_a_multi_recipient_dsn_gets_its_own_event():
    report = read("rfc3464-multi.eml")
    assert report.kind is Kind.BOUNCE
    got = [(e.recipient, e.action, e.status, e.remote_mta) for e in report.recipients]
    assert got == [
        ("arathib@vnet.ibm.com", "failed", "5.0.0", "vnet.ibm.com"),
        ("johnh@hpnjld.njd.hp.com", "delayed", "4.0.0", ""),
        ("wsnell@sdcc13.ucsd.edu", "failed", "5.0.0", "sdcc13.ucsd.edu"),
    ]
    by_recipient = dict(decisions(report))
    assert by_recipient["wsnell@sdcc13.ucsd.edu"].action == "suppress"  # "user unknown"
    assert by_recipient["wsnell@sdcc13.ucsd.edu"].code == 2001
    assert by_recipient["johnh@hpnjld.njd.hp.com"].action == "soft"


def test_a_delay_dsn_is_a_soft_bounce_never_a_suppression():
    report = read("rfc3464-delayed.eml")
    assert report.kind is Kind.DEFERRAL
    assert report.message_id == "<news-2026-10.slow@example.com>"
    (event,) = to_events(report, RECEIVED)
    assert (event.event_type, event.bounce_type) == (EventType.BOUNCE, "temporary")
    assert event.extra["remote_mta"] == "mail.example.net"
    ((_, application),) = decisions(report)
    assert (application.action, application.code) == ("soft", 4003)  # 4.4.1, no answer


def test_a_success_dsn_is_a_delivery_that_resets():
    report = read("rfc3464-delivered.eml")
    assert report.kind is Kind.DELIVERY
    ((recipient, application),) = decisions(report)
    assert (recipient, application.action) == ("happy@example.net", "reset")


def test_an_arf_abuse_report_is_a_complaint_with_its_feedback_type():
    report = read("rfc5965-abuse.eml")
    assert report.kind is Kind.COMPLAINT
    assert (report.feedback_type, report.user_agent) == ("abuse", "SomeGenerator/1.0")
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by) == ("user@example.com", Found.ARF)
    (event,) = to_events(report, RECEIVED)
    assert (event.event_type, event.provider_reason) == (EventType.COMPLAINT, "abuse")
    ((_, application),) = decisions(report)
    assert (application.action, application.source) == ("suppress", "complaint")


def test_not_spam_feedback_is_recorded_but_is_no_complaint():
    report = read("rfc5965-not-spam.eml")
    assert report.kind is Kind.NOT_BOUNCE
    assert "not-spam" in report.reason
    ((_, application),) = decisions(report)
    assert application.action == "ignore"


def test_a_redacted_complaint_recipient_comes_from_verp_or_is_reported_missing():
    with_verp = read("rfc5965-redacted.eml", verp=VERP)
    assert [(e.recipient, e.found_by) for e in with_verp.recipients] == [
        ("jane.doe@example.net", Found.VERP)
    ]
    without = read("rfc5965-redacted.eml")
    assert without.kind is Kind.COMPLAINT
    assert without.recipients[0].recipient is None
    assert without.reason.startswith("recipient not found")
    assert to_events(without, RECEIVED) == []


def test_an_auto_reply_is_recorded_as_5001_and_never_counted():
    report = read("rfc3834-vacation.eml", verp=VERP)
    assert report.kind is Kind.AUTO_REPLY
    ((recipient, application),) = decisions(report)
    assert recipient == "jane.roe@example.net"
    assert (application.code, application.action) == (5001, "ignore")


def test_the_same_message_twice_gives_the_same_event_ids():
    raw = (RFC / "rfc3464-multi.eml").read_bytes()
    first = [e.event_id for e in to_events(parse_message(raw), RECEIVED)]
    again = [e.event_id for e in to_events(parse_message(raw), RECEIVED + 60_000)]
    assert first == again
    assert len(set(first)) == 3


def test_a_plain_message_is_not_a_bounce_and_says_why():
    raw = b"From: a@example.com\r\nTo: b@example.org\r\nSubject: lunch?\r\n\r\nNoon?\r\n"
    report = parse_message(raw)
    assert report.kind is Kind.NOT_BOUNCE
    assert report.reason == "no delivery-status or feedback report, failure notice or auto-reply"
    assert to_events(report, RECEIVED) == []


def test_a_bad_verp_template_is_refused():
    from app.mail import TemplateError

    with pytest.raises(TemplateError, match="local"):
        parse_message(b"Subject: x\r\n\r\n", verp="bounces@example.com")
