"""A plain-Python fast path for payloads whose values already have their canonical types.

marshmallow spends about 100 µs per event: a 50-event webhook spent more time being validated
than being published. `compile_schema` reads a schema's own fields, so the fast path cannot
drift from it: where every value already has the type its field produces, the checker returns
exactly what `schema.load` returns; on anything else (a wrong type, a failed validator, a
field kind it does not know) it returns None and the caller runs marshmallow, which then also
words the 400. tests/unit/test_fastpath.py holds the two equal on generated payloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, validate

from app.addresses import InvalidAddressError, normalize
from app.providers.fields import Email, Text, Tolerant, Whole

Checker = Callable[[Any], Any]


class _NeedsSchemaError(Exception):
    """This value needs marshmallow: let it decide and explain."""


def compile_schema(schema: Schema) -> Checker:
    """A checker for `schema`. A schema that does something the fast path does not reproduce
    (hooks other than Tolerant's empty-dropping, field kinds it does not know) is a TypeError
    at import, not a silent slow path."""
    try:
        check = _object(schema)
    except _NeedsSchemaError:
        raise TypeError(f"{type(schema).__name__} has no fast path") from None

    def checked(data: Any) -> Any:
        try:
            return check(data)
        except _NeedsSchemaError:
            return None

    return checked


def _object(schema: Schema) -> Callable[[Any], dict[str, Any]]:
    if not isinstance(schema, Tolerant) or _hooks(schema) != {"pre_load": ["drop_empty"]}:
        raise _NeedsSchemaError
    specs = []
    required = []
    for name, field in schema.fields.items():
        wire = field.data_key or name
        specs.append((wire, field.attribute or name, _value(field)))
        if field.required:
            required.append(wire)
    by_wire = {wire: (out, check) for wire, out, check in specs}

    def check(data: Any) -> dict[str, Any]:
        if type(data) is not dict:
            raise _NeedsSchemaError
        result = {}
        for key, value in data.items():
            if value is None or value == "":
                continue
            spec = by_wire.get(key)
            if spec is not None:
                result[spec[0]] = spec[1](value)
        for wire in required:
            if by_wire[wire][0] not in result:
                raise _NeedsSchemaError
        return result

    return check


def _hooks(schema: Schema) -> dict[str, list[str]]:
    return {tag: [name for name, *_ in hooks] for tag, hooks in type(schema)._hooks.items()}


def _value(field: fields.Field) -> Checker:
    bounds = _validators(field)
    if type(field) is Text:
        return _text
    if type(field) is Email:
        return _email
    if type(field) is Whole:
        return lambda value: bounds(_whole(value))
    if type(field) is fields.Dict and field.key_field is None and field.value_field is None:
        return _dict
    if type(field) is fields.List and type(field.inner) is fields.Nested:
        inner = _object(field.inner.schema)
        return lambda value: bounds(_list(value, inner))
    raise _NeedsSchemaError


def _validators(field: fields.Field) -> Checker:
    """Range and Length, the validators our schemas use; any other sends the schema to
    marshmallow."""
    checks = []
    for validator in field.validators:
        if type(validator) not in (validate.Range, validate.Length):
            raise _NeedsSchemaError
        checks.append(validator)

    def check(value: Any) -> Any:
        for validator in checks:
            try:
                validator(value)
            except Exception as exc:
                raise _NeedsSchemaError from exc
        return value

    return check


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    raise _NeedsSchemaError


def _email(value: Any) -> str:
    if type(value) is not str:
        raise _NeedsSchemaError
    try:
        return normalize(value)
    except InvalidAddressError as exc:
        raise _NeedsSchemaError from exc


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise _NeedsSchemaError
    return value


def _dict(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise _NeedsSchemaError
    return value


def _list(value: Any, inner: Callable[[Any], dict[str, Any]]) -> list[dict[str, Any]]:
    if type(value) is not list:
        raise _NeedsSchemaError
    return [inner(item) for item in value]
