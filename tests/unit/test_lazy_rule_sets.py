"""The per-layer rule sets serve explain() only (classify() searches the combined table), so
they are built on first use, not when app.classify is imported; a lazy set answers exactly as
a built one."""

import subprocess
import sys
from pathlib import Path

from app.classify import BUILT_IN, Evidence, classify, explain
from app.classify.rules import RuleSet
from app.classify.text_rules import CAUSES

ROOT = Path(__file__).resolve().parents[2]


def test_importing_builds_only_the_combined_table():
    script = (
        "from app.classify import BUILT_IN, Evidence, classify, explain\n"
        "built = lambda s: '_literals' in vars(s)\n"
        "assert built(BUILT_IN.combined)\n"
        "assert not built(BUILT_IN.causes) and not built(BUILT_IN.symptoms)\n"
        "classify(Evidence('550', '5.1.1', 'No such user here'))\n"
        "assert not built(BUILT_IN.causes)\n"
        "explain(Evidence('550', '5.1.1', 'No such user here'))\n"
        "assert built(BUILT_IN.causes) and built(BUILT_IN.symptoms)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_lazy_set_answers_as_a_built_one():
    lazy, built = RuleSet(CAUSES, lazy=True), RuleSet(CAUSES)
    for text in ("550 no such user here", "blocked using zen.spamhaus.org", "nothing at all"):
        assert lazy.match(text) is built.match(text)
    assert lazy.without({"user-unknown"}).match("550 no such user here") is None


def test_explain_and_classify_agree_on_the_lazy_sets():
    evidence = Evidence("452", "4.2.2", "The mailbox is over quota")
    decisive = next(step for step in explain(evidence) if step.code is not None)
    assert (decisive.code, classify(evidence).code) == (3001, 3001)
    assert BUILT_IN.causes.match("mailbox is over quota") is not None


def test_a_built_set_has_no_getattr_hook():
    """A class with __getattr__ has every attribute read of its instances go the slow way in
    CPython (no specialised load): the combined table, searched on every classification, and
    a lazy set once built are plain RuleSets, whose class has none."""
    assert not hasattr(RuleSet, "__getattr__")
    assert type(BUILT_IN.combined) is RuleSet
    lazy = RuleSet(CAUSES, lazy=True)
    assert type(lazy) is not RuleSet
    assert not hasattr(lazy, "_no_such_thing")
    assert lazy.match("550 no such user here") is not None
    assert type(lazy) is RuleSet
