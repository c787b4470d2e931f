"""The text-rule engine: an ordered table of (name, code, pattern), matched fast.

Running every pattern over every diagnostic costs tens of microseconds, so one pass of a
multi-literal search comes first and only skips work that could not match:

- each top-level alternative of a pattern (a leading group's branches count as alternatives
  too) needs the literal texts every match of it must contain (derived from the pattern);
  one Aho-Corasick pass over the diagnostic finds which of those literals occur, so only the
  alternatives whose literals are all there are searched, in table order (rule, then the
  alternative's place in its pattern).

An alternative that starts with `\\b` or a lookbehind is compiled with the assertion moved
after its leading literal (same matches), because `re` skips ahead fast only to a literal
prefix.

tests/unit/test_text_rules.py checks on the whole corpus that the answer is the one a plain
search of every rule, in order, would give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ahocorasick_rs import AhoCorasick, Implementation

_META = set(".^$*+?{}[]()|\\")
_QUANTIFIERS = set("?*{")

# (place of the alternative in the whole table, its rule's index, the alternative compiled)
Hit = tuple[int, int, re.Pattern[str]]
# The alternatives that need a second literal (and maybe more), once that second literal is
# found: those that need nothing else, as one flat tuple, and (the literals needed besides
# both, those alternatives) for the rest, None when there are none.
_Rests = tuple[tuple[frozenset[str], tuple[Hit, ...]], ...]
_Completed = tuple[tuple[Hit, ...], _Rests | None]
# What one trigger literal brings: the alternatives that need nothing else (None when there
# are none); the second literal that the others need when it is the same for all of them,
# with what it completes; else the set of those second literals and, by second literal, what
# it completes (None when no alternative needs a second literal).
_Triggered = tuple[
    tuple[Hit, ...] | None,
    str | None,
    tuple[Hit, ...],
    _Rests | None,
    frozenset[str] | None,
    dict[str, _Completed] | None,
]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    code: int
    pattern: re.Pattern[str]
    # (literals every match contains, compiled alternative) for each alternative of the
    # pattern, its groups' branches spelled out; an alternative with optional groups has one
    # entry per way of reading them (_literal_options), all with the same compiled object
    phrases: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = field(default=(), compare=False)


# Spelling out a group's branches multiplies an alternative; past this many copies it is left
# with its group, and only its other literals filter it.
_MAX_EXPANSION = 128
# The most readings of an alternative's choices that get a literal set each.
_MAX_READINGS = 8


def rule(name: str, code: int, pattern: str, flags: int = 0) -> Rule:
    """One table row; `pattern` is matched on lower-cased text."""
    whole = re.compile(pattern, flags)
    try:
        phrases = tuple(
            (literals, compiled)
            for top in _alternatives(pattern)
            for alternative in _expand_groups(top)
            for compiled in (re.compile(_literal_first(alternative), flags),)
            for literals in _literal_options(alternative)
        )
    except re.error:  # a construct the splitter does not follow: search the whole pattern
        phrases = (((), whole),)
    return Rule(name, code, whole, phrases)


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


def _expand_groups(alternative: str) -> list[str]:
    """The alternative with its plain top-level groups spelled out: `x(?:a|b)y` as [`xay`,
    `xby`] (same matches), so that each copy's words are literals the prefilter can require.
    A group that is quantified (`(?:a|b)?`), a lookaround, or one whose copies would pass
    _MAX_EXPANSION stays as it is."""
    expanded = [alternative]
    while True:
        grown = [copy for item in expanded for copy in _expand_first_group(item)]
        if grown == expanded or len(grown) > _MAX_EXPANSION:
            return expanded
        expanded = grown


def _atoms(alternative: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each top-level atom of an alternative, in order: an escape (`\\b`,
    `\\.`), a group or a character class through its closing bracket (_skip), or one
    character. A quantifier after an atom is an atom of its own; the callers look at the text
    after an atom's end. The one walk over a pattern's top level that the expansion of plain
    groups and the readings of choices share."""
    index, length = 0, len(alternative)
    while index < length:
        char = alternative[index]
        if char == "\\":
            end = index + 2
        elif char in "[(":
            end = _skip(alternative, index)
        else:
            end = index + 1
        yield index, end
        index = end


