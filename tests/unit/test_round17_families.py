"""Phrase families written from round 17's rule-writing misses: each case is a variant
composed for this test (other wording, word order, codes or none), not a corpus record."""

import pytest

from app.classify import Classification, Evidence, classify


def _verdict(smtp: str, status: str, text: str) -> Classification:
    return classify(Evidence(smtp_code=smtp, enhanced_code=status, diagnostic=text))


@pytest.mark.parametrize(
    "text",
    [
        "Adresse nicht gefunden. Die Nachricht an info@example.de wurde nicht zugestellt, weil "
        "die Domain example.de nicht gefunden werden konnte.",
        "Empfängeradresse nicht gefunden: Domäne beispiel.example konnte nicht gefunden werden",
        "Adres niet gevonden: het domein example.nl kan niet worden gevonden.",
        "Dirección no encontrada: no se ha encontrado el dominio example.es",
        "Nie znaleziono adresu: nie znaleziono domeny example.pl",
    ],
)
def test_a_domain_that_could_not_be_found_is_a_dead_domain(text: str) -> None:
    assert _verdict("", "", text).code == 2002


def test_a_senders_domain_not_found_stays_the_senders() -> None:
    text = "550 Absender-Domain example.org wurde nicht gefunden"
    assert _verdict("550", "", text).code // 1000 == 1


def test_an_address_not_found_without_a_domain_stays_an_unknown_user() -> None:
    text = "Die Adresse wurde nicht gefunden, weil die Adresse nicht gefunden wurde"
    assert _verdict("", "", text).code == 2001


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("501", "501 mail from address must be same as authorization user"),
        ("553", "553 5.7.1 Sender address must match the authenticated user"),
        ("550", "550 From address user@example.org does not match the login account"),
        ("550", "550 MAIL FROM must equal the authenticated login"),
        ("501", "501 发件人地址必须与登录账号一致"),
    ],
)
def test_a_sender_that_is_not_the_logged_in_account_is_refused_as_ours(
    smtp: str, text: str
) -> None:
    assert _verdict(smtp, "", text).code == 1999


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("471", "471 4.7.1 <a@example.org>: The limits for your account are exceeded. Try later."),
        ("451", "451 Limit for your account has been reached, please try again later"),
        ("421", "421 Your account's sending limit was exceeded, try again later"),
        ("450", "450 Die Limits für Ihr Konto wurden überschritten, später erneut versuchen"),
        ("450", "450 Les limites de votre compte ont été dépassées, réessayez plus tard"),
    ],
)
def test_the_sending_accounts_exceeded_limits_are_our_volume(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code == 1006


def test_a_mailboxs_exceeded_limit_stays_a_full_mailbox() -> None:
    assert _verdict("552", "", "552 mailbox size limit exceeded").code == 3001


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "5.7.1", "550 5.7.1 Service unavailable"),
        ("554", "", "554 5.7.1 <jdoe@example.org>... Service unavailable"),
        ("550", "", "Remote host said: 550: 5.7.1 Service is unavailable"),
        ("550", "5.7.1", "550 5.7.1 Dienst nicht verfügbar"),
        ("550", "5.7.1", "550 5.7.1 Service non disponible"),
    ],
)
def test_a_policy_status_that_says_only_service_unavailable_is_a_refusal_of_us(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 1999


@pytest.mark.parametrize(
    ("smtp", "status", "text", "code"),
    [
        ("421", "4.3.2", "421 4.3.2 Service unavailable", 4001),
        ("421", "", "421 Service not available, closing transmission channel", 4001),
        (
            "554",
            "5.7.1",
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            1002,
        ),
    ],
)
def test_service_unavailable_without_a_policy_status_or_with_a_cause_is_unchanged(
    smtp: str, status: str, text: str, code: int
) -> None:
    assert _verdict(smtp, status, text).code == code


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("550", "550 You are not welcome here"),
        ("554", "554 Sorry, you're not welcome on this server"),
        ("421", "421 You cannot connect for another 3 hours."),
        ("550", "550 You may not connect to this host"),
        ("554", "554 Du bist hier nicht willkommen"),
        ("550", "550 Vous n'êtes pas le bienvenu"),
    ],
)
def test_the_connecting_client_turned_away_is_a_block_of_our_host(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code == 1002


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("550", "550 Rejected after DATA: too many hops in the headers"),
        ("", "rejected after DATA: missing Date header. Message discarded."),
        ("554", "554 Message refused after end of DATA by site policy"),
    ],
)
def test_a_message_rejected_after_data_is_refused_as_a_message(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code // 1000 == 1


def test_a_temporary_rejection_after_data_stays_temporary() -> None:
    assert _verdict("451", "", "451 Temporarily rejected after DATA").code // 1000 == 3


def test_a_spam_rejection_after_data_stays_spam() -> None:
    assert _verdict("550", "", "550 Rejected after DATA: spam score too high").code == 1004
