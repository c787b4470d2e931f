"""`bouncekeeper migrate-addresses`: re-key stored state whose address (or domain) is not in
today's normal form (app/addresses.py), merging with what the normal form holds already.

A key is written under the normal form of its day. When the normal form changes, a key whose
text normalizes differently now would never be found again (a new event, lift or lookup goes
to the new form) and the same mailbox would have two keys. Each such address is moved in one
script call (app/store/address_keys.py), so a run can stop anywhere and be run again; once
done, a second run finds nothing. A key that is no valid address any more (a control character,
a local part over 64 octets, a domain IDNA 2008 refuses) cannot be moved anywhere: it is
listed and left as it is, still suppressing.
"""

from __future__ import annotations

from collections.abc import Callable
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


def migrate(store: Store, now_ms: int, actor: str = "cli", dry_run: bool = False) -> Report:
    """Move (or with `dry_run` only preview) every key not in today's normal form."""
    keys, report = AddressKeys(store), Report()
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
