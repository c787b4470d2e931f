"""Basic SMTP reply codes (RFC 5321): the weakest evidence, used only when nothing better exists."""

from __future__ import annotations

_EXACT: dict[str, int] = {
    "421": 4001,  # service not available, closing channel
    "450": 3999,  # mailbox unavailable (busy, greylisted)
    "451": 4999,  # local error in processing
    "452": 3999,  # insufficient storage or too many recipients
    "500": 4002,  # syntax error, command unrecognised
    "501": 4002,  # syntax error in parameters or arguments
    "502": 4002,  # command not implemented
    "503": 4002,  # bad sequence of commands
    "504": 4002,  # command parameter not implemented
    "521": 4006,  # host does not accept mail (RFC 7504)
    "550": 2999,  # mailbox unavailable / not found: a class answer, counted, never suppressed
    "551": 2004,  # user not local
    # RFC 5321 4.5.3.1.10 gives 552 to a message too big (ours, rubric 1999); a full mailbox
    # names itself in its text or with 5.2.2, which come first.
    "552": 1999,
    "553": 2999,  # mailbox name not allowed: as often a relay or sender refusal as bad syntax
    "554": 2999,  # transaction failed: says nothing of the cause
    "556": 2002,  # domain does not accept mail (RFC 7504, null MX)
}


def lookup(reply_code: str) -> int | None:
    """Taxonomy code for a three-digit reply code; other 4xx/5xx fall back by class."""
    code = reply_code.strip()
    if len(code) != 3 or not code.isdigit():
        return None
    if code in _EXACT:
        return _EXACT[code]
    if code[0] == "5":
        return 1999
    if code[0] == "4":
        return 3999
    return None
