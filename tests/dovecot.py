"""A real Dovecot IMAP server for a test: Debian's dovecot-imapd on free loopback ports (IMAP,
and IMAPS with a self-signed certificate), one passwd-file user, maildirs in a directory of
its own, stopped on exit."""

from __future__ import annotations

import imaplib
import ipaddress
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "bounces", "mailbox-secret"

needs_dovecot = pytest.mark.skipif(
    not DOVECOT.exists(),
    reason="Dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)",
)


@dataclass(frozen=True)
class Dovecot:
    port: int
    root: Path
    tls_port: int = 0  # IMAPS with a self-signed certificate for 127.0.0.1 (`certificate`)

    def url(self, mailbox: str = "INBOX") -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{mailbox}"

    def tls_url(self, mailbox: str = "INBOX") -> str:
        return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.tls_port}/{mailbox}"

    @property
    def certificate(self) -> Path:
        return self.root / "cert.pem"

    @contextmanager
    def session(self, mailbox: str = "INBOX") -> Iterator[imaplib.IMAP4]:
        """A client session of the test's own, to put messages in and look at flags."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        client.select(f'"{mailbox}"')
        try:
            yield client
        finally:
            client.logout()

    def append(self, raw: bytes, mailbox: str = "INBOX") -> None:
        with self.session(mailbox) as client:
            status, data = client.append(f'"{mailbox}"', None, None, raw)
            assert status == "OK", data

    def flags(self, mailbox: str = "INBOX") -> list[set[str]]:
        """Each message's flags, in UID order."""
        with self.session(mailbox) as client:
            status, data = client.uid("FETCH", "1:*", "(UID FLAGS)")
            assert status == "OK", data
        found = []
        for line in data:
            if not line:
                continue
            match = re.search(r"FLAGS \(([^)]*)\)", line.decode())
            assert match, line
            found.append(set(match.group(1).split()) - {"\\Recent"})
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _identities() -> tuple[str, str, int, int]:
    """Who Dovecot's own processes and the mail user run as: Dovecot's accounts and `nobody`
    under root (Dovecot refuses uid 0 for mail), the current user otherwise."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return "dovecot", "dovenull", nobody.pw_uid, nobody.pw_gid
    me = pwd.getpwuid(os.geteuid()).pw_name
    return me, me, os.geteuid(), os.getegid()


def _self_signed(root: Path) -> None:
    """cert.pem and key.pem: a certificate for 127.0.0.1 that no CA signed."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (root / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@contextmanager
def running_dovecot(mailboxes: tuple[str, ...] = ()) -> Iterator[Dovecot]:
    """Dovecot in the foreground as our child, IMAP and IMAPS (a self-signed certificate) on
    loopback; `mailboxes` are created besides INBOX."""
    root = Path(tempfile.mkdtemp(prefix="bk-dovecot-"))
    root.chmod(0o755)  # Dovecot's unprivileged processes reach their sockets and maildirs
    internal, login, uid, gid = _identities()
    mail = root / "mail"
    mail.mkdir()
    os.chown(mail, uid, gid)
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port, tls_port = _free_port(), _free_port()
    _self_signed(root)
    config = root / "dovecot.conf"
    config.write_text(
        f"""base_dir = {root}/run
state_dir = {root}/state
instance_name = bk-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {login}
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
"""
    )
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(config)])
    try:
        _wait_until_up(port, process, root)
        server = Dovecot(port, root, tls_port)
        with server.session() as client:
            for name in mailboxes:
                client.create(f'"{name}"')
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_up(port: int, process: subprocess.Popen, root: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log = root / "dovecot.log"
            text = log.read_text() if log.exists() else "(no log)"
            pytest.fail(f"Dovecot did not start: {text[-2000:]}")
        time.sleep(0.05)
