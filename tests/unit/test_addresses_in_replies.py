"""An e-mail address in a reply is a name, not words of the reply: a mailbox called spam@ or a
domain called blocked.example says nothing about why the mail failed. The rules read every
address as `x@x.x` (app/classify `_read`), so the rules that read across one still see that an
address is there."""

import pytest

from app.classify import Evidence, _read, classify


@pytest.mark.parametrize(
    ("smtp_code", "text", "code", "matched_by"),
    [
        # cause words inside an address decide nothing, and leave a dead address certain
        (
            "550",
            "550 5.1.1 <spam@example.org>: Recipient address rejected: User unknown",
            2001,
            "text:user-unknown",
        ),
        ("550", "550 5.1.1 <virus-scanner@example.org>: user unknown", 2001, "text:user-unknown"),
        (
            "550",
            "550 5.1.1 <abuse@example.org>: user unknown in virtual mailbox table",
            2001,
            "text:user-unknown",
        ),
        (
            "550",
            "550 5.1.1 <bob@blocked.example>: Recipient address rejected: User unknown",
            2001,
            "text:user-unknown",
        ),
        ("550", "550 <dmarc-reports@example.org> no such user here", 2001, "text:user-unknown"),
        (
            "550",
            "550 5.1.1 <sender.blacklist@example.org>: user unknown",
            2001,
            "text:user-unknown",
        ),
        ("452", "452 4.2.2 <bob@spamfilter.example.net>: mailbox full", 3001, "text:mailbox-full"),
        ("552", "552 5.2.2 phishing-reports@example.org: mailbox full", 3001, "text:mailbox-full"),
        # dead-address texts that name the address are still dead
        ("550", "550 L'adresse bob@example.fr n'existe pas", 2001, "text:user-unknown"),
        (
            "550",
            "550 5.1.1 <Bob.Smith+news@Example.ORG>... User unknown",
            2001,
            "text:user-unknown",
        ),
    ],
)
def test_words_inside_an_address_are_not_read(smtp_code, text, code, matched_by):
    result = classify(Evidence(smtp_code=smtp_code, diagnostic=text))
    assert (result.code, result.matched_by, result.grade.value) == (code, matched_by, "text")


@pytest.mark.parametrize(
    ("text", "code", "matched_by"),
    [
        # the rules that read across an address still see one
        ("551 User not local; please try <bob@new.example>", 2004, "+forward"),
        (
            "550 Verification failed for <bob@example.org>: no such user",
            2001,
            "+doubt:verification failed for <",
        ),
        ("550 Sender verify failed for <bounces@example.org>: no such user", 1999, ""),
        # a sender's address rejected is still ours, whatever its local part says
        ("550 Invalid sender 'user@example.org' - rejecting this message", 1999, ""),
    ],
)
def test_rules_that_read_across_an_address_still_do(text, code, matched_by):
    result = classify(Evidence(smtp_code=text[:3], diagnostic=text))
    assert result.code == code
    assert matched_by in result.matched_by


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("550 <Spam.Reports+x=y@Mail.Example.org>: no", "550 <x@x.x>: no"),
        ("srs0=ab=cd=example.com=bob@fwd.example.net. next", "x@x.x. next"),
        ("rcpt to:<bob@localhost>", "rcpt to:<x@x.x>"),
        # not an address: a syntax reply's quoted "@", a path's "@name", a CJK sentence's words
        ('501 " @ " or "." expected', '501 " @ " or "." expected'),
        ("see https://example.org/@spam/x", "see https://example.org/@spam/x"),
        ("地址bob@example.com不存在", "地址x@x.x不存在"),
    ],
)
def test_what_is_read_as_an_address(text, read):
    assert _read(text) == read


def test_a_long_run_without_an_address_is_read_in_one_pass():
    text = "a" * 50_000 + " @ " + "b" * 50_000
    assert _read(text) == text
