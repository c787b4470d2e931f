"""app.imap against a real Dovecot: what is pending, fetching leaves flags alone, marking
taken in (flags, or a move) and refused; a message is never lost on the way."""

from __future__ import annotations

import pytest

from app.imap import DONE_KEYWORD, REJECTED_KEYWORD, Mailbox, MailboxAddress, MailboxError
from tests.dovecot import needs_dovecot, running_dovecot

pytestmark = needs_dovecot


def message(n: int) -> bytes:
    return (
        f"From: MAILER-DAEMON@mx.example.net\r\nTo: bounces@example.com\r\n"
        f"Subject: Undelivered Mail {n}\r\nMessage-ID: <bounce-{n}@mx.example.net>\r\n\r\n"
        f"message {n}\r\n"
    ).encode()


@pytest.fixture(scope="module")
def dovecot():
    with running_dovecot(mailboxes=("Processed", "Moving", "Tls")) as server:
        yield server


def test_pending_fetch_and_flags(dovecot):
    for n in range(3):
        dovecot.append(message(n), "INBOX")
    address = MailboxAddress.from_url(dovecot.url("INBOX"))
    with Mailbox(address) as box:
        pending = box.pending(limit=10)
        assert [size for _, size in pending] == [len(message(n)) for n in range(3)]
        uids = [uid for uid, _ in pending]
        assert box.fetch(uids[0]) == message(0)
        assert dovecot.flags("INBOX") == [set(), set(), set()]  # fetched, still unread
        box.taken_in(uids[0])
        box.refused(uids[1])
        assert box.pending(limit=10) == [pending[2]]
        assert box.pending(limit=0) == []
    assert dovecot.flags("INBOX") == [
        {"\\Seen", DONE_KEYWORD},
        {"\\Flagged", REJECTED_KEYWORD},
        set(),
    ]


def test_taken_in_moves_when_asked(dovecot):
    dovecot.append(message(10), "Moving")
    address = MailboxAddress.from_url(dovecot.url("Moving"))
    with Mailbox(address, move_to="Processed") as box:
        (uid, _), *_ = box.pending(limit=10)
        box.taken_in(uid)
        assert box.pending(limit=10) == []
    assert dovecot.flags("Moving") == []
    with dovecot.session("Processed") as client:
        _, data = client.uid("SEARCH", None, "ALL")
        fetched = client.uid("FETCH", data[0].split()[-1], "(BODY.PEEK[])")
    assert fetched[1][0][1] == message(10)


def test_a_wrong_password_or_mailbox_is_a_mailbox_error(dovecot):
    wrong = MailboxAddress.from_url(dovecot.url().replace("mailbox-secret", "nope"))
    with pytest.raises(MailboxError, match=r"127\.0\.0\.1"), Mailbox(wrong):
        pass
    missing = MailboxAddress.from_url(dovecot.url("Nowhere"))
    with pytest.raises(MailboxError, match="SELECT Nowhere"), Mailbox(missing):
        pass


def test_the_url_is_read_with_percent_encoding():
    address = MailboxAddress.from_url("imaps://b%40x.com:p%3Aw%2Fd@imap.example.com/Bounce%20Box")
    assert (address.user, address.password, address.mailbox) == ("b@x.com", "p:w/d", "Bounce Box")
    assert (address.port, address.tls) == (993, True)
    assert "p:w/d" not in address.shown()


def test_imaps_verifies_the_server_certificate(dovecot, monkeypatch):
    """A certificate no trusted CA signed is refused before the password is sent; trusted
    (SSL_CERT_FILE, as OpenSSL reads it), the same server is used."""
    dovecot.append(message(20), "Tls")
    address = MailboxAddress.from_url(dovecot.tls_url("Tls"))
    assert address.tls
    with pytest.raises(MailboxError, match="CERTIFICATE_VERIFY_FAILED"), Mailbox(address):
        pass
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.certificate))
    with Mailbox(address) as box:
        ((uid, _),) = box.pending(limit=10)
        assert box.fetch(uid) == message(20)
