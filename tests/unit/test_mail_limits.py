"""app.mail's limits: size, nesting and part count refused with MailRejected naming the limit,
before the stdlib parser does the work a MIME bomb asks for."""

import pytest

from app.mail import MailLimits, MailRejected, MessageTooComplex, MessageTooLarge, parse_message


def nested(depth: int) -> bytes:
    head = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(depth)
    )
    tail = b"".join(b"\r\n--b%d--\r\n" % i for i in reversed(range(depth)))
    return b"Subject: deep\r\nMIME-Version: 1.0\r\n" + head + b"\r\nleaf\r\n" + tail


def many_parts(count: int) -> bytes:
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\npart\r\n" for _ in range(count))
    return (
        b'Subject: wide\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + parts
        + b"--b--\r\n"
    )


def test_a_message_over_max_bytes_is_too_large():
    with pytest.raises(MessageTooLarge, match=r"more than the limit of 1024 \(max_bytes\)"):
        parse_message(b"Subject: x\r\n\r\n" + b"x" * 2000, limits=MailLimits(max_bytes=1024))


def test_the_default_size_limit_is_ten_mib():
    assert MailLimits().max_bytes == 10 * 1024 * 1024
    with pytest.raises(MailRejected, match="max_bytes"):
        parse_message(b"Subject: x\r\n\r\n" + b"x" * (10 * 1024 * 1024))


def test_deep_nesting_is_too_complex():
    with pytest.raises(MessageTooComplex, match=r"\(max_depth\)"):
        parse_message(nested(30), limits=MailLimits(max_depth=20))
    assert parse_message(nested(10), limits=MailLimits(max_depth=20)).kind == "not_bounce"


def test_a_bomb_of_nested_containers_is_refused_before_parsing():
    with pytest.raises(MessageTooComplex, match=r"\(max_parts\)"):
        parse_message(nested(50_000))


def test_thousands_of_parts_are_too_complex():
    with pytest.raises(MessageTooComplex, match=r"5001 parts, more than the limit of 500"):
        parse_message(many_parts(5000))
    assert parse_message(many_parts(100)).kind == "not_bounce"
