"""The corpus bench's two peers (bench/peers.py): clear cases per peer, skipped where a peer is
not installed here, and the pieces that need no peer (the line KumoMTA would see, the string
Sisimai is handed, the rule matcher on rules written here) always run.
"""

from __future__ import annotations

import pytest

from app.taxonomy import lookup
from bench import peers

AVAILABLE = peers.available()
needs_sisimai = pytest.mark.skipif(
    AVAILABLE[peers.SISIMAI] is not None, reason=f"sisimai: {AVAILABLE[peers.SISIMAI]}"
)
needs_kumomta = pytest.mark.skipif(
    AVAILABLE[peers.KUMOMTA] is not None, reason=str(AVAILABLE[peers.KUMOMTA])
)


def record(diagnostic: str, smtp_code: str = "", enhanced_code: str = "") -> dict[str, str]:
    return {"smtp_code": smtp_code, "enhanced_code": enhanced_code, "diagnostic": diagnostic}


USER_UNKNOWN = record(
    "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown", "550", "5.1.1"
)


def test_every_mapped_code_is_a_seed_000_code():
    for table in (peers.SISIMAI_CODES, peers.KUMOMTA_CODES):
        for label, code in table.items():
            assert lookup(code).code == code, label


def test_available_names_both_peers_with_a_reason_or_none():
    assert set(AVAILABLE) == {peers.SISIMAI, peers.KUMOMTA}
    for problem in AVAILABLE.values():
        assert problem is None or problem.strip()


# --- what each peer is handed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rec", "line"),
    [
        # the reply as KumoMTA's Response prints it: code, enhanced code, content
        (USER_UNKNOWN, "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown"),
        # enhanced code from the record (Status:) when the text has none
        (record("550 mailbox unavailable", "550", "5.1.1"), "550 5.1.1 mailbox unavailable"),
        # a DSN's diagnostic without a leading code: the record's code, then the text
        (
            record("host said: 550 5.1.1 nope", "550", "5.1.1"),
            "550 5.1.1 host said: 550 5.1.1 nope",
        ),
        # no code anywhere: KumoMTA's OOB path says 550
        (record("Host not found", "", "5.4.4"), "550 5.4.4 Host not found"),
        # the text's own leading codes win; multi-line replies become one line
        (
            record("421-4.4.2 dropped\r\n421 4.4.2 bye", "450", "4.0.0"),
            "421 4.4.2 dropped 421 4.4.2 bye",
        ),
        (record("smtp; 554 5.7.1 denied"), "554 5.7.1 denied"),
        (record("552 5.02.002 full"), "552 5.2.2 full"),
    ],
)
def test_kumomta_line(rec, line):
    assert peers.kumomta_line(rec) == line


@pytest.mark.parametrize(
    ("rec", "text"),
    [
        (USER_UNKNOWN, USER_UNKNOWN["diagnostic"]),
        (record("550 <x@y>: User unknown", "550", "5.1.1"), "550 5.1.1 <x@y>: User unknown"),
        (record("426 connection timed out", "", "4.0.0"), "426 4.0.0 connection timed out"),
        (record("qmail said (#5.1.1)", "550", "5.1.1"), "550 qmail said (#5.1.1)"),
        (record("from 192.0.2.1 said hi", "", "2.0.1"), "2.0.1 from 192.0.2.1 said hi"),
        (record(""), ""),
    ],
)
def test_sisimai_text(rec, text):
    assert peers.sisimai_text(rec) == text


# --- the KumoMTA matcher on rules of our own ---------------------------------------------------

FIRST = """
[rules]
Mine = ["^550 .+ no such user", "mailbox \\\\d+ gone\\\\z"]
InvalidRecipient = ["^550 5\\\\.1\\\\.1 "]
"""
SECOND = """
[rules]
SpamBlock = ["^550 5\\\\.1\\\\.1 .+spam", "listed [[:digit:]]+ times", "\\\\x{00e9}t\\\\x{00e9}"]
Broken = ["(unclosed", "[[:alpha:]0-9]"]
"""


def test_kumomta_rules_first_file_first_rule_wins_else_uncategorized():
    rules = peers.compile_kumomta_rules([("first", FIRST), ("second", SECOND)])
    assert rules.classify("550 5.1.1 no such user") == "Mine"  # first table beats the second
    assert rules.classify("550 5.1.1 spam") == "InvalidRecipient"  # first file beats the next
    assert rules.classify("451 4.7.1 listed 3 times") == "SpamBlock"  # [[:digit:]] translated
    assert rules.classify("550 été") == "SpamBlock"  # \x{...} translated
    assert rules.classify("mailbox 7 gone") == "Mine"  # \z translated
    assert rules.classify("mailbox 7 gone.") == "Uncategorized"
    assert rules.classify("550 no such User") == "Uncategorized"  # case-sensitive, as in Rust
    # what `re` cannot read as Rust does is skipped and counted, not guessed
    assert [rule for _, rule, _ in rules.skipped] == ["(unclosed", "[[:alpha:]0-9]"]


