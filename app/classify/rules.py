"""The text-rule engine: an ordered table of (name, code, gate words, pattern), matched fast.

Running every pattern over every diagnostic costs tens of microseconds, so two cheap checks
come first, both exact (they only skip work that could not match):

- each rule names gate words its pattern cannot match without; the diagnostic is split into
  words once, and only rules with a gate word present are considered, still in table order;
- each top-level alternative of a pattern (a leading group's branches count as alternatives
  too) is searched on its own, and only when the longest literal text every match of it must
  contain (derived from the pattern) occurs in the diagnostic.

An alternative that starts with `\\b` or a lookbehind is compiled with the assertion moved
after its leading literal (same matches), because `re` skips ahead fast only to a literal
prefix.

tests/unit/test_text_rules.py checks on the whole corpus that the answer is the one a plain
search of every rule, in order, would give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

# ASCII letters and digits are word bytes; every other ASCII byte separates words. Bytes of
# non-ASCII characters stay inside words: gate words are ASCII, so they never match those.
_SEPARATE = bytes(b if b >= 128 or chr(b).isalnum() else 32 for b in range(256))
_META = set(".^$*+?{}[]()|\\")
_QUANTIFIERS = set("?*{")


# The gate word of rules for scripts written without spaces (Chinese, Japanese): a text with
# any non-ASCII character opens it, since such a text has no words to gate on.
UNSPACED = "*unspaced*"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    code: int
    pattern: re.Pattern[str]
    words: frozenset[str] = frozenset()  # empty: no gate, always considered
    phrases: tuple[tuple[str, re.Pattern[str]], ...] = field(default=(), compare=False)

    def search(self, lowered: str) -> bool:
        """Whether the pattern occurs, searching only alternatives whose required literal
        is in the text."""
        for literal, phrase in self.phrases:
            if literal in lowered and phrase.search(lowered):
                return True
        return False


def rule(name: str, code: int, words: str, pattern: str, flags: int = 0) -> Rule:
    """One table row; `words` is space-separated, `pattern` is matched on lower-cased text."""
    whole = re.compile(pattern, flags)
    try:
        phrases = tuple(
            (_required_literal(alternative).lower(), re.compile(_literal_first(alternative), flags))
            for top in _alternatives(pattern)
            for alternative in _expand_leading_group(top)
        )
    except re.error:  # a construct the splitter does not follow: search the whole pattern
        phrases = (("", whole),)
    return Rule(name, code, whole, frozenset(words.split()), phrases)


def words_of(lowered: str) -> list[bytes]:
    """The words of a lower-cased text, as the gates see them (repeats and all)."""
    return lowered.encode().translate(_SEPARATE).split()


def _alternatives(pattern: str) -> list[str]:
    """The pattern split at its top-level `|`, outside groups and character classes."""
    parts, start, depth, in_class, escaped = [], 0, 0, False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


def _expand_leading_group(alternative: str) -> list[str]:
    """`(?:a|b)rest` as [`arest`, `brest`], so each branch gets its own literal; unchanged
    when the group is optional or repeated."""
    if not alternative.startswith("(?:"):
        return [alternative]
    end = _skip(alternative, 0)
    rest = alternative[end:]
    if rest[:1] in _QUANTIFIERS or rest[:1] == "+":
        return [alternative]
    inner = _alternatives(alternative[3 : end - 1])
    return [expanded for branch in inner for expanded in _expand_leading_group(branch + rest)]


def _literal_first(alternative: str) -> str:
    """The alternative with a leading `\\b` or negative lookbehind moved after the literal
    text that follows it: `\\bspf\\b` as `spf(?<!\\wspf)\\b`. Same matches, but `re` only
    skips ahead quickly to a pattern's literal prefix; one that starts with an assertion is
    tried at every position, which costs ten times more on a long diagnostic."""
    if alternative.startswith("\\b"):
        assertion, rest = "\\w", alternative[2:]
    elif alternative.startswith("(?<!"):
        end = _skip(alternative, 0)
        assertion, rest = f"(?:{alternative[4 : end - 1]})", alternative[end:]
    else:
        return alternative
    run = len(rest) - len(rest.lstrip("abcdefghijklmnopqrstuvwxyz0123456789 "))
    if rest[run : run + 1] in _QUANTIFIERS or rest[run : run + 1] == "+":
        run -= 1  # the atom before a quantifier is not literal text
    literal = rest[:run]
    if not literal or not literal[0].isalnum():
        return alternative  # \b before a non-word character means the opposite
    return f"{literal}(?<!{assertion}{literal}){rest[run:]}"


def _required_literal(alternative: str) -> str:
    """The longest text every match of this alternative contains ("" when there is none): the
    literal runs of its top level, outside groups, classes, escapes and quantified atoms."""
    runs: list[str] = []
    run: list[str] = []
    index = 0
    while index < len(alternative):
        char, following = alternative[index], alternative[index + 1 : index + 2]
        if char == "\\" and following and not following.isalnum():
            run.append(following)  # escaped punctuation is literal
            index += 2
            continue
        if char in _META:
            if char in _QUANTIFIERS and run:
                run.pop()  # the atom before an optional or counted quantifier may be absent
            runs.append("".join(run))
            run = []
            if char == "{":
                index = alternative.find("}", index) + 1 or len(alternative)
            elif char in "([":
                index = _skip(alternative, index)
            else:
                index += 2 if char == "\\" else 1  # \b, \d, \w... match no fixed text
            continue
        run.append(char)
        index += 1
    runs.append("".join(run))
    return max(runs, key=len)


def _skip(pattern: str, index: int) -> int:
    """The index just after the group or character class that starts at `index`."""
    closing = ")" if pattern[index] == "(" else "]"
    depth, in_class = 0, closing == "]"
    position = index + 1
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            if char == "]" and position > index + 1:
                if closing == "]":
                    return position + 1
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return position + 1
            depth -= 1
        position += 1
    return position


class RuleSet:
    """Rules tried in order; the first whose pattern is found in the text wins."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        # Sets of rules as bit masks (bit i = rule i): union is one `|`, and the lowest set
        # bit is the next rule in table order.
        self._always = sum(1 << i for i, r in enumerate(self.rules) if not r.words)
        self._unspaced = sum(1 << i for i, r in enumerate(self.rules) if UNSPACED in r.words)
        self._by_word: dict[bytes, int] = {}
        for index, r in enumerate(self.rules):
            for word in r.words - {UNSPACED}:
                key = word.encode()
                self._by_word[key] = self._by_word.get(key, 0) | 1 << index
        self.vocabulary: frozenset[bytes] = frozenset(self._by_word)

    def gated(self, lowered: str) -> int:
        """The rules whose gate is open for this lower-cased text, as a bit mask."""
        words = words_of(lowered)
        always = self._always if lowered.isascii() else self._always | self._unspaced
        return reduce(
            or_, map(self._by_word.__getitem__, self.vocabulary.intersection(words)), always
        )

    def first(self, lowered: str, mask: int) -> int:
        """The index of the first rule in `mask`, in table order, whose pattern matches; -1
        when none does."""
        rules = self.rules
        while mask:
            lowest = mask & -mask
            index = lowest.bit_length() - 1
            if rules[index].search(lowered):
                return index
            mask ^= lowest
        return -1

    def match(self, lowered: str) -> Rule | None:
        """The first rule, in table order, whose gate is open and whose pattern matches."""
        index = self.first(lowered, self.gated(lowered))
        return None if index < 0 else self.rules[index]

    def without(self, names: Iterable[str]) -> RuleSet:
        """A copy without the named rules (a custom rule of the same name replaces them)."""
        drop = set(names)
        return RuleSet(r for r in self.rules if r.name not in drop)
