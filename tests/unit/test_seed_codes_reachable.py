"""Every seed-000 code is something the classifier can actually answer, from evidence a real
bounce carries."""

import pytest

from app import taxonomy
from app.classify import Evidence, classify
from tests.unit.test_taxonomy import seed_codes

EVIDENCE = {
    1002: Evidence("554", "5.7.1", "Client host rejected: blocked using bl.spamcop.net"),
    1003: Evidence("554", "5.7.1", "Message contains a URL listed in multi.uribl.com"),
    1004: Evidence("550", "5.7.1", "Message content rejected, looks like spam"),
    1006: Evidence("421", "4.7.0", "Too many connections, slow down"),
    1007: Evidence("554", "5.7.1", "Infected with a virus"),
    1011: Evidence(diagnostic="Your message awaits sender verification (challenge-response)"),
    1999: Evidence("550", "5.7.1", "Rejected for policy reasons"),
    2001: Evidence("550", "5.1.1", "User unknown"),
    2002: Evidence("550", "5.1.2", "Host unknown"),
    2003: Evidence("553", "5.1.3", "Bad recipient address syntax"),
    2004: Evidence("551", "5.1.6", "User has moved"),
    2999: Evidence("550", "", "Recipient address rejected: no valid recipients"),
    3001: Evidence("552", "5.2.2", "Mailbox full"),
    3002: Evidence("550", "5.2.1", "Account disabled"),
    3003: Evidence("451", "", "Greylisted, try again later"),
    3999: Evidence("450", "", "", bounce_type="soft"),
    4001: Evidence("421", "4.3.2", "Server busy"),
    4002: Evidence("503", "5.5.1", "Bad sequence of commands"),
    4003: Evidence("", "4.4.1", "connect to mx.example.org: Connection timed out"),
    4004: Evidence("", "4.4.7", "Message expired"),
    4006: Evidence("554", "5.7.1", "Relaying denied"),
    4999: Evidence("451", "4.3.0", "Internal server error"),
    5001: Evidence(diagnostic="Auto-reply: I am out of the office"),
    5999: Evidence(diagnostic="This is a warning message only; you do not need to resend"),
    9999: Evidence(),
}


def test_every_seed_code_has_an_example():
    assert sorted(EVIDENCE) == sorted(seed_codes())


@pytest.mark.parametrize("code", sorted(EVIDENCE))
def test_seed_code_is_reachable(code):
    result = classify(EVIDENCE[code])
    assert result.code == code, result.matched_by
    assert result.category == taxonomy.category_of(code)
