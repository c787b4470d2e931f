import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.addresses import InvalidAddressError, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" John.Doe@Zylker.COM ", "john.doe@zylker.com"),
        ("bob@Bücher.de", "bob@xn--bcher-kva.de"),
        ("a@example.com.", "a@example.com"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", ["", "no-at-sign", "@example.com", "a@", "a b@example.com", "a@.."])
def test_rejects_non_addresses(raw):
    with pytest.raises(InvalidAddressError):
        normalize(raw)


@given(st.emails())
def test_normalize_is_idempotent(address):
    once = normalize(address)
    assert normalize(once) == once
