"""ESP adapters: each turns its provider's webhook request into BounceEvents.

The contract a provider module meets is described in `app.providers.base`.
"""

from __future__ import annotations

from types import ModuleType

from app.providers import sendgrid, ses, zeptomail

PROVIDERS: dict[str, ModuleType] = {module.NAME: module for module in (zeptomail, ses, sendgrid)}


def get(name: str) -> ModuleType | None:
    return PROVIDERS.get(name)
