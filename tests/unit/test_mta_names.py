"""The names of the mail servers a reply reports on are names, not words of the reply: a host
called "spam-trap" or "virus-gw" says nothing about why the mail failed (probe round 21)."""

import pytest

from app.classify import Evidence, classify


@pytest.mark.parametrize(
    ("text", "code", "matched_by"),
    [
        # a server's name in the places DSNs and MTAs name it
        (
            "<ann@example.org>: host spam-trap.example.net[192.0.2.1] said: 550 5.1.1 no such user",
            2001,
            "text:user-unknown",
        ),
        (
            "SMTP error from remote mail server after RCPT TO:<ann@example.org>: host "
            "blocklist-gw.example.org [192.0.2.2]: 452 4.2.2 mailbox is full",
            3001,
            "text:mailbox-full",
        ),
        (
            "Remote-MTA: dns; virus-gw.example.org Diagnostic-Code: smtp; 550 unknown user",
            2001,
            "text:user-unknown",
        ),
        (
            "Generating server: relay-blocked.example.com ann@example.org mailbox quota exceeded",
            3001,
            "text:mailbox-full",
        ),
        # an address or a host name with 'virus' in it is no virus found
        ("550 5.1.1 <virus.reports@example.org>: user unknown", 2001, "text:user-unknown"),
        ("452 4.2.2 quota exceeded (antivirus-02.example.net)", 3001, "text:mailbox-full"),
        # a block list's zone and a refused client are still read
        (
            "<ann@example.org>: host mx.example.org[192.0.2.3] said: 554 5.7.1 Service "
            "unavailable; Client host [192.0.2.9] blocked using bl.spamcop.net",
            1002,
            "text:blocklist-ip",
        ),
        ("554 Message rejected: virus found in attachment", 1007, "text:virus"),
    ],
)
def test_server_names_are_not_read_as_causes(text, code, matched_by):
    result = classify(Evidence(diagnostic=text))
    assert (result.code, result.matched_by.partition("+")[0]) == (code, matched_by)
