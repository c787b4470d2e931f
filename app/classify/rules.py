"""The text-rule engine: an ordered table of (name, code, gate words, pattern), matched fast.

Running every pattern over every diagnostic costs tens of microseconds, so each rule names
the words its pattern cannot match without, and a diagnostic is split into words once: only
the rules whose gate words occur are tried, still in table order, so the answer is the same
as trying every rule in turn (tests/unit/test_text_rules.py checks that on the corpus).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Everything that is not a letter or a digit separates words; case is folded first.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    code: int
    pattern: re.Pattern[str]
    words: frozenset[str] = frozenset()  # empty: no gate, always tried


def rule(name: str, code: int, words: str, pattern: str) -> Rule:
    """One table row; `words` is space-separated, `pattern` is matched on lower-cased text."""
    return Rule(name, code, re.compile(pattern), frozenset(words.split()))


def words_of(text: str) -> set[str]:
    """The set of lower-cased words of a text, the unit the gates are checked against."""
    return set(_WORD.findall(text))


class RuleSet:
    """Rules tried in order; the first whose pattern is found in the text wins."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._always = tuple(i for i, r in enumerate(self.rules) if not r.words)
        self._by_word: dict[str, tuple[int, ...]] = {}
        for index, r in enumerate(self.rules):
            for word in r.words:
                self._by_word[word] = (*self._by_word.get(word, ()), index)

    def __len__(self) -> int:
        return len(self.rules)

    def match(self, lowered: str, words: set[str]) -> Rule | None:
        """The first rule, in table order, whose gate is open and whose pattern matches."""
        for index in self._candidates(words):
            candidate = self.rules[index]
            if candidate.pattern.search(lowered):
                return candidate
        return None

    def _candidates(self, words: set[str]) -> Sequence[int]:
        by_word = self._by_word
        found: set[int] = set(self._always)
        for word in words & by_word.keys():
            found.update(by_word[word])
        return sorted(found)

    def without(self, names: Iterable[str]) -> RuleSet:
        """A copy without the named rules (a custom rule of the same name replaces them)."""
        drop = set(names)
        return RuleSet(r for r in self.rules if r.name not in drop)
