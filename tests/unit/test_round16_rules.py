"""The phrase families round 16's rule-writing part showed missing, each in wordings of our own:
a receiver named unknown, a user named by address and called unknown, an account's storage
limit, a delivery that timed out or ran out of attempts, and a domain that must resolve."""

import pytest

from app.classify import Evidence, classify


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("", "", "Unknown receiver"),
        Evidence("550", "", "550 Unknown receiver <jdoe@example.com>"),
        Evidence("550", "5.1.1", "550 5.1.1 No such receiver here"),
        Evidence("", "", "Delivery failed: non-existent receiver jdoe@example.org"),
    ],
)
def test_an_unknown_receiver_is_a_dead_address(evidence):
    assert classify(evidence).code == 2001


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("550", "", "550 User <postmaster> unknown"),
        Evidence("550", "", "host mx.example.org said: 550 Recipient <jdoe@example.org> unknown"),
        Evidence("550", "", "550 mailbox jdoe unknown"),
        Evidence("", "", "addressee <ana@example.net> is unknown"),
    ],
)
def test_a_user_named_then_called_unknown_is_a_dead_address(evidence):
    assert classify(evidence).code == 2001


def test_a_user_called_unknown_with_a_sender_word_in_the_name_is_still_dead():
    # the local part 'abuse' is a name, not the server speaking of abuse by us
    assert classify(Evidence("550", "", "550 User <abuse> unknown")).code == 2001


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        (Evidence("", "", "Account storage limit"), 3001),
        (Evidence("552", "", "552 Recipient storage limit reached, try again later"), 3001),
        (Evidence("", "", "The mailbox's storage limit has been exceeded"), 3001),
        # the user's storage (database) failing is not a full mailbox
        (Evidence("451", "", "451 User database not found"), 4999),
    ],
)
def test_an_accounts_storage_limit_is_a_full_mailbox(evidence, code):
    assert classify(evidence).code == code


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        (Evidence("", "", "Delivery timeout"), 4004),
        (Evidence("", "", "<jdoe@example.net> Reason: multiple delivery attempts failed"), 4004),
        (Evidence("", "", "All delivery attempts have failed for this recipient"), 4004),
        (Evidence("", "", "Delivery retries exhausted, message returned"), 4004),
        # a timeout inside the session is the session's, not the queue's
        (Evidence("", "", "delivery timeout while sending DATA to mx.example.net"), 4002),
        # a named cause still comes first (rubric R8)
        (
            Evidence(
                "",
                "",
                "multiple delivery attempts failed: connect to mx.example.net"
                "[192.0.2.1]:25: Connection refused",
            ),
            4003,
        ),
    ],
)
def test_a_delivery_that_timed_out_or_ran_out_of_attempts_expired(evidence, code):
    assert classify(evidence).code == code


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("501", "", "501 Domain must resolve"),
        Evidence("", "", "SMTP error after initial connection: 451 domain must exist"),
        Evidence("553", "5.1.8", "553 5.1.8 From: domain must resolve"),
    ],
)
def test_a_domain_that_must_resolve_is_the_senders(evidence):
    assert classify(evidence).code == 1999


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("551", "", "551 Server use forbidden"),
        Evidence("550", "", "550 SMTP use not allowed from your network"),
        Evidence("554", "", "554 Use of this mail server is forbidden, authenticate first"),
    ],
)
def test_a_server_that_forbids_its_use_refuses_the_sender_not_a_dead_address(evidence):
    assert classify(evidence).code == 1999


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("", "", "jdoe@example.org could not be recognized as a valid address"),
        Evidence("", "", "one or more of the addresses could not be recognized as addresses"),
    ],
)
def test_an_address_the_system_cannot_recognise_is_a_dead_address(evidence):
    assert classify(evidence).code == 2001
