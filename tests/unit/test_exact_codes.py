"""The right code inside the right category (issue #14: exact trails category mostly by
confusions inside one: 1002/1003/1999, 2001/2003, 4001/4002/4003/4999). Every reply here is
written for this test in words of its family; none is a corpus record."""

import pytest

from app.classify import Evidence, classify


@pytest.mark.parametrize(
    ("evidence", "code", "matched_by"),
    [
        # a connection that failed *during* the session (a read or write error on it) is a
        # session fault (rubric 4002), even under 4.4.1, whose row reads "no answer from host"
        (
            Evidence("451", "4.4.1", "Deferred: read error from relay.example.net during DATA"),
            4002,
            "text:protocol-error",
        ),
        (
            Evidence("", "4.4.2", "SMTP session aborted: write error to mx2.example.org"),
            4002,
            "text:protocol-error",
        ),
        (
            Evidence("421", "4.4.1", "I/O error on connection with mail.example.org"),
            4002,
            "text:protocol-error",
        ),
        # a server that closes an idle session says so: a session fault, not a failed connect
        (
            Evidence("421", "4.4.2", "smtp.example.org Error: timeout exceeded"),
            4002,
            "text:protocol-error",
        ),
        (Evidence("421", "4.4.2", "Idle timeout reached, goodbye"), 4002, "text:protocol-error"),
        # ...but not a read or write error on a local file: that is our system (4999)
        (
            Evidence("451", "4.3.0", "write error on /var/spool/mqueue/qfABC123"),
            4999,
            "enhanced-subject:4.3",
        ),
        # NetEase's HL:IHU and HL:MEP suspend our IP (1002); HL:ICC limits our connections
        (Evidence("554", "", "HL:IHU 该IP已被暂停发送"), 1002, "text:blocklist-ip"),
        (Evidence("421", "", "HL:MEP ip sending behaviour abnormal"), 1002, "text:blocklist-ip"),
        (Evidence("421", "", "HL:ICC too many parallel sessions"), 1006, "text:rate-limit"),
        # the recipient does not want our mail: a receiver-side list of senders (1003)
        (
            Evidence("550", "5.7.1", "The addressee does not wish to receive mail from you"),
            1003,
            "text:blocklist-domain",
        ),
        (
            Evidence("550", "", "Sorry, this user doesn't want any messages from this sender"),
            1003,
            "text:blocklist-domain",
        ),
        # a filter's spam-signature verdict and "spam abuse" are spam (1004), not any policy
        (
            Evidence("554", "", "refused under gateway policy - XSpamSignature.bayes.7"),
            1004,
            "text:spam-content",
        ),
        (Evidence("", "5.7.501", "Access refused: spam abuse"), 1004, "text:spam-content"),
    ],
)
def test_codes_inside_the_category(evidence, code, matched_by):
    said = classify(evidence)
    assert (said.code, said.matched_by.partition("+")[0]) == (code, matched_by)


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        # an address the server calls malformed, under 501 or 553 (RFC 5321: "mailbox syntax
        # incorrect"), is bad syntax (2003), not an unknown user
        (Evidence("553", "", "<jane@@example.org>... Invalid address"), 2003),
        (Evidence("501", "5.5.4", "Recipient address is not valid"), 2003),
        (Evidence("553", "5.6.7", "<jane@example.org>... address is invalid (bad bytes)"), 2003),
        # ...while an unknown or invalid *recipient* under them is still a dead address
        (Evidence("553", "", "Invalid recipient <jane@example.org>"), 2001),
        (Evidence("553", "5.1.1", "unknown or illegal user: jane@example.org"), 2001),
        (Evidence("550", "", "The address is not valid for this domain"), 2001),
    ],
)
def test_a_malformed_address_under_a_syntax_reply(evidence, code):
    assert classify(evidence).code == code


@pytest.mark.parametrize(
    ("evidence", "code", "matched_by"),
    [
        # the user, recipient or mailbox named, then "not found": a dead address (2001)
        (
            Evidence("550", "", "Local user [jane@example.org] not found here"),
            2001,
            "text:user-unknown",
        ),
        (
            Evidence("550", "", "recipient <jane@example.org> was not found"),
            2001,
            "text:user-unknown",
        ),
        # Flemish and Dutch: the recipient (bestemmeling, geadresseerde) unknown
        (Evidence("550", "", "Onbekende geadresseerde: jan@example.be"), 2001, "text:user-unknown"),
        (Evidence("550", "", "De bestemmeling is onbekend"), 2001, "text:user-unknown"),
        # ...not a domain, a server or our sender named so
        (
            Evidence("550", "", "Recipient domain example.org not found"),
            2002,
            "text:domain-not-found",
        ),
        (
            Evidence("550", "", "Sender address <a@b.example> not found"),
            1999,
            "smtp:550+doubt:sender",
        ),
    ],
)
def test_a_named_user_not_found(evidence, code, matched_by):
    said = classify(evidence)
    assert (said.code, said.matched_by) == (code, matched_by)
