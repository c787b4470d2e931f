"""app.mail on the conventions the fifth batch's dev2 messages (tests/fixtures/mail/, from
Exim's test suite, flanker and MimeKit) showed it missed: a byte-order mark before the first
header, a quoted local part, a single-label domain in a report's own fields, and Exim's
notice of a failure that was no address (a system filter's pipe). Each on the dev2 message
that showed it, and on the edge the change must not move."""

from pathlib import Path

from app.ingest import plan
from app.mail import Found, Kind, parse_message, to_events
from app.mail.fields import address, valid
from app.policy import Policy

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
RECEIVED = 1_790_000_000_000


def read(name: str):
    return parse_message((MAIL / name).read_bytes())


def test_a_report_saved_with_a_byte_order_mark_is_read_from_its_first_header():
    raw = (MAIL / "mimekit" / "feedback-report.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    report = parse_message(raw)
    assert (report.kind, report.feedback_type) == (Kind.COMPLAINT, "abuse")
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by) == ("user@example.com", Found.ARF)
    (event,) = to_events(report, RECEIVED)
    application = plan(event, Policy())
    assert (application.action, application.source) == ("suppress", "complaint")


def test_a_quoted_local_part_is_kept_whole():
    report = read("exim/0103.CALLER.eml")
    assert report.kind is Kind.BOUNCE
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by) == ('"abc@x.y.z"@test.ex', Found.DSN)
    assert address('rfc822; "John Doe"@example.com') is None  # a space is no mailbox key
    assert address('rfc822; "user@example.com"') == "user@example.com"  # quotes around all
    assert address("rfc822; <user@example.com>") == "user@example.com"


def test_a_single_label_domain_counts_in_report_fields_but_not_in_prose():
    report = read("exim/4700.CALLER.eml")
    (entry,) = report.recipients
    assert (entry.recipient, entry.status, entry.smtp_code) == ("userx@domain1", "5.0.0", "550")
    assert address("rfc822; userx@domain1") == "userx@domain1"
    assert valid("userx@domain1") is None  # found in text: not taken for an address


def test_an_exim_failure_that_is_no_address_names_no_recipient():
    for name in ("exim/4124.CALLER.eml", "exim/4154.CALLER.eml"):
        report = read(name)
        assert report.kind is Kind.BOUNCE, name
        assert not any(e.recipient for e in report.recipients), name
        assert report.reason.startswith("recipient not found"), name
        assert to_events(report, RECEIVED) == [], name


def test_an_exim_notice_whose_header_names_addresses_still_lists_them():
    report = read("exim/0194.CALLER.eml")
    assert [e.recipient for e in report.recipients] == [
        "userz@myhost.test.ex",
        "usery@myhost.test.ex",
        "userx@myhost.test.ex",
    ]
