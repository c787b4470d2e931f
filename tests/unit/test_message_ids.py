"""The message-id packing of the contact history (app/store/message_ids.py): lossless for any
string, and shorter for the shapes ESPs send."""

from hypothesis import given
from hypothesis import strategies as st

from app.store import message_ids

ZEPTOMAIL = (
    "<zcb.3z48a08b0c5ad7835216d2d705c1539aa2a44504764ccc7f4bbeceff75d3b82de0"
    ".1123f7ec4d0f91a09.1725514638987@bounce.zylker.com>"
)
# text made mostly of the runs the packing cares about, at and around every length limit
runs = st.lists(
    st.one_of(
        st.text("0123456789", max_size=60),
        st.text("0123456789abcdef", max_size=140),
        st.text("0123456789ABCDEF", max_size=80),
        st.text(".@<>-_zZ", max_size=3),
        st.text(st.characters(min_codepoint=0x80), max_size=300),
    ),
    max_size=6,
).map("".join)
anything = st.one_of(st.text(), st.text(st.characters(codec=None)), runs)


@given(anything)
def test_any_string_round_trips(text):
    assert message_ids.unpack(message_ids.pack(text)) == text


@given(anything, anything)
def test_packed_forms_concatenate(a, b):
    assert message_ids.unpack(message_ids.pack(a) + message_ids.pack(b)) == a + b


@given(anything)
def test_segments_join_back_and_each_round_trips(text):
    parts = message_ids.segments(text)
    assert "".join(parts) == text
    assert all(parts)
    assert len(parts) <= message_ids.MAX_SEGMENTS
    packed = message_ids.pack_segments(text)
    assert message_ids.unpack(b"".join(packed)) == text


@given(st.text(st.characters(max_codepoint=0x7F)))
def test_an_ascii_string_unpacks_to_itself(text):
    """How ids stored before packing are read: the scripts keep them as they were."""
    assert message_ids.unpack(text.encode()) == text


def test_sizes_of_real_shapes():
    assert [len(p) for p in message_ids.pack_segments(ZEPTOMAIL)] == [4, 36, 11, 8, 19]
    assert message_ids.segments(ZEPTOMAIL) == [
        "<zcb",
        ".3z48a08b0c5ad7835216d2d705c1539aa2a44504764ccc7f4bbeceff75d3b82de0",
        ".1123f7ec4d0f91a09",
        ".1725514638987",
        "@bounce.zylker.com>",
    ]
    ses = "0100018f1a2b3c4d-5e6f7a8b-9c0d-1e2f-3a4b-5c6d7e8f9a0b-000000@email.amazonses.com"
    assert len(b"".join(message_ids.pack_segments(ses))) == 60  # of 82
    assert len(message_ids.pack("0000014A-F4D4-4F89-93DC-32E0B9DAD5C0")) == 25  # of 36
