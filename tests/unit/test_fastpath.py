"""The fast path returns exactly what marshmallow returns, or steps aside."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields

from app.providers import fastpath, zeptomail
from app.providers.fields import Email, Text, Whole
from tests.helpers import sample_payload

SCHEMA = zeptomail.schema()
CHECK = fastpath.compile_schema(SCHEMA)
typical = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=0, max_value=2**45),
    st.sampled_from(["a@example.com", " Mixed.Case@Example.COM ", "1725543459000"]),
)
odd = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.just("not-an-address"),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
values = st.one_of(typical, typical, typical, odd)
WELL_TYPED = {
    Text: st.one_of(st.text(max_size=12), st.integers(min_value=0, max_value=2**45)),
    Whole: st.integers(min_value=0, max_value=2**45),
    Email: st.sampled_from(["a@example.com", " Mixed.Case@Example.COM "]),
    fields.Dict: st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
}
ITEM_SCHEMA = SCHEMA.fields["data"].inner.schema


def item_strategy(value_for):
    return st.fixed_dictionaries(
        {},
        optional={
            field.data_key or name: value_for(field) for name, field in ITEM_SCHEMA.fields.items()
        }
        | {"unknown_field": values},
    ).map(lambda item: {"contact_email": "a@example.com", **item})


clean_items = item_strategy(lambda field: WELL_TYPED[type(field)])
dirty_items = item_strategy(lambda field: st.one_of(WELL_TYPED[type(field)], odd))
payloads = st.fixed_dictionaries(
    {
        "data": st.one_of(
            st.lists(clean_items, min_size=1, max_size=3),
            st.lists(dirty_items, max_size=3),
            odd,
        )
    },
    optional={"action": WELL_TYPED[Text], "webhook_name": WELL_TYPED[Text], "extra": values},
)


def marshmallow(data):
    try:
        return SCHEMA.load(data)
    except ValidationError:
        return None


@settings(max_examples=400)
@given(payloads)
def test_the_fast_path_equals_marshmallow_or_steps_aside(payload):
    fast = CHECK(payload)
    if fast is not None:
        assert fast == marshmallow(payload)


@given(payloads)
def test_whatever_marshmallow_refuses_the_fast_path_refuses_too(payload):
    if marshmallow(payload) is None:
        assert CHECK(payload) is None


def test_the_seed_sample_takes_the_fast_path_with_from_under_its_wire_name():
    fast = CHECK(sample_payload())
    assert fast == SCHEMA.load(sample_payload())
    assert fast["data"][0]["from"] == '"Aaron Fletcher" <aron@zylker.com>'


def test_a_schema_it_cannot_reproduce_is_refused_at_import():
    class Plain(Schema):
        when = fields.DateTime()

    with pytest.raises(TypeError, match="Plain has no fast path"):
        fastpath.compile_schema(Plain())
