"""Two peer classifiers run on the bench's own records: Sisimai (string mode) and KumoMTA's rules.

Issue #14 asks the corpus bench to score bouncekeeper *beside* the tools a user might otherwise
pick, on the same three fields bouncekeeper is given (`smtp_code`, `enhanced_code`,
`diagnostic`). Both peers answer in their own vocabulary, so each answer is kept raw (`label`)
and mapped to one seed-000 code through one table per peer (`SISIMAI_CODES`, `KUMOMTA_CODES`),
argued row by row against ../shared/CLASSIFICATION-RUBRIC.md. When a peer says it cannot tell,
the code is 9999: the peers are scored as they are, never helped.

Neither peer is vendored (fetched code and data are not committed here), so both are found at
run time and `available()` says why one cannot run:

* **Sisimai**: Debian's `libsisimai-perl` (4.25.x), or a source checkout named by
  `BOUNCEKEEPER_SISIMAI_LIB` (its `lib/` directory, run with the system Perl). Sisimai's string
  mode is `Sisimai->match($text)` (= `Sisimai::Reason->match(lc $text)`): the reason modules'
  phrase lists in a fixed order, then `Sisimai::SMTP::Status->find` pulls an enhanced status
  out of the text and `->name` turns it into a reason, else "undefined". Its hard/soft verdict
  is `Sisimai::SMTP::Error->soft_or_hard($reason, $text)`. One `perl` process serves a whole
  batch (JSON lines in, JSON lines out).
* **KumoMTA**: the bounce classifier of KumoCorp/kumomta (`crates/bounce-classify/src/lib.rs`)
  is a `RegexSet` over the rule files, first rule (file order, then table order) wins, else
  `Uncategorized`; it is matched against `Response::to_single_line()` = "code enhanced content".
  It is re-implemented here in a few lines and fed the rule files as KumoMTA ships them, read at
  run time: `BOUNCEKEEPER_KUMOMTA_RULES` (a directory, or a list of files in load order), else
  the mirrored repository under /work/.mirror/KumoCorp+kumomta*/ (read with `git show`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SISIMAI = "sisimai"
KUMOMTA = "kumomta"

MIRROR_ROOT = Path("/work/.mirror")
KUMOMTA_MIRROR_GLOB = "KumoCorp+kumomta*"
# KumoMTA's documented load order for the community rules: the community file first, then the
# IANA status-code rules (assets/community/bounces.toml's header and simple_policy.lua do the
# same); the first file loaded wins a tie, so the phrases outrank the bare status codes.
KUMOMTA_RULE_FILES = ("assets/community/bounces.toml", "assets/bounce_classifier/iana.toml")
SISIMAI_INSTALL_HINT = "not installed: apt-get install libsisimai-perl"
KUMOMTA_INSTALL_HINT = (
    "rules not found: set BOUNCEKEEPER_KUMOMTA_RULES to a directory holding KumoMTA's "
    "bounces.toml and iana.toml (github KumoCorp/kumomta, assets/), or mirror the repository"
)

Record = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Peer:
    """One peer's answer for one record.

    `label` is the peer's own word (Sisimai reason, KumoMTA bounce class), `code` the seed-000
    code that word maps to (9999 when the peer cannot tell), `hard` the peer's own permanent /
    temporary verdict where it gives one (Sisimai does; KumoMTA's classifier does not), and
    `text` the exact string the peer was handed, so a surprising answer can be replayed.
    """

    label: str
    code: int
    hard: bool | None = None
    text: str = ""


class PeerUnavailableError(RuntimeError):
    """The peer cannot run on this machine; the message says why and how to fix it."""


# ---------------------------------------------------------------------------------------------
# Sisimai reason -> seed-000 code. Every reason Sisimai 4.25 can answer (Sisimai->reason), plus
# the v5 names, so a source run of a newer Sisimai maps too. Argued against the rubric (R0-R7):
SISIMAI_CODES: dict[str, int] = {
    # R3: the contact's address is invalid.
    "userunknown": 2001,  # "local part ... does not exist"
    "hostunknown": 2002,  # "domain part ... does not exist"
    "hasmoved": 2004,  # 5.1.6 / "has been replaced by": existed, no longer valid
    "filtered": 2999,  # recipient-side refusal (docomo/ezweb filters, 5.2.0/5.2.1, "user reject")
    # R3 2002 names "no MX": Sisimai's notaccept is null MX (5.1.10), "no mx record found",
    # "host does not accept mail" - a domain that takes no mail at all, so the address is dead.
    # (bench/corpus.py argues 4006 for the corpus labels; R5's 4006 is a server that is not
    # configured for the domain, i.e. a relay refusal, which Sisimai calls norelaying.)
    "notaccept": 2002,
    # R4: temporary, address probably valid.
    "mailboxfull": 3001,  # full / over quota, any reply class
    "suspend": 3002,  # disabled, suspended, inactive, locked (reversible states)
    # R2: the sender side (our IP, domain, authentication, content, volume) is the problem.
    "blocked": 1002,  # "rejected due to client IP address or a hostname" (blocklists, 4.7.1)
    "badreputation": 1002,  # v5: IP reputation
    "spamdetected": 1004,  # spam filter verdict on the message
    "virusdetected": 1007,
    "toomanyconn": 1006,  # "too many concurrency connections" (also 5.5.3 in its status table)
    "speeding": 1006,  # v5: rate limited
    "rejected": 1999,  # envelope sender refused (R2: "sender address/domain invalid or rejected")
    "securityerror": 1999,  # 5.7.x: SPF/DKIM/auth/TLS, "delivery not authorized"
    "authfailure": 1999,  # v5: SPF/DKIM/DMARC
    "requireptr": 1999,  # v5: no PTR / rDNS
    "failedstarttls": 1999,  # v5: TLS required (R2 lists "TLS required" under 1999)
    "policyviolation": 1999,  # "policy violation on a destination host": unspecified policy
    # Sisimai: "rejected due to a header format" (8-bit headers, header size, MIME structure,
    # 5.6.x): R2 puts header/RFC non-compliance at 1999 (1004 is a spam/content verdict).
    "contenterror": 1999,
    "notcompliantrfc": 1999,  # v5: RFC 5322 non-compliance, same reading
    "mesgtoobig": 1999,  # rubric tie-breaker: message too large = 1999
    "exceedlimit": 1999,  # 5.2.3 "message length exceeds administrative limit": size again
    "norelaying": 4006,  # R5: relay denied
    # R5: communication.
    "systemfull": 4001,  # "mail system full", 4.3.1, 4.4.5 congestion: out of resources
    "syntaxerror": 4002,  # SMTP command syntax errors (5.0.x reply codes)
    "expired": 4004,  # delivery time expired / given up
    # Sisimai: "DNS look up failure or other network problems": its phrases are mostly routing
    # loops, hop counts and DNS failures (R5 4999); unreachable hosts alone would be 4003.
    "networkerror": 4999,
    "systemerror": 4999,  # remote system error, local configuration, loops
    "mailererror": 4999,  # X-Unix: a local mailer program exited non-zero
    # R6: informational.
    "vacation": 5001,
    "delivered": 5999,  # a success DSN (2.x.x): not a failure, only informational
    "feedback": 5999,  # an ARF complaint: informational, not a delivery failure
    # v5: the relay's own suppression list refused the address (an earlier bounce there):
    # a permanent recipient-side refusal that states no cause.
    "suppressed": 2999,
    # R7: Sisimai could not tell.
    "onhold": 9999,
    "undefined": 9999,
    "": 9999,
}

# KumoMTA bounce class -> seed-000 code. Every PreDefinedBounceClass in
# crates/bounce-classify/src/lib.rs (the doc comment of each is quoted where it decides):
KUMOMTA_CODES: dict[str, int] = {
    "InvalidRecipient": 2001,  # "The recipient is invalid"
    "BadDomain": 2002,  # "invalid or non-existing domains"
    # "expired, inactive, or disabled recipient addresses": R4 3002's reversible states (the
    # rules behind it: 5.2.1 mailbox disabled, 5.7.13 account disabled, "Account is not active")
    "InactiveMailbox": 3002,
    "QuotaIssues": 3001,  # "mailbox quota issues"
    "TransientFailure": 3003,  # "temporarily delayed": R4's generic try-again-later
    "SpamBlock": 1002,  # "blocked ... as coming from a known spam source": our IP/host listed
    "SpamContent": 1004,  # "blocked by the receiver as spam"
    "SpamRelated": 1004,  # "spam related reasons": a spam verdict without a listing named
    "ContentRelated": 1004,  # "content related reasons"
    "ProhibitedAttachment": 1004,  # R2: attachment/MIME policy is 1004
    "VirusRelated": 1007,
    "ChallengeResponse": 1011,
    "InvalidSender": 1999,  # "invalid DNS or MX entry for sending domain": sender-side
    "AuthenticationFailed": 1999,  # "authentication policy was not met": SPF/DKIM/DMARC
    "PolicyRelated": 1999,  # "general policy reasons"
    "TooManyRecipients": 1999,  # rubric R2: too many recipients is 1999
    "RelayDenied": 4006,  # "relaying is not allowed"
    "RelayingIssues": 4006,  # "remote mail server relaying issues"
    "NoAnswerFromHost": 4003,  # 4.4.1 "no answer from host": the connection was not answered
    # 4.4.2 "bad connection": RFC 3463 - connected, but the transaction could not complete
    # (time-out, connection quality): R5 puts drops and in-session timeouts at 4002.
    "BadConnection": 4002,
    "ProtocolErrors": 4002,  # x.5.x / x.6.x protocol errors
    "MessageExpired": 4004,
    # "DNS failure": iana.toml uses it for 4.4.3 directory server failure; R5 puts temporary
    # DNS failures at 4999 (a NXDOMAIN would be 2002, but the class does not say which).
    "DNSFailure": 4999,
    "RoutingErrors": 4999,  # "mail routing issues" (4.4.4 unable to route, 4.4.6 loops)
    "BadConfiguration": 4999,  # "configuration issues with remote host"
    "AutoReply": 5001,
    "Subscribe": 5999,
    "Unsubscribe": 5999,
    "Uncategorized": 9999,  # KumoMTA's default: no rule matched
}


def available() -> dict[str, str | None]:
    """Per peer, None when it can run here, else why not (a line the bench can print as is)."""
    return {SISIMAI: _sisimai_problem(), KUMOMTA: _kumomta_problem()}


def provenance() -> dict[str, str | None]:
    """Per peer, what exactly ran (Sisimai version, KumoMTA rule source), for the bench header."""
    sisimai_version = None if _sisimai_problem() else _sisimai_probe()[1]
    try:
        rules = _kumomta_rules(_kumomta_source())
    except PeerUnavailableError:
        kumomta_source = None
    else:
        skipped = f", {len(rules.skipped)} skipped" if rules.skipped else ""
        kumomta_source = f"{rules.origin} ({len(rules.patterns)} rules{skipped})"
    return {
        SISIMAI: f"Sisimai {sisimai_version}" if sisimai_version else None,
        KUMOMTA: kumomta_source,
    }


# --- Sisimai ---------------------------------------------------------------------------------

# One process for the whole batch. Input: one JSON string per line. Output: one JSON array
# [reason, "hard"|"soft"|""] per line. Sisimai 4.25's phrase lists are byte strings (no
# `use utf8`), so the text is handed over as UTF-8 bytes, as it would be read from a mailbox.
_SISIMAI_SCRIPT = r"""
use strict;
use warnings;
use JSON::PP ();
use Sisimai ();
use Sisimai::Reason ();
my $json = JSON::PP->new->utf8->allow_nonref->canonical;
my $match = Sisimai->can('match')
    ? sub { Sisimai->match($_[0]) }
    : sub { Sisimai::Reason->match(lc $_[0]) };
my $hardness = sub { '' };
if (eval { require Sisimai::SMTP::Error; 1 } && Sisimai::SMTP::Error->can('soft_or_hard')) {
    $hardness = sub { Sisimai::SMTP::Error->soft_or_hard($_[0], $_[1]) // '' };
} elsif (eval { require Sisimai::SMTP::Failure; 1 }
         && Sisimai::SMTP::Failure->can('is_hardbounce')) {
    $hardness = sub {
        my ($reason, $text) = @_;
        return 'hard' if Sisimai::SMTP::Failure->is_hardbounce($reason, $text);
        return 'soft' if Sisimai::SMTP::Failure->is_softbounce($reason, $text);
        return '';
    };
}
binmode STDIN;
binmode STDOUT;
if (@ARGV && $ARGV[0] eq '--version') {
    print Sisimai->version, "\n";
    exit 0;
}
while (my $line = <STDIN>) {
    my $text = $json->decode($line);
    utf8::encode($text);
    my $reason = length($text) ? ($match->($text) // '') : '';
    my $hard = length($reason) ? $hardness->($reason, $text) : '';
    print $json->encode([$reason, $hard]), "\n";
}
"""

_HARDNESS = {"hard": True, "soft": False}


def sisimai(records: Sequence[Record]) -> list[Peer]:
    """Sisimai's string-mode reason for each record, mapped through SISIMAI_CODES.

    Raises PeerUnavailableError when Sisimai cannot run (see `available()`).
    """
    problem = _sisimai_problem()
    if problem:
        raise PeerUnavailableError(problem)
    texts = [sisimai_text(record) for record in records]
    if not texts:
        return []
    feed = "".join(json.dumps(text) + "\n" for text in texts)
    done = subprocess.run(
        [*_perl_command(), "-e", _SISIMAI_SCRIPT],
        input=feed.encode("ascii"),
        capture_output=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise PeerUnavailableError(f"sisimai: perl failed: {done.stderr.decode(errors='replace')}")
    answers = done.stdout.decode("utf-8").splitlines()
    if len(answers) != len(texts):
        raise PeerUnavailableError(f"sisimai: {len(answers)} answers for {len(texts)} records")
    peers = []
    for text, answer in zip(texts, answers, strict=True):
        reason, hardness = json.loads(answer)
        peers.append(Peer(reason, SISIMAI_CODES.get(reason, 9999), _HARDNESS.get(hardness), text))
    return peers


def sisimai_text(record: Record) -> str:
    """The one string Sisimai's string mode gets: the diagnostic, with the codes it lacks.

    Sisimai's full mode reads the Status: field and the Diagnostic-Code: line separately; its
    string mode only has the text, and finds an enhanced status only inside it. So the text is
    laid out as a Diagnostic-Code line reads, "550 5.1.1 <text>": the reply code the diagnostic
    starts with (else the record's smtp_code), then the record's enhanced_code, each only when
    the diagnostic does not already carry it.
    """
    diagnostic = _one_line(str(record.get("diagnostic") or "")).strip()
    front = []
    leading = _LEADING_CODE.match(diagnostic)
    if leading:
        front.append(leading.group(1))
        diagnostic = diagnostic[leading.end() :].lstrip()
    for field in ("smtp_code", "enhanced_code"):
        code = str(record.get(field) or "").strip()
        if code and code not in front and not _mentions(diagnostic, code):
            front.append(code)
    return " ".join([*front, diagnostic]).strip()


def _mentions(text: str, code: str) -> bool:
    """Whether `code` stands in `text` as a code (not inside a longer number or an IP)."""
    return re.search(rf"(?<![\d.]){re.escape(code)}(?![\d.])", text) is not None


def _perl_command() -> list[str]:
    perl = shutil.which("perl") or "perl"
    lib = os.environ.get("BOUNCEKEEPER_SISIMAI_LIB")
    return [perl, f"-I{lib}"] if lib else [perl]


@lru_cache(maxsize=4)
def _sisimai_probe_for(command: tuple[str, ...]) -> tuple[str | None, str]:
    """(problem, version) for one perl command line; cached, a probe costs a perl start."""
    if not shutil.which(command[0]):
        return f"perl not found; {SISIMAI_INSTALL_HINT}", ""
    try:
        done = subprocess.run(
            [*command, "-e", _SISIMAI_SCRIPT, "--", "--version"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"perl did not run ({error}); {SISIMAI_INSTALL_HINT}", ""
    if done.returncode != 0:
        return SISIMAI_INSTALL_HINT, ""
    return None, done.stdout.decode(errors="replace").strip()


def _sisimai_probe() -> tuple[str | None, str]:
    return _sisimai_probe_for(tuple(_perl_command()))


def _sisimai_problem() -> str | None:
    return _sisimai_probe()[0]


# Sisimai's full mode on whole messages (bench/mail_corpus.py): Sisimai->make on each file, one
# perl process for the batch. Input: one path per line. Output: one JSON array per line, an
# object per bounce Sisimai found (recipient, reason, action, status, feedback type); delivered
# and vacation messages are asked for too, so every kind the email parser reports can compare.
_SISIMAI_MAIL_SCRIPT = r"""
use strict;
use warnings;
use JSON::PP ();
use Sisimai ();
my $json = JSON::PP->new->utf8->canonical;
binmode STDOUT;
$| = 1;
while (my $path = <STDIN>) {
    chomp $path;
    my $rows = eval { Sisimai->make($path, 'delivered' => 1, 'vacation' => 1) } || [];
    my @out = map { {
        recipient => $_->recipient->address // '',
        reason => $_->reason // '',
        action => $_->action // '',
        status => $_->deliverystatus // '',
        feedbacktype => $_->feedbacktype // '',
    } } @$rows;
    print $json->encode(\@out), "\n";
}
"""


def sisimai_messages(paths: Sequence[str]) -> list[list[dict[str, str]]]:
    """Sisimai->make's records for each message file, in order.

    Raises PeerUnavailableError when Sisimai cannot run (see `available()`).
    """
    problem = _sisimai_problem()
    if problem:
        raise PeerUnavailableError(problem)
    if not paths:
        return []
    done = subprocess.run(
        [*_perl_command(), "-e", _SISIMAI_MAIL_SCRIPT],
        input="".join(f"{path}\n" for path in paths).encode(),
        capture_output=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise PeerUnavailableError(f"sisimai: perl failed: {done.stderr.decode(errors='replace')}")
    answers = done.stdout.decode("utf-8").splitlines()
    if len(answers) != len(paths):
        raise PeerUnavailableError(f"sisimai: {len(answers)} answers for {len(paths)} messages")
    return [json.loads(answer) for answer in answers]


# --- KumoMTA ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KumoRules:
    """The merged rule list in KumoMTA's order: (class, compiled pattern), first match wins."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    skipped: tuple[tuple[str, str, str], ...]  # (class, rule, why): rules `re` cannot take
    origin: str

    def classify(self, line: str) -> str:
        """BounceClassifier::classify_str: the lowest-numbered matching rule, else Uncategorized.

        RegexSet reports every pattern that matches anywhere (unanchored, like `re.search`)
        and `.into_iter().next()` takes the lowest index, i.e. the first rule in load order:
        so a plain scan in order gives the same answer.
        """
        for bounce_class, pattern in self.patterns:
            if pattern.search(line):
                return bounce_class
        return "Uncategorized"


def kumomta(records: Sequence[Record]) -> list[Peer]:
    """KumoMTA's bounce class for each record, mapped through KUMOMTA_CODES.

    KumoMTA's classifier gives no hard/soft verdict (its queue decides that from the reply
    code), so `hard` is None. Raises PeerUnavailableError when the rule files cannot be found.
    """
    rules = _kumomta_rules(_kumomta_source())
    peers = []
    for record in records:
        line = kumomta_line(record)
        label = rules.classify(line)
        peers.append(Peer(label, KUMOMTA_CODES.get(label, 9999), None, line))
    return peers


_LEADING_CODE = re.compile(r"\A([2-5]\d\d)(?:[ -]|\Z)")
_DIAGNOSTIC_TYPE = re.compile(r"\A\s*smtp\s*;\s*", re.IGNORECASE)
_ENHANCED = re.compile(r"\A([245])\.(\d{1,5})\.(\d{1,5})\Z")


def kumomta_line(record: Record) -> str:
    """The string KumoMTA matches its rules against, rebuilt from the record's three fields.

    `Response::to_single_line()` (crates/rfc5321/src/client_types.rs) is
    "{code} {class}.{subject}.{detail} {content}" with line breaks removed, where the content is
    the reply text after the code and a leading enhanced code (ResponseBuilder::new). For a DSN
    (kumod's OOB path, crates/kumod/src/logging/disposition.rs) the code is the diagnostic's
    first word when it is a number, else 550, and the enhanced code comes from Status:. So:
    a leading reply code in the diagnostic wins, then the record's smtp_code, then 550; a
    leading enhanced code in the text wins over the record's enhanced_code (a reply on the wire
    carries its own; the OOB path would print both, which no live reply does).
    """
    content = _one_line(str(record.get("diagnostic") or ""))
    content = _DIAGNOSTIC_TYPE.sub("", content, count=1).lstrip()
    code = str(record.get("smtp_code") or "").strip()
    leading = _LEADING_CODE.match(content)
    if leading:
        code, content = leading.group(1), content[leading.end() :]
    if not code.isdigit():
        code = "550"
    enhanced = _enhanced(content.split(" ", 1)[0])
    if enhanced and " " in content:
        content = content.split(" ", 1)[1]
    else:
        enhanced = _enhanced(str(record.get("enhanced_code") or "").strip())
    return f"{int(code)} {enhanced + ' ' if enhanced else ''}{content}"


def _enhanced(word: str) -> str:
    """parse_enhanced_status_code: class 2/4/5, numeric subject and detail, printed as numbers."""
    found = _ENHANCED.match(word)
    if not found:
        return ""
    return ".".join(str(int(part)) for part in found.groups())


def _one_line(text: str) -> str:
    """remove_line_break: CRLF and LF become one space, a lone CR becomes a space."""
    return text.replace("\r\n", "\n").replace("\r", " ").replace("\n", " ")


def _kumomta_source() -> tuple[str, tuple[str, ...]]:
    """Where the rule files are: ("dir"|"files", paths) or ("git", (git_dir,))."""
    configured = os.environ.get("BOUNCEKEEPER_KUMOMTA_RULES")
    if configured:
        path = Path(configured)
        if path.is_dir():
            found = _rule_files_in(path)
            if not found:
                raise PeerUnavailableError(f"kumomta: no bounces.toml / iana.toml under {path}")
            return "files", tuple(str(file) for file in found)
        files = tuple(part for part in configured.split(os.pathsep) if part)
        missing = [file for file in files if not Path(file).is_file()]
        if missing:
            raise PeerUnavailableError(f"kumomta: rule files not found: {', '.join(missing)}")
        return "files", files
    for candidate in sorted(MIRROR_ROOT.glob(KUMOMTA_MIRROR_GLOB)):
        for git_dir in (candidate / "repo", candidate):
            if (git_dir / "HEAD").is_file() and (git_dir / "objects").is_dir():
                return "git", (str(git_dir),)
            if (git_dir / ".git").is_dir():
                return "files", tuple(str(f) for f in _rule_files_in(git_dir) if f.is_file())
    raise PeerUnavailableError(f"kumomta: {KUMOMTA_INSTALL_HINT}")


def _rule_files_in(directory: Path) -> list[Path]:
    """The community file, then iana.toml: flat in `directory`, or in the repository layout."""
    found = []
    for relative in KUMOMTA_RULE_FILES:
        for candidate in (directory / relative, directory / Path(relative).name):
            if candidate.is_file():
                found.append(candidate)
                break
    return found


@lru_cache(maxsize=4)
def _kumomta_rules(source: tuple[str, tuple[str, ...]]) -> KumoRules:
    """Read, merge and compile the rule files once per source (they are read at run time)."""
    kind, paths = source
    texts: list[tuple[str, str]] = []
    if kind == "git":
        git_dir = paths[0]
        commit = _git(git_dir, "rev-parse", "HEAD").strip()
        for relative in KUMOMTA_RULE_FILES:
            texts.append((relative, _git(git_dir, "show", f"{commit}:{relative}")))
        origin = f"{git_dir} @ {commit}"
    else:
        for path in paths:
            texts.append((path, Path(path).read_text(encoding="utf-8")))
        origin = ", ".join(paths)
    return compile_kumomta_rules(texts, origin)


def compile_kumomta_rules(files: Iterable[tuple[str, str]], origin: str = "") -> KumoRules:
    """BounceClassifierBuilder::merge + build over (name, TOML text) pairs, in load order.

    Each file is `[rules]` mapping a class name to a list of regexes; tables keep file order
    (OrderMap), files are appended in the order given. Rust `regex` syntax that Python's `re`
    spells differently is translated; a rule `re` still cannot compile is skipped and counted,
    never silently dropped.
    """
    patterns: list[tuple[str, re.Pattern[str]]] = []
    skipped: list[tuple[str, str, str]] = []
    for name, text in files:
        try:
            rules = tomllib.loads(text).get("rules", {})
        except tomllib.TOMLDecodeError as error:
            raise PeerUnavailableError(f"kumomta: {name} is not valid TOML: {error}") from error
        for bounce_class, rule_list in rules.items():
            for rule in rule_list:
                try:
                    patterns.append((str(bounce_class), _compile_rust_regex(rule)))
                except (re.error, FutureWarning, ValueError) as error:
                    skipped.append((str(bounce_class), rule, str(error)))
    return KumoRules(tuple(patterns), tuple(skipped), origin)


_RUST_ONLY = re.compile(r"\\\\|\\x\{([0-9A-Fa-f]+)\}|\\z|\[\[:(\^?)([a-z]+):\]\]")
_POSIX_CLASSES = {
    "alpha": r"^\W\d_",
    "digit": r"0-9",
    "alnum": r"^\W_",
    "space": r"\s",
    "upper": r"A-Z",
    "lower": r"a-z",
    "punct": r"!-/:-@\[-`{-~",
    "xdigit": r"0-9A-Fa-f",
}


def _compile_rust_regex(rule: str) -> re.Pattern[str]:
    """Compile a Rust `regex` rule with `re`: both are Unicode-aware, case-sensitive and
    unanchored by default, with `.` stopping at a newline (there is none in a single line).
    The few spellings only Rust has are rewritten: `\\x{HHHH}`, `\\z`, and a whole bracket that
    is one POSIX class (`[[:digit:]]`); anything else `re` rejects raises (and is skipped).
    `re`'s FutureWarnings about set syntax are errors here, so a rule `re` would read
    differently from Rust is skipped rather than guessed at.
    """

    def rewrite(found: re.Match[str]) -> str:
        whole = found.group(0)
        if whole == "\\\\":  # an escaped backslash stays as it is
            return whole
        if found.group(1):
            return re.escape(chr(int(found.group(1), 16)))
        if whole == r"\z":
            return r"\Z"
        negated, name = found.group(2), found.group(3)
        if name not in _POSIX_CLASSES:
            raise ValueError(f"POSIX class [:{name}:] not translated")
        body = _POSIX_CLASSES[name]
        if body.startswith("^"):  # written as a negated set already: [^\W\d_] is alpha
            return f"[{body[1:]}]" if negated else f"[{body}]"
        return f"[{'^' if negated else ''}{body}]"

    translated = _RUST_ONLY.sub(rewrite, rule)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        return re.compile(translated)


def _git(git_dir: str, *args: str) -> str:
    git = shutil.which("git")
    if not git:
        raise PeerUnavailableError("kumomta: git is needed to read the mirrored repository")
    done = subprocess.run(
        [git, f"--git-dir={git_dir}", *args], capture_output=True, check=False, timeout=60
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise PeerUnavailableError(f"kumomta: git {' '.join(args)} in {git_dir} failed: {message}")
    return done.stdout.decode("utf-8")


def _kumomta_problem() -> str | None:
    try:
        rules = _kumomta_rules(_kumomta_source())
    except PeerUnavailableError as error:
        return str(error)
    if not rules.patterns:
        return f"kumomta: no rules in {rules.origin}"
    return None
