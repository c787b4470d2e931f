import re

import pytest

from app import taxonomy
from tests.helpers import FIXTURES

SEED_CODES = re.compile(r"•\s+(\d{4})(?:-(\d{4}))?\s")


def seed_codes() -> list[int]:
    text = (FIXTURES / "seed_000_failure_codes.txt").read_text()
    codes: list[int] = []
    for first, last in SEED_CODES.findall(text):
        codes.extend(range(int(first), int(last or first) + 1))
    return codes


def test_seed_lists_twenty_five_codes():
    # the seed's "24 codes" counts the 1002-1003 range as one line
    assert len(seed_codes()) == 25


@pytest.mark.parametrize("code", seed_codes())
def test_every_seed_code_is_in_the_taxonomy(code):
    entry = taxonomy.lookup(code)
    assert entry.code == code
    assert entry.meaning


@pytest.mark.parametrize(
    ("code", "category"),
    [
        (1002, "rejected"),
        (1999, "rejected"),
        (2001, "permanent"),
        (3003, "temporary"),
        (4006, "communication"),
        (5001, "informational"),
        (9999, "unknown"),
    ],
)
def test_category_follows_the_thousands_digit(code, category):
    assert taxonomy.lookup(code).category == category


def test_codes_outside_the_ranges_have_no_category():
    with pytest.raises(ValueError, match="outside"):
        taxonomy.category_of(6001)
