"""bench/classify_answers.py is what says a speed-up changed no answer: it must see a change,
and must not show the records kept from rule writers when it does."""

import pytest

from app.classify import Evidence
from bench import classify_answers

RECORDS = [
    ("a.jsonl", "shown/1", False, Evidence("550", "5.1.1", "550 5.1.1 User unknown")),
    ("a.jsonl", "kept/1", True, Evidence("452", "4.2.2", "452 4.2.2 Mailbox full")),
    ("b.jsonl", "shown/2", False, Evidence("421", "", "421 Too many connections")),
]


@pytest.fixture
def dump(monkeypatch, tmp_path):
    monkeypatch.setattr(classify_answers, "_records", lambda: iter(RECORDS))
    path = tmp_path / "before.tsv"
    path.write_text("".join(line + "\n" for line, _ in classify_answers.answers()))
    return path


def test_the_same_answers_compare_equal(dump, capsys):
    assert classify_answers.main(["--against", str(dump)]) == 0
    assert "differing: 0 rule-writing part, 0 check part" in capsys.readouterr().out


def test_a_changed_answer_is_found_and_a_kept_record_only_counted(dump, capsys):
    lines = dump.read_text().splitlines()
    lines = [line.replace("\t2001\t", "\t2999\t").replace("\t3001\t", "\t3999\t") for line in lines]
    dump.write_text("".join(line + "\n" for line in lines))
    assert classify_answers.main(["--against", str(dump)]) == 1
    out = capsys.readouterr().out
    assert "differs: a.jsonl shown/1" in out
    assert "kept/1" not in out
    assert "differing: 1 rule-writing part, 1 check part" in out


def test_a_dump_of_other_records_is_refused(dump, capsys):
    dump.write_text(dump.read_text() + "extra\tline\n")
    assert classify_answers.main(["--against", str(dump)]) == 1
    assert "not the same records" in capsys.readouterr().out
