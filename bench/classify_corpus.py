"""Classification quality on the labelled corpus, beside the peers, and agreement with Sisimai's
own labels.

    .venv/bin/python -m bench.classify_corpus [--misses] [--probe-misses] [path/to/sisimai.jsonl]
    .venv/bin/python -m bench.classify_corpus --file round5.jsonl [--misses]
    .venv/bin/python -m bench.classify_corpus --confusions [--file NAME]

First the figures issue #14 asks for, on tests/fixtures/bounce_corpus/ (bench/labelled.py):
the check part (the groups the rules were not written from) is the headline, the rule-writing
part and the mailing-list notices are shown apart; each with bouncekeeper, Sisimai in string
mode and KumoMTA's community rules on the same records (bench/peers.py; a peer that is not
installed here is named, not guessed). `--misses` lists bouncekeeper's disagreements in the
rule-writing part only: the check part's records are not for reading. The general-knowledge
probe (tests/fixtures/probe_general.jsonl) is scored the same way; `--probe-misses` lists its
disagreements record by record. `--file NAME` scores one corpus file alone (a new round's
blind figure, taken once before any rule is written from it) and stops there; with `--misses`
it lists that file's rule-writing-part disagreements only. `--confusions` lists, record by
record, the rule-writing part's answers in the right category but with a code neither expected
nor accepted (1002 for 1003, 2999 for 2001, 4003 for 4002...), grouped by (expected, ours,
deciding layer), largest group first, and stops: where exact trails category.

Then the older yardstick: agreement with Sisimai's own labels over ../shared/corpus (code and
category agreement for the corpus, its old two-thirds/one-third split by sample file, the strict
one-code-per-reason mapping, a confusion table and every disagreement group).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import labelled, peers
from bench.corpus import DEFAULT_PATH, Score, is_holdout, load, score

Answer = Callable[[dict[str, Any]], tuple[int, bool, str]]


def _peer_answers(name: str, records: list[dict[str, Any]]) -> Answer | str:
    """The peer's answer per record (code, suppressed at once, label), or why it cannot run.
    A peer "suppresses at once" when it calls the address dead: Sisimai's hard-bounce flag,
    KumoMTA's classes that map to 2xxx (it has no hard/soft verdict of its own)."""
    try:
        said = peers.sisimai(records) if name == "sisimai" else peers.kumomta(records)
    except peers.PeerUnavailableError as exc:
        return str(exc)
    by_id = {record["id"]: peer for record, peer in zip(records, said, strict=True)}

    def answer(record: dict[str, Any]) -> tuple[int, bool, str]:
        peer = by_id[record["id"]]
        dead = peer.hard if peer.hard is not None else peer.code // 1000 == 2
        return peer.code, bool(dead), peer.label

    return answer


def _row(name: str, result: labelled.Score) -> str:
    return (
        f"| {name} | {result.total} | {result.category_right} ({result.rate('category_right'):.1%})"
        f" | {result.exact} ({result.rate('exact'):.1%})"
        f" | {result.accepted} ({result.rate('accepted'):.1%})"
        f" | {result.dead_found}/{result.dead} ({result.rate('dead_found'):.1%})"
        f" | {result.sender_found}/{result.sender} ({result.rate('sender_found'):.1%})"
        f" | {result.wrong_suppressions} ({result.wrong_suppressions / result.total:.1%}),"
        f" {result.indefensible} indefensible |"
    )


