"""A bounce mailbox over IMAP (stdlib imaplib): list what is not yet taken in, fetch a
message whole without marking it read, and mark it taken in or refused.

A message leaves the mailbox only once it is queued (or carried nothing to queue). Taken in
means flagged `\\Seen` and `$Bouncekeeper`, or moved to another mailbox
(BOUNCEKEEPER_IMAP_MOVE_TO; MOVE where the server has it, else COPY, then `\\Deleted` and UID
EXPUNGE of that message alone); refused (over a limit) means flagged `\\Flagged` and
`$BouncekeeperRejected`, left for a person. The keywords, not `\\Seen`, say what bouncekeeper
has done: a person reading the mailbox does not hide a message from it.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import unquote, urlsplit

DONE_KEYWORD = "$Bouncekeeper"
REJECTED_KEYWORD = "$BouncekeeperRejected"
TIMEOUT_S = 30.0
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


class MailboxError(Exception):
    """The server refused a command or is unreachable; the message names which."""


@dataclass(frozen=True)
class MailboxAddress:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    mailbox: str

    @classmethod
    def from_url(cls, url: str) -> MailboxAddress:
        """`imaps://user:password@host[:port]/Mailbox` (percent-encoded parts; INBOX when no
        mailbox is named). app.config has checked the shape."""
        parts = urlsplit(url)
        tls = parts.scheme == "imaps"
        return cls(
            host=parts.hostname or "",
            port=parts.port or (993 if tls else 143),
            tls=tls,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
        )

    def shown(self) -> str:
        """The address without its password, for logs."""
        scheme = "imaps" if self.tls else "imap"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.mailbox}"


class Mailbox:
    """One session on the mailbox, as a context manager: logged in and the mailbox selected
    on entry, logged out on exit."""

    def __init__(self, address: MailboxAddress, move_to: str = "", timeout_s: float = TIMEOUT_S):
        self.address = address
        self.move_to = move_to
        self.timeout_s = timeout_s
        self._imap: imaplib.IMAP4 | None = None

    def __enter__(self) -> Mailbox:
        a = self.address
        try:
            if a.tls:
                # imaplib's own default context verifies nothing: a man in the middle would
                # get the password. The system's CAs (or SSL_CERT_FILE) and the host name.
                self._imap = imaplib.IMAP4_SSL(
                    a.host, a.port, ssl_context=ssl.create_default_context(), timeout=self.timeout_s
                )
            else:
                self._imap = imaplib.IMAP4(a.host, a.port, timeout=self.timeout_s)
            self._imap.login(a.user, a.password)
            self._ok(self._imap.select(_quoted(a.mailbox)), f"SELECT {a.mailbox}")
        except (imaplib.IMAP4.error, OSError, MailboxError) as exc:
            self._close()
            raise MailboxError(f"{a.shown()}: {exc}") from exc
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()

    def pending(self, limit: int) -> list[tuple[int, int]]:
        """(uid, size in bytes) of the first `limit` messages neither taken in nor refused,
        oldest first."""
        found = self._uid("SEARCH", None, "UNKEYWORD", DONE_KEYWORD, "UNKEYWORD", REJECTED_KEYWORD)
        uids = sorted(int(n) for n in b" ".join(x for x in found if x).split())[:limit]
        if not uids:
            return []
        sizes: dict[int, int] = {}
        for item in self._uid("FETCH", _set(uids), "(UID RFC822.SIZE)"):
            line = item[0] if isinstance(item, tuple) else item
            match = _SIZE.search(line or b"")
            if match:
                uid, size = (
                    (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
                )
                sizes[int(uid)] = int(size)
        return [(uid, sizes[uid]) for uid in sorted(sizes)]

    def fetch(self, uid: int) -> bytes:
        """The whole message, leaving its flags as they are (BODY.PEEK)."""
        for item in self._uid("FETCH", str(uid), "(BODY.PEEK[])"):
            if isinstance(item, tuple):
                return item[1]
        raise MailboxError(f"UID {uid} vanished before it was fetched")

    def taken_in(self, uid: int) -> None:
        """Mark a message whose events are queued (or that carried none): flagged, or moved."""
        self._uid("STORE", str(uid), "+FLAGS.SILENT", rf"(\Seen {DONE_KEYWORD})")
        if not self.move_to:
            return
        if b"MOVE" in self._capabilities():
            self._uid("MOVE", str(uid), _quoted(self.move_to))
            return
        self._uid("COPY", str(uid), _quoted(self.move_to))
        self._uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
        self._uid("EXPUNGE", str(uid))

    def refused(self, uid: int) -> None:
        """Mark a message over a limit, for a person to look at; it is not fetched again."""
        self._uid("STORE", str(uid), "+FLAGS.SILENT", rf"(\Flagged {REJECTED_KEYWORD})")

    def _capabilities(self) -> bytes:
        assert self._imap is not None
        return b" ".join(c.encode() if isinstance(c, str) else c for c in self._imap.capabilities)

    def _uid(self, command: str, *args: str | None) -> list:
        assert self._imap is not None, "use Mailbox as a context manager"
        try:
            return self._ok(self._imap.uid(command, *args), f"UID {command}")
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailboxError(f"{self.address.shown()}: UID {command}: {exc}") from exc

    @staticmethod
    def _ok(reply: tuple[str, list], what: str) -> list:
        status, data = reply
        if status != "OK":
            raise MailboxError(f"{what} answered {status}: {data!r}")
        return data

    def _close(self) -> None:
        imap, self._imap = self._imap, None
        if imap is None:
            return
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            imap.shutdown()


def _quoted(mailbox: str) -> str:
    """A mailbox name as an IMAP quoted string (imaplib sends arguments as they are)."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)
