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
