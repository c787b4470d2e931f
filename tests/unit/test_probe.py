"""The general-knowledge probe (tests/fixtures/probe_general.jsonl) is well formed: every
record names its source and a rubric rationale, its labels are codes of the taxonomy, and the
coverage issue #14's fifth round asked for is there, so a record dropped by mistake shows."""

from collections import Counter

from app import taxonomy
from bench import labelled

FIELDS = {"id", "group", "source", "licence", "smtp_code", "enhanced_code", "diagnostic",
          "expected", "alt", "rationale", "lang"}  # fmt: skip


def test_records_are_well_formed_and_unique():
    records = labelled.load_probe()
    assert len(records) >= 150
    assert len({r["id"] for r in records}) == len(records)
    replies = Counter((r["smtp_code"], r["enhanced_code"], r["diagnostic"]) for r in records)
    assert replies.most_common(1)[0][1] == 1
    for record in records:
        assert set(record) == FIELDS, record["id"]
        assert record["source"], record["id"]
        assert record["rationale"].startswith("R"), record["id"]
        assert record["id"].startswith(record["group"] + "/")
        for code in [record["expected"], *record["alt"]]:
            assert code in taxonomy.CODES, record["id"]
        assert record["expected"] not in record["alt"], record["id"]


def test_coverage():
    records = labelled.load_probe()
    assert sum(r["lang"] != "en" for r in records) >= 40
    assert sum(not r["smtp_code"] and not r["enhanced_code"] for r in records) >= 25
    assert sum(r["expected"] // 1000 == 1 for r in records) >= 30
    assert sum(r["expected"] // 1000 == 2 for r in records) >= 30
