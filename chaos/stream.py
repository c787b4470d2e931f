"""The chaos run's input: contacts, their events over simulated days, and the requests.

Faults make the order in which the worker applies events unknowable (a redelivered task runs
after later ones, two pool processes race, retries wait out a backoff). The policy itself is
order-dependent in a few places (a delivery applied before the bounces that would have
escalated a contact prevents the escalation), so every contact's events are drawn so that
any application order gives the same final state; the oracle checks that claim by replaying
the stream in several orders. What that takes, per contact:

- all its soft bounces lie within fewer days than the window, so none is ever stale or pruned;
- a contact that may escalate has no delivery or open after its first soft bounce;
- a contact with deliveries or opens stays below the threshold even if every soft bounce
  counted, and its deliveries and opens are dated at the very end of their UTC day, after any
  soft bounce of that day, so a reset clears the same days whenever it is applied;
- a contact suppressed by a bounce is never also escalated, so the suppression's source is
  fixed (a complaint upgrades either way).

Fault (f), dates out of bounds: a "skewed" contact escalates on soft bounces of the last
SOFT_SPAN_DAYS simulated days and also gets one soft bounce dated far ahead (a month ahead or
in year 9999) and one dated far back (epoch 0 or 1999). The worker dates those two by their
arrival, which is the run's own day (the day after the simulated ones), within the window of
the real ones; believed, the one ahead would have made every real one stale.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from app.policy import MS_PER_DAY, Policy

# ZeptoMail's bounce fields (seed 004's shape), with the action and weight the default policy
# gives each; app.ingest.plan is held to these by chaos.oracle.check_templates.
HARD = [
    {"bounce_code": "550", "bounce_extended_code": "5.1.1", "bounce_reason": "bad-mailbox"},
    {"bounce_code": "554", "bounce_extended_code": "5.1.2", "bounce_reason": "bad-domain"},
]
SOFT = {
    1.0: [
        {"bounce_code": "452", "bounce_extended_code": "4.2.2", "bounce_reason": "quota-issues"},
        {"bounce_code": "450", "bounce_extended_code": "4.2.1"},
    ],
    0.5: [
        {"bounce_code": "451", "bounce_extended_code": "4.7.1", "diagnostic_message": "try later"}
    ],
    0.25: [
        {"bounce_code": "421", "bounce_extended_code": "4.4.1"},
        {"bounce_code": "451", "bounce_extended_code": "4.3.0"},
    ],
}
RECORDED = {
    "sender_side": {
        "bounce_code": "554",
        "bounce_extended_code": "5.7.1",
        "diagnostic_message": "blocked using zen.spamhaus.org",
    },
    "ignore": {
        "bounce_code": "250",
        "bounce_extended_code": "2.0.0",
        "diagnostic_message": "auto-reply: out of office",
    },
}
RESET_ACTIONS = ("delivered", "email_open", "email_link_click")
COMPLAINT_ACTION = "feedback_loop"
BOUNCE_ACTION = "bounce"
# A share of the hard bounces comes back as mail: an RFC 3464 DSN posted to /webhooks/email,
# one message per request, rendered from the event alone (a repeat is the same bytes).
EMAIL_ACTION = "email_dsn"
EMAIL_SHARE = 0.25

SIMULATED_DAYS = 20
SOFT_SPAN_DAYS = 10  # soft bounces of one contact lie within this many days (< window)
DUPLICATE_SHARE = 0.10
LATE_SHARE = 0.05
KINDS = {"clean": 15, "below": 35, "hard": 12, "complaint": 8, "escalate": 30, "skewed": 4}
FAR_AHEAD_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the latest time a schema takes
FAR_BACK_MS = (0, 946_684_799_000)  # epoch 0; 1999-12-31T23:59:59Z


@dataclass(frozen=True, slots=True)
class Event:
    action: str
    item: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Request:
    """One webhook as posted: its bytes are posted again unchanged after a 503."""

    action: str
    body: bytes
    items: int
    provider: str = "zeptomail"  # or "email": `body` is one raw DSN (message/rfc822)


@dataclass
class Stream:
    requests: list[Request]
    unique_events: int
    duplicates: int
    late: int
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def events(self) -> int:
        return self.unique_events + self.duplicates


def build(events: int, contacts: int, seed: int, first_day: int, policy: Policy) -> Stream:
    """`events` items in total (10 % of them repeats of earlier ones) for `contacts` contacts
    over SIMULATED_DAYS days from UTC day `first_day`, some posted late, batched per action."""
    if policy.window_days <= SOFT_SPAN_DAYS:
        raise ValueError("soft bounces must lie within less than the window")
    rng = random.Random(seed)
    unique = round(events * (1 - DUPLICATE_SHARE))
    people = _contacts(contacts, rng)
    per_contact = [_core(kind, email, rng, first_day, policy) for email, kind in people]
    total = sum(len(e) for e in per_contact)
    if total > unique:
        raise ValueError(f"{contacts} contacts need {total} events, more than {unique}")
    empty = [i for i, events_ in enumerate(per_contact) if not events_]
    while total < unique:
        index = empty.pop() if empty else rng.randrange(len(people))
        email, kind = people[index]
        per_contact[index].append(_filler(kind, email, rng, first_day, per_contact[index]))
        total += 1
    ordered = sorted((e for events_ in per_contact for e in events_), key=_at)
    keyed = [(float(i), e) for i, e in enumerate(ordered)]
    per_day = max(1, len(ordered) // SIMULATED_DAYS)
    late = rng.sample(range(len(keyed)), round(len(keyed) * LATE_SHARE))
    for i in late:
        keyed[i] = (keyed[i][0] + rng.uniform(per_day / 4, 3 * per_day), keyed[i][1])
    for i in rng.choices(range(len(keyed)), k=events - unique):
        keyed.append((keyed[i][0] + rng.uniform(0, 2 * per_day), keyed[i][1]))
    keyed.sort(key=lambda pair: pair[0])
    return Stream(
        _batches([e for _, e in keyed], rng),
        unique_events=unique,
        duplicates=events - unique,
        late=len(late),
        kinds=Counter(kind for _, kind in people),
    )


def _at(event: Event) -> int:
    return event.item["action_time"]


def _contacts(count: int, rng: random.Random) -> list[tuple[str, str]]:
    domains = [f"d{i}.chaos.example" for i in range(max(1, count // 60))]
    kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=count)
    return [(f"c{i}@{rng.choice(domains)}", kind) for i, kind in enumerate(kinds)]


def _core(kind: str, email: str, rng: random.Random, first_day: int, policy: Policy) -> list[Event]:
    """The events that make the contact what its kind says."""
    start = first_day + rng.randrange(SIMULATED_DAYS - SOFT_SPAN_DAYS)
    if kind == "clean":
        days = rng.sample(range(SIMULATED_DAYS), rng.randint(1, 3))
        return [_reset(email, first_day + d, rng) for d in days]
    if kind == "skewed":
        return _skewed(email, first_day, rng, policy.threshold)
    if kind == "escalate":
        events = _escalating(email, start, rng, policy.threshold)
        if start > first_day and rng.random() < 0.5:
            events.append(_reset(email, rng.randrange(first_day, start), rng))
        return events
    events = _below(email, start, rng, policy.threshold)
    if kind == "hard":
        events += [_hard(email, _day(first_day, rng), rng)]
    if kind == "complaint":
        events.append(_complaint(email, _day(first_day, rng), rng))
        if rng.random() < 0.5:
            events.append(_hard(email, _day(first_day, rng), rng))
    events += [_reset(email, _day(first_day, rng), rng) for _ in range(rng.randint(0, 2))]
    return events


def _filler(
    kind: str, email: str, rng: random.Random, first_day: int, events: list[Event]
) -> Event:
    """An event that changes no outcome whatever its place: a recorded bounce, or a delivery
    or open where the contact's kind allows one at any time."""
    escalates = kind in ("escalate", "skewed")
    if not escalates and rng.random() < 0.5:
        return _reset(email, _day(first_day, rng), rng)
    if escalates and rng.random() < 0.3:
        first_soft = min(_at(e) for e in events if e.action == BOUNCE_ACTION) // MS_PER_DAY
        if first_soft > first_day:
            return _reset(email, rng.randrange(first_day, first_soft), rng)
    return _bounce(email, rng.choice(list(RECORDED.values())), _day(first_day, rng), rng)


