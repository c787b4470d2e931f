"""Built-in diagnostic-text rules: one row per family of messages real MTAs emit.

Two tables, because text and status codes disagree in two different ways:

- CAUSES name *why* the mail failed (mailbox full, user unknown, listed on Spamhaus, virus).
  A cause in the text beats any status code, even an exact seed-004 row: servers attach
  generic or wrong statuses to specific texts (`552 ... over quota (#5.1.1)`, `550 5.7.1
  blocked using zen.spamhaus.org`, `550 5.2.1 User Unknown`).
- SYMPTOMS say only *how* it failed (timed out, try later, access denied). An exact status
  row is better evidence than those, so they are tried after it and before the weaker
  layers (provider label, status subject, reply code). Expiry and a bare "try later" are
  symptoms too, the least specific ones: they wrap whatever kept failing ("connect to ...:
  timed out ... in the queue too long"), and what they wrap, or the status, names it better.
  A delay warning is a deferral and yields the same way: informational only when it names
  nothing else.

Within a table, order is priority: specific before generic, and sender-side faults before
the recipient-side families whose words they share ("domain of sender address does not
exist" is about us, not the recipient). Every pattern is a family, never one message.
Each row's gate words must all be words its pattern cannot match without (see rules.py).
"""

from __future__ import annotations

from app.classify.rules import Rule, rule

# Microsoft's "banned sending IP" family is 5.7.606-5.7.649; as words its detail is 606-649.
_MICROSOFT_BANNED_WORDS = " ".join(str(detail) for detail in range(606, 650))
_PART = r"(?:user|recipient|address|mailbox|account|addressee|alias)"
_ANY_PART = r"(?:user|recipient|address|mailbox|account|addressee|local[- ]?part|alias|person)"

