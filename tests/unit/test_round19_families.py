"""Phrase families written from round 19's rule-writing misses: each case is a variant
composed for this test (other wording, word order, codes or none), not a corpus record."""

import pytest

from app.classify import Classification, Evidence, classify


def _verdict(smtp: str, status: str, text: str) -> Classification:
    return classify(Evidence(smtp_code=smtp, enhanced_code=status, diagnostic=text))


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("553", "5.7.1", "553 sorry, that address is not in my validrcptto list (#5.7.1)"),
        ("550", "", "550 recipient not listed in our valid recipients"),
        ("550", "5.7.1", "550 5.7.1 <a@example.org> is not on the list of known users"),
        ("553", "", "553 rejected: address not in the valid recipient table"),
        ("554", "", "554 user@example.org: not in valid_rcptto"),
    ],
)
def test_a_recipient_missing_from_the_servers_valid_list_is_unknown(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 2001


def test_a_sender_refused_by_spf_stays_the_senders() -> None:
    text = "550 5.7.1 Rejected: SPF fail, sender not authorized; not in valid recipients either"
    assert _verdict("550", "5.7.1", text).code // 1000 == 1


def test_relaying_wording_still_wins_over_the_valid_list() -> None:
    text = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"
    assert _verdict("553", "5.7.1", text).code == 4006


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "5.7.103", "550 5.7.103 Archive copy failed due to a permanent error [Stage: X]"),
        ("451", "4.0.0", "451 4.0.0 Delivery failed due to a transient exception"),
        ("550", "", "550 Submission failed due to an internal error"),
        ("", "", "Die Übermittlung ist aufgrund eines dauerhaften Fehlers fehlgeschlagen"),
        ("", "", "La copie a échoué en raison d'une erreur permanente"),
        ("", "", "La entrega falló debido a un error permanente"),
    ],
)
def test_a_receiving_component_that_failed_with_an_error_is_a_system_fault(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 4999


def test_a_full_mailbox_that_failed_to_process_stays_full() -> None:
    text = "554 5.2.2 mailbox full; Delivery failed due to a permanent error: quota exceeded"
    assert _verdict("554", "5.2.2", text).code == 3001
