import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.csv_cells import escape, unescape


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1-555", "'+1-555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcell", "'\tcell"),
        ("\rcell", "'\rcell"),
        ("'=already", "''=already"),
        ("''", "'''"),
        ("plain@example.com", "plain@example.com"),
        ("o'brien@example.com", "o'brien@example.com"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_formula_starts_get_one_quote(value, written):
    assert escape(value) == written
    assert unescape(written) == value


@given(st.text())
def test_unescape_reads_back_what_escape_wrote(value):
    assert unescape(escape(value)) == value
    assert not escape(value).startswith(("=", "+", "-", "@", "\t", "\r"))
