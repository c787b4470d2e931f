"""Email address normalization: one contact, one key, however the ESP spelled it."""

from __future__ import annotations

import re

import idna

_WHITESPACE = re.compile(r"\s")
# C0 controls (NUL among them), DEL and C1 controls: no mailbox name holds them, and a key
# or a sink request carrying one would be read differently by every tool that shows it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_LOCAL_OCTETS = 64  # RFC 5321 4.5.3.1.1
MAX_DOMAIN_OCTETS = 253  # RFC 1035 names, without the trailing dot


class InvalidAddressError(ValueError):
    """The string cannot be a deliverable email address."""


def normalize(address: str) -> str:
    """Trim, lower-case and IDNA-encode the domain, so `Bob@Bücher.de ` and `bob@xn--bcher-kva.de`
    are the same contact.

    The domain is mapped by UTS #46 and encoded by IDNA 2008 (the `idna` package), as mail
    systems and browsers resolve it today: `straße.de` is `xn--strae-oqa.de`, not IDNA 2003's
    `strasse.de`, which is another domain. The local part is lower-cased too: case-sensitive
    local parts exist in the RFC but not in practice, and two suppression keys for one mailbox
    would be worse than the rare collision. The error names what is wrong, as a 400 shows it.
    """
    candidate = address.strip()
    control = _CONTROL.search(candidate)
    if control:
        raise InvalidAddressError(
            f"control character U+{ord(control.group()):04X} in address {address!r}"
        )
    local, at, domain = candidate.rpartition("@")
    if not at or not local or not domain:
        raise InvalidAddressError(f"not an email address: {address!r}")
    if len(candidate) > 320 or _WHITESPACE.search(candidate):
        raise InvalidAddressError(f"not an email address: {address!r}")
    octets = len(local.encode("utf-8", "surrogatepass"))
    if octets > MAX_LOCAL_OCTETS:
        raise InvalidAddressError(
            f"local part is {octets} octets, more than {MAX_LOCAL_OCTETS}: {address!r}"
        )
    return f"{local.lower()}@{_ascii_domain(domain)}"


def _ascii_domain(domain: str) -> str:
    """The domain in lower-case ASCII. Labels that are plain ASCII stay as they are: IDNA 2008
    would refuse `_` and `--` in the third and fourth places, which mail systems deliver to,
    and refusing them would make those addresses' events poison. Every other label (non-ASCII,
    or an `xn--` A-label, which must decode to a valid one) goes through IDNA 2008."""
    try:
        mapped = idna.uts46_remap(domain, std3_rules=False).rstrip(".")
        labels = [
            label
            if label.isascii() and not label.startswith("xn--")
            else idna.alabel(label).decode("ascii")
            for label in mapped.split(".")
        ]
    except (idna.IDNAError, UnicodeError) as exc:
        raise InvalidAddressError(f"domain is not a valid IDNA name: {domain!r} ({exc})") from None
    ascii_domain = ".".join(labels).lower()
    if not ascii_domain or "" in labels or len(ascii_domain) > MAX_DOMAIN_OCTETS:
        raise InvalidAddressError(f"domain is not a valid host name: {domain!r}")
    if any(len(label) > 63 for label in labels):
        raise InvalidAddressError(f"domain has a label longer than 63 octets: {domain!r}")
    return ascii_domain


def domain_of(normalized: str) -> str:
    """The domain of an already normalized address."""
    return normalized.rpartition("@")[2]