def _escalating(email: str, start: int, rng: random.Random, threshold: float) -> list[Event]:
    """Soft bounces on distinct days whose heaviest-per-day weights reach the threshold, plus
    lighter bounces on some of the same days."""
    days = rng.sample(range(start, start + SOFT_SPAN_DAYS), SOFT_SPAN_DAYS)
    events, total = [], 0.0
    for day in days:
        weight = rng.choice([1.0, 1.0, 0.5])
        events.append(_soft(email, weight, day, rng))
        if weight > 0.25 and rng.random() < 0.3:
            events.append(_soft(email, 0.25, day, rng))
        total += weight
        if total >= threshold:
            return events
    raise ValueError("the soft span is too short to reach the threshold")


def _skewed(email: str, first_day: int, rng: random.Random, threshold: float) -> list[Event]:
    """Fault (f): an escalating contact whose real soft bounces lie in the last simulated days,
    plus a soft bounce dated far ahead and one dated far back (light ones: the worker counts
    them on the day they arrive)."""
    run_day = first_day + SIMULATED_DAYS
    events = _escalating(email, run_day - SOFT_SPAN_DAYS, rng, threshold)
    ahead = rng.choice([(run_day + 30) * MS_PER_DAY, FAR_AHEAD_MS])
    for at in (ahead, rng.choice(FAR_BACK_MS)):
        fields = rng.choice(SOFT[0.25])
        events.append(
            Event(BOUNCE_ACTION, _item(email, at, rng, bounce_type="softbounce", **fields))
        )
    return events