def _expand_first_group(alternative: str) -> list[str]:
    """The copies of the alternative with its first plain, unquantified top-level group
    spelled out (`x(?:a|b)y` as `xay`, `xby`); the alternative alone when it has none."""
    for start, end in _atoms(alternative):
        following = alternative[end : end + 1]
        if alternative.startswith("(?:", start) and not (
            following in _QUANTIFIERS or following == "+"
        ):
            head, rest = alternative[:start], alternative[end:]
            return [
                head + branch + rest for branch in _alternatives(alternative[start + 3 : end - 1])
            ]
    return [alternative]


def _literal_options(alternative: str) -> list[tuple[str, ...]]:
    """Literal sets of which every match of the alternative contains at least one: one per
    reading of its choices (`ip (?:is |was )?rejected` read as `ip is rejected`,
    `ip was rejected`, `ip rejected`; `gr[ae]y-?list` as `graylist`, `gray-list`...) when every
    reading has one, else the alternative's own. A reading's literals are longer than the
    alternative's (`rejected`, `list`), so they occur in far fewer texts and the alternative
    is searched far less often in vain."""
    readings = _readings(alternative, _MAX_READINGS)
    if readings is not None and len(readings) > 1:
        options = {_required_literals(reading) for reading in set(readings)}
        if len(options) > 1 and all(options):
            return sorted(options)
    return [_required_literals(alternative)]


def _readings(alternative: str, limit: int) -> list[str] | None:
    """Every reading of the alternative's top-level choices (a chosen branch's own choices
    read too), or None past `limit` readings. Every match of the alternative is a match of
    one reading (a lazy or possessive `?` only matches less)."""
    if "?" not in alternative and "[" not in alternative:
        return [alternative]  # no choice, as in most alternatives: no scan
    choice = _first_choice(alternative)
    if choice is None:
        return [alternative]
    start, branches, after = choice
    head, rest = alternative[:start], alternative[after:]
    readings: list[str] = []
    for branch in branches:
        tails = _readings(branch + rest, limit - len(readings))
        if tails is None:
            return None
        readings += [head + tail for tail in tails]
        if len(readings) > limit:
            return None
    return readings


# Characters a reading may spell out: a class of at most four of them (`[ée]`, `[- ]`), or one
# of them made optional (`e-?mail`).
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 -àáâäåæçèéêëìíîïñòóôöøùúûüßœ")


def _first_choice(alternative: str) -> tuple[int, list[str], int] | None:
    """The first top-level choice as (where it starts, its branches, where the text after it
    resumes): an optional group (`x(?:a|b)?y`: `a`, `b`, ``), a small class of plain
    characters, optional or not (`x[ab]y`: `a`, `b`), or an optional plain character (`xa?y`:
    `a`, ``); None when there is none."""
    for start, end in _atoms(alternative):
        char = alternative[start]
        if char in "[(":
            after = _after_optional(alternative, end)
            if char == "(" and alternative.startswith("(?:", start) and after > end:
                return start, [*_alternatives(alternative[start + 3 : end - 1]), ""], after
            if (
                char == "["
                and _small_class(alternative[start + 1 : end - 1])
                and alternative[end : end + 1] not in ("*", "+", "{")
            ):
                branches = sorted(set(alternative[start + 1 : end - 1])) + [""] * (after > end)
                return start, branches, max(after, end)
        elif (
            char in _PLAIN
            and alternative[end : end + 1] == "?"
            and _after_optional(alternative, end) == end + 1
        ):
            return start, [char, ""], end + 1
    return None


