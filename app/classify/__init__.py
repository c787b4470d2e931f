"""Classification: evidence about one failed delivery -> one taxonomy code, with the reason why.

Layers are tried from the most specific evidence to the least, and the first that speaks wins:

1. custom     the operator's rules file (app/classify/custom.py)
2. text       a *cause* named in the diagnostic (mailbox full, user unknown, Spamhaus...)
3. enhanced   the exact seed-004 row of a specific enhanced status
4. enhanced-detail   RFC 3463's meaning of a detail the seed lacks (5.4.4, 5.7.606...)
5. provider   the ESP's own label naming a cause (ZeptoMail's bounce_reason `spam-related`)
6. text       a *symptom* in the diagnostic (timed out, try later, access denied)
7. enhanced   the rows of the generic statuses (5.7.1, 4.7.1: "not authorised", any policy)
8. enhanced-subject  RFC 3463's class.subject meaning (4.7.650 -> 4.7 -> 1999)
9. smtp       the basic reply code
10. provider-flag  an ESP label that only says hard or soft (Postmark's HardBounce)
11. bounce-type  the ESP's hard/soft flag, then 9999

Every verdict carries the grade of its evidence (`Grade`): the text named it, a specific
status or ESP label named it, or only a class said so. The policy suppresses at once only on
the two strong grades (app/policy.py); a permanent code on a class alone is counted instead.

Why causes beat even an exact row: a server picks its status from a short list and often a
generic or wrong one, but it writes the text for the case at hand; text naming a cause is the
more specific evidence (`552 over quota (#5.1.1)` is a full mailbox, not a dead address).
Symptom text is less specific than any exact row, so it waits until after them, and after the
ESP's label of a cause, which is the ESP's reading of the whole reply ("550 5.7.1 Message
rejected" labelled `spam-related` is spam, 1004, not any policy). The status
is taken from the diagnostic when the enhanced-code field is empty. `matched_by` names the
layer and the rule so an operator can see why an address was suppressed; `explain()` lists
what every layer said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from app import taxonomy
from app.classify import enhanced, provider_hints, smtp
from app.classify.rules import Hit, RuleSet, rule
from app.classify.text_rules import CAUSES, SYMPTOMS


class Grade(StrEnum):
    """How strong the evidence behind a verdict is, strongest first."""

    TEXT = "text"  # the diagnostic states the cause (a cause rule, or the operator's rule)
    STATUS = "status"  # an exact status row the text does not contradict, or the ESP's label
    SYMPTOM = "symptom"  # the diagnostic says only how it failed ("mailbox unavailable")
    CLASS = "class"  # only a status class.subject, the reply code, a hard/soft flag, or nothing


# The grade of each layer's verdicts.
LAYER_GRADES: dict[str, Grade] = {
    "custom": Grade.TEXT,
    "text": Grade.TEXT,
    "enhanced": Grade.STATUS,
    "enhanced-detail": Grade.STATUS,
    "provider": Grade.STATUS,
    "provider-flag": Grade.CLASS,
    "enhanced-subject": Grade.CLASS,
    "smtp": Grade.CLASS,
    "bounce-type": Grade.CLASS,
    "default": Grade.CLASS,
}


@dataclass(frozen=True, slots=True)
class Evidence:
    smtp_code: str = ""
    enhanced_code: str = ""
    diagnostic: str = ""
    provider_reason: str = ""
    bounce_type: str = ""
    provider: str = ""


@dataclass(frozen=True, slots=True)
class Classification:
    code: int
    category: taxonomy.Category
    matched_by: str
    grade: Grade = Grade.STATUS  # every layer states its own; the default serves hand-made ones


@dataclass(frozen=True, slots=True)
class Step:
    """What one layer said: its name, the rule or value it matched, the code (or None), and
    the grade of that evidence."""

    layer: str
    matched: str
    code: int | None
    grade: Grade = Grade.CLASS


def _verdict_of(code: int, matched_by: str, grade: Grade | None = None) -> Classification:
    layer = matched_by.partition(":")[0]
    chosen = LAYER_GRADES[layer] if grade is None else grade
    return Classification(code, taxonomy.category_of(code), matched_by, chosen)


# The grades of the custom, cause and symptom rules, in TextRules' order.
_TEXT_GRADES = (Grade.TEXT, Grade.TEXT, Grade.SYMPTOM)


# Words that put a reply's blame on the sending side (app/classify/text_rules.py's first rows),
# found anywhere in a text that otherwise reads as a dead address. Not "relay": Postfix's
# "User unknown in relay recipient table" is the classic dead address. Our own envelope and
# headers (return address, Reply-To, the MAIL command, a "sending" domain or account), our
# credentials and certificates, and a mailing list's membership are ours too: "535 Unknown
# user or bad password" and "Callout verification failed for <bounces@...>: no such user" name
# a dead address that is ours, not the contact's (issue #14's audit). Not "callout" or "mailing
# list" alone: Exim's recipient callouts and a list that does not exist are dead addresses.
# Read in `_read`'s text, where an address is `x@x.x`: "<spam-reports@example.org>: user
# unknown" names no spam.
_SENDER_SIDE = rule(
    "sender-side-words",
    0,
    r"\bsenders?\b(?<!to sender)(?<!to the sender)|\bspf\b|\bdkim\b|\bdmarc\b|blacklist"
    r"|blocklist|\bblocked\b|reputation|\bspam|\bptr\b|\bhelo\b|\behlo\b|authenticat|\brbl\b"
    r"|dnsbl|spamhaus|openspf|\bbulk\b|\bjunk\b|virus|phish|dial-?up|dynamic ip"
    r"|your (?:own )?(?:ip|host|server|mail server|mailer|client|domain|network|organi[sz]ation"
    r"|provider)\b|(?:client|connecting|source|remote) ip\b|(?:this|our) relay\b"
    r"|\bsmtp (?:account|user|login|auth)|user[- ]agent|пароль"
    r"|originating (?:domain|host|server|ip)\b|you sent from"
    r"|\babuse\b|\bbanned\b|\bkarma\b|firewall|prohibited"
    r"|your (?:own )?(?:e-?mail )?(?:address|account)\b(?! books?\b)|access denied"
    r"|not (?:allowed|permitted|authori[sz]ed)\b|white ?list|allow ?list"
    r"|mail from\b|envelope from|return[- ]path|\bfrom (?:address|domain|header)"
    r"|mail command|return address|reply-to|bounce (?:domain|address)|from: line"
    r"|sending (?:domain|host|server|account|address|ip|tenant|organi[sz]ation)\b"
    r"|\bip address (?:\S+ )?(?:is|was|has)\b"
    r"|header of your message|your api key|password|\blogin\b|credential|verification failed for <"
    r"|\bcertifica(?:te|t|do|to)\b|zertifikat|certyfikat|сертификат"
    r"|passwort|mot de passe|contrase[ñn]a"
    r"|authentifi|autentica|autentyfik|аутентиф|bloqu[ée]|bloquead|blockiert|bloccat"
    r"|zablokow|заблокир|votre (?:adresse|domaine|serveur|compte|ip)\b"
    r"|\bsu (?:servidor|dominio|cuenta|proveedor|direcci[óo]n ip)\b"
    r"|ihre[mnrs]? (?:ip|server|domain|konto)|d'envoi|de env[íi]o|adresse de retour"
    r"|members only|not subscribed|not a member|challenge|list is restricted"
    r"|only from its (?:owners|members)|relay (?:service|account|user)|relay-konto|\bsasl\b"
    r"|your (?:smtp )?envelope|envelope of your|verzend|送信元|uwierzytelni|авторизац"
    r"|your message (?:was|has been) (?:rejected|refused|blocked)"
    r"|absender|exp[ée]diteur|remitente|remetente|mittente|afzender|nadawc|отправител"
    r"|发件人|發件人|送信者|差出人|발신자|liste noire|lista negra|lista nera|schwarze liste"
    r"|czarn\w* list|черн\w* спис|felad[óo]|avs[äa]ndar|odes[íi]latel|odosielate|po[šs]iljatelj"
    r"|подател|người gửi|pengirim|المرسل|השולח|\bauth\b|smarthost|service account|\brenew"
    r"|your (?:[\w-]+ ){0,2}(?:plan|subscription|trial)\b|\boriginator\b|\boutbound\b"
    r"|\bsubmitters?\b|backscatter|\bjudged\b"
    r"|认证|認証|发信|發信|送信用|接続元|返信先|お客様の"
    r"|\btw(?:[óo]j|oj\w+) (?:serwer|domen|adres|ip|kont)|\bwasz\w* (?:serwer|domen|adres|ip|kont)"
    r"|\buw (?:server|mailserver|domein|ip|adres|account)\b|\b(?:vostr[oa]|tu[oa]) (?:server"
    r"|dominio|indirizzo|ip|account)\b|\bseu (?:servidor|dom[íi]nio|endere[çc]o|ip)\b"
    r"|ваш\w* (?:ip|сервер|домен|адрес)|submission (?:port|service)|\bport (?:465|587)\b"
    r"|\bmessage-?id\b|your (?:message'?s? )?headers?\b|\b(?:its|own|group|list) members\b"
    r"|\bflagged\b|您的(?:邮箱|信箱|电子邮件|電子郵件)?(?:地址|账号|帐号|账户|帳戶|帳號|域名|ip|服务器"
    r"|伺服器)|お使いの|あなたの(?:メール)?(?:アドレス|アカウント|ドメイン|ip|サーバ)|귀하의|당신의",
)

# A reply that points at another address to try (RFC 5321's "551 User not local; please try
# <forward-path>", "will forward to <...>", "mail for this alias now goes to ..."): the mailbox
# may have moved, or the server may only refuse to relay; either way the address is not proven
# dead. So is a list, group or alias whose expansion or forwarding failed: the address mailed
# may live while a member or target is dead ("Group expansion failed: member unknown"). Not
# Sendmail's "(expanded from: <...>)" alone: an alias whose only target is dead delivers to
# no one, and the corpus's dead addresses carry it.
_FORWARD_HINT = rule(
    "forward-hint",
    0,
    r"please try <|please try [\w.+-]+@|forward(?:ed|ing)? to (?:<|[\w.+-]+@|the alias)"
    r"|now goes to|alias target|\bexpansion\b|list member|forwarding (?:failed|target)"
    r"|unable to forward|new address is",
)

# A reply that asks to try again later, or calls itself temporary, does not say the address is
# gone for good, whatever its reply class ("550 Mailbox closed for maintenance, try later",
# "550 Recipient unknown: lookup timed out, please retry"), in every language the rules speak;
# so does an answer from a backup MX, which may not know the users of a server that is down.
_TEMPORARY = rule(
    "temporary",
    0,
    r"try (?:again )?later|temporar(?:y|ily)\b|for maintenance|\bretry\b|(?<!and )try again"
    r"|unreachable|not responding|at the moment|lookup failed"
    r"|r[ée]essay|plus tard|sp[äa]ter|m[áa]s tarde|de nuevo|pi[uù] tardi|riprova"
    r"|p[óo][źz]niej|ponownie|позже|повтор|请稍后|稍后再|稍后重|しばらく|nochmal|erneut"
    r"|mais tarde|later opnieuw|daha sonra|tekrar dene|pozd[ěe]ji|나중에|다시 시도|再送|再試行"
    r"|could not be (?:consulted|contacted)|\btimeout\b|servfail|address family"
    r"|temporai|temporalmente|tempor[áa]ri|temporane|tymczasow|временно|vor[üu]bergehend"
    r"|tijdelijk|暂时|一時的|pour le moment|por el momento|por enquanto|per il momento"
    r"|connection\b[^.;]{0,40}\breset\b|backup (?:server|mx)|secondary mx|\bis down\b|down for"
    r"|k[ée]s[őo]bb|\bsenare\b|\bsenere\b|my[öo]hemmin|αργότερα|mai t[âa]rziu|пізніше|kasnije"
    r"|nesk[oô]r|thử lại|coba lagi|لاحق|מאוחר יותר|\bm[ée]s tard"
    r"|\btomorrow\b|\bbeing (?:rebuilt|restored|repaired|migrated|synchroni[sz]ed)\b"
    r"|\blocal dns\b|(?:our|the local) (?:dns|resolver)\b|\bpending\b|\boutage\b|\bin progress\b"
    r"|\bnot yet (?:provisioned|created|set up|available|active)\b|\bprovisioning\b"
    r"|\b(?:server|ldap|directory|backend|database) (?:is )?down\b|\buntil the\b|\bat this time\b"
    r"|\bduring (?:the |a |an )?(?:migration|maintenance|upgrade|outage)\b",
)

# A reply that offers the dead address as one of several possible causes does not state it:
# "User unknown, or the recipient may be protected by a challenge system".
_HEDGED = rule(
    "hedged",
    0,
    r"\bmay (?:be|not|have)\b|\bmight\b|\bpossibly\b|\bperhaps\b|\bprobably\b|\bseems?\b"
    r"|\bapparently\b|\blikely\b|\bassum(?:e|ed|ing)\b",
)

# The words _settle looks for, at the end of every TextRules' table (after `stop`, in this
# order) so that the one literal pass per text finds theirs too: passes of their own cost
# as much again as the rest of settling a permanent verdict.
# What a closed-address word (2004: "nicht mehr aktiv", "n'est plus actif", "terminated") may be
# said of instead of the address: a service, a server, a session, a lookup, an office.
_NOT_AN_ADDRESS = rule(
    "not-an-address",
    0,
    r"servi[cz]e|(?<!in )dienst|serveur|servicio|servidor|servizio|serwer|usług|uslug|сервер|служб"
    r"|session|lookup|\boffice\b|gateway",
)

_SETTLE_WORDS = (_SENDER_SIDE, _FORWARD_HINT, _TEMPORARY, _HEDGED, _NOT_AN_ADDRESS)
# Where each settle word sits after a table's text rules (`TextRules.stop`).
_DOUBT_AT, _FORWARD_AT, _TEMPORARY_AT, _HEDGED_AT, _NOT_AN_ADDRESS_AT = range(len(_SETTLE_WORDS))

# The categories of a second cause that leaves a dead-address text in doubt, and the rules of
# those categories that do not: their words come with a dead address by nature (a dead domain
# "does not accept mail" and its server is not found; "syntax error in recipient address" is
# the address's own syntax; relaying is decided by the causes' order; an expiry notice frames
# the cause it states, rubric R8).
_DOUBTING = frozenset(
    {taxonomy.Category.TEMPORARY, taxonomy.Category.COMMUNICATION, taxonomy.Category.UNKNOWN}
)
_AGREEING_RULES = frozenset(
    {"protocol-error", "no-mail-accepted", "relaying-denied", "server-not-found", "expired"}
)


@dataclass(frozen=True)
class TextRules:
    """The rule sets one classification uses; custom rules files build their own."""

    custom: RuleSet
    causes: RuleSet
    symptoms: RuleSet
    # The three sets as one table (custom, causes, symptoms), then _SETTLE_WORDS, so a text's
    # literals are found once; rules before `split` come before the status rows, the rest
    # up to `stop` after them.
    combined: RuleSet = field(init=False, repr=False, compare=False)
    split: int = field(init=False, repr=False, compare=False)
    stop: int = field(init=False, repr=False, compare=False)
    # one shared verdict per rule: a frozen dataclass costs as much to build as a text layer
    verdicts: tuple[Classification, ...] = field(init=False, repr=False, compare=False)
    # the built-in rules whose cause leaves a dead-address text in doubt (_other_cause)
    doubting: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        layers = [("custom", self.custom), ("text", self.causes), ("text", self.symptoms)]
        text_rules = [r for _, rule_set in layers for r in rule_set.rules]
        combined = RuleSet([*text_rules, *_SETTLE_WORDS])
        split, stop = len(self.custom.rules) + len(self.causes.rules), len(text_rules)
        verdicts = tuple(
            _verdict_of(r.code, f"{layer}:{r.name}", grade)
            for (layer, rule_set), grade in zip(layers, _TEXT_GRADES, strict=True)
            for r in rule_set.rules
        )
        doubting = frozenset(
            index
            for index, said in enumerate(verdicts)
            if index >= len(self.custom.rules)
            and said.category in _DOUBTING
            and said.matched_by.partition(":")[2] not in _AGREEING_RULES
        )
        for name, value in (
            ("combined", combined),
            ("split", split),
            ("stop", stop),
            ("verdicts", verdicts),
            ("doubting", doubting),
        ):
            object.__setattr__(self, name, value)


# The per-layer sets serve explain() only (classify() searches `combined`): built on first use.
BUILT_IN = TextRules(RuleSet(()), RuleSet(CAUSES, lazy=True), RuleSet(SYMPTOMS, lazy=True))

# The verdicts of the exact and detail status layers, built once per status.
_EXACT = {
    status: _verdict_of(code, f"enhanced:{status}")
    for status, code in enhanced.TABLE.items()
    if status not in enhanced.GENERIC
}
_GENERIC = {status: _verdict_of(enhanced.TABLE[status], f"enhanced:{status}")
            for status in enhanced.GENERIC}  # fmt: skip
_DETAIL = {
    status: _verdict_of(code, f"enhanced-detail:{status}")
    for status, code in enhanced.DETAIL.items()
}


@lru_cache(maxsize=4096)
def _verdict(code: int, matched_by: str) -> Classification:
    """The shared verdict for the layers whose keys are not known in advance."""
    return _verdict_of(code, matched_by)


# The grades of answers too weak to outvote blame first: a class fallback, a symptom.
_WEAK_GRADES = frozenset({Grade.CLASS, Grade.SYMPTOM})

# The answer when no layer spoke; settled only by blame first (_settle).
_DEFAULT = _verdict(taxonomy.UNKNOWN, "default")


# A multi-line reply pasted as one line: `550-5.7.1 first line 550-5.7.1 second 550 5.7.1
# last`. The first line's prefix is a reply code and a dash, maybe with an enhanced status.
_FIRST_PREFIX = re.compile(r"([245]\d\d)-(?:([245]\.\d{1,3}\.\d{1,3}) )?")
# The dash of the first line's prefix: a reply code before it, and before the code nothing
# that makes it part of a word, a path or a number ("/421-ts02.html", "+1 800 5550-1234"). The
# pattern starts at the dash and reads the code behind it, so `re` skips from dash to dash with
# its literal scan instead of trying a code at every character.
_FIRST_DASH = re.compile(r"-(?<=(?<![a-z0-9_./-])[245]\d\d-)")


def _joined(lowered: str) -> str:
    """The reply with every continuation line's prefix after the first taken out, so that the
    words of a sentence broken across lines are read as one sentence: "550-5.7.1 our system
    has detected that this message is 550-5.7.1 likely unsolicited" as "550-5.7.1 our system
    has detected that this message is likely unsolicited". A prefix is the first line's
    reply code after a space, followed by a dash or a space (the last line), and by the first
    line's enhanced status when it had one; the first line's prefix stays, so the status is
    still read. A reply without a "code-" prefix is returned as it is.

    The first prefix is looked for from its dash (_FIRST_DASH): this runs on every bounce,
    and a pattern starting at the code cost a tenth of a classification, a Python loop over
    the dashes 2 % more than this one search."""
    if "-" not in lowered:  # two replies in three: a scan in C, not a regex search's set-up
        return lowered
    dash = _FIRST_DASH.search(lowered)
    if dash is None:
        return lowered
    first = _FIRST_PREFIX.match(lowered, dash.start() - 3)  # matches: the dash follows a code
    code, status = first.groups()
    if status is None:
        repeated = rf"\s+{code}[- ](?=\S)"
    else:
        repeated = rf"\s+{code}[- ]{re.escape(status)}(?![\d.])\s*"
    return lowered[: first.end()] + re.sub(repeated, " ", lowered[first.end() :])


# The name of a mail server the reply reports on (Postfix's and Exim's "host mx.example.net[ip]
# said", a DSN's "Remote-MTA: dns; ...", Exchange's "Generating server: ..."): a name, not words
# of the reply. "host mx-blocked.example.com[192.0.2.4] said: 552 mailbox full" is a full
# mailbox, "Reporting-MTA: dns; outbound-spamfilter.example.net ... user unknown" a dead address.
_HOST_NAME = re.compile(r"host [\w-]+(?:\.[\w-]+)+(?= ?\[)")
_MTA_FIELD = re.compile(r"(-mta: ?dns; ?|generating server: )[\w-]+(?:\.[\w-]+)+")


# An e-mail address is a name, not words of the reply: "<spam-reports@example.org>: user
# unknown" is a dead address, "bob@blocked.example is over quota" a full mailbox. Its local
# part is the run of these characters before an `@` (`=` and `%` for SRS, BATV and percent-hack
# local parts), its domain the labels after it; ASCII only, so that a CJK sentence written
# against an address ("地址bob@example.com不存在") keeps its words.
_LOCAL_PART = "abcdefghijklmnopqrstuvwxyz0123456789._%+=-"
# Possessive: the same match (nothing follows it to backtrack for), without the bookkeeping
# `re` keeps for a group it may have to give back.
_DOMAIN = re.compile(r"[a-z0-9-]++(?:\.[a-z0-9-]++)*+")
# What an address reads as: still an address, so the rules that read across one ("<...>: user
# unknown", "please try <...>", "verification failed for <...>") and those that must not take
# its domain for a host ("bob@example.org does not exist") read it as before.
_AN_ADDRESS = "x@x.x"


def _masked(lowered: str) -> str:
    """The text with every e-mail address replaced by `x@x.x`. Each `@` is found with str.find
    and its local part with str.rstrip, not with one regex: a regex search tries a match at
    every character of the reply and cost twice as much on the Sisimai corpus."""
    at = lowered.find("@")
    parts: list[str] = []
    start = 0
    while at >= 0:
        window = at - 256  # not max(): a builtin's call costs as much as the rest of a step
        head = lowered[start if window < start else window : at]
        local = len(head) - len(head.rstrip(_LOCAL_PART))
        domain = _DOMAIN.match(lowered, at + 1)
        if local and domain is not None:
            parts += (lowered[start : at - local], _AN_ADDRESS)
            start = domain.end()
            at = lowered.find("@", start)
        else:
            at = lowered.find("@", at + 1)
    if not parts:
        return lowered
    parts.append(lowered[start:])
    return "".join(parts)


def _read(diagnostic: str) -> str:
    """The diagnostic as the rules read it: lower case, a multi-line reply joined (_joined), the
    names of the mail servers it reports on replaced by `x.x` (_HOST_NAME, _MTA_FIELD) and its
    e-mail addresses by `x@x.x` (_masked), so that no rule takes a word inside a name for a
    cause. Each is looked for only when its leading characters are there (str.find): most
    replies pay one scan, and the address pattern runs only on a reply with an `@`."""
    lowered = _joined(diagnostic.lower())
    if "host " in lowered and "[" in lowered:
        lowered = _HOST_NAME.sub("host x.x", lowered)
    if "-mta:" in lowered or "generating server:" in lowered:
        lowered = _MTA_FIELD.sub(r"\1x.x", lowered)
    if "@" in lowered:
        lowered = _masked(lowered)
    return lowered


def _statuses(evidence: Evidence, lowered: str) -> list[str]:
    """The enhanced statuses: the field's, else any written in the diagnostic; under a 421
    reply, not those of a mailbox (x.2.x).

    RFC 5321's 421 closes the whole session ("service not available, closing transmission
    channel") and answers no one recipient, so a mailbox status under it describes no
    mailbox: "421 4.2.1 Service Unavailable" and Vade's and Orange's "421 4.2.1 Connection
    refused" / "Service refused, please try later" are the server refusing the session, not a
    disabled mailbox (4.2.1's row). The text, or the reply code, decides instead."""
    code = evidence.enhanced_code
    statuses = (enhanced.parse(code) if code else []) or enhanced.parse(lowered)
    if statuses and evidence.smtp_code.strip() == "421":
        return [status for status in statuses if status.split(".")[1] != "2"]
    return statuses


def _provider(evidence: Evidence, _: list[str]) -> tuple[str, int] | None:
    return _label(provider_hints.lookup(evidence.provider, evidence.provider_reason), evidence)


def _provider_flag(evidence: Evidence, _: list[str]) -> tuple[str, int] | None:
    return _label(provider_hints.flag(evidence.provider, evidence.provider_reason), evidence)


def _label(hint: tuple[str, int] | None, evidence: Evidence) -> tuple[str, int] | None:
    if hint is None:
        return None
    table, code = hint
    return f"{table}:{provider_hints.normalize(evidence.provider_reason)}", code


def _subject(_: Evidence, statuses: list[str]) -> tuple[str, int] | None:
    for status in statuses:
        code = enhanced.by_subject(status)
        if code is not None:
            return status.rsplit(".", 1)[0], code
    return None


def _reply(evidence: Evidence, _: list[str]) -> tuple[str, int] | None:
    code = smtp.lookup(evidence.smtp_code)
    return None if code is None else (evidence.smtp_code.strip(), code)


def _bounce_type(evidence: Evidence, _: list[str]) -> tuple[str, int] | None:
    label = evidence.bounce_type.strip().lower()
    squashed = label.replace(" ", "").replace("_", "")
    if squashed.startswith("hard") or squashed == "permanent":
        return label, 2999
    if squashed.startswith("soft") or squashed in {"transient", "temporary"}:
        return label, 3999
    return None


def _generic(_: Evidence, statuses: list[str]) -> tuple[str, int] | None:
    for status in statuses:
        if status in enhanced.GENERIC:
            return status, enhanced.TABLE[status]
    return None


# The weak layers after the symptom rules, in order: (layer, lookup of (evidence, statuses)).
_WEAK: tuple[tuple[str, Callable[[Evidence, list[str]], tuple[str, int] | None]], ...] = (
    ("enhanced", _generic),
    ("enhanced-subject", _subject),
    ("smtp", _reply),
    ("provider-flag", _provider_flag),
    ("bounce-type", _bounce_type),
)


# Enum members read once: on Python 3.11 an Enum's class attribute costs 70-140 ns a read, as
# much as ten dict lookups, and these are read on every classification.
_PERMANENT = taxonomy.Category.PERMANENT
_STATUS = Grade.STATUS
_TEXT = Grade.TEXT


def classify(evidence: Evidence, rules: TextRules = BUILT_IN) -> Classification:
    """The taxonomy code for one bounce, most specific evidence first, then settled by what
    the whole reply says (`_settle`).

    The layer order of the module docstring, written out rather than looped over a layer
    table: this runs once per bounce and the loop's calls cost as much as the matching.
    explain() walks the same layers one by one; a test holds the two to the same answer."""
    lowered = _read(evidence.diagnostic)
    hits = rules.combined.candidates(lowered) if lowered else []
    statuses: list[str] | None = None
    verdict = None
    if hits:
        index = rules.combined.first(lowered, hits, 0, rules.split)
        if index >= 0:
            verdict = rules.verdicts[index]
    if verdict is None:
        statuses = _statuses(evidence, lowered)
        verdict = _status_or_weaker(evidence, statuses, lowered, rules, hits)
    if verdict.category is not _PERMANENT and verdict is not _DEFAULT:
        return verdict
    if statuses is None:
        statuses = _statuses(evidence, lowered)
    settled = _settle(verdict, evidence, statuses, lowered, rules, hits)
    return verdict if settled is None else _verdict_graded(*settled)


def _status_or_weaker(
    evidence: Evidence, statuses: list[str], lowered: str, rules: TextRules, hits: list[Hit]
) -> Classification:
    for status in statuses:
        if status in _EXACT:
            return _EXACT[status]
    for status in statuses:
        if status in _DETAIL:
            return _DETAIL[status]
    if evidence.provider_reason:
        said = _provider(evidence, statuses)
        if said is not None:
            return _verdict(said[1], f"provider:{said[0]}")
    if hits:
        index = rules.combined.first(lowered, hits, rules.split, rules.stop)
        if index >= 0:
            return rules.verdicts[index]
    for layer, consult in _WEAK:
        said = consult(evidence, statuses)
        if said is not None:
            return _verdict(said[1], f"{layer}:{said[0]}")
    return _DEFAULT


# The statuses of a bad *sender* address (x.1.7 syntax, x.1.8 system): a generic dead-address
# text under them ("501 5.1.7 Invalid address") is about our address (rubric R1).
_SENDER_STATUSES = frozenset({"5.1.7", "5.1.8", "4.1.7", "4.1.8"})

# x.1.3 is a recipient address of bad syntax: an "invalid address" text under it is the
# syntax (2003), not an unknown user.
_SYNTAX_STATUSES = frozenset({"5.1.3", "4.1.3"})
_SYNTAX_WORDS = re.compile(r"invalid|syntax|malformed|illegal|not valid")
_SYNTAX_REPLIES = frozenset({"501", "553"})
# Under those reply codes only the words of an address that is malformed, not an unknown user
# ("553 Invalid recipient", "553 5.1.1 unknown or illegal user" are dead addresses, 2001).
_ADDRESS_SYNTAX_WORDS = re.compile(
    r"(?:invalid|illegal|malformed|bad) (?:e-?mail )?address|address (?:is )?(?:not valid|invalid)"
    r"|syntax|malformed"
)


# Reply codes of SMTP authentication (RFC 4954: 530 required, 534 mechanism too weak, 535
# credentials invalid, 538 encryption required): "535 User not found" is our login that failed.
_AUTH_REPLIES = frozenset({"530", "534", "535", "538"})


def _phrase(lowered: str, hits: list[Hit], index: int) -> str | None:
    """The text matched by the first alternative, in the pattern's order, of the rule at
    `index` of the combined table; None when it does not match."""
    if not hits or hits[-1][1] < index:
        return None  # the hits are in table order: the last has the highest rule index
    for _, at, phrase in hits:
        if at == index:
            found = phrase.search(lowered)
            if found is not None:
                return found.group(0)
    return None


def _reply_class(evidence: Evidence, statuses: list[str]) -> str:
    """The class digit of the reply: the basic code's, else the first specific status's (a
    DSN's "4.0.0" on a failed delivery says nothing of permanence)."""
    code = evidence.smtp_code.strip()
    if len(code) == 3 and code.isdigit():
        return code[0]
    for status in statuses:  # a loop, not a list comprehension: 3.11 makes a function for one
        if not status.endswith(".0.0"):
            return status[0]
    return ""


def _settle(
    verdict: Classification,
    evidence: Evidence,
    statuses: list[str],
    lowered: str,
    rules: TextRules,
    hits: list[Hit],
) -> tuple[int, str, Grade] | None:
    """(code, matched_by, grade) replacing a permanent verdict, or None to keep it.

    - A 4xx reply is the server's own word that the failure is temporary: "450 4.1.1 user
      unknown" is an address check that may pass tomorrow (the rubric's 3999), not a dead
      address.
    - When only the reply code or a symptom said "permanent" (2999), or nothing spoke at all
      (the default 9999, the one non-permanent verdict settled here), and the words speak of
      our side, blame comes first (rubric R1): 1999, at class grade.
    - A dead address is certain only when nothing in the reply points at the sender: a text
      that names the recipient as unknown and also speaks of our sender address, SPF, a
      blocklist, spam or reputation may be a block worded as a dead address. The code stays, as
      class-grade evidence: counted, escalating on repeated days, not acted on at once.
    - A status of a bad sender address (x.1.7, x.1.8) puts a generic dead-address text on our
      address: 1999 (rubric R1), at class grade.
    - A reply that asks to try later or calls itself temporary, though permanent by its class,
      keeps a text cause's code at class grade; when only a status row said "permanent" it is
      3999, as a 4xx reply would be.
    - A reply that names another address to try ("551 User not local; please try <...>") may
      be a moved mailbox or a relay refusal: the code stays, at class grade.
    - A status row is strong evidence only when the text does not contradict it: "550 5.1.1
      refused by policy" names a status that says "no such mailbox" and a text that says
      something else; the code stays, as class-grade evidence, so it is counted, not acted on
      at once.
    - "Invalid address" under x.1.3 (bad recipient syntax) is the syntax: 2003, same grade.
    - The same the other way round: a text naming a dead address under a status of another
      subject ("550 5.7.1 ... user unknown": security or policy) has two witnesses that
      disagree. The text decides the code (the rubric's R0), but not with the certainty an
      immediate suppression needs.
    """
    # The settle words' hits, the tail of `hits` (table order): most replies have none, and
    # then no word below is looked up at all (a call of _phrase apiece cost 1.5 % of a
    # classification; _phrase returns at once without hits, but dropping the three guards
    # below for that still cost 0.9 %).
    at = len(hits)
    while at and hits[at - 1][1] >= rules.stop:
        at -= 1
    words = hits[at:]
    if verdict.code == taxonomy.UNKNOWN:
        # nothing spoke at all, yet the words are about our side: blame first (rubric R1)
        doubt = _phrase(lowered, words, rules.stop + _DOUBT_AT) if words else None
        return None if doubt is None else (1999, f"{verdict.matched_by}+doubt:{doubt}", Grade.CLASS)
    if not _SENDER_STATUSES.isdisjoint(statuses):
        ours = next(status for status in statuses if status in _SENDER_STATUSES)
        return 1999, f"{verdict.matched_by}+status:{ours}", Grade.CLASS
    if _reply_class(evidence, statuses) == "4":
        return 3999, f"{verdict.matched_by}+4xx", verdict.grade
    if words:  # the four settle words in turn, when the reply has any of them
        doubt = _phrase(lowered, words, rules.stop + _DOUBT_AT)
        if doubt is not None:
            # only the reply code said "permanent" and the words speak of our side: blame
            # first (rubric R1), a refusal of us (1999), not an unknown failure counted
            # against the contact; so for the reply codes that name a closed address or a
            # dead domain (551, 556)
            weak = verdict.grade in _WEAK_GRADES
            ours = weak and (verdict.code == 2999 or verdict.matched_by.startswith("smtp:"))
            code = 1999 if ours else verdict.code
            return code, f"{verdict.matched_by}+doubt:{doubt}", Grade.CLASS
        if _phrase(lowered, words, rules.stop + _FORWARD_AT) is not None:
            return verdict.code, f"{verdict.matched_by}+forward", Grade.CLASS
        if _phrase(lowered, words, rules.stop + _TEMPORARY_AT) is not None:
            # a status row alone said "permanent"; the words say temporary: a temporary
            # recipient failure (3999), as a 4xx would be. A text cause keeps its code, counted.
            code = 3999 if verdict.grade is _STATUS else verdict.code
            return code, f"{verdict.matched_by}+temporary", Grade.CLASS
        if _phrase(lowered, words, rules.stop + _HEDGED_AT) is not None:
            return verdict.code, f"{verdict.matched_by}+hedged", Grade.CLASS
    if evidence.smtp_code.strip() in _AUTH_REPLIES:
        return verdict.code, f"{verdict.matched_by}+auth", Grade.CLASS
    other = _other_subject(verdict.code, statuses)
    if other is not None:
        code = 2003 if _syntax(verdict.code, evidence, statuses, lowered) else verdict.code
        return code, f"{verdict.matched_by}+status:{other}", Grade.CLASS
    if verdict.grade is _STATUS and hits:
        index = rules.combined.first(lowered, hits, rules.split, rules.stop)
        if index >= 0 and rules.verdicts[index].category is not _PERMANENT:
            said = rules.verdicts[index].matched_by.partition(":")[2]
            return verdict.code, f"{verdict.matched_by}+contradicted:{said}", Grade.CLASS
    if verdict.grade is _TEXT and verdict.matched_by.startswith("text:") and hits:
        said = _other_cause(lowered, hits, rules)
        if said is not None:
            return verdict.code, f"{verdict.matched_by}+contradicted:{said}", Grade.CLASS
    if verdict.code == 2004 and words:
        thing = _phrase(lowered, words, rules.stop + _NOT_AN_ADDRESS_AT)
        if thing is not None:
            return verdict.code, f"{verdict.matched_by}+said-of:{thing}", Grade.CLASS
    if _syntax(verdict.code, evidence, statuses, lowered):
        return 2003, f"{verdict.matched_by}+status:syntax", verdict.grade
    return None


def _syntax(code: int, evidence: Evidence, statuses: list[str], lowered: str) -> bool:
    """Whether a generic dead-address text ("invalid address", "address not valid") is about
    the address's syntax (2003): under x.1.3 (bad recipient syntax), or, when it says the
    *address* is malformed, under the reply codes of a bad argument (501) or a mailbox name
    not allowed (553, RFC 5321: "mailbox syntax incorrect"). "553 5.1.1 User unknown" and
    "553 Invalid recipient" say nothing of syntax and stay 2001."""
    if code != 2001:
        return False
    if not _SYNTAX_STATUSES.isdisjoint(statuses):
        return _SYNTAX_WORDS.search(lowered) is not None
    reply = evidence.smtp_code.strip()
    return reply in _SYNTAX_REPLIES and _ADDRESS_SYNTAX_WORDS.search(lowered) is not None


def _other_cause(lowered: str, hits: list[Hit], rules: TextRules) -> str | None:
    """The name of a built-in text rule that says the failure was temporary or a fault on the
    way and also matches: "No such user or mailbox full", "Recipient verification failed:
    connection refused" name two causes, and the other one may be the true one. The rules
    before the winner did not match, so the first such match among all built-in rules is one
    after it. Only those rules' alternatives are searched (`rules.doubting`)."""
    for _, index, phrase in hits:
        if index >= rules.stop:
            return None  # the hits are in table order: the rest are settle words
        if index in rules.doubting and phrase.search(lowered):
            return rules.verdicts[index].matched_by.partition(":")[2]
    return None


# The status subjects that agree with a dead address: addressing (x.1), mailbox (x.2) and the
# undefined x.0; routing (x.4) agrees with a dead domain too.
_DEAD_SUBJECTS = frozenset({"0", "1", "2"})
_DOMAIN_SUBJECTS = _DEAD_SUBJECTS | {"4"}


def _other_subject(code: int, statuses: list[str]) -> str | None:
    """A status in the reply whose subject is not about the address (x.3 system, x.4 routing
    unless the code is a dead domain, x.5 protocol, x.6 content, x.7 security or policy)."""
    agreeing = _DOMAIN_SUBJECTS if code == 2002 else _DEAD_SUBJECTS
    for status in statuses:
        if status.split(".")[1] not in agreeing:
            return status
    return None


@lru_cache(maxsize=4096)
def _verdict_graded(code: int, matched_by: str, grade: Grade) -> Classification:
    return Classification(code, taxonomy.category_of(code), matched_by, grade)


def explain(evidence: Evidence, rules: TextRules = BUILT_IN) -> list[Step]:
    """Every layer consulted, in order, with what it said; the first with a code decides,
    unless a last `settle` step says what the whole reply changed about it (see _settle)."""
    lowered = _read(evidence.diagnostic)
    statuses = _statuses(evidence, lowered)
    custom, causes, symptoms = _TEXT_GRADES
    steps = [
        _text_step("custom", rules.custom, lowered, custom),
        _text_step("text", rules.causes, lowered, causes),
        _status_step("enhanced", statuses, _specific_row),
        _status_step("enhanced-detail", statuses, enhanced.by_detail),
        _label_step("provider", _provider(evidence, statuses)),
        _text_step("text", rules.symptoms, lowered, symptoms),
    ]
    for layer, consult in _WEAK:
        steps.append(_label_step(layer, consult(evidence, statuses)))
    steps.append(Step("default", "", taxonomy.UNKNOWN))
    decisive = next(step for step in steps if step.code is not None)
    first = _verdict_graded(
        decisive.code, f"{decisive.layer}:{decisive.matched}".rstrip(":"), decisive.grade
    )
    if first.category is taxonomy.Category.PERMANENT or decisive.layer == "default":
        hits = rules.combined.candidates(lowered) if lowered else []
        settled = _settle(first, evidence, statuses, lowered, rules, hits)
        if settled is not None:
            code, matched_by, grade = settled
            steps.append(Step("settle", matched_by.partition("+")[2], code, grade))
    return steps


def _label_step(layer: str, said: tuple[str, int] | None) -> Step:
    grade = LAYER_GRADES[layer]
    return Step(layer, "", None, grade) if said is None else Step(layer, *said, grade)


def _specific_row(status: str) -> int | None:
    return None if status in enhanced.GENERIC else enhanced.exact(status)


def _text_step(layer: str, rule_set: RuleSet, lowered: str, grade: Grade) -> Step:
    found = rule_set.match(lowered) if lowered else None
    if found is None:
        return Step(layer, "", None, grade)
    return Step(layer, found.name, found.code, grade)


def _status_step(layer: str, statuses: list[str], lookup: Callable[[str], int | None]) -> Step:
    for status in statuses:
        code = lookup(status)
        if code is not None:
            return Step(layer, status, code, Grade.STATUS)
    return Step(layer, "", None, Grade.STATUS)
