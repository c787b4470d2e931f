"""app.mail on the families the seventh batch (check4, now dev5, after its blind figure was
recorded) showed it missed: an automatic answer marked `Auto-Submitted: auto-generated`
instead of `auto-replied`, and an unsubscribe request whose subject carries the token of the
List-Unsubscribe mailto, or that Apple Mail marks as its own. Each on a message written here
for the family, on the dev5 message that showed it, and on the edge the change must not move."""

import email
from pathlib import Path

import pytest

from app.mail import Found, Kind, parse_message, to_events
from app.mail.autoreply import reason

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
RECEIVED = 1_790_000_000_000


def mail(text: str) -> bytes:
    return text.lstrip().replace("\n", "\r\n").encode()


def answer(extra: str, subject: str) -> bytes:
    return mail(f"""
From: Ana <ana@example.net>
To: news@example.com
Subject: {subject}
Message-ID: <a1@example.net>
{extra}
Content-Type: text/plain

I am away until Monday.
""")


@pytest.mark.parametrize(
    ("extra", "subject"),
    [
        ("Auto-Submitted: auto-generated", "Re: Spring sale"),
        ("Auto-Submitted: auto-generated", "AW: Frühjahrsangebot"),
        ("Auto-Submitted: auto-generated\nIn-Reply-To: <m1@example.com>", "Spring sale"),
    ],
)
def test_an_auto_generated_answer_to_our_mail_is_an_auto_reply(extra, subject):
    report = parse_message(answer(extra, subject))
    assert report.kind is Kind.AUTO_REPLY
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by) == ("ana@example.net", Found.HEADERS)


def test_the_discourse_sieve_answer_is_an_auto_reply():
    report = parse_message((MAIL / "discourse" / "auto_reply.eml").read_bytes())
    assert report.kind is Kind.AUTO_REPLY
    assert [e.recipient for e in report.recipients] == ["jake@adventuretime.ooo"]


def test_auto_generated_mail_that_answers_nothing_is_no_auto_reply():
    invoice = email.message_from_bytes(answer("Auto-Submitted: auto-generated", "Your invoice"))
    assert reason(invoice) == ""
    report = parse_message((MAIL / "discourse" / "auto_generated_header.eml").read_bytes())
    assert report.kind is Kind.NOT_BOUNCE
    # Sendmail marks its failure notices auto-generated too: they stay bounces
    failure = parse_message((MAIL / "pyemail" / "msg_25.eml").read_bytes())
    assert failure.kind is Kind.BOUNCE


@pytest.mark.parametrize(
    ("extra", "subject"),
    [
        ("", "unsubscribe"),
        ("", "Unsubscribe 8b8ed6c0-f9cc-4a5f-afbb-fde079b94f44@example.com"),
        ("", "UNSUBSCRIBE list-42"),
        ("X-Apple-Unsubscribe: true\nAuto-Submitted: auto-replied", "Stop these mails"),
    ],
)
def test_an_unsubscribe_request_is_no_bounce_and_no_auto_reply(extra, subject):
    report = parse_message(answer(extra, subject))
    assert report.kind is Kind.NOT_BOUNCE
    assert report.reason == "an unsubscribe request (List-Unsubscribe mailto)"
    assert to_events(report, RECEIVED) == []


def test_the_ripe_unsubscribe_mails_are_no_auto_replies():
    for name in ("unsubscribeAppleMail.eml", "unsubscribeGmail.eml"):
        report = parse_message((MAIL / "ripe" / name).read_bytes())
        assert report.kind is Kind.NOT_BOUNCE, name
        assert to_events(report, RECEIVED) == [], name


def test_a_notice_or_reply_that_merely_mentions_unsubscribing_is_read_as_before():
    vacation = parse_message(
        answer("Auto-Submitted: auto-replied", "Unsubscribe requests are handled on Monday")
    )
    assert vacation.kind is Kind.AUTO_REPLY
    bounce = parse_message(
        mail("""
From: MAILER-DAEMON@mx.example.net
To: news@example.com
Subject: Undeliverable: unsubscribe
Content-Type: text/plain

Delivery to the following recipient failed permanently:

     gone@example.net
""")
    )
    assert bounce.kind is Kind.BOUNCE
    assert [e.recipient for e in bounce.recipients] == ["gone@example.net"]