# The tables read better aligned than one argument per line.
# fmt: off
CAUSES: tuple[Rule, ...] = (
    rule("auto-reply", 5001, "office auto autoreply automatic vacation away holiday out",
         r"out of (?:the )?office|auto[- ]?(?:matic )?reply|autoreply|on (?:vacation|holiday)"
         r"|i (?:am|'m|will be) (?:currently )?(?:away|out of)"
         r"|away from (?:the|my) (?:office|desk)"),
    rule("challenge-response", 1011, "challenge verification verify human",
         r"challenge[- ]response|sender verification|verify (?:that )?you are (?:a )?human"
         r"|confirm (?:that )?you are (?:a )?(?:human|real person)"),
    rule("virus", 1007, "virus viruses malware infected trojan",
         r"virus|malware|infected|trojan"),
    rule("open-relay-listing", 1002, "relay", r"(?:is|as) an open relay"),
    rule("blocklist-domain", 1003, "dbl uribl surbl listed blacklisted blocklisted",
         r"\bdbl\b|uribl|surbl|\b(?:black|block)?listed (?:url|domain|link)"
         r"|(?:url|domain|link) (?:is )?(?:black|block)listed\b"),
    rule("blocklist-ip", 1002,
         "spamhaus barracuda barracudacentral spamcop sorbs s3150 dnsbl rbl blocked "
         "blacklisted blocklisted blacklist blocklist listed cloudmark proofpoint banned "
         "spamrats psbl bloquee blacklists blocklists " + _MICROSOFT_BANNED_WORDS,
         r"spamhaus|barracuda|spamcop|sorbs|\bs3150\b|dnsbl|\brbl\b|blocked using"
         r"|(?<!may be )blacklist|blocklist|(?:is|are|was|been|currently) listed (?:in|on|at|by) "
         r"|cloudmark|proofpoint|banned sending ip|spamrats"
         r"|\bpsbl\b|ip (?:source )?bloquee|client host blocked|5\.7\.6(?:0[6-9]|[1-4]\d)\b"),
    rule("ip-reputation", 1002, "reputation complaints",
         r"(?:low|poor|bad) reputation|reputation of the sending|ip reputation"
         r"|deferred due to (?:unexpected volume or )?user complaints"),
    rule("rate-limit", 1006,
         "rate frequency throttle throttled throttling many limited exceeded ratelimit quickly",
         r"rate[- ]?limit|connection frequency|throttl|too many (?:connections|messages|mails"
         r"|emails|concurrent|sessions)|too many recipients (?:this|per) hour|sent to too many"
         r"|receiving mail (?:at a rate|too quickly)|sending rate"
         r"|(?:frequency|rate) (?:limited|exceeded)"),
    rule("relaying-denied", 4006, "relay relaying relayed",
         r"relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed))|not configured to relay"
         r"|insecure mail relay|(?:we do not|unable to|cannot|not allowed to) relay"),
    rule("authentication", 1999, "dmarc spf dkim unauthenticated authentication authenticate",
         r"\bdmarc\b|\bspf\b|\bdkim\b(?!-signature)|unauthenticated"
         r"|authentication (?:checks? )?fail|authentication (?:information|required|results)"
         r"|authenticate with"),
    rule("reverse-dns", 1999,
         "ptr rdns reverse dns unverifyable unverifiable lookup mismatch mismatches",
         r"\bptr\b|\brdns\b|reverse dns|reverse lookup|unverifi?y?able sending ip"
         r"|ip name lookup failed|mismatch(?:es)? (?:the )?client ip"),
    rule("sender-rejected", 1999, "sender send name helo",
         r"sender (?:address |domain )?(?:was )?(?:rejected|refused|invalid|unknown|denied)"
         r"|domain of sender address|unroutable sender|(?:invalid|unknown|bad) sender"
         r"|not allowed to send|send mail as"
         r"|(?:my|our) name was rejected|helo (?:command )?rejected"),
    # A mailing list refusing our post (seed 004's 4.7.2 row). Google Groups writes its notice
    # in the reader's language but always links its help centre, so the link marks the family.
    rule("list-post-denied", 1999, "member post groups",
         r"not a member of|permission to post|not allowed to post|groups\.google\.com/support"),
    # Refused at MAIL FROM, before any recipient was named: it cannot be about the address.
    rule("rejected-at-mail-from", 1999, "from",
         r"(?:after|in reply to) mail from\b|\[mail_from\]"),
    # A refusal at the greeting or HELO/EHLO, before any address was sent: the server refused
    # our host. A 5xx there is one whatever the words; a 4xx only when its reply says it
    # refuses or blocks us ("421 Service refused, try later"): a bare 4xx is more often load.
    rule("rejected-at-greeting", 1999, "initial helo ehlo talk",
         r"after (?:initial connection|(?:helo|ehlo)\b[^:]*): 5\d\d\b"
         r"|refused to talk to me: 5\d\d\b"
         r"|said: 5\d\d\b[^()]*\(in reply to (?:helo|ehlo) command\)"
         r"|(?:after (?:initial connection|(?:helo|ehlo)\b[^:]*)|refused to talk to me): 4\d\d\b"
         r"[^()]{0,160}?\b(?:refuse[ds]?|denied|rejected|blocked)\b"
         r"|said: 4\d\d\b[^()]{0,160}?\b(?:refuse[ds]?|denied|rejected|blocked)\b[^()]*"
         r"\(in reply to (?:helo|ehlo) command\)"),
    # Our side asked for TLS and the receiver cannot do it: a session fault, like seed 004's
    # MTA-STS rows (4.4.8, 5.4.8), not a refusal of us.
    rule("tls-unavailable", 4999, "tls starttls",
         r"(?:does not|doesn't|did not|didn't) (?:support|offer|advertise) "
         r"(?:the )?(?:tls|starttls)"
         r"|(?:tls|starttls) (?:is )?(?:not (?:supported|available|offered|advertised))"),
    rule("spam-content", 1004, "spam ube uce junk bulk content attachment",
         r"(?:as|is|be|likely|probably|suspected|detected|scored as) (?:being )?spam\b|- spam\b"
         r"|spam (?:detected|message|content|score)|\bube\b|\buce\b|junk mail|bulk mail"
         r"|message content|content (?:rejected|not accepted|filter|policy)"
         r"|(?:illegal|blocked|prohibited|forbidden|dangerous) attachment"),
    rule("not-rfc-compliant", 1004, "rfc compliant header headers multiple",
         r"not rfc ?\d* ?compliant|rfc ?5322|multiple (?:addresses in from|\w+ headers)"
         r"|8-?bit data in (?:message )?header|header error"),
    rule("message-too-big", 4999, "size big large length limit exceeds exceeded",
         r"message (?:size |length )?(?:exceeds|too (?:big|large))|size (?:exceeds|limit)"
         r"|message length exceeds|line (?:length )?limit exceeded|(?<!file )too large"),
    # "File too large" is the mailbox file hitting its size limit (EFBIG): Postfix's local and
    # virtual delivery give it 5.2.2, as they give a disk quota.
    rule("mailbox-full", 3001, "full quota overquota storage space exceeds exceeded size large",
         r"mailbox (?:is )?full|inbox (?:is )?full|(?:over|exceeded|exceeds)(?: the)? ?quota"
         r"|quota (?:exceeded|full)|storage quota|out of storage|mailbox exceeds"
         r"|exceeds? (?:the )?(?:allowed|maximum) (?:mailbox )?size|(?:mailbox|user) full"
         r"|mailbox for user is full|not enough (?:storage|space) in|file too large"),
    rule("disabled", 3002,
         "disabled deactivated suspended inactive frozen locked discontinued closed expired",
         _ANY_PART + r"\b[^;:]{0,48}?\b(?:is |has been |was )?(?:disabled|deactivated"
         r"|suspended|inactive|frozen|locked|discontinued|closed|expired)"
         r"|(?:disabled|deactivated|suspended|inactive|frozen|locked|expired) "
         + _ANY_PART),
    rule("moved", 2004, "longer moved local our",
         r"no longer (?:on|at|with|valid|in use|exists?|available)|has moved|moved to"
         r"|not our (?:user|customer)|user not local"),
    # Exchange Online's directory-based edge blocking: the recipient is not in the directory.
    rule("exchange-directory-reject", 2001, "denied",
         r"recipient address(?:es)? rejected ?: access denied"),
    # The widest family, spread over rows with narrow gates so a text is checked against the
    # few phrasings its words allow; the rows share one name and one place in the order.
    rule("user-unknown", 2001, "unknown",
         _PART + r" (?:name )?(?:is )?unknown|unknown " + _ANY_PART + r"|unknown or illegal"),
    rule("user-unknown", 2001, "such", r"no such " + _ANY_PART),
    rule("user-unknown", 2001, "exist exists",
         _PART + r" (?:name )?(?:is )?(?:not exist|does(?: not|n't) exist)"
         r"|(?:user|recipient|mailbox) (?:does )?not exists?"
         r"|account that you tried to reach does not exist"),
    rule("user-unknown", 2001, "found recipnotfound recipientnotfound",
         _PART + r" (?:name )?(?:is )?not found|(?:couldn't|could not) be found"
         r"|recipi?e?n?t?notfound"),
    rule("user-unknown", 2001, "invalid invalide",
         r"invalid (?:recipient|mailbox|user|address)|(?:destinataire|adresse) invalide"
         r"|invalid final delivery"),
    rule("user-unknown", 2001, "known valid registered",
         _PART + r" (?:name )?(?:is )?not known"
         r"|not a (?:valid|registered|known)(?: \w+)? " + _ANY_PART),
    rule("user-unknown", 2001, "account", r"does(?: not|n't) have an? [\w.-]+ account"),
    rule("user-unknown", 2001, "correct",
         r"check (?:if|that|whether) (?:the |this )?(?:e-?mail |recipient(?:'s)? )?address"
         r"(?:es)? (?:is|are) (?:correct|spelled correctly)"),
    rule("user-unknown", 2001, "listed mailbox illegal badrcptto",
         r"not listed in|no mailbox here|illegal (?:user|alias)|badrcptto"),
    rule("bad-syntax", 2003, "syntax malformed format",
         r"(?:address|mailbox|recipient) syntax|(?:malformed|badly formatted) address"
         r"|invalid address format|syntax (?:error )?in (?:the )?(?:recipient )?address"),
    rule("no-mail-accepted", 4006, "accept receive mx",
         r"(?:does not|doesn't|not) (?:accept|receive) (?:e-?)?mail|null mx|no mx"),
    rule("domain-not-found", 2002,
         "found exist unknown such unrouteable unroutable nxdomain find illegal invalid reachable "
         "existent",
         r"(?:host|domain)(?: or domain)?(?: name)?(?: [\w.-]+)?"
         r" (?:not found|does not exist|unknown)(?!, try again)|no such domain"
         r"|unroute?able address|nxdomain|couldn't find any host"
         r"|illegal host|invalid domain|domain (?:is )?not reachable"
         r"|mx records? points? to non-?existent hosts?"
         r"|(?<![@\w.-])[\w-]+\.[\w.-]+ does not exist"),
    rule("dns-failure", 4003, "unexpected dns lookup servfail found temporary",
         r"unexpected name server reply|host not found, try again"
         r"|dns (?:error|failure|query failed)|lookup failure|servfail"
         r"|temporary (?:dns|name resolution) failure"),
)

