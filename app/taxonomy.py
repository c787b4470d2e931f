"""The failure-code taxonomy of seed 000: every bounce ends as exactly one of these codes.

The code's thousands digit is its category; the table is data so custom codes can merge in
later without touching the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    REJECTED = "rejected"
    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    COMMUNICATION = "communication"
    INFORMATIONAL = "informational"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class FailureCode:
    code: int
    category: Category
    meaning: str


_CATEGORY_BY_THOUSAND = {
    1: Category.REJECTED,
    2: Category.PERMANENT,
    3: Category.TEMPORARY,
    4: Category.COMMUNICATION,
    5: Category.INFORMATIONAL,
    9: Category.UNKNOWN,
}

_SEED_CODES = {
    1002: "Your message was rejected because it was associated with a blacklist (IP)",
    1003: "Your message was rejected because it was associated with a blacklist (domain/URL)",
    1004: "Your message was rejected due to its content",
    1006: "Too many connections in a period of time",
    1007: "A virus was detected in your message",
    1011: "Challenge responses requests",
    1999: "Your message was rejected for a reason not specified above",
    2001: "The email address is invalid",
    2002: "The domain of the email address is invalid",
    2003: "The email address is not in a valid format",
    2004: "The email address is no longer valid",
    2999: "The email address was rejected for a reason not specified above",
    3001: "The recipient's mailbox is full or over quota",
    3002: "Recipient email account is inactive/disabled",
    3003: "Recipient's server continuously asked us to \u201ctry later\u201d",
    3999: "The email address was rejected for a reason not specified above",
    4001: "Recipient's server too busy",
    4002: "Protocol error, invalid command or timeout",
    4003: "Unable to connect to recipient's mail server",
    4004: "Recipient's server rejected message as too old",
    4006: "Your message was rejected because the receiving server is not accepting mail "
    "for the destination domain",
    4999: "A system, network or protocol error prevented the delivery of your message "
    "for a reason not specified above",
    5001: "Out of office / Auto-reply",
    5999: "An informational message was received other than for a reason specified above",
    9999: "The reason for the failure is unknown",
}

UNKNOWN = 9999


def category_of(code: int) -> Category:
    """Category from the code's thousands digit, the convention seed 000 groups codes by."""
    try:
        return _CATEGORY_BY_THOUSAND[code // 1000]
    except KeyError:
        raise ValueError(
            f"code {code} is outside the taxonomy's 1xxx-5xxx and 9xxx ranges"
        ) from None


CODES: dict[int, FailureCode] = {
    code: FailureCode(code, category_of(code), meaning) for code, meaning in _SEED_CODES.items()
}


def lookup(code: int) -> FailureCode:
    """The taxonomy entry for a code; raises KeyError for a code nobody defined."""
    return CODES[code]
