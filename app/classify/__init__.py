"""Classification: evidence about one failed delivery -> one taxonomy code, with the reason why.

Layers are tried from the most specific evidence to the least, and the first that speaks wins:

1. custom     the operator's rules file (app/classify/custom.py)
2. text       a *cause* named in the diagnostic (mailbox full, user unknown, Spamhaus...)
3. enhanced   the exact seed-004 row of the enhanced status
4. enhanced-detail   RFC 3463's meaning of a detail the seed lacks (5.4.4, 5.7.606...)
5. text       a *symptom* in the diagnostic (timed out, try later, access denied)
6. provider   the ESP's own label (ZeptoMail's bounce_reason)
7. enhanced-subject  RFC 3463's class.subject meaning (4.7.650 -> 4.7 -> 1999)
8. smtp       the basic reply code
9. bounce-type  the ESP's hard/soft flag, then 9999

Why causes beat even an exact row: a server picks its status from a short list and often a
generic or wrong one, but it writes the text for the case at hand; text naming a cause is the
more specific evidence (`552 over quota (#5.1.1)` is a full mailbox, not a dead address).
Symptom text is less specific than any exact row, so it waits until after them. The status
is taken from the diagnostic when the enhanced-code field is empty. `matched_by` names the
layer and the rule so an operator can see why an address was suppressed; `explain()` lists
what every layer said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from app import taxonomy
from app.classify import enhanced, provider_hints, smtp
from app.classify.rules import RuleSet, words_of
from app.classify.text_rules import CAUSES, SYMPTOMS


@dataclass(frozen=True, slots=True)
class Evidence:
    smtp_code: str = ""
    enhanced_code: str = ""
    diagnostic: str = ""
    provider_reason: str = ""
    bounce_type: str = ""
    provider: str = ""


@dataclass(frozen=True, slots=True)
class Classification:
    code: int
    category: taxonomy.Category
    matched_by: str


@dataclass(frozen=True, slots=True)
class Step:
    """What one layer said: its name, the rule or value it matched, and the code (or None)."""

    layer: str
    matched: str
    code: int | None


@dataclass(frozen=True)
class TextRules:
    """The rule sets one classification uses; custom rules files build their own."""

    custom: RuleSet
    causes: RuleSet
    symptoms: RuleSet
    vocabulary: frozenset[bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the gate words of every set, so a text's words are filtered once, not once per set
        words = self.custom.vocabulary | self.causes.vocabulary | self.symptoms.vocabulary
        object.__setattr__(self, "vocabulary", words)


BUILT_IN = TextRules(RuleSet(()), RuleSet(CAUSES), RuleSet(SYMPTOMS))


_NO_WORDS: frozenset[bytes] = frozenset()


class _Case:
    """The evidence with the derived forms the layers share: the lower-cased diagnostic and
    its gate words (every text layer needs them), and the statuses, parsed only when a layer
    asks (a cause in the text often decides first)."""

    __slots__ = ("_statuses", "evidence", "lowered", "rules", "words")

    def __init__(self, evidence: Evidence, rules: TextRules) -> None:
        self.evidence = evidence
        self.rules = rules
        self.lowered = lowered = evidence.diagnostic.lower()
        self.words = rules.vocabulary.intersection(words_of(lowered)) if lowered else _NO_WORDS
        self._statuses: list[str] | None = None

    @property
    def statuses(self) -> list[str]:
        if self._statuses is None:
            code = self.evidence.enhanced_code
            self._statuses = (enhanced.parse(code) if code else []) or enhanced.parse(self.lowered)
        return self._statuses


Layer = Callable[[_Case], tuple[str, int] | None]


def _text(select: Callable[[TextRules], RuleSet]) -> Layer:
    def layer(case: _Case) -> tuple[str, int] | None:
        rule_set = select(case.rules)
        if not case.lowered or not rule_set.rules:
            return None
        found = rule_set.match(case.lowered, case.words)
        return None if found is None else (found.name, found.code)

    return layer


def _status(lookup: Callable[[str], int | None], key: Callable[[str], str]) -> Layer:
    def layer(case: _Case) -> tuple[str, int] | None:
        for status in case.statuses:
            code = lookup(status)
            if code is not None:
                return key(status), code
        return None

    return layer


def _provider(case: _Case) -> tuple[str, int] | None:
    hint = provider_hints.lookup(case.evidence.provider, case.evidence.provider_reason)
    if hint is None:
        return None
    table, code = hint
    return f"{table}:{case.evidence.provider_reason.strip().lower()}", code


def _reply(case: _Case) -> tuple[str, int] | None:
    code = smtp.lookup(case.evidence.smtp_code)
    return None if code is None else (case.evidence.smtp_code.strip(), code)


def _bounce_type(case: _Case) -> tuple[str, int] | None:
    label = case.evidence.bounce_type.strip().lower()
    squashed = label.replace(" ", "").replace("_", "")
    if squashed.startswith("hard") or squashed == "permanent":
        return label, 2999
    if squashed.startswith("soft") or squashed in {"transient", "temporary"}:
        return label, 3999
    return None


_LAYERS: tuple[tuple[str, Layer], ...] = (
    ("custom", _text(attrgetter("custom"))),
    ("text", _text(attrgetter("causes"))),
    ("enhanced", _status(enhanced.exact, str)),
    ("enhanced-detail", _status(enhanced.by_detail, str)),
    ("text", _text(attrgetter("symptoms"))),
    ("provider", _provider),
    ("enhanced-subject", _status(enhanced.by_subject, lambda s: s.rsplit(".", 1)[0])),
    ("smtp", _reply),
    ("bounce-type", _bounce_type),
)


@lru_cache(maxsize=4096)
def _verdict(code: int, matched_by: str) -> Classification:
    """Verdicts are immutable and few (a code and a rule name), so they are shared, not rebuilt
    for every bounce: building a frozen dataclass costs as much as a text layer."""
    return Classification(code, taxonomy.category_of(code), matched_by)


def classify(evidence: Evidence, rules: TextRules = BUILT_IN) -> Classification:
    """The taxonomy code for one bounce, most specific evidence first."""
    case = _Case(evidence, rules)
    for layer, consult in _LAYERS:
        said = consult(case)
        if said is not None:
            return _verdict(said[1], f"{layer}:{said[0]}")
    return _verdict(taxonomy.UNKNOWN, "default")


def explain(evidence: Evidence, rules: TextRules = BUILT_IN) -> list[Step]:
    """Every layer consulted, in order, with what it said; the first with a code decides."""
    case = _Case(evidence, rules)
    steps = []
    for layer, consult in _LAYERS:
        said = consult(case)
        steps.append(Step(layer, "", None) if said is None else Step(layer, *said))
    steps.append(Step("default", "", taxonomy.UNKNOWN))
    return steps
