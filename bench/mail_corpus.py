"""Recipient and action accuracy of app.mail on the labelled message set, beside Sisimai on the
same files.

    .venv/bin/python -m bench.mail_corpus [--misses] [--held-out PART]

tests/fixtures/mail/manifest.csv names each message, its source and licence, the part it is in
(`dev`: the formats the parser was written against; `report`: formats held out, only ever
scored; `dev2` to `dev5`: later batches to improve the parser from, `dev3`, `dev4` and `dev5`
held out as `check2`, `check3` and `check4` until their blind figures were recorded in
bench/RESULTS.md; `check5`: an eighth batch, all held out; a part in HELD_OUT is scored only
when `--held-out` names it, so that its first figure stays the blind one bench/RESULTS.md
quotes), the recipients a reader found in it (space-separated; `a|b` where either is the address
we mailed; `not found` where the message names none; `-` for a message that is not a bounce) and
its action (bounce, deferral, complaint, auto_reply, delivery, not_bounce). The recipients are
right when the set found is exactly the set labelled (or nothing was found where the label says
`not found`); messages labelled not_bounce count only for the action. Sisimai (Debian's
libsisimai-perl, `Sisimai->make` with delivered and vacation messages asked for) runs on the
same files in one perl process. `--misses` lists the misses of the dev parts only.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.mail import arf, parse_message
from bench import peers

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mail"
MANIFEST = FIXTURES / "manifest.csv"
TARGETS = {"recipients": 0.98, "action": 0.97}  # issue #18's "What must show"
PARTS = ("dev", "report", "dev2", "dev3", "dev4", "dev5", "check5")
HELD_OUT = ("check5",)  # scored only on request: the first figure is the blind one
DEV_PARTS = ("dev", "dev2", "dev3", "dev4", "dev5")  # the only parts whose misses are listed
# RFC 5965 feedback types that are complaints, as app.mail.arf reads them ("": none given).
_COMPLAINTS = arf.COMPLAINT_TYPES | {""}


@dataclass(frozen=True, slots=True)
class Labelled:
    file: str
    part: str
    format: str
    action: str
    # None: not a bounce, recipients not scored; []: "not found"; else one set of
    # alternatives per recipient
    recipients: tuple[frozenset[str], ...] | None

    @property
    def path(self) -> Path:
        return FIXTURES / self.file


@dataclass(frozen=True, slots=True)
class Answer:
    action: str
    recipients: frozenset[str]


def load(path: Path = MANIFEST) -> list[Labelled]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [_labelled(row) for row in csv.DictReader(handle)]


def _labelled(row: dict[str, str]) -> Labelled:
    text = row["recipients"].strip()
    if text == "-":
        recipients = None
    elif text == "not found":
        recipients = ()
    else:
        recipients = tuple(frozenset(a.lower() for a in slot.split("|")) for slot in text.split())
    return Labelled(row["file"], row["part"], row["format"], row["action"], recipients)


def ours(item: Labelled) -> Answer:
    report = parse_message(item.path.read_bytes())
    found = frozenset(e.recipient for e in report.recipients if e.recipient)
    return Answer(str(report.kind), found)


def sisimai_answer(rows: list[dict[str, str]]) -> Answer:
    """Sisimai's records for one message as an action and a recipient set."""
    found = frozenset(r["recipient"].lower() for r in rows if r.get("recipient"))
    reasons = {r["reason"] for r in rows}
    if not rows:
        action = "not_bounce"
    elif "feedback" in reasons:
        kinds = {r.get("feedbacktype", "").lower() for r in rows}
        action = "complaint" if kinds & _COMPLAINTS else "not_bounce"
    elif "vacation" in reasons:
        action = "auto_reply"
    elif reasons == {"delivered"}:
        action = "delivery"
    elif all(r.get("action", "").lower() == "delayed" for r in rows):
        action = "deferral"
    else:
        action = "bounce"
    return Answer(action, found)


def recipients_right(item: Labelled, answer: Answer) -> bool | None:
    """None for a message that is not a bounce; else whether the set found is the labelled one."""
    if item.recipients is None:
        return None
    if len(answer.recipients) != len(item.recipients):
        return False
    unmatched = set(answer.recipients)
    for slot in item.recipients:
        hit = next((a for a in unmatched if a in slot), None)
        if hit is None:
            return False
        unmatched.discard(hit)
    return True


@dataclass
class Tally:
    messages: int = 0
    bounces: int = 0  # messages whose recipients are scored
    recipients: int = 0
    actions: int = 0

    def add(self, item: Labelled, answer: Answer) -> None:
        self.messages += 1
        self.actions += answer.action == item.action
        right = recipients_right(item, answer)
        if right is not None:
            self.bounces += 1
            self.recipients += right

    def cells(self) -> str:
        rec = self.recipients / self.bounces if self.bounces else 0.0
        act = self.actions / self.messages if self.messages else 0.0
        return (
            f"{self.recipients}/{self.bounces} ({rec:.1%}) | {self.actions}/{self.messages} "
            f"({act:.1%})"
        )


def tally(items: Iterable[Labelled], answers: dict[str, Answer]) -> Tally:
    result = Tally()
    for item in items:
        result.add(item, answers[item.file])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list the dev parts' misses")
    parser.add_argument(
        "--held-out",
        choices=HELD_OUT,
        action="append",
        default=[],
        help="also score this held-out part (figures only; its misses are never listed)",
    )
    args = parser.parse_args()
    parts = [p for p in PARTS if p not in HELD_OUT or p in args.held_out]
    items = [item for item in load() if item.part in parts]
    mine = {item.file: ours(item) for item in items}
    try:
        rows = peers.sisimai_messages([str(item.path) for item in items])
        theirs: dict[str, Answer] | None = {
            item.file: sisimai_answer(r) for item, r in zip(items, rows, strict=True)
        }
        sisimai = peers.provenance().get(peers.SISIMAI) or "Sisimai"
    except peers.PeerUnavailableError as exc:
        theirs, sisimai = None, f"Sisimai: {exc}"
    print(f"{len(items)} messages, {MANIFEST.relative_to(FIXTURES.parents[2])}; peer: {sisimai}")
    print(f"targets: recipients {TARGETS['recipients']:.0%}, action {TARGETS['action']:.0%}\n")
    print("| part | parser | right recipients (or not found) | right action |")
    print("|---|---|---|---|")
    for part in (*parts, "all"):
        chosen = [i for i in items if part in ("all", i.part)]
        print(f"| {part} | bouncekeeper | {tally(chosen, mine).cells()} |")
        if theirs is not None:
            print(f"| {part} | Sisimai | {tally(chosen, theirs).cells()} |")
    if args.misses:
        for item in items:
            answer = mine[item.file]
            if item.part in DEV_PARTS and (
                answer.action != item.action or recipients_right(item, answer) is False
            ):
                print(f"miss {item.file}: {item.action} {item.recipients} <- {answer}")


if __name__ == "__main__":
    main()
