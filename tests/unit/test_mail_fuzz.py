"""parse_message on hostile input: random bytes, random MIME trees, mutated real reports and
invalid encodings. It may refuse a message only with MailRejected (a limit); anything else
comes back as a report, and never through the last-resort guard ("unreadable message"), which
would mean the reading itself tripped."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.mail import Kind, MailLimits, MailRejected, parse_message, to_events

SISIMAI = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "sisimai"
SAMPLES = [
    (SISIMAI / name).read_bytes()
    for name in ("rfc3464-01.eml", "arf-02.eml", "lhost-qmail-17.eml", "lhost-exim-02.eml")
]
LIMITS = MailLimits(max_bytes=256 * 1024, max_depth=12, max_parts=200)
TEMPLATE = "bounces+{local}={domain}@example.com"


def check(raw: bytes) -> None:
    try:
        report = parse_message(raw, verp=TEMPLATE, limits=LIMITS)
    except MailRejected:
        return
    assert not report.reason.startswith("unreadable message"), report.reason
    for event in to_events(report, 1_790_000_000_000):
        assert event.recipient
        assert event.provider == "email"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes(raw):
    check(raw)


FIELD_NAMES = st.sampled_from(
    [
        "Final-Recipient",
        "Original-Recipient",
        "Action",
        "Status",
        "Diagnostic-Code",
        "Feedback-Type",
        "Original-Rcpt-To",
        "Arrival-Date",
        "Last-Attempt-Date",
        "Remote-MTA",
        "To",
        "From",
        "Subject",
        "Auto-Submitted",
        "X-Failed-Recipients",
        "Content-Transfer-Encoding",
        "X-HmXmrOriginalRecipient",
    ]
)
VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "rfc822; a@example.com",
            "rfc822;",
            "<>",
            "failed",
            "delayed",
            "5.1.1",
            "9.9.9.9",
            "smtp; 550 5.1.1 no",
            "=?x-unknown?B?////?=",
            "=?utf-8?Q?=FF=FE?=",
            "Thu, 99 Foo 99999 99:99:99 +9999",
            "abuse",
            "base64",
            "quoted-printable",
            "a@",
            "@b",
            '"\\"@x',
        ]
    ),
)
CONTENT_TYPES = st.sampled_from(
    [
        "text/plain",
        "text/plain; charset=nonexistent",
        "text/html; charset=utf-16",
        "message/delivery-status",
        "message/feedback-report",
        "message/rfc822",
        "text/rfc822-headers",
        "message/global-delivery-status",
        "multipart/report; report-type=delivery-status",
        "multipart/mixed",
        "application/octet-stream",
    ]
)


@st.composite
def mime(draw, depth=0):
    headers = draw(st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=6))
    kind = draw(CONTENT_TYPES)
    lines = [f"{name}: {value}" for name, value in headers]
    if kind.startswith("multipart/") and depth < 4:
        boundary = f"b{depth}x{draw(st.integers(0, 999))}"
        children = draw(st.lists(mime(depth=depth + 1), max_size=4))
        body = "".join(f"--{boundary}\r\n{child}\r\n" for child in children) + f"--{boundary}--"
        lines.append(f'Content-Type: {kind}; boundary="{boundary}"')
    else:
        lines.append(f"Content-Type: {kind}")
        fields = draw(st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=8))
        noise = draw(st.text(max_size=120))
        body = "\r\n".join(f"{n}: {v}" for n, v in fields) + "\r\n\r\n" + noise
    return "\r\n".join(lines) + "\r\n\r\n" + body


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mime())
def test_random_mime_trees(message):
    check(message.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from(SAMPLES),
    st.lists(
        st.tuples(st.integers(0, 10**6), st.binary(max_size=8), st.integers(0, 8)), max_size=8
    ),
)
def test_mutated_real_reports(sample, edits):
    raw = bytearray(sample)
    for at, insert, remove in edits:
        at %= len(raw) + 1
        raw[at : at + remove] = insert
    check(bytes(raw))


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: =?utf-8?B?not base64!!?=\r\nFrom: =?bogus-charset?Q?x?= <a@b.c>\r\n\r\nx",
        b'Content-Type: text/plain; charset="\xff\xfe"\r\nContent-Transfer-Encoding: base64\r\n'
        b"\r\n!!!! not base64 ####",
        b"Content-Type: multipart/report; boundary=\r\n\r\n--\r\n--\r\n",
        b"Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAZXhhbXBsZS5jb20=\r\n",
        b"\xff\xfe\x00\x00" * 100,
        b"From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\nBcc: c@example.org\r\n"
        b"X-Injected: y\r\n\r\n",
        b"Subject: Undeliverable\r\nFrom: MAILER-DAEMON@x.example\r\n\r\n<\x00@\x00>:\r\n550",
        # RFC 2231 parameters whose declared charset holds a NUL: the stdlib raises ValueError
        # ("embedded null character") from get_filename / get_param, not LookupError
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: application/gzip; name*=ut\x00f''x%E9.xml.gz\r\n\r\nx\r\n--b--\r\n",
        b"Content-Type: multipart/report; report-type*=ut\x00f''delivery-status; boundary=b"
        b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n",
    ],
)
def test_invalid_encodings_and_broken_structure(raw):
    check(raw)


def test_header_injection_cannot_forge_a_recipient():
    """A CR or LF smuggled into an address field does not make a second recipient or a
    malformed one: addresses with control characters are refused (app.addresses)."""
    raw = (
        b"From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; victim@example.com\rBcc: other@example.com\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"
    )
    report = parse_message(raw)
    assert report.kind is Kind.BOUNCE
    assert [e.recipient for e in report.recipients] == ["victim@example.com"]
