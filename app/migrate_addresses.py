"""`bouncekeeper migrate-addresses`: re-key stored state whose address (or domain) is not in
today's normal form (app/addresses.py), merging with what the normal form holds already.

A key is written under the normal form of its day. When the normal form changes, a key whose
text normalizes differently now would never be found again (a new event, lift or lookup goes
to the new form) and the same mailbox would have two keys. Each such address is moved in one
script call (app/store/address_keys.py), so a run can stop anywhere and be run again; once
done, a second run finds nothing. A key that is no valid address any more (a control character,
a local part over 64 octets, a domain IDNA 2008 refuses) cannot be moved anywhere: it is
listed and left as it is, still suppressing.

What no key can tell: IDNA 2003 mapped `ß` to `ss`, final sigma to the medial one and
dropped joiners, so `user@straße.de` was stored as `user@strasse.de`, a valid address of
another domain. Given the addresses the operator sends to (`known`), each one whose IDNA 2003
form differs from its normal form names the key to move; a key that two known addresses map
to (or that is a known address itself: `user@strasse.de` is on the list) is left, ambiguous.
Domain counters are not split: they expire within 35 days.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.addresses import InvalidAddressError, normalize
from app.store import Store
from app.store.address_keys import AddressKeys, AddressMove


@dataclass(frozen=True, slots=True)
class Rekeyed:
    old: str
    new: str
    move: AddressMove


@dataclass(slots=True)
class Report:
    addresses: list[Rekeyed] = field(default_factory=list)
    domains: dict[str, str] = field(default_factory=dict)  # old domain -> new, counters moved
    domain_keys: int = 0  # counter hashes and sorted-set members moved
    invalid: dict[str, str] = field(default_factory=dict)  # address or domain -> why
    examined: int = 0
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # IDNA 2003 key -> known
    unknown: dict[str, str] = field(default_factory=dict)  # a known line no address -> why


def _new_form(value: str, normal: Callable[[str], str], report: Report) -> str | None:
    """The new normal form when it differs, None when it is the same or there is none."""
    try:
        new = normal(value)
    except InvalidAddressError as exc:
        report.invalid[value] = str(exc)
        return None
    return new if new != value else None


def _domain(domain: str) -> str:
    return normalize(f"x@{domain}").rpartition("@")[2]


_WHITESPACE = re.compile(r"\s")


def idna2003_form(address: str) -> str:
    """The key builds before UTS #46 stored for `address` (Python's IDNA 2003 codec), kept
    to find the keys of known addresses; InvalidAddressError where they refused it too."""
    candidate = address.strip()
    local, at, domain = candidate.rpartition("@")
    if not at or not local or not domain or _WHITESPACE.search(candidate):
        raise InvalidAddressError(f"not an email address: {address!r}")
    try:
        ascii_domain = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidAddressError(f"domain is not a valid IDNA 2003 name: {domain!r}") from exc
    return f"{local.lower()}@{ascii_domain.lower()}"


def _known_moves(known: Iterable[str], report: Report) -> dict[str, str]:
    """IDNA 2003 key -> normal form, for each known address whose two forms differ; a key
    that is also a known address's normal form, or two known addresses' old one, is left."""
    targets: dict[str, set[str]] = {}
    normal_forms = set()
    for line in known:
        if not line.strip():
            continue
        try:
            new = normalize(line)
            old = idna2003_form(line)
        except InvalidAddressError as exc:
            report.unknown[line.strip()] = str(exc)
            continue
        normal_forms.add(new)
        if old != new:
            targets.setdefault(old, set()).add(new)
    moves = {}
    for old, news in sorted(targets.items()):
        if len(news) == 1 and old not in normal_forms:
            moves[old] = news.pop()
        else:
            report.ambiguous[old] = sorted(news | ({old} & normal_forms))
    return moves


def migrate(
    store: Store,
    now_ms: int,
    actor: str = "cli",
    dry_run: bool = False,
    known: Iterable[str] = (),
) -> Report:
    """Move (or with `dry_run` only preview) every key not in today's normal form, and the
    IDNA 2003 keys of the `known` addresses."""
    keys, report = AddressKeys(store), Report()
    for old, new in _known_moves(known, report).items():
        move = keys.preview(old, new)
        if move != AddressMove("none", "none", 0):
            if not dry_run:
                move = keys.move(old, new, now_ms, actor)
            report.addresses.append(Rekeyed(old, new, move))
    addresses = keys.addresses()
    report.examined = len(addresses)
    for old in sorted(addresses):
        new = _new_form(old, normalize, report)
        if new is not None:
            move = keys.preview(old, new) if dry_run else keys.move(old, new, now_ms, actor)
            report.addresses.append(Rekeyed(old, new, move))
    for key, domain, rest in list(keys.domain_counters()):
        new = _new_form(domain, _domain, report)
        if new is not None:
            report.domains[domain] = new
            moved = dry_run or keys.move_counter(key, keys.counter_key(new, rest))
            report.domain_keys += int(moved)
    for key, domain in list(keys.ranked_domains()):
        new = _new_form(domain, _domain, report)
        if new is not None:
            report.domains[domain] = new
            report.domain_keys += int(dry_run or keys.move_member(key, domain, new))
    return report
