"""The `[policy]` table of the rules file (`BOUNCEKEEPER_RULES`, TOML): overrides of the defaults.
app.classify.custom reads the file and hands this table here.

    [policy]
    version = "2026-11-strict"
    window_days = 14
    threshold = 3.0
    alert_min_rejections = 20
    alert_min_ratio = 0.05

    [policy.codes]            # per code: "suppress" | "sender_side" | "ignore" | a soft weight
    3002 = 1.5
    1999 = "sender_side"

    [policy.categories]       # fallback for codes the table does not name
    unknown = 0.25

    [policy.grades]           # a "suppress" code on evidence of this grade: "suppress" or a
    class = 1.0               # soft weight (text, status, symptom, class; default: symptom
                              # and class = 1.0)

Every problem is reported with the key it is under, before anything runs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.classify import Grade
from app.policy import IGNORE, SENDER_SIDE, SUPPRESS, Action, ActionKind, Policy
from app.taxonomy import Category, category_of


class PolicyFileError(ValueError):
    """The file cannot be used; the message names the file and the key."""


_NUMBERS = {
    "window_days": (int, 1, 365),
    "threshold": (float, 0.01, 1000.0),
    "alert_min_rejections": (int, 1, 1_000_000),
    "alert_min_ratio": (float, 0.0, 1.0),
}
_NAMED_ACTIONS = {"suppress": SUPPRESS, "sender_side": SENDER_SIDE, "ignore": IGNORE}


def _action(where: str, value: Any) -> Action:
    if isinstance(value, str) and value in _NAMED_ACTIONS:
        return _NAMED_ACTIONS[value]
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 100:
        return Action(ActionKind.SOFT, float(value))
    raise PolicyFileError(
        f"{where}: {value!r} is not an action (suppress, sender_side, ignore, or a soft weight "
        "between 0 and 100)"
    )


def _number(where: str, value: Any, kind: type, low: float, high: float) -> int | float:
    ok_type = isinstance(value, int) if kind is int else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type or not low <= value <= high:
        raise PolicyFileError(f"{where}: expected a {kind.__name__} from {low} to {high}")
    return kind(value)


def _code(where: str, key: str) -> int:
    try:
        code = int(key)
        category_of(code)
    except ValueError:
        raise PolicyFileError(f"{where}: {key!r} is not a failure code") from None
    return code


def parse_policy(table: dict[str, Any], origin: str, base: Policy | None = None) -> Policy:
    """A Policy from a `[policy]` table, on top of `base` (the defaults)."""
    policy = base or Policy()
    changes: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{origin}: policy.{key}"
        if key == "version":
            if not isinstance(value, str) or not value:
                raise PolicyFileError(f"{where}: expected a non-empty string")
            changes["version"] = value
        elif key in _NUMBERS:
            changes[key] = _number(where, value, *_NUMBERS[key])
        elif key == "codes":
            by_code = dict(policy.by_code)
            for code, action in value.items():
                by_code[_code(f"{where}.{code}", code)] = _action(f"{where}.{code}", action)
            changes["by_code"] = by_code
        elif key == "grades":
            by_grade = dict(policy.by_grade)
            for name, action in value.items():
                if name not in Grade.__members__.values():
                    raise PolicyFileError(
                        f"{where}.{name}: unknown grade (text, status, symptom, class)"
                    )
                chosen = _action(f"{where}.{name}", action)
                if chosen.kind is ActionKind.SUPPRESS:
                    by_grade.pop(Grade(name), None)
                elif chosen.kind is ActionKind.SOFT:
                    by_grade[Grade(name)] = chosen
                else:
                    raise PolicyFileError(
                        f'{where}.{name}: a grade takes "suppress" or a soft weight'
                    )
            changes["by_grade"] = by_grade
        elif key == "categories":
            by_category = dict(policy.by_category)
            for name, action in value.items():
                if name not in Category.__members__.values():
                    raise PolicyFileError(f"{where}.{name}: unknown category")
                by_category[Category(name)] = _action(f"{where}.{name}", action)
            changes["by_category"] = by_category
        else:
            raise PolicyFileError(f"{where}: unknown key")
    return replace(policy, **changes)