SYMPTOMS: tuple[Rule, ...] = (
    rule("greylisting", 3003, "greylisted greylisting graylisted greylist graylist",
         r"gr[ae]ylist"),
    rule("server-busy", 4001,
         "busy unavailable available overloaded resources full disk space storage",
         r"too busy|server (?:is )?busy|service (?:currently |is )?(?:un|not )available"
         r"|overloaded|out of resources|resources temporarily unavailable|system full"
         r"|(?:insufficient|not enough) (?:system )?(?:storage|disk space)"),
    rule("routing-loop", 4999, "loop hop", r"routing loop|mail loop|hop count"),
    rule("protocol-error", 4002,
         "protocol sequence syntax command unrecognized reset lost recipients handshake",
         r"protocol (?:error|violation)|(?:improper|bad) sequence|syntax error"
         r"|command (?:not recognized|unrecognized)|invalid command|lost connection"
         r"|connection reset|too many recipients"),
    rule("connection-failed", 4003,
         "refused timed timeout route unreachable reachable establish connect socket network",
         r"connection (?:refused|timed out)|timed out|no route to host|unreachable"
         r"|not reachable|(?:unable|able|could not|couldn't) to (?:establish|connect)"
         r"|requests to connect|refused to talk|socket error|network error"),
    rule("mailer-error", 4999, "pipe mailer delivery exit",
         r"pipe to \||mailer error|local delivery (?:program|agent) (?:failed|error)"
         r"|exit (?:status|code) \d"),
    # Every temporary failure says "try later"; only when nothing more specific is named is the
    # request itself the evidence (seed 000's 3003: the server kept asking us to try later).
    rule("try-later", 3003, "later deferred temporarily",
         r"try (?:again )?later|temporarily (?:deferred|rejected)"),
    # A delay warning is a deferral: like an ESP's deferral event (docs/ARCHITECTURE.md) it is
    # classified by what it names, the status or the failure being retried ("has been delayed
    # ... did not accept our requests to connect"). Only a notice naming nothing else is
    # informational. Before expiry: a warning says the message has not expired yet.
    rule("informational-notice", 5999, "delayed warning resend action retried",
         r"(?:has been|is being) delayed|warning message only|do not need to resend"
         r"|no action is required|will be retried"),
    # Expiry wraps whatever kept failing ("connect to ...: timed out ... in the queue too
    # long"); the wrapped symptom or the status names it better, so expiry comes after them.
    rule("expired", 4004,
         "expired old long timeout retries retry attempts giving within delivered deliver",
         r"expired|too old|in the queue too long|retry timeout|could not be delivered for"
         r"|not delivered within|could not deliver for|failing for a long time|giving up"
         r"|failed \d+ attempts|multiple retries"),
    rule("policy", 1999,
         "policy policies denied authorized authorised prohibited blocked rejected refused",
         r"polic(?:y|ies)|access denied|not authori[sz]ed|prohibited|\bblocked\b"
         r"|message (?:was )?(?:rejected|refused)|service refused"),
    rule("mailbox-unavailable", 2999, "unavailable",
         r"mailbox (?:is )?unavailable"),
    rule("recipient-rejected", 2999, "rejected recipients",
         r"recipients? (?:was|were|has been|have been) rejected|no valid recipients"),
)
# fmt: on
