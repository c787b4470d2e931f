"""enhanced.parse's pattern starts at a status's first dot for speed (app/classify/enhanced.py):
it must find exactly what the plain reading of a status finds, a class digit not after a
digit or a dot, then `.subject.detail` not followed by one."""

import random
import re

from app.classify import enhanced
from bench import labelled
from bench.corpus import DEFAULT_PATH, load

# The plain reading, as the pattern was written before it started at the dot.
_PLAIN = re.compile(r"([245])(?<![\d.][245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")


def test_the_fast_pattern_finds_what_the_plain_one_finds():
    rnd = random.Random(14)
    texts = ["5.1.1", "550 5.1.1 user", "x4.4.7", "1.5.1.1", "5.1.1.", "v2.5.0.0 4.04.007"]
    texts += [
        "".join(rnd.choice("245.0139 a-") for _ in range(rnd.randint(0, 20))) for _ in range(20000)
    ]
    if DEFAULT_PATH.exists():
        texts += [r["diagnosticcode"].lower() for r in load()]
    texts += [r["diagnostic"].lower() for r in labelled.load()]
    for text in texts:
        assert enhanced._STATUS.findall(text) == _PLAIN.findall(text), text


def test_a_field_read_as_it_is_gives_what_the_full_reading_gives():
    """parse() returns a status written without leading zeros as it is (_CANONICAL): the
    same list as reading it with the plain pattern and rebuilding it."""
    rnd = random.Random(7)
    texts = ["5.0.0", "4.7.26", "5.7.606", "2.0.0", "5.00.0", "5.1.01", "5.1.1000", "6.1.1"]
    texts += ["5.1.1 ", " 5.1.1", "5.1.1.1", "45.1.1", "5..1", "", "5.1.", "4.4.7x"]
    texts += [
        "".join(rnd.choice("2456.0139x") for _ in range(rnd.randint(0, 9))) for _ in range(20000)
    ]
    for text in texts:
        plain = [f"{c}.{int(s)}.{int(d)}" for c, s, d in _PLAIN.findall(text)]
        assert enhanced.parse(text) == plain, text
