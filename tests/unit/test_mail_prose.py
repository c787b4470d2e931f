"""Failure notices without a DSN part, auto-replies and VERP, on dev-part messages of the
labelled set: the recipient read from the text, the evidence the classifier gets, and the
decision the same policy as every webhook makes."""

from pathlib import Path

import pytest

from app.ingest import plan
from app.mail import Found, Kind, parse_message, to_events
from app.policy import Policy

SISIMAI = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "sisimai"
RECEIVED = 1_790_000_000_000


def read(name: str, **options):
    return parse_message((SISIMAI / name).read_bytes(), **options)


def decisions(report):
    return {e.recipient: plan(e, Policy()) for e in to_events(report, RECEIVED)}


def test_qmail_names_each_failed_recipient_with_its_own_reply():
    report = read("lhost-qmail-17.eml")
    assert report.kind is Kind.BOUNCE
    got = {e.recipient: (e.found_by, e.status, e.smtp_code) for e in report.recipients}
    assert got == {
        "userunknown@libsisimai.net": (Found.TEXT, "5.1.1", "550"),
        "mailboxfull@libsisimai.net": (Found.TEXT, "5.2.2", "552"),
    }
    decided = decisions(report)
    assert (
        decided["userunknown@libsisimai.net"].code,
        decided["userunknown@libsisimai.net"].action,
    ) == (2001, "suppress")
    assert decided["mailboxfull@libsisimai.net"].code == 3001


def test_exim_failed_recipients_header_and_its_smtp_error():
    report = read("lhost-exim-02.eml")
    assert [(e.recipient, e.found_by) for e in report.recipients] == [
        ("kijitora@example.jp", Found.HEADERS),
        ("sabatora@example.jp", Found.HEADERS),
    ]
    assert report.recipients[0].diagnostic.startswith("SMTP error from remote mail server")
    assert decisions(report)["kijitora@example.jp"].code == 2001


def test_exim_inline_copy_gives_the_returned_headers():
    report = read("lhost-exim-04.eml")  # no address in the notice, the copy's To names it
    assert [(e.recipient, e.found_by) for e in report.recipients] == [
        ("kijitora@example.ed.jp", Found.HEADERS)
    ]


@pytest.mark.parametrize(
    ("name", "recipient", "found_by"),
    [
        ("lhost-notes-03.eml", "kijitora@example.com", Found.TEXT),  # reason above the address
        ("lhost-exchange2003-04.eml", "kijitora@example.com", Found.TEXT),  # "addr on <date>"
        ("lhost-yahoo-01.eml", "kijitora@example.org", Found.TEXT),
        ("lhost-gmail-16.eml", "mailboxfull@bouncehammer.jp", Found.HEADERS),  # X-Failed-Recipients
        ("rfc3464-37.eml", "kijitora@neko.nyaan.example.com", Found.TEXT),  # "Failed addresses"
    ],
)
def test_non_standard_notices_name_their_recipient(name, recipient, found_by):
    report = read(name)
    assert report.kind is Kind.BOUNCE
    assert [(e.recipient, e.found_by) for e in report.recipients] == [(recipient, found_by)]


def test_a_gmail_delay_notice_is_a_soft_bounce_on_what_it_names():
    report = read("lhost-gmail-09.eml")
    assert report.kind is Kind.DEFERRAL
    (entry,) = report.recipients
    assert "retried" not in entry.diagnostic  # the framing is not the evidence
    ((recipient, application),) = decisions(report).items()
    assert recipient == "kijitora@9jo.example.jp"
    assert (application.action, application.code) == ("soft", 4003)


def test_a_broken_multipart_still_yields_its_dsn_fields():
    report = read("rfc3464-35.eml")  # the report part swallowed by the text part before it
    assert [(e.recipient, e.action) for e in report.recipients] == [
        ("kijitora@nyaan.example.com", "failed"),
        ("sabatora@cat.example.net", "delayed"),
        ("mikeneko@neko.example.or.jp", "failed"),
    ]


