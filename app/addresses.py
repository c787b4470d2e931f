"""Email address normalization: one contact, one key, however the ESP spelled it."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s")


class InvalidAddressError(ValueError):
    """The string cannot be a deliverable email address."""


def normalize(address: str) -> str:
    """Trim, lower-case and IDNA-encode the domain, so `Bob@Bücher.de ` and `bob@xn--bcher-kva.de`
    are the same contact.

    The local part is lower-cased too: case-sensitive local parts exist in the RFC but not in
    practice, and two suppression keys for one mailbox would be worse than the rare collision.
    """
    candidate = address.strip()
    local, at, domain = candidate.rpartition("@")
    if not at or not local or not domain:
        raise InvalidAddressError(f"not an email address: {address!r}")
    if len(candidate) > 320 or _WHITESPACE.search(candidate):
        raise InvalidAddressError(f"not an email address: {address!r}")
    try:
        ascii_domain = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidAddressError(f"domain is not a valid IDNA name: {domain!r}") from exc
    if not ascii_domain or ascii_domain.startswith(".") or ".." in ascii_domain:
        raise InvalidAddressError(f"domain is not a valid host name: {domain!r}")
    return f"{local.lower()}@{ascii_domain.lower()}"


def domain_of(normalized: str) -> str:
    """The domain of an already normalized address."""
    return normalized.rpartition("@")[2]
