"""How app.mail reads the conventions MTAs share, each on a message written here for it (not a
corpus copy): a notice known by its text alone, a transcript's bare RCPT TO, a sender spelled
post_master, a Content-Type that lost its ";", Sendmail's delay warning subject, a filter
relaying the DSN it got, a list of failed recipients one a line."""

import pytest

from app.ingest import plan
from app.mail import Found, Kind, parse_message, to_events
from app.policy import Policy

RECEIVED = 1_790_000_000_000


def mail(text: str) -> bytes:
    return text.lstrip().replace("\n", "\r\n").encode()


def test_a_notice_under_a_plain_subject_is_known_by_the_failure_its_text_states():
    report = parse_message(
        mail("""
From: no-reply@mx.example.net
To: sender@example.org
Subject: Mail
Message-ID: <n1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Your mail sent on: Mon, 2 Mar 2026 10:00:00 +0000
     Could not be delivered to: <full@example.net>
     As their mailbox is full.

--b
Content-Type: message/rfc822

From: sender@example.org
To: full@example.net
Subject: hello

hi
--b--
""")
    )
    assert report.kind is Kind.BOUNCE
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by) == ("full@example.net", Found.TEXT)
    assert "mailbox is full" in entry.diagnostic


def test_a_person_writing_that_mail_could_not_be_delivered_is_no_bounce():
    report = parse_message(
        mail("""
From: Alice <alice@example.org>
To: help@example.com
Subject: question

My newsletter could not be delivered to bob@example.net, can you check why?
""")
    )
    assert report.kind is Kind.NOT_BOUNCE
    assert report.recipients == ()


def test_a_transcript_rcpt_to_without_brackets_and_a_post_master_sender():
    report = parse_message(
        mail("""
From: post_master@sms.example.net
To: sender@example.org
Subject: Re: hello
Date: 12 Jun 2026 02:21:53 -0000

Error: Invalid user address

Error message below:
550 - Requested action not taken: no such user here

Message details:
  Subject: hello
  MAIL FROM: sender@example.org
  RCPT TO: 5550100@sms.example.net
  From: sender@example.org
""")
    )
    assert report.kind is Kind.BOUNCE
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by) == ("5550100@sms.example.net", Found.TEXT)


def test_a_text_part_whose_content_type_lost_its_semicolon_is_still_read():
    report = parse_message(
        mail("""
From: "Mail Deliver System" <MAILER-DAEMON@mx.example.net>
To: sender@example.org
Subject: Returned Mail: User unknown
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain
   charset="us-ascii"

---The following addresses had delivery errors---

gone@example.net [User unknown]

--b--
""")
    )
    assert report.kind is Kind.BOUNCE
    assert [e.recipient for e in report.recipients] == ["gone@example.net"]


def test_sendmails_warning_subject_is_a_delay_and_a_soft_bounce():
    report = parse_message(
        mail("""
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
To: sender@example.org
Subject: Warning: could not send message for past 4 hours

   ----- Transcript of session follows -----
<slow@example.net>... Deferred: Connection timed out with mx.example.net.
""")
    )
    assert report.kind is Kind.DEFERRAL
    (entry,) = report.recipients
    assert (entry.recipient, entry.action) == ("slow@example.net", "delayed")
    (event,) = to_events(report, RECEIVED)
    assert plan(event, Policy()).action == "soft"


def test_a_filter_relaying_the_dsn_it_got_reports_the_inner_recipient():
    report = parse_message(
        mail("""
From: MAILER-DAEMON@filter.example.org
To: Notifications <notifications@filter.example.org>
Subject: Returned mail: User unknown
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

----- The following addresses had permanent delivery errors -----

--outer
Content-Type: message/rfc822

From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>
To: sender@example.org
Subject: Returned mail: User unknown
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="inner"

--inner
Content-Type: text/plain

The following addresses had permanent delivery errors: gone@example.net

--inner
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; gone@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--inner
Content-Type: message/rfc822

From: sender@example.org
To: gone@example.net
Subject: hello

hi
--inner--
--outer--
""")
    )
    assert report.kind is Kind.BOUNCE
    (entry,) = report.recipients
    assert (entry.recipient, entry.found_by, entry.status) == (
        "gone@example.net",
        Found.DSN,
        "5.1.1",
    )
    (event,) = to_events(report, RECEIVED)
    assert plan(event, Policy()).action == "suppress"


NOTICE = """
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: sender@example.org
Subject: {subject}

{body}
"""

LISTS = {
    "exim": (
        "Mail delivery failed: returning message to sender",
        """A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  jane@example.net
    mailbox is full: retry timeout exceeded
  joe@example.net
    Unrouteable address""",
    ),
    "exchange": (
        "Undeliverable: hello",
        """Delivery has failed to these recipients or groups:

Jane Doe (jane@example.net)
The e-mail address you entered couldn't be found.

'Joe Bloggs' <joe@example.net>
The recipient's mailbox is full and can't accept messages now.""",
    ),
    "sendmail": (
        "Returned mail: see transcript for details",
        """   ----- The following addresses had permanent fatal errors -----
<jane@example.net>
    (reason: 550 5.1.1 User unknown)
<joe@example.net>
    (reason: 552 5.2.2 Mailbox full)

   ----- Transcript of session follows -----
... while talking to mx.example.net.:
<<< 550 5.1.1 postmaster@example.net says: no""",
    ),
    "opensmtpd": (
        "Delivery status notification: error",
        """Hi!

This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.

An error has occurred while attempting to deliver a message for
the following list of recipients:

jane@example.net: 550 5.1.1 User unknown
joe@example.net: 552 5.2.2 Mailbox full

Below is a copy of the original message:

From: sender@example.org
To: jane@example.net, joe@example.net, ann@example.net""",
    ),
}

# Each recipient's own reason in each list above.
JANE = {
    "exim": "retry timeout exceeded",
    "exchange": "couldn't be found",
    "sendmail": "User unknown",
    "opensmtpd": "User unknown",
}
JOE = {
    "exim": "Unrouteable address",
    "exchange": "mailbox is full",
    "sendmail": "Mailbox full",
    "opensmtpd": "Mailbox full",
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_of_failed_recipients_gives_each_one_with_its_own_reason(name):
    subject, body = LISTS[name]
    report = parse_message(mail(NOTICE.format(subject=subject, body=body)))
    assert report.kind is Kind.BOUNCE
    got = {e.recipient: e.found_by for e in report.recipients}
    assert got == {"jane@example.net": Found.TEXT, "joe@example.net": Found.TEXT}
    jane, joe = sorted(report.recipients, key=lambda e: e.recipient)
    assert JANE[name] in jane.diagnostic
    assert JOE[name] not in jane.diagnostic
    assert JOE[name] in joe.diagnostic
    assert JANE[name] not in joe.diagnostic


def test_the_list_ends_where_the_returned_headers_begin():
    body = """There was an error delivering your mail to the following recipients:

<jane@example.net>: 550 5.1.1 User unknown

Message headers follow.

From: Sender <sender@example.org>
To: <jane@example.net>
Message-Id: <abc.123@mx.example.org>
Reply-To: <helpdesk@example.org>"""
    report = parse_message(mail(NOTICE.format(subject="Mail delivery failed", body=body)))
    assert [e.recipient for e in report.recipients] == ["jane@example.net"]
