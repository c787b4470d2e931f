import re

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
        ("a@example.com\u3002", "a@example.com"),  # an ideographic full stop ends it too
        # UTS #46 / IDNA 2008: ß and final sigma are letters of their own, not ss and sigma
        ("user@straße.de", "user@xn--strae-oqa.de"),
        ("user@xn--strae-oqa.de", "user@xn--strae-oqa.de"),
        ("user@strasse.de", "user@strasse.de"),
        ("a@ς.gr", "a@xn--3xa.gr"),
        ("a@\uff22\u00dc\uff23\uff28\uff25\uff32\uff0ede", "a@xn--bcher-kva.de"),  # full width
        ("a@XN--BCHER-KVA.DE", "a@xn--bcher-kva.de"),
        # plain ASCII labels stay as they were: mail is delivered to these
        ("a@my_host.example.com", "a@my_host.example.com"),
        ("ä@example.com", "ä@example.com"),
        ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", ["", "no-at-sign", "@example.com", "a@", "a b@example.com", "a@.."])
def test_rejects_non_addresses(raw):
    with pytest.raises(InvalidAddressError):
        normalize(raw)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("us\x00er@example.com", "control character U+0000"),
        ("user@exa\x00mple.com", "control character U+0000"),
        ("us\x07er@example.com", "control character U+0007"),
        ("us\x7fer@example.com", "control character U+007F"),
        ("us\x85er@example.com", "control character U+0085"),
        ("a" * 65 + "@example.com", "local part is 65 octets, more than 64"),
        ("ä" * 33 + "@example.com", "local part is 66 octets, more than 64"),  # UTF-8 octets
        ("a@☃.com", "not a valid IDNA name"),  # IDNA 2003 allowed symbols, IDNA 2008 does not
        ("a@xn--zz.de", "not a valid IDNA name"),  # an A-label that decodes to nothing valid
        ("a@x\u200db.com", "not a valid IDNA name"),  # a joiner out of its context
        ("a@" + "b" * 64 + ".com", "label longer than 63"),
    ],
)
def test_refuses_what_no_mailbox_has_naming_why(raw, says):
    with pytest.raises(InvalidAddressError, match=re.escape(says)):
        normalize(raw)


@given(st.emails())
def test_normalize_is_idempotent(address):
    once = normalize(address)
    assert normalize(once) == once


@given(st.emails(domains=st.sampled_from(["straße.de", "bücher.de", "ςοφία.gr", "例え.jp"])))
def test_normalize_is_idempotent_for_international_domains(address):
    once = normalize(address)
    assert once.rpartition("@")[2].isascii()
    assert normalize(once) == once
