"""The operator's rules file (`BOUNCEKEEPER_RULES`, TOML): custom codes, their default action,
text rules tried before the built-in ones, and the `[policy]` table (app.policy_file).

```toml
[[code]]
code = 2101                  # thousands digit gives the category, which must agree
category = "permanent"
meaning = "Mailbox migrated to another provider"
action = "suppress"          # suppress | soft (with weight) | sender_side | ignore

[[rule]]
name = "mailbox-migrated"    # a built-in rule's name replaces that rule
code = 2101                  # a seed-000 code or one defined above
patterns = ['mailbox (has been )?migrated']
```

Everything is checked at load, and an error names the file and line, so a typo fails the
start of the worker or the CLI instead of silently classifying differently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import taxonomy
from app.classify import BUILT_IN, TextRules
from app.classify.rules import Rule, RuleSet, rule
from app.policy import EVENT_ONLY_ACTIONS, Action, ActionKind, Policy, policy_with_codes
from app.policy_file import PolicyFileError, parse_policy

_ACTIONS = {kind.value: kind for kind in ActionKind if kind not in EVENT_ONLY_ACTIONS}
_CODE_KEYS = {"code", "category", "meaning", "action", "weight"}
_RULE_KEYS = {"name", "code", "patterns"}


class RulesError(ValueError):
    """The rules file is unusable; the message starts with `file:line:`."""


@dataclass(frozen=True)
class CustomRules:
    text: TextRules
    codes: dict[int, taxonomy.FailureCode]
    actions: dict[int, Action]
    policy: Policy  # the defaults, the custom codes' actions, then the [policy] table


NONE = CustomRules(BUILT_IN, {}, {}, Policy())


def load_optional(path: str | Path | None) -> CustomRules:
    """The rules file if one is named, else the built-in rules and no custom codes."""
    return load(path) if path else NONE


def load(path: str | Path) -> CustomRules:
    """Read and check a rules file."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read the rules file: {exc.strerror}") from None
    return parse(source, str(path))


def parse(source: str, origin: str = "<rules>") -> CustomRules:
    """Check a rules file's text; `origin` names it in errors."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{origin}: {exc}") from None
    locate = _Locator(source, origin)
    unknown = set(data) - {"code", "rule", "policy"}
    if unknown:
        raise RulesError(
            f"{origin}:1: unknown section(s) {sorted(unknown)}; use [[code]], [[rule]], [policy]"
        )
    codes, actions = _codes(data.get("code", []), locate)
    rules = [_rule(table, i, codes, locate) for i, table in enumerate(data.get("rule", []))]
    seen: set[str] = set()
    for index, r in enumerate(rules):
        if r.name in seen:
            raise RulesError(locate("rule", index, "name", f"duplicate rule name {r.name!r}"))
        seen.add(r.name)
    text = TextRules(RuleSet(rules), BUILT_IN.causes.without(seen), BUILT_IN.symptoms.without(seen))
    table = data.get("policy", {})
    if not isinstance(table, dict):
        raise RulesError(f"{origin}: policy must be a table")
    try:
        policy = parse_policy(table, origin, base=policy_with_codes(actions))
    except PolicyFileError as exc:
        raise RulesError(str(exc)) from None
    return CustomRules(text, codes, actions, policy)


def _codes(
    tables: list[dict[str, Any]], locate: _Locator
) -> tuple[dict[int, taxonomy.FailureCode], dict[int, Action]]:
    codes: dict[int, taxonomy.FailureCode] = {}
    actions: dict[int, Action] = {}
    for index, table in enumerate(tables):

        def fail(key: str, message: str, index: int = index) -> RulesError:
            return RulesError(locate("code", index, key, message))

        _no_unknown_keys(table, _CODE_KEYS, fail)
        code = table.get("code")
        if not isinstance(code, int) or isinstance(code, bool):
            raise fail("code", "`code` must be an integer")
        if code in taxonomy.CODES or code in codes:
            raise fail("code", f"duplicate code {code}: it is already defined")
        try:
            category = taxonomy.category_of(code)
        except ValueError as exc:
            raise fail("code", str(exc)) from None
        named = table.get("category", category.value)
        if named not in {c.value for c in taxonomy.Category}:
            raise fail("category", f"unknown category {named!r}")
        if named != category.value:
            raise fail("category", f"code {code} is {category.value}, not {named}")
        codes[code] = taxonomy.FailureCode(code, category, str(table.get("meaning", "")))
        actions[code] = _action(table, fail)
    return codes, actions


def _action(table: dict[str, Any], fail: Callable[[str, str], RulesError]) -> Action:
    name = table.get("action")
    if name not in _ACTIONS:
        raise fail("action", f"`action` must be one of {sorted(_ACTIONS)}, not {name!r}")
    kind = _ACTIONS[name]
    weight = table.get("weight", 0.0)
    if kind is ActionKind.SOFT and not (isinstance(weight, int | float) and weight > 0):
        raise fail("weight", "a soft action needs a positive `weight`")
    if kind is not ActionKind.SOFT and "weight" in table:
        raise fail("weight", "`weight` applies only to the soft action")
    return Action(kind, float(weight))


def _rule(
    table: dict[str, Any], index: int, codes: dict[int, taxonomy.FailureCode], locate: _Locator
) -> Rule:
    def fail(key: str, message: str) -> RulesError:
        return RulesError(locate("rule", index, key, message))

    _no_unknown_keys(table, _RULE_KEYS, fail)
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("name", "`name` must be a non-empty string")
    code = table.get("code")
    if code not in taxonomy.CODES and code not in codes:
        raise fail("code", f"rule {name!r}: unknown code {code!r}; define it in a [[code]]")
    patterns = table.get("patterns")
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) for p in patterns)
    ):
        raise fail("patterns", f"rule {name!r}: `patterns` must be a non-empty list of strings")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RulesError(
                locate(
                    "rule",
                    index,
                    "patterns",
                    f"rule {name!r}: bad regex {pattern!r}: {exc}",
                    needle=pattern,
                )
            ) from None
    return rule(name, code, "|".join(patterns), re.IGNORECASE)


def _no_unknown_keys(
    table: dict[str, Any], allowed: set[str], fail: Callable[[str, str], RulesError]
) -> None:
    for key in table:
        if key not in allowed:
            raise fail(key, f"unknown key {key!r}; allowed: {sorted(allowed)}")


class _Locator:
    """Turns (section, index, key) into `file:line: message`, from the source text."""

    def __init__(self, source: str, origin: str) -> None:
        self.lines = source.splitlines()
        self.origin = origin
        self.headers: dict[str, list[int]] = {"code": [], "rule": []}
        for number, line in enumerate(self.lines, start=1):
            found = re.match(r"\s*\[\[\s*(code|rule)\s*\]\]", line)
            if found:
                self.headers[found.group(1)].append(number)

    def __call__(self, section: str, index: int, key: str, message: str, needle: str = "") -> str:
        headers = self.headers[section]
        start = headers[index] if index < len(headers) else 1  # inline tables have no header
        later = [n for headers in self.headers.values() for n in headers if n > start]
        end = min(later, default=len(self.lines) + 1)
        line = start
        for number in range(start + 1, end):
            text = self.lines[number - 1]
            if needle and needle in text:
                line = number
                break
            if line == start and re.match(rf"\s*{re.escape(key)}\s*=", text):
                line = number
                if not needle:
                    break
        return f"{self.origin}:{line}: {message}"