def _after_optional(alternative: str, end: int) -> int:
    """Where the text after an atom ending at `end` resumes when the atom is made optional
    (`?`, `??`, `?+`); `end` itself when it is not."""
    if alternative[end : end + 1] != "?":
        return end
    return end + 2 if alternative[end + 1 : end + 2] in ("?", "+") else end + 1


def _small_class(body: str) -> bool:
    """Whether a class body is at most four plain characters (a `-` only first or last, where
    it is literal)."""
    plain = all(c in _PLAIN and (c != "-" or i in (0, len(body) - 1)) for i, c in enumerate(body))
    return bool(body) and plain and len(set(body)) <= 4


# A leading `\b\d` and its count (`\b\d{1,3}`, `\b\d+`, `\b\d`), not lazy or possessive.
_LEADING_DIGIT = re.compile(r"\\b\\d(?:\{([1-9]\d*)(,\d*)?\}|(\+))?(?![?*+{])")
# The characters a moved literal may hold: plain ASCII ones and every non-ASCII one (none of
# them is a pattern's syntax).
_LITERAL_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 ")


def _literal_first(alternative: str) -> str:
    """The alternative with a leading `\\b` or negative lookbehinds moved after the literal
    text that follows them: `\\bspf\\b` as `spf(?<!\\wspf)\\b`, `(?<!ihr )(?<!ihre )konto` as
    `konto(?<!ihr konto)(?<!ihre konto)`; a leading `\\b\\d{1,3}` as `\\d(?<!\\w\\d)\\d{0,2}`.
    Same matches, but `re` only skips ahead quickly to a pattern's literal prefix (or, for
    `\\d`, to a digit); one that starts with an assertion is tried at every position, which
    costs ten times more on a long diagnostic (an IP address before "blocked" cost 3 % of a
    classification on the Sisimai corpus)."""
    digit = _LEADING_DIGIT.match(alternative)
    if digit is not None:
        least, most, plus = digit.groups()
        if plus:
            more = "\\d*"
        elif least is None:
            more = ""
        else:
            upper = "" if most is None else "," + (most[1:] and f"{int(most[1:]) - 1}")
            more = f"\\d{{{int(least) - 1}{upper}}}"
        return f"\\d(?<!\\w\\d){more}{alternative[digit.end() :]}"
    if alternative.startswith("\\b"):
        assertions, rest = ["\\w"], alternative[2:]
    elif alternative.startswith("(?<!"):
        assertions, rest = [], alternative
        while rest.startswith("(?<!"):
            end = _skip(rest, 0)
            assertions.append(f"(?:{rest[4 : end - 1]})")
            rest = rest[end:]
    else:
        return alternative
    run = 0
    while run < len(rest) and (rest[run] in _LITERAL_ASCII or not rest[run].isascii()):
        run += 1
    if rest[run : run + 1] in _QUANTIFIERS or rest[run : run + 1] == "+":
        run -= 1  # the atom before a quantifier is not literal text
    literal = rest[:run]
    if not literal or not literal[0].isalnum():
        return alternative  # \b before a non-word character means the opposite
    moved = "".join(f"(?<!{assertion}{literal})" for assertion in assertions)
    return f"{literal}{moved}{rest[run:]}"


def _required_literals(alternative: str) -> tuple[str, ...]:
    """The texts every match of this alternative contains, longest first (none when there
    are none): the literal runs of its top level, outside groups, classes, escapes and
    quantified atoms, lower-cased as the text they are looked for in, in a fixed order so the
    prefilter's tables are the same in every process."""
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
    # Without their outer spaces: " user" and "user " are then one literal with "user", found
    # once instead of three times wherever "user" is written; a literal within a longer one
    # of the same alternative is found wherever that one is, so it filters nothing.
    useful = {r.strip().lower() for r in runs if _selective(r)}
    kept = [r for r in useful if not any(r != other and r in other for other in useful)]
    return tuple(sorted(kept, key=lambda literal: (-len(literal), literal)))


