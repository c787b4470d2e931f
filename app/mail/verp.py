"""VERP: the recipient encoded in the return path, e.g. `bounces+{local}={domain}@example.com`.

A bounce or an auto-reply goes to the envelope sender, so when the sender put the recipient
into it, the address the report arrives at names the recipient exactly, whatever the report
itself says (or redacts)."""

from __future__ import annotations

import re
from functools import lru_cache

from app.mail import fields


class TemplateError(ValueError):
    """The template lacks `{local}` or `{domain}`, or names them more than once."""


@lru_cache(maxsize=16)
def pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression with the groups `local` and `domain`."""
    if template.count("{local}") != 1 or template.count("{domain}") != 1:
        raise TemplateError(f"VERP template needs {{local}} and {{domain}} once each: {template!r}")
    regex = re.escape(template)
    regex = regex.replace(re.escape("{local}"), r"(?P<local>[^@\s<>]+?)")
    regex = regex.replace(re.escape("{domain}"), r"(?P<domain>[A-Za-z0-9.-]+?)")
    return re.compile(rf"(?<![^\s<:,\"']){regex}(?![\w.-])", re.IGNORECASE)


def decode(template: str, values: list[str]) -> str | None:
    """The first recipient any of the values (addresses or header texts) encodes."""
    compiled = pattern(template)
    for value in values:
        for match in compiled.finditer(value):
            found = fields.valid(f"{match.group('local')}@{match.group('domain')}")
            if found:
                return found
    return None
