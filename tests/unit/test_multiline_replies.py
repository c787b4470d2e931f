"""Multi-line SMTP replies pasted as one line: the continuation prefixes of the lines after the
first (`550-5.7.1 `, `452-`, and the last line's `550 5.7.1 `) are taken out before the rules
and the status parser read the text, so a sentence broken across lines reads as one.

The replies here are written for these tests in the layout of Gmail's replies (every line
repeats the code and the enhanced status) and of servers that repeat only the code (Microsoft
Exchange's and most MTAs' banners and multi-line refusals); none is a corpus record."""

import random
import re

import pytest

from app.classify import _FIRST_PREFIX, Evidence, _joined, classify, explain
from bench import labelled
from bench.corpus import DEFAULT_PATH, load


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        # Gmail-style: the code, a dash and the status on every line, a space on the last
        (
            "550-5.7.1 the person you wrote to has no 550-5.7.1 account here. "
            "550 5.7.1 see our help pages - gsmtp",
            "550-5.7.1 the person you wrote to has no account here. see our help pages - gsmtp",
        ),
        # Microsoft-style: only the code repeats, the status is written once at the end
        (
            "550-this mailbox cannot take your message because it is 550-closed 550 5.2.1 for good",
            "550-this mailbox cannot take your message because it is closed 5.2.1 for good",
        ),
        # a reply quoted after the host that sent it
        (
            "host mx.example.net said: 452-4.2.2 the storage of this recipient 452-4.2.2 is "
            "used up 452 4.2.2 please tell them",
            "host mx.example.net said: 452-4.2.2 the storage of this recipient is used up "
            "please tell them",
        ),
        # a later line's own, other status stays: it is evidence too
        (
            "550-5.7.1 first part 550-5.7.26 second part",
            "550-5.7.1 first part 550-5.7.26 second part",
        ),
        # one line, or a code-dash inside an address, a URL or a number: left alone
        ("550 5.1.1 user unknown", "550 5.1.1 user unknown"),
        (
            "421 4.7.0 deferred, see https://postmaster.example.com/421-ts02.html 421 later",
            "421 4.7.0 deferred, see https://postmaster.example.com/421-ts02.html 421 later",
        ),
        ("call +1 800 550-1234 for help", "call +1 800 550-1234 for help"),
    ],
)
def test_continuation_prefixes_are_taken_out(text, joined):
    assert _joined(text) == joined


@pytest.mark.parametrize(
    ("smtp", "status", "diagnostic", "code"),
    [
        # Gmail-style: "no such user" broken by a line's prefix
        (
            "550",
            "",
            "550-5.7.1 Delivery to this person failed: no 550-5.7.1 such user exists on "
            "this server 550 5.7.1 please check the spelling",
            2001,
        ),
        # Gmail-style: the recipient's receive rate, not a disabled mailbox (4.2.1)
        (
            "450",
            "",
            "450-4.2.1 The person you are writing to is receiving mail too 450-4.2.1 quickly "
            "right now. 450 4.2.1 Please try again later",
            3003,
        ),
        # Gmail-style: spam, not any policy (5.7.1)
        (
            "554",
            "",
            "554-5.7.1 The message was judged to be 554-5.7.1 spam by our filters 554 5.7.1 "
            "and was not delivered",
            1004,
        ),
        # Microsoft-style: only the code repeats
        ("550", "", "550-The address 550-you wrote to does not exist 550 here", 2001),
    ],
)
def test_a_sentence_broken_across_lines_reads_as_one(smtp, status, diagnostic, code):
    evidence = Evidence(smtp_code=smtp, enhanced_code=status, diagnostic=diagnostic)
    assert classify(evidence).code == code
    steps = explain(evidence)
    settled = steps[-1] if steps[-1].layer == "settle" else None
    decisive = next(step for step in steps if step.code is not None)
    assert (settled or decisive).code == code


def test_the_first_lines_status_is_still_read():
    text = "552-5.2.2 the mailbox of 552-5.2.2 this person 552 5.2.2 is out of room"
    said = classify(Evidence(diagnostic=text))
    assert said.matched_by == "enhanced:5.2.2"


def _joined_by_loop(lowered: str) -> str:
    """_joined as it read before its first dash was found by a pattern: a Python loop over the
    dashes. The pattern must find the same prefix (but for a non-ASCII digit, which str.isdigit
    took and the prefix's pattern then refused)."""
    at = lowered.find("-", 3)
    while at >= 0:
        start = at - 3
        if (
            lowered[start] in "245"
            and lowered[start + 1 : at].isdigit()
            and (start == 0 or lowered[start - 1] not in "abcdefghijklmnopqrstuvwxyz0123456789_./-")
        ):
            break
        at = lowered.find("-", at + 1)
    else:
        return lowered
    first = _FIRST_PREFIX.match(lowered, start)
    code, status = first.groups()
    if status is None:
        repeated = rf"\s+{code}[- ](?=\S)"
    else:
        repeated = rf"\s+{code}[- ]{re.escape(status)}(?![\d.])\s*"
    return lowered[: first.end()] + re.sub(repeated, " ", lowered[first.end() :])


def test_the_first_prefix_is_found_as_the_loop_over_dashes_found_it():
    rnd = random.Random(3)
    texts = ["550-5.7.1 a 550-5.7.1 b 550 5.7.1 c", "/421-ts02.html 421-x 421 y", "5550-1234 x"]
    texts += [
        "".join(rnd.choice("245 0-9a./_") for _ in range(rnd.randint(0, 24))) for _ in range(20000)
    ]
    if DEFAULT_PATH.exists():
        texts += [r["diagnosticcode"].lower() for r in load()]
    texts += [r["diagnostic"].lower() for r in labelled.load()]
    for text in texts:
        assert _joined(text) == _joined_by_loop(text), text