def test_microsoft_jmrp_is_a_complaint_about_the_returned_recipient():
    report = read("arf-22.eml")
    assert (report.kind, report.user_agent) == (Kind.COMPLAINT, "Microsoft JMRP")
    assert [(e.recipient, e.found_by) for e in report.recipients] == [
        ("kijitora@example.com", Found.HEADERS)
    ]


def test_every_original_rcpt_to_of_an_arf_report_is_a_complaint():
    report = read("arf-17.eml")
    assert {e.recipient for e in report.recipients} == {
        "kijitora@example.com",
        "sabatora@example.net",
    }
    assert {a.source for a in decisions(report).values()} == {"complaint"}


def test_dmarc_failure_reports_are_not_complaints():
    report = read("arf-18.eml")
    assert (report.kind, report.feedback_type) == (Kind.NOT_BOUNCE, "auth-failure")
    assert {a.action for a in decisions(report).values()} == {"ignore"}


def test_verp_decodes_the_recipient_a_notice_went_back_for():
    raw = (
        (SISIMAI / "lhost-qmail-01.eml")
        .read_bytes()
        .replace(b"To: nekochan@example.jp", b"To: bounces+Kiji.Tora=example.ne.jp@example.com", 1)
    )
    template = "bounces+{local}={domain}@example.com"
    report = parse_message(raw, verp=template)
    assert [(e.recipient, e.found_by) for e in report.recipients] == [
        ("kiji.tora@example.ne.jp", Found.VERP)
    ]
    assert report.recipients[0].smtp_code == "550"


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: News",
        "Automatic reply: News",
        "Abwesenheitsnotiz: News",
        "Réponse automatique : News",
        "Respuesta automática: News",
        "Risposta automatica: News",
        "Automatisch antwoord: News",
        "自動応答: News",
        "=?UTF-8?B?6Ieq5Yqo5Zue5aSNOiBOZXdz?=",  # 自动回复 in an RFC 2047 word
    ],
)
def test_vacation_subjects_in_several_languages_are_auto_replies(subject):
    raw = (
        f"From: Jane <jane@example.net>\r\nTo: news@example.com\r\nSubject: {subject}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nBack on Monday.\r\n"
    ).encode()
    report = parse_message(raw)
    assert report.kind is Kind.AUTO_REPLY
    ((recipient, application),) = decisions(report).items()
    assert (recipient, application.code, application.action) == ("jane@example.net", 5001, "ignore")


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "X-Autoreply: yes",
        "X-Autorespond: on",
        "Precedence: auto_reply",
    ],
)
def test_auto_reply_headers(header):
    raw = f"From: a@example.net\r\nTo: b@example.com\r\nSubject: Re: hi\r\n{header}\r\n\r\nx\r\n"
    assert parse_message(raw.encode()).kind is Kind.AUTO_REPLY


def test_a_list_unsubscribe_request_is_not_a_bounce():
    report = read("arf-26.eml")
    assert report.kind is Kind.NOT_BOUNCE
    assert "unsubscribe" in report.reason


@pytest.mark.parametrize(
    ("name", "kind", "recipient", "action"),
    [
        ("lhost-amazonses-09.eml", Kind.BOUNCE, "bounce@simulator.amazonses.com", "suppress"),
        ("lhost-amazonses-10.eml", Kind.BOUNCE, "bounce@simulator.amazonses.com", "suppress"),
        ("lhost-amazonses-11.eml", Kind.COMPLAINT, "complaint@simulator.amazonses.com", "suppress"),
        ("lhost-amazonses-12.eml", Kind.DELIVERY, "success@simulator.amazonses.com", "reset"),
    ],
)
def test_ses_notifications_mailed_by_an_sns_email_subscription(name, kind, recipient, action):
    """The bare notification (09, 11, 12) and the SNS envelope around it (10), both with the
    long lines the mail wrapped inside JSON strings."""
    report = read(name)
    assert report.kind is kind
    ((found, application),) = decisions(report).items()
    assert (found, application.action) == (recipient, action)


def test_dragonfly_names_the_recipient_in_its_first_sentence():
    report = read("lhost-dragonfly-04.eml")  # a postmaster address is a recipient like any
    assert [e.recipient for e in report.recipients] == ["postmaster@cx.libsisimai.org"]
    assert "DNS lookup failure" in report.recipients[0].diagnostic