def test_kumomta_rules_from_a_directory(tmp_path, monkeypatch):
    (tmp_path / "bounces.toml").write_text(FIRST)
    (tmp_path / "iana.toml").write_text('[rules]\nQuotaIssues = ["^552 [45]\\\\.2\\\\.2 "]\n')
    monkeypatch.setenv("BOUNCEKEEPER_KUMOMTA_RULES", str(tmp_path))
    answers = peers.kumomta(
        [record("sorry, no such user", "550"), record("full", "552", "5.2.2"), record("")]
    )
    assert [(a.label, a.code, a.hard) for a in answers] == [
        ("Mine", 9999, None),  # a class the table does not know says "cannot tell"
        ("QuotaIssues", 3001, None),
        ("Uncategorized", 9999, None),
    ]
    assert answers[1].text == "552 5.2.2 full"


def test_kumomta_says_why_when_rules_are_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("BOUNCEKEEPER_KUMOMTA_RULES", str(tmp_path))
    assert "no bounces.toml" in str(peers.available()[peers.KUMOMTA])
    with pytest.raises(peers.PeerUnavailableError):
        peers.kumomta([USER_UNKNOWN])


# --- the peers themselves ----------------------------------------------------------------------

SISIMAI_CASES = [
    (USER_UNKNOWN, "userunknown", 2001, True),
    (record("552 5.2.2 Mailbox full", "552", "5.2.2"), "mailboxfull", 3001, False),
    (
        record("554 5.7.1 <x@example.org>: Relay access denied", "554", "5.7.1"),
        "norelaying",
        4006,
        False,
    ),
    (
        record(
            "550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org"
        ),
        "blocked",
        1002,
        False,
    ),
    (record("Host or domain name not found", "", "5.1.2"), "hostunknown", 2002, True),
    (record("Something nobody wrote a rule for"), "undefined", 9999, False),
]


@needs_sisimai
def test_sisimai_answers_one_per_record_in_order():
    answers = peers.sisimai([rec for rec, *_ in SISIMAI_CASES])
    got = [(a.label, a.code, a.hard) for a in answers]
    assert got == [tuple(expected) for _, *expected in SISIMAI_CASES]
    assert peers.sisimai([]) == []


@needs_sisimai
def test_sisimai_takes_non_ascii_text():
    answers = peers.sisimai([record("550 5.1.1 Utilisateur inconnu — adresse érronée", "550")])
    assert answers[0].code == 2001  # from the status code; the text survived the pipe


@needs_sisimai
def test_every_sisimai_reason_is_mapped():
    import subprocess

    listed = subprocess.run(
        [
            *peers._perl_command(),
            "-MSisimai",
            "-e",
            "print lc, qq(\\n) for keys %{Sisimai->reason}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert listed
    assert set(listed) <= set(peers.SISIMAI_CODES)


KUMOMTA_CASES = [
    (USER_UNKNOWN, "InvalidRecipient", 2001),
    (record("552 5.2.2 Mailbox full", "552", "5.2.2"), "QuotaIssues", 3001),
    # the community file is loaded before iana.toml: its "^550 5.7.1" SpamBlock rule beats
    # iana's AuthenticationFailed row for 5.7.1
    (record("550 5.7.1 Service unavailable", "550", "5.7.1"), "SpamBlock", 1002),
    (record("554 5.7.1 Service unavailable", "554", "5.7.1"), "AuthenticationFailed", 1999),
    (record("550 relay not permitted", "550"), "RoutingErrors", 4999),
    (record("451 4.4.1 no answer", "451"), "NoAnswerFromHost", 4003),
    (record("Something nobody wrote a rule for"), "Uncategorized", 9999),
]


@needs_kumomta
def test_kumomta_answers_one_per_record_in_order():
    answers = peers.kumomta([rec for rec, *_ in KUMOMTA_CASES])
    assert [(a.label, a.code) for a in answers] == [tuple(e) for _, *e in KUMOMTA_CASES]
    assert all(a.hard is None for a in answers)


@needs_kumomta
def test_every_kumomta_class_in_the_rules_is_mapped():
    rules = peers._kumomta_rules(peers._kumomta_source())
    assert not rules.skipped, rules.skipped
    assert {bounce_class for bounce_class, _ in rules.patterns} <= set(peers.KUMOMTA_CODES)
