import re

import pytest

from app import taxonomy
from app.classify import Evidence, classify, enhanced, provider_hints
from tests.helpers import FIXTURES

ROW = re.compile(r"^\| ((?:[45]\.\d+\.\d+ ?)+) \| ([^|]+) \|", re.MULTILINE)


def seed_004_rows() -> list[tuple[str, str]]:
    text = (FIXTURES / "seed_004_zeptomail_bounce.txt").read_text()
    rows = []
    for codes, reason in ROW.findall(text):
        rows.extend((code, reason.strip()) for code in codes.split())
    return rows


def test_seed_004_table_has_every_row_parsed():
    assert len(seed_004_rows()) == 50  # 49 table rows, one of which lists 5.7.1 and 5.7.12


@pytest.mark.parametrize(("status", "reason"), seed_004_rows())
def test_every_seed_004_status_has_an_exact_mapping(status, reason):
    result = classify(Evidence(enhanced_code=status))
    assert result.matched_by == f"enhanced:{status}", reason
    assert result.code in taxonomy.CODES


@pytest.mark.parametrize(("status", "reason"), seed_004_rows())
def test_temporary_statuses_never_suppress_at_once(status, reason):
    if status.startswith("4."):
        assert classify(Evidence(enhanced_code=status)).category != "permanent", reason


@pytest.mark.parametrize(
    ("status", "code"),
    [("5.1.1", 2001), ("5.1.2", 2002), ("5.1.3", 2003), ("5.1.6", 2004), ("4.2.2", 3001)],
)
def test_address_and_mailbox_rows(status, code):
    assert classify(Evidence(enhanced_code=status)).code == code


@pytest.mark.parametrize("label", sorted(provider_hints.ZEPTOMAIL))
def test_every_zeptomail_reason_maps_to_a_taxonomy_code(label):
    result = classify(Evidence(provider_reason=label, provider="zeptomail"))
    assert result.code in taxonomy.CODES
    assert result.matched_by == f"provider:zeptomail:{label}"


def test_exact_status_row_beats_the_provider_label():
    result = classify(Evidence(enhanced_code="5.2.2", provider_reason="bad-mailbox"))
    assert (result.code, result.matched_by) == (3001, "enhanced:5.2.2")


def test_provider_label_beats_the_generic_subject_fallback():
    result = classify(Evidence(enhanced_code="5.7.700", provider_reason="spam-related"))
    assert (result.code, result.matched_by) == (1004, "provider:zeptomail:spam-related")


@pytest.mark.parametrize(
    "diagnostic", ["", "550 5.7.1 Message rejected", "550 5.7.1 Service unavailable"]
)
def test_zeptomail_spam_label_beats_a_generic_status_and_generic_words(diagnostic):
    """Issue #14 item 5: `spam-related` on a 5.7.1 is spam (1004), not any policy (1999)."""
    evidence = Evidence("550", "5.7.1", diagnostic, "spam-related", provider="zeptomail")
    result = classify(evidence)
    assert (result.code, result.matched_by) == (1004, "provider:zeptomail:spam-related")


@pytest.mark.parametrize("label", ["Spam related", "spam_related", " SPAM-RELATED "])
def test_a_provider_label_is_found_however_it_is_rendered(label):
    result = classify(Evidence("550", "5.7.1", "", label, provider="zeptomail"))
    assert (result.code, result.matched_by) == (1004, "provider:zeptomail:spam-related")


def test_a_cause_in_the_text_still_beats_the_provider_label():
    evidence = Evidence("550", "5.7.1", "blocked using zen.spamhaus.org", "spam-related")
    assert classify(evidence).code == 1002


def test_a_label_that_only_says_hard_is_class_evidence_after_the_reply_code():
    assert str(classify(Evidence(provider_reason="HardBounce", provider="postmark")).grade) == (
        "class"
    )
    result = classify(Evidence("", "", "connect to mx: Connection timed out", "HardBounce"))
    assert (result.code, result.matched_by) == (4003, "text:connection-failed")


def test_microsoft_banned_ip_detail_beats_the_provider_label():
    result = classify(Evidence(enhanced_code="5.7.606", provider_reason="spam-related"))
    assert (result.code, result.matched_by) == (1002, "enhanced-detail:5.7.606")


def test_subject_fallback_for_a_status_the_table_lacks():
    result = classify(Evidence(enhanced_code="4.7.650"))
    assert (result.code, result.matched_by) == (1999, "enhanced-subject:4.7")


def test_reply_code_when_there_is_no_status():
    assert classify(Evidence(smtp_code="421")).code == 4001