def _below(email: str, start: int, rng: random.Random, threshold: float) -> list[Event]:
    """Soft bounces whose weights, all counted, stay under the threshold."""
    events, total = [], 0.0
    for _ in range(rng.randint(0, 5)):
        weight = rng.choice(list(SOFT))
        if total + weight >= threshold:
            break
        total += weight
        events.append(_soft(email, weight, rng.randrange(start, start + SOFT_SPAN_DAYS), rng))
    return events


def _day(first_day: int, rng: random.Random) -> int:
    return first_day + rng.randrange(SIMULATED_DAYS)


def _item(email: str, at_ms: int, rng: random.Random, **fields: Any) -> dict[str, Any]:
    # A few addresses in capitals: the recipient is normalized, the dedup id is not.
    shown = email.upper() if rng.random() < 0.03 else email
    return {
        "contact_email": shown,
        "rcpt_domain": email.split("@")[1],
        "action_time": at_ms,
        "message_id": f"<{uuid.UUID(int=rng.getrandbits(128))}@chaos.example>",
        "subject": "chaos",
        **fields,
    }


def _soft(email: str, weight: float, day: int, rng: random.Random) -> Event:
    return _bounce(email, rng.choice(SOFT[weight]), day, rng, bounce_type="softbounce")


def _bounce(
    email: str, fields: dict[str, str], day: int, rng: random.Random, bounce_type: str = ""
) -> Event:
    """A bounce before 23:00 of its day, so it precedes any delivery of that day."""
    at = day * MS_PER_DAY + rng.randrange(23 * 3_600_000)
    kind = bounce_type or ("hardbounce" if fields in HARD else "softbounce")
    return Event(BOUNCE_ACTION, _item(email, at, rng, bounce_type=kind, **fields))


def _hard(email: str, day: int, rng: random.Random) -> Event:
    """A hard bounce: a ZeptoMail webhook's, or (EMAIL_SHARE of them) a DSN by mail."""
    event = _bounce(email, rng.choice(HARD), day, rng)
    if rng.random() < EMAIL_SHARE:
        return Event(EMAIL_ACTION, event.item)
    return event


def dsn(item: dict[str, Any]) -> bytes:
    """The hard bounce `item` as the DSN an MTA would send back (RFC 3464), the same bytes for
    the same item: Last-Attempt-Date from `action_time`, the returned message's Message-ID."""
    when = formatdate(item["action_time"] / 1000, usegmt=True)
    recipient = item["contact_email"]
    code, status = item["bounce_code"], item["bounce_extended_code"]
    token = item["message_id"].strip("<>").partition("@")[0]
    lines = [
        "From: MAILER-DAEMON@mx.chaos.example",
        "To: bounces@sender.chaos.example",
        "Subject: Undelivered Mail Returned to Sender",
        f"Date: {when}",
        f"Message-ID: <dsn-{token}@mx.chaos.example>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain",
        "",
        f"<{recipient}>: host mx.{item['rcpt_domain']} said: {code} {status}",
        "--b",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.chaos.example",
        "",
        f"Final-Recipient: rfc822; {recipient}",
        "Action: failed",
        f"Status: {status}",
        f"Diagnostic-Code: smtp; {code} {status} {item.get('bounce_reason', 'rejected')}",
        f"Last-Attempt-Date: {when}",
        "--b",
        "Content-Type: text/rfc822-headers",
        "",
        f"To: {recipient}",
        f"Message-ID: {item['message_id']}",
        "--b--",
        "",
    ]
    return "\r\n".join(lines).encode()


def _reset(email: str, day: int, rng: random.Random) -> Event:
    """A delivery or open in the last second of its day, after every bounce of that day."""
    at = (day + 1) * MS_PER_DAY - 1000 + rng.randrange(1000)
    return Event(rng.choice(RESET_ACTIONS), _item(email, at, rng))


def _complaint(email: str, day: int, rng: random.Random) -> Event:
    at = day * MS_PER_DAY + rng.randrange(MS_PER_DAY)
    return Event(COMPLAINT_ACTION, _item(email, at, rng))


def _batches(events: list[Event], rng: random.Random) -> list[Request]:
    """Consecutive events of one action share a request of 1 to 40 items, as an ESP batches; a
    DSN by mail is a request of its own."""
    requests: list[Request] = []
    open_: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    for event in events:
        if event.action == EMAIL_ACTION:
            requests.append(Request(EMAIL_ACTION, dsn(event.item), 1, provider="email"))
            continue
        size, items = open_.setdefault(event.action, (rng.randint(1, 40), []))
        items.append(event.item)
        if len(items) >= size:
            requests.append(_request(event.action, items))
            del open_[event.action]
    requests += [_request(action, items) for action, (_, items) in open_.items()]
    return requests


def _request(action: str, items: list[dict[str, Any]]) -> Request:
    payload = {"webhook_name": "chaos", "webhook_id": "1", "action": action, "data": items}
    return Request(action, json.dumps(payload).encode(), len(items))
