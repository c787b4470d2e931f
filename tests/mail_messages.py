"""Bounce, complaint and other messages for the ways mail gets in, written for these tests
from the RFCs' shapes (RFC 3464 DSNs, RFC 5965 ARF reports, RFC 3834 auto-replies)."""

from __future__ import annotations

import itertools

_IDS = itertools.count(1)


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


def dsn(
    recipient: str,
    *,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = "smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown",
    message_id: str = "",
) -> bytes:
    """A Postfix-style delivery status notification for one recipient."""
    n = next(_IDS)
    message_id = message_id or f"<dsn-{n}.{recipient}@mx.example.net>"
    subject = "Delayed Mail (still being retried)" if action == "delayed" else "Undelivered Mail"
    return _crlf(
        f"""Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: bounces@sender.example.com
Subject: {subject} Returned to Sender
Date: Mon, 02 Mar 2026 09:00:{n % 60:02d} +0000
Message-ID: {message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="BOUNDARY{n}"

--BOUNDARY{n}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host mx.recipient.example[192.0.2.10] said: {status}

--BOUNDARY{n}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 02 Mar 2026 08:59:00 +0000

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.recipient.example
Diagnostic-Code: {diagnostic.format(rcpt=recipient)}
Last-Attempt-Date: Mon, 02 Mar 2026 09:00:00 +0000

--BOUNDARY{n}
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: news@sender.example.com
To: {recipient}
Subject: Our newsletter
Message-ID: <original-{n}@sender.example.com>

--BOUNDARY{n}--
"""
    )


def arf(recipient: str, *, feedback_type: str = "abuse") -> bytes:
    """An RFC 5965 feedback report about a message sent to `recipient`."""
    n = next(_IDS)
    return _crlf(
        f"""From: feedback@fbl.mailbox.example
To: fbl@sender.example.com
Subject: FW: Our newsletter
Date: Mon, 02 Mar 2026 10:00:{n % 60:02d} +0000
Message-ID: <arf-{n}@fbl.mailbox.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
 boundary="ARF{n}"

--ARF{n}
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message received from IP
192.0.2.1 on Mon, 02 Mar 2026 09:00:00 +0000.

--ARF{n}
Content-Type: message/feedback-report

Feedback-Type: {feedback_type}
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <bounces@sender.example.com>
Original-Rcpt-To: <{recipient}>
Arrival-Date: Mon, 02 Mar 2026 09:00:00 +0000
Source-IP: 192.0.2.1

--ARF{n}
Content-Type: message/rfc822
Content-Disposition: inline

From: news@sender.example.com
To: {recipient}
Subject: Our newsletter
Message-ID: <original-arf-{n}@sender.example.com>
Date: Mon, 02 Mar 2026 08:59:00 +0000

Hello.

--ARF{n}--
"""
    )


def auto_reply(sender: str) -> bytes:
    """An RFC 3834 vacation reply from `sender`."""
    n = next(_IDS)
    return _crlf(
        f"""From: {sender}
To: news@sender.example.com
Subject: Out of office: Our newsletter
Date: Mon, 02 Mar 2026 11:00:{n % 60:02d} +0000
Message-ID: <vacation-{n}@mailbox.example>
Auto-Submitted: auto-replied
In-Reply-To: <original-{n}@sender.example.com>
Content-Type: text/plain; charset=utf-8

I am away until Monday and will read your message when I return.
"""
    )


def plain(sender: str = "someone@example.org") -> bytes:
    """A message that is no bounce at all."""
    n = next(_IDS)
    return _crlf(
        f"""From: {sender}
To: bounces@sender.example.com
Subject: Question about my order
Date: Mon, 02 Mar 2026 12:00:{n % 60:02d} +0000
Message-ID: <question-{n}@example.org>
Content-Type: text/plain; charset=utf-8

Hello, where is my parcel?
"""
    )


def mime_bomb(depth: int = 0, parts: int = 0) -> bytes:
    """A multipart nested `depth` deep, or one with `parts` parts."""
    lines = [
        "From: a@example.org",
        "To: bounces@sender.example.com",
        "Subject: bomb",
        "Message-ID: <bomb@example.org>",
        "MIME-Version: 1.0",
    ]
    body = ["Content-Type: text/plain", "", "x"]
    for level in range(depth):
        body = [
            f'Content-Type: multipart/mixed; boundary="b{level}"',
            "",
            f"--b{level}",
            *body,
            f"--b{level}--",
        ]
    if parts:
        body = ['Content-Type: multipart/mixed; boundary="p"', ""]
        for _ in range(parts):
            body += ["--p", "Content-Type: text/plain", "", "x"]
        body.append("--p--")
    return "\r\n".join(lines + body).encode() + b"\r\n"
