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


@pytest.mark.parametrize(
    "text",
    [
        "550 Sorry, the owner never logged in to this mailbox, so it no longer takes mail",
        "550 5.1.1 recipient never signed on to their account",
        "550 This is an abandoned mailbox",
        "550 mailbox at this address has been abandoned",
        "550 5.2.1 Account was deleted due to inactivity",
        "550 The mailbox was closed after 12 months of non-use",
        "550 Postfach wurde wegen Inaktivität gelöscht",
        "550 Adresse supprimée pour cause d'inactivité",
        "550 Buzón eliminado por inactividad",
        "550 Casella chiusa per inattività",
    ],
)
def test_an_address_closed_for_non_use_is_closed(text: str) -> None:
    assert _code("550", "", text) == 2004


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("550 Mailbox disabled because of inactivity", 3002),
        ("550 Account suspended due to inactivity", 3002),
    ],
)
def test_an_account_switched_off_for_inactivity_stays_reversible(text: str, code: int) -> None:
    assert _code("550", "", text) == code


@pytest.mark.parametrize(
    "text",
    [
        "You have never logged in to this service",
        "421 4.4.2 session closed after 300 seconds of inactivity",
    ],
)
def test_non_use_words_about_us_or_a_session_are_not_a_closed_address(text: str) -> None:
    assert _code("", "", text) != 2004


@pytest.mark.parametrize(
    "text",
    [
        "553 invalid TLD in recipient address jdoe@example.notatld",
        "550 5.1.2 the top-level domain of jdoe@example.zz does not exist",
        "550 TLD 'zz' is not valid",
        "unknown top level domain in <jdoe@example.zz>",
    ],
)
def test_a_top_level_domain_that_does_not_exist_is_a_dead_domain(text: str) -> None:
    assert _code(text[:3] if text[0].isdigit() else "", "", text) == 2002


@pytest.mark.parametrize(
    "text",
    [
        "553 5.1.8 Sender domain has an invalid TLD",
        "550 HELO hostname has an unknown TLD",
        "550 From address uses a non-existent top-level domain",
    ],
)
def test_our_own_unknown_top_level_domain_is_ours(text: str) -> None:
    assert _code(text[:3], "", text) == 1999


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("451", "4.7.1", "451 4.7.1 Limits on your account have been reached, retry later"),
        ("550", "", "550 The sending limits for your account are exceeded"),
        ("421", "", "421 Message limit for this account exceeded"),
        ("554", "", "554 Your account has hit its daily limit"),
    ],
)
def test_the_senders_account_limits_are_a_rate_limit(smtp: str, status: str, text: str) -> None:
    assert _code(smtp, status, text) == 1006


def test_the_recipients_storage_limit_stays_a_full_mailbox() -> None:
    assert _code("552", "", "552 this account has exceeded its storage limit") == 3001


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("450", "450 发件方的错误命令过多"),
        ("451", "451 發送方出現過多的錯誤指令"),
        ("450", "450 客户端发送超出正常的指令数量"),
        ("421", "421 Too many wrong SMTP commands, bye"),
        ("421", "421 Too much data sent without a line break"),
        ("421", "421 Excessive amount of data sent to the server"),
    ],
)
def test_wrong_or_too_many_commands_are_a_session_fault(smtp: str, text: str) -> None:
    assert _code(smtp, "", text) == 4002


def test_an_excessive_number_of_connections_stays_a_rate_limit() -> None:
    assert _code("421", "", "421 Excessive number of connections from your IP") == 1006


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("501", "501 <@example.org>: missing or malformed local part"),
        ("550", "550 empty local-part in recipient address"),
        ("553", "553 Recipient rejected: local part is missing"),
        ("550", "550 invalid localpart"),
    ],
)
def test_an_address_without_a_usable_local_part_is_bad_syntax(smtp: str, text: str) -> None:
    assert _code(smtp, "", text) == 2003


@pytest.mark.parametrize(
    "text",
    [
        "553 sender address: missing local part",
        "553 5.1.7 Sender address rejected: malformed or missing local part",
        "501 MAIL FROM has an empty local-part",
    ],
)
def test_our_own_missing_local_part_is_ours(text: str) -> None:
    assert _code(text[:3], "", text) == 1999


@pytest.mark.parametrize(
    ("smtp", "text", "code"),
    [
        ("452", "452 4.2.1 this message exceeded the recipient's receiving limit", 3003),
        ("451", "451 recipient's inbound limit exceeded", 3003),
        ("550", "550 Sending to external domains is not allowed", 4006),
        ("554", "554 mail to non-local domains is disabled", 4006),
        ("451", "451 error during mbox delivery", 4999),
        ("552", "552 Error in local delivery", 4999),
    ],
)
def test_generalised_single_wording_rows(smtp: str, text: str, code: int) -> None:
    assert _code(smtp, "", text) == code


def test_a_recipient_rate_limit_of_the_sender_is_not_the_recipients() -> None:
    assert _code("", "", "recipient rate limit exceeded") != 3003


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("504", "5.7.4", "504 5.7.4 Session is already using TLS"),
        ("454", "", "454 TLS has already been negotiated"),
        ("503", "5.7.0", "503 5.7.0 STARTTLS already issued"),
    ],
)
def test_starttls_twice_is_a_command_out_of_sequence(smtp: str, status: str, text: str) -> None:
    assert _code(smtp, status, text) == 4002