def _selective(run: str) -> bool:
    """Whether a literal run is worth looking for: three letters or more, or two of a script
    written without spaces. Shorter runs ("0", " is ") occur in nearly every text, and every
    occurrence costs the one-pass search a result."""
    letters = run.replace(" ", "")
    return len(letters) >= 3 or (len(letters) == 2 and not letters.isascii())


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


def _completed(by_rest: Iterable[tuple[frozenset[str], list[Hit]]]) -> _Completed:
    """What a second literal completes, split so that the usual case costs one list extension:
    the alternatives that need nothing more as one flat tuple, the others with their further
    literals (None when there are none, as for most second literals)."""
    plain: list[Hit] = []
    rests: list[tuple[frozenset[str], tuple[Hit, ...]]] = []
    for rest, hits in by_rest:
        if rest:
            rests.append((rest, tuple(hits)))
        else:
            plain += hits
    return tuple(plain), tuple(rests) or None


# The attributes RuleSet._build sets: a lazy rule set builds them on first use.
_BUILT = frozenset({"_by_trigger", "_triggers", "_unfiltered", "_literals"})


class RuleSet:
    """Rules tried in order; the first whose pattern is found in the text wins.

    A `lazy` set builds its literal search on first use instead of at once: the per-layer sets
    only explain() and a custom rules file's copies search (classify() searches the combined
    table), so importing app.classify need not build them. Their attributes are simply missing
    until then; a lazy set is a _LazyRuleSet, whose __getattr__ (only ever called for a
    missing attribute) builds them and makes it a plain RuleSet again, so a built set's
    searches cost no check at all."""

    def __init__(self, rules: Iterable[Rule], *, lazy: bool = False) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        if lazy:
            self.__class__ = _LazyRuleSet
        else:
            self._build()

    def _build(self) -> None:
        literals: dict[str, None] = {}  # every literal, once, in table order
        free: dict[str, list[Hit]] = {}
        # trigger -> the first other literal -> the literals needed besides those -> hits
        bound: dict[str, dict[str, dict[frozenset[str], list[Hit]]]] = {}
        unfiltered: list[Hit] = []
        place = -1
        for index, r in enumerate(self.rules):
            previous = None
            for required, phrase in r.phrases:
                if phrase is not previous:  # the readings of one alternative share its place
                    place, previous = place + 1, phrase
                hit = (place, index, phrase)
                if not required:
                    unfiltered.append(hit)
                    continue
                literals.update(dict.fromkeys(required))
                if len(required) == 1:
                    free.setdefault(required[0], []).append(hit)
                    continue
                trigger, second, rest = required[0], required[1], frozenset(required[2:])
                by_second = bound.setdefault(trigger, {}).setdefault(second, {})
                by_second.setdefault(rest, []).append(hit)
        # Per literal that triggers an alternative: the alternatives that need nothing else,
        # and those that also need other literals, indexed by the second literal they need so
        # that one membership test, or one set intersection (in C) when there are several
        # second literals, finds the few whose second literal is there too, instead of a check
        # of every one of them. One lookup per literal found: this runs on every bounce, and
        # its Python steps cost as much as the literal search itself. So every entry is laid
        # out for the fewest steps: a trigger with one second literal (most) carries what that
        # literal completes at once, with no set built; empty parts are None, tested instead
        # of extended; what a second literal completes is one flat tuple, and the rare
        # alternatives that need still more literals come apart (_completed).
        by_trigger: dict[str, _Triggered] = {}
        for trigger in free.keys() | bound.keys():
            completed = {
                second: _completed(by_rest.items())
                for second, by_rest in bound.get(trigger, {}).items()
            }
            hits = tuple(free.get(trigger, ())) or None
            if len(completed) == 1:
                ((only, (plain, rests)),) = completed.items()
                by_trigger[trigger] = (hits, only, plain, rests, None, None)
            else:
                seconds = frozenset(completed) or None
                by_trigger[trigger] = (hits, None, (), None, seconds, completed or None)
        # A contiguous NFA: as fast on the corpus as a DFA of the same literals (the 8,000 of
        # the readings of optional groups; the DFA scanned 3,700 only 5 % faster), in 1 MB
        # instead of 70 MB per rule set. The literals found come back as the stored strings
        # themselves, not as (id, start, end) tuples built for every occurrence: a third of
        # the pass's cost.
        searcher = (
            AhoCorasick(
                list(literals), implementation=Implementation.ContiguousNFA, store_patterns=True
            )
            if literals
            else None
        )
        # each attribute set whole, last: a lazy set built by two threads at once is read
        # either unbuilt (and built again, alike) or whole, never half filled
        self._by_trigger: dict[str, _Triggered] = by_trigger
        self._triggers = frozenset(by_trigger)
        self._unfiltered = tuple(unfiltered)
        self._literals = searcher

    def candidates(self, lowered: str) -> list[Hit]:
        """The alternatives whose required literals all occur in the lower-cased text, in
        table order: the only ones that can match."""
        hits = [*self._unfiltered]
        if self._literals is not None:
            # `overlapping` passed by position: by keyword pyo3 matches its name on every call
            found = {*self._literals.find_matches_as_strings(lowered, True)}
            by_trigger = self._by_trigger
            # Only the literals that trigger alternatives, picked in C: half of those found
            # only complete alternatives triggered by others, and a Python step and a dict
            # lookup apiece cost more than the intersection.
            for literal in self._triggers & found:
                free, only, plain, rests, seconds, by_second = by_trigger[literal]
                if free is not None:
                    hits += free
                if only is not None:
                    if only in found:
                        hits += plain
                        if rests is not None:
                            # written out: a helper's call and the function 3.11 makes
                            # for a list comprehension cost 5 % of a classification
                            for rest, more in rests:
                                if rest <= found:
                                    hits += more
                elif seconds is not None and not seconds.isdisjoint(found):
                    for second in seconds & found:
                        plain, rests = by_second[second]
                        hits += plain
                        if rests is not None:
                            for rest, more in rests:
                                if rest <= found:
                                    hits += more
        if len(hits) > 1:
            # plain tuple order is table order: places are unique but for the readings of one
            # alternative, whose hits are then the same tuple, so no comparison ever reaches the
            # compiled pattern; cheaper than a key function called for every hit
            hits.sort()
        return hits

    @staticmethod
    def first(lowered: str, hits: Sequence[Hit], start: int = 0, stop: int = 1 << 30) -> int:
        """The index of the first rule in [start, stop), in table order, with a candidate
        alternative that matches; -1 when none does."""
        for _, index, phrase in hits:
            if index >= stop:
                break  # the hits are in table order: none after this is in range
            if index >= start and phrase.search(lowered):
                return index
        return -1

    def match(self, lowered: str) -> Rule | None:
        """The first rule, in table order, whose pattern matches."""
        index = self.first(lowered, self.candidates(lowered))
        return None if index < 0 else self.rules[index]

    def without(self, names: Iterable[str]) -> RuleSet:
        """A copy without the named rules (a custom rule of the same name replaces them),
        built on first use: a custom rules file's per-layer sets serve explain() only."""
        drop = set(names)
        return RuleSet((r for r in self.rules if r.name not in drop), lazy=True)


class _LazyRuleSet(RuleSet):
    """A RuleSet not built yet (RuleSet(..., lazy=True)). __getattr__ lives on this class
    only: in CPython a class with __getattr__ has every attribute read of its instances go
    through it (no specialised attribute load; 3.11 reads a method of such an object about
    three times slower), so on RuleSet itself it slowed the combined table's every search
    (1-2 % of a classification on the corpus). Built, the set becomes a plain RuleSet;
    another thread that read it unbuilt meanwhile builds it again, alike, and each attribute
    is set whole."""

    def __getattr__(self, name: str) -> object:
        if name not in _BUILT:
            raise AttributeError(name)
        self._build()
        self.__class__ = RuleSet
        return object.__getattribute__(self, name)
