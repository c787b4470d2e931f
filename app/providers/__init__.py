"""ESP adapters: each turns its provider's webhook body into BounceEvents.

A provider module offers `NAME`, `schema()` (marshmallow, run by the web before enqueueing,
so a bad payload is refused while the ESP can still see the error) and `parse(validated)`
(run by the worker on the schema's output).
"""

from __future__ import annotations

from types import ModuleType

from app.providers import zeptomail

PROVIDERS: dict[str, ModuleType] = {zeptomail.NAME: zeptomail}


def get(name: str) -> ModuleType | None:
    return PROVIDERS.get(name)