def test_bounce_type_is_the_last_evidence_before_unknown():
    assert classify(Evidence(bounce_type="hardbounce")).code == 2999
    assert classify(Evidence(bounce_type="softBounce")).code == 3999
    assert classify(Evidence()).code == 9999


def test_status_is_found_inside_surrounding_text():
    assert enhanced.parse("550 #5.1.1 user unknown") == ["5.1.1"]
    assert enhanced.parse("version 15.1.10.2 and 4.04.007") == ["4.4.7"]


def _evidence_to_check() -> list[Evidence]:
    from bench.corpus import DEFAULT_PATH, evidence, load

    cases = [evidence(record) for record in load()] if DEFAULT_PATH.exists() else []
    cases += [Evidence(enhanced_code=status) for status, _ in seed_004_rows()]
    cases += [Evidence(provider_reason=label) for label in provider_hints.ZEPTOMAIL]
    cases += [Evidence("421", "4.7.650", ""), Evidence(bounce_type="hard"), Evidence()]
    return cases


CUSTOM = """\
[[code]]
code = 2101
meaning = "Mailbox migrated"
action = "suppress"

[[rule]]
name = "mailbox-migrated"
code = 2101
patterns = ['\\bmigrated\\b', 'moved to a new provider']

[[rule]]
name = "user-unknown"
code = 2999
patterns = ['no such user']
"""


@pytest.mark.parametrize("with_file", [False, True], ids=["built-in", "rules-file"])
def test_classify_is_the_first_layer_explain_lists_with_a_code(with_file):
    # classify() runs the layers written out for speed; explain() walks them one by one
    from app.classify import BUILT_IN, explain
    from app.classify.custom import parse

    rules = parse(CUSTOM).text if with_file else BUILT_IN
    cases = [*_evidence_to_check(), Evidence(diagnostic="Mailbox MIGRATED to x; no such user")]
    for evidence in cases:
        steps = explain(evidence, rules)
        decisive = next(step for step in steps if step.code is not None)
        result = classify(evidence, rules)
        matched_by = f"{decisive.layer}:{decisive.matched}".rstrip(":")
        if steps[-1].layer == "settle":  # what the whole reply changed about the first answer
            assert result.code == steps[-1].code, evidence
            assert result.matched_by == f"{matched_by}+{steps[-1].matched}", evidence
            continue
        assert result.code == decisive.code, evidence
        assert result.matched_by == matched_by, evidence


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("550 5.1.1 User unknown; firewall and helo checks passed for this sender", "sender"),
        ("550 5.1.1 User unknown; sender, helo and firewall checks passed", "sender"),
        ("550 5.1.1 User unknown; prohibited by firewall after helo", "helo"),
    ],
)
def test_the_doubt_word_is_the_first_of_the_list_wherever_it_stands(text, word):
    """With several sender-side words in a reply, the one named is the first in the list's
    order (app/classify/__init__.py's _SENDER_SIDE), not in the text's nor in a set's, so a
    reply is explained the same way in every process."""
    verdict = classify(Evidence("550", "5.1.1", text))
    assert verdict.matched_by == f"text:user-unknown+doubt:{word}"


@pytest.mark.parametrize(
    ("evidence", "code", "matched_by"),
    [
        # a mailbox status under a 421 describes no mailbox: the text, else the reply code
        (Evidence("421", "4.2.1", "421 4.2.1 Service temporarily unavailable"), 4001, "text"),
        (Evidence("421", "", "421 4.2.0 closing channel, come back later"), 4001, "smtp"),
        # ...but a stated cause still speaks, and x.2.x keeps its row under other replies
        (Evidence("421", "4.2.2", "421 4.2.2 Mailbox full"), 3001, "text"),
        (Evidence("450", "4.2.1", "450 4.2.1 Requested action aborted"), 3002, "enhanced-detail"),
    ],
)
def test_a_421_reply_closes_the_session_not_a_mailbox(evidence, code, matched_by):
    result = classify(evidence)
    assert (result.code, result.matched_by.partition(":")[0]) == (code, matched_by)


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        # only the reply code said closed (551) or dead domain (556), the words are ours
        (Evidence("551", "", "551 Mail from your IP address is forbidden here"), 1999),
        (Evidence("556", "", "556 Your domain may not send to this host"), 1999),
        # without words of our side the reply code still speaks
        (Evidence("551", "", "551 Requested action not taken"), 2004),
    ],
)
def test_blame_first_over_any_reply_code_fallback(evidence, code):
    assert classify(evidence).code == code
