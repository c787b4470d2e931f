"""Basic SMTP reply codes (RFC 5321): the weakest evidence, used only when nothing better exists."""

from __future__ import annotations

_EXACT: dict[str, int] = {
    "421": 4001,  # service not available, closing channel
    "450": 3999,  # mailbox unavailable (busy, greylisted)
    "451": 4999,  # local error in processing
    "452": 3999,  # insufficient storage or too many recipients
    "550": 2999,  # mailbox unavailable / not found
    "551": 2004,  # user not local
    "552": 3001,  # exceeded storage allocation
    "553": 2003,  # mailbox name not allowed
    "554": 1999,  # transaction failed: usually policy
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
