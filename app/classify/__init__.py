"""Classification: evidence about one failed delivery -> one taxonomy code, with the reason why.

Layers are tried from the most specific evidence to the least, and the first that speaks wins:
the exact enhanced-status row, the ESP's own label, the RFC 3463 subject of the status, the
basic reply code, the ESP's hard/soft flag, then 9999. `matched_by` names the layer and the
rule so an operator can see why an address was suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import taxonomy
from app.classify import enhanced, provider_hints, smtp


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


def _result(code: int, matched_by: str) -> Classification:
    return Classification(code, taxonomy.category_of(code), matched_by)


def _from_bounce_type(bounce_type: str) -> int | None:
    label = bounce_type.strip().lower().replace(" ", "").replace("_", "")
    if label.startswith("hard") or label == "permanent":
        return 2999
    if label.startswith("soft") or label in {"transient", "temporary"}:
        return 3999
    return None


def classify(evidence: Evidence) -> Classification:
    """The taxonomy code for one bounce, most specific evidence first."""
    statuses = enhanced.parse(evidence.enhanced_code)
    for status in statuses:
        code = enhanced.exact(status)
        if code is not None:
            return _result(code, f"enhanced:{status}")
    hint = provider_hints.lookup(evidence.provider, evidence.provider_reason)
    if hint is not None:
        table, code = hint
        return _result(code, f"provider:{table}:{evidence.provider_reason.strip().lower()}")
    for status in statuses:
        code = enhanced.by_subject(status)
        if code is not None:
            klass, subject, _ = status.split(".")
            return _result(code, f"enhanced-subject:{klass}.{subject}")
    code = smtp.lookup(evidence.smtp_code)
    if code is not None:
        return _result(code, f"smtp:{evidence.smtp_code.strip()}")
    code = _from_bounce_type(evidence.bounce_type)
    if code is not None:
        return _result(code, f"bounce-type:{evidence.bounce_type.strip().lower()}")
    return _result(taxonomy.UNKNOWN, "default")