def labelled_report(
    show_misses: bool, show_probe_misses: bool = False, only_file: str | None = None
) -> None:
    """The labelled corpus's tables; `only_file` restricts them to one corpus file and leaves
    the probe out (it belongs to no round)."""
    records = labelled.load(pattern=only_file) if only_file else labelled.load()
    if not records:
        raise SystemExit(f"no records in {labelled.CORPUS_DIR / (only_file or '*.jsonl')}")
    probe = [] if only_file else labelled.load_probe()
    parts = {
        "check part (headline)": [
            r for r in records if labelled.part_of(r) == "check" and not labelled.is_list_notice(r)
        ],
        "rule-writing part": [
            r for r in records if labelled.part_of(r) == "rules" and not labelled.is_list_notice(r)
        ],
        "mailing-list notices (both parts)": [r for r in records if labelled.is_list_notice(r)],
    }
    if probe:
        # each round's blind figure was taken on its own records (docs/CLASSIFICATION.md)
        # a round's groups are "probe<n>:...", round 1's plain "probe:..."
        by_round: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for record in probe:
            by_round[int(record["group"].partition(":")[0].removeprefix("probe") or 1)].append(
                record
            )
        for round_ in sorted(by_round):
            parts[f"general-knowledge probe, round {round_}"] = by_round[round_]
    answerers: dict[str, Answer | str] = {"bouncekeeper": labelled.ours()}
    for name in ("sisimai", "kumomta"):
        answerers[name] = _peer_answers(name, records + probe)
    source = labelled.CORPUS_DIR / only_file if only_file else labelled.CORPUS_DIR
    print(f"labelled corpus: {source} ({len(records)} records)")
    for name, why in answerers.items():
        if isinstance(why, str):
            print(f"  {name}: not measured here: {why}")
    for name, where in peers.provenance().items():
        if where:
            print(f"  {name}: {where}")
    for title, chosen in parts.items():
        print(f"\n{title}\n")
        if not chosen:
            print("(no records)")
            continue
        print(
            "| answerer | records | category | exact | exact or accepted | dead addresses (2xxx)"
            " | sender side (1xxx) | wrong immediate suppressions |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for name, answer in answerers.items():
            if not isinstance(answer, str):
                print(_row(name, labelled.score(chosen, answer)))
    if show_misses:
        print("\nbouncekeeper's disagreements in the rule-writing part (expected -> ours, why):")
        result = labelled.score(parts["rule-writing part"], labelled.ours())
        for (expected, ours, why), count in sorted(result.misses.items()):
            flag = " " if expected // 1000 == ours // 1000 else "*"
            print(f" {flag} {expected} -> {ours}  {why:40} x{count}")
    if show_probe_misses:
        _probe_misses(probe)


def _probe_misses(probe: list[dict[str, Any]]) -> None:
    """The probe's disagreements record by record: `!` an immediate suppression of a reply
    labelled other than 2xxx, `*` another category."""
    print("\nbouncekeeper's disagreements on the probe (id, expected -> ours, why, text):")
    answer = labelled.ours()
    for record in probe:
        code, suppress, why = answer(record)
        expected = record["expected"]
        if code == expected or code in record.get("alt", []):
            continue
        wrong = suppress and expected // 1000 != 2
        flag = "!" if wrong else "*" if code // 1000 != expected // 1000 else " "
        text = record["diagnostic"][:90]
        print(f" {flag} {record['id']:24} {expected} -> {code}  {why:36} {text}")


def _summary(name: str, result: Score) -> str:
    return (
        f"| {name} | {result.total} | {result.category_agree} ({result.category_rate:.1%}) "
        f"| {result.code_agree} ({result.code_rate:.1%}) |"
    )


def confusions_report(only_file: str | None = None) -> None:
    """The rule-writing part's records in the right category with a code neither expected nor
    accepted, grouped by (expected, ours, the layer that decided), largest group first. Only
    the rule-writing part: the check part's records are not for reading."""
    records = labelled.load(pattern=only_file) if only_file else labelled.load()
    chosen = [
        r for r in records if labelled.part_of(r) == "rules" and not labelled.is_list_notice(r)
    ]
    answer = labelled.ours()
    groups: dict[tuple[int, int, str], list[tuple[dict[str, Any], str]]] = defaultdict(list)
    for record in chosen:
        code, _, why = answer(record)
        expected = record["expected"]
        if code // 1000 != expected // 1000 or code == expected or code in record.get("alt", []):
            continue
        layer = why.partition(":")[0]
        groups[(expected, code, layer)].append((record, why))
    total = sum(len(found) for found in groups.values())
    print(f"rule-writing part: {len(chosen)} replies, {total} in the right category with a code")
    print("neither expected nor accepted (expected -> ours [layer] xN, then id, why, text):")
    for (expected, code, layer), found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{expected} -> {code} [{layer}] x{len(found)}")
        for record, why in found:
            codes = f"{record.get('smtp_code', '')} {record.get('enhanced_code', '')}".strip()
            print(f"  {record['id']:32} {why:40} | {codes} | {record['diagnostic'][:160]}")


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    show_probe_misses = "--probe-misses" in argv
    show_confusions = "--confusions" in argv
    argv = [arg for arg in argv if arg not in ("--misses", "--probe-misses", "--confusions")]
    only_file = None
    if "--file" in argv:
        at = argv.index("--file")
        if at + 1 >= len(argv):
            raise SystemExit("--file needs a corpus file name, e.g. round5.jsonl")
        only_file = argv[at + 1]
    if show_confusions:
        confusions_report(only_file)
        return 0
    if only_file is not None:
        labelled_report(show_misses, only_file=only_file)
        return 0
    labelled_report(show_misses, show_probe_misses)
    print("\n---\n")
    path = Path(argv[0]) if argv else DEFAULT_PATH
    records = load(path)
    parts = {
        "all": records,
        "rules (2/3)": [r for r in records if not is_holdout(r)],
        "holdout (1/3)": [r for r in records if is_holdout(r)],
    }
    results = {name: score(part) for name, part in parts.items()}
    print(f"corpus: {path} ({len(records)} records)\n")
    print("| part | bounces scored | category agreement | code agreement |")
    print("|---|---|---|---|")
    for name, result in results.items():
        print(_summary(name, result))
    print("\nthe same classifier against the strict mapping (one code per reason, all scored):\n")
    print("| part | bounces scored | category agreement | code agreement |")
    print("|---|---|---|---|")
    for name, part in parts.items():
        print(_summary(name, score(part, strict=True)))
    overall = results["all"]
    print("\nnot bounces, and Sisimai's undecided (reported apart, not scored):")
    for (reason, code), count in sorted((overall.not_bounces + overall.unlabelled).items()):
        print(f"  {reason:9} -> classifier said {code} x{count}")
    print("\nconfusion (expected code -> our codes):")
    rows: dict[int, dict[int, int]] = defaultdict(dict)
    for (expected, ours), count in overall.confusion.items():
        rows[expected][ours] = count
    for expected in sorted(rows):
        cells = ", ".join(f"{ours}:{n}" for ours, n in sorted(rows[expected].items()))
        print(f"  {expected} -> {cells}")
    print("\ndisagreements (reason, expected -> ours, matched_by, count; * = other category,")
    print("h = holdout records in the group):")
    held = score(parts["holdout (1/3)"]).misses
    for key, count in sorted(overall.misses.items()):
        reason, expected, ours, matched_by = key
        flag = " " if expected // 1000 == ours // 1000 else "*"
        print(f" {flag} {reason:15} {expected} -> {ours}  {matched_by:32} x{count} h{held[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
