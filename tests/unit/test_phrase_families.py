"""Phrase families written from the rule-writing part's misses: each case is a variant
composed for this test (other wording, word order, codes or none), not a corpus record."""

import pytest

from app.classify import Evidence, classify


def _code(smtp: str, status: str, text: str) -> int:
    return classify(Evidence(smtp_code=smtp, enhanced_code=status, diagnostic=text)).code


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "", "550 Unknwon recipient"),
        ("550", "", "550 addressee unkown"),
        ("554", "", "554 mailbox (user) dosn't exist"),
        ("550", "", "550 recipient does'nt exist on this server"),
        ("550", "", "550 Requested action not taken: users do not exist"),
        ("", "", "uknown user jdoe@example.org"),
        ("550", "", "LMTP error after RCPT TO:<jdoe@example.org>: 550 address unknown at RCPT"),
    ],
)
def test_a_misspelt_or_terse_dead_address_is_unknown(smtp: str, status: str, text: str) -> None:
    assert _code(smtp, status, text) == 2001


@pytest.mark.parametrize(
    "text",
    ["550 Sender address unkown", "550 sending user dont exist"],
)
def test_a_misspelt_unknown_sender_is_not_read_as_the_recipients(text: str) -> None:
    verdict = classify(Evidence(smtp_code="550", diagnostic=text))
    assert verdict.matched_by != "text:user-unknown"


def test_a_misspelt_dead_domain_is_not_read_as_an_unknown_user() -> None:
    verdict = classify(Evidence(smtp_code="550", diagnostic="550 recipient domain dosn't exist"))
    assert verdict.matched_by != "text:user-unknown"
