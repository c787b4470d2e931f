"""Bounces and complaints that arrive as mail: `POST /webhooks/email`.

One raw RFC 5322 message per request, in any of the shapes that carry one whole:

- `message/rfc822`: the message itself (an MTA's pipe or an in-house relay);
- `multipart/form-data` or `application/x-www-form-urlencoded` with the field `email`
  (SendGrid Inbound Parse with "POST the raw, full MIME message") or `body-mime` (a Mailgun
  route forwarding to a URL ending in `mime`);
- an SNS envelope (`text/plain` or JSON) holding an SES receipt-rule notification
  (`notificationType` `Received`, the message in `content`, UTF-8 or BASE64 by the action's
  encoding).

The first three carry `BOUNCEKEEPER_EMAIL_SECRET` as a Bearer token, the basic-auth password
or the key of an `X-Bouncekeeper-Signature` (the generic webhook's scheme); SNS envelopes are
verified as /webhooks/ses verifies them (SNS's signature, a topic of
`BOUNCEKEEPER_SES_TOPIC_ARNS`, each SNS MessageId once).

The web parses the message once (app.mail) to hold it to the size and MIME limits (413 / 400
naming the setting) and to answer a message that is no bounce with 200 and why; the raw
message crosses the broker (base64) and the worker parses it again into events. The events'
dedup id is the bounce message's own Message-ID (a digest of the raw bytes when it has none)
with the recipient and the kind, so the same message taken in twice, by any way in, is
applied once.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

from app.config import ENV_NAMES, Settings
from app.credentials import shared_secret_ok
from app.events import BounceEvent
from app.mail import MailLimits, MailRejected, MailReport, MessageTooLarge, parse_message, to_events
from app.providers import generic, ses
from app.providers.base import (
    SHARED_SECRET_CHALLENGE,
    Accepted,
    RejectedError,
    Reply,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    Verified,
    WebhookRequest,
    json_body,
    off_unless,
)

NAME = "email"
log = logging.getLogger("bouncekeeper.providers.email")

RAW_TYPES = frozenset({"message/rfc822"})
FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
SNS_TYPES = frozenset({"text/plain", "application/json"})
FORM_FIELDS = ("email", "body-mime")  # SendGrid Inbound Parse (raw), Mailgun route (mime)
# A form or an SNS envelope carries the message encoded (base64, JSON escapes, form encoding):
# its body may be this many times the message's limit, plus FORM_ALLOWANCE_BYTES.
ENCODED_FACTOR = 2
FORM_ALLOWANCE_BYTES = 1_048_576


class TooLargeError(RejectedError):
    status = 413


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "email_secret")


def body_limit(settings: Settings) -> tuple[int, str]:
    """The largest request body: a raw message at most BOUNCEKEEPER_MAIL_MAX_BYTES, encoded
    in a form or an SNS envelope at most twice that and 1 MiB (the message inside is held to
    the limit itself once decoded)."""
    return (
        settings.mail_max_bytes * ENCODED_FACTOR + FORM_ALLOWANCE_BYTES,
        "BOUNCEKEEPER_MAIL_MAX_BYTES",
    )


def limits(settings: Settings) -> MailLimits:
    return MailLimits(
        max_bytes=settings.mail_max_bytes,
        max_depth=settings.mail_max_depth,
        max_parts=settings.mail_max_parts,
    )


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """SNS envelopes by SNS's signature; every other shape by the secret: Bearer, basic-auth
    password, or the key of X-Bouncekeeper-Signature (then a nonce, accepted once)."""
    if request.mimetype in SNS_TYPES:
        if not ses.topics(settings):
            raise UnauthorizedError(
                "an SNS notification needs its topic in BOUNCEKEEPER_SES_TOPIC_ARNS, which is empty"
            )
        return ses.verify(request, settings)
    if shared_secret_ok(request.header("Authorization"), settings.email_secret):
        return Verified()
    if request.header(generic.HEADER):
        return generic.verify_signature(request, settings.email_secret, "BOUNCEKEEPER_EMAIL_SECRET")
    raise UnauthorizedError(
        "missing or wrong credentials: send BOUNCEKEEPER_EMAIL_SECRET as a Bearer token, as "
        f"the basic-auth password, or sign the body with it in {generic.HEADER}",
        headers=SHARED_SECRET_CHALLENGE,
    )


def load(request: WebhookRequest, settings: Settings) -> Accepted | Reply:
    """The raw message out of whichever shape carried it, then `accept`."""
    if request.mimetype in RAW_TYPES:
        raw = request.body
    elif request.mimetype in FORM_TYPES:
        raw = _from_form(request)
    elif request.mimetype in SNS_TYPES:
        envelope = ses.sns_envelope(request)
        reply = ses.handshake(envelope, settings)
        if reply is not None:
            return reply
        found = _from_ses(envelope)
        if isinstance(found, Reply):
            return found
        raw = found
    else:
        raise UnsupportedMediaTypeError(
            "Content-Type must be message/rfc822 (the raw message), multipart/form-data or "
            "application/x-www-form-urlencoded (field `email` or `body-mime`), or text/plain "
            f"(an SNS notification), not {request.mimetype!r}"
        )
    return accept(raw, settings, request.received_at_ms)


def accept(
    raw: bytes, settings: Settings, received_at_ms: int, way: str = "webhook"
) -> Accepted | Reply:
    """Parse the message as the worker will: over a limit is refused (413 for its size, 400
    for its MIME structure, naming the setting), a message that is no bounce is answered 200
    with why and logged, anything else is queued raw; each message is counted by `way` and
    kind (bouncekeeper_mail_messages_total). Shared by the webhook and the mailbox poller
    (app/mailbox_poll.py)."""
    # Imported here: the `app` package imports the providers, and prometheus-client must not
    # be loaded before gunicorn's settings name its multiprocess directory (tests/unit/test_layout).
    from app import metrics

    try:
        if len(raw) > settings.mail_max_bytes:
            raise TooLargeError(
                f"the message is {len(raw)} bytes, over BOUNCEKEEPER_MAIL_MAX_BYTES "
                f"({settings.mail_max_bytes}): nothing was accepted"
            )
        report = report_of(raw, settings)
    except RejectedError:
        metrics.observe_mail(way, "refused")
        raise
    metrics.observe_mail(way, str(report.kind))
    payload = {
        "raw": base64.b64encode(raw).decode("ascii"),
        "verp": settings.mail_verp,
        "limits": [settings.mail_max_bytes, settings.mail_max_depth, settings.mail_max_parts],
    }
    found = to_events(report, received_at_ms)
    if not found:
        why = report.reason or f"a {report.kind} message carries nothing to apply"
        log.info("email message %s ignored: %s", report.source_id or "(no Message-ID)", why)
        return Reply(200, {"accepted": 0, "kind": str(report.kind), "ignored": why})
    return Accepted(payload, len(found))


def report_of(raw: bytes, settings: Settings) -> MailReport:
    """The parsed message, or the limit it broke as a 413 (size) or 400 (MIME structure),
    named by its setting."""
    try:
        return parse_message(raw, verp=settings.mail_verp or None, limits=limits(settings))
    except MessageTooLarge as exc:
        raise TooLargeError(f"{_named(exc)}: nothing was accepted") from None
    except MailRejected as exc:
        raise RejectedError(f"{_named(exc)}: nothing was accepted") from None


def _named(exc: MailRejected) -> str:
    """app.mail names a limit by its MailLimits field: name the setting instead."""
    text = str(exc)
    for name in ("max_bytes", "max_depth", "max_parts"):
        text = text.replace(f"({name})", f"({ENV_NAMES['mail_' + name]})")
    return text


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """The worker's half: the same message parsed with the limits and VERP template the web
    accepted it under."""
    raw = base64.b64decode(payload["raw"], validate=True)
    max_bytes, max_depth, max_parts = payload["limits"]
    report = parse_message(
        raw,
        verp=payload.get("verp") or None,
        limits=MailLimits(max_bytes=max_bytes, max_depth=max_depth, max_parts=max_parts),
    )
    found = to_events(report, received_at_ms)
    if not found:
        log.info("email message %s ignored: %s", report.source_id or "(no Message-ID)",
                 report.reason or report.kind)  # fmt: skip
    return found


def _from_form(request: WebhookRequest) -> bytes:
    """SendGrid's `email` or Mailgun's `body-mime` field (a text field, or a file part)."""
    mimetype, options = parse_options_header(request.header("Content-Type"))
    if mimetype == "multipart/form-data" and not options.get("boundary"):
        raise RejectedError("multipart/form-data body without a boundary in its Content-Type")
    body = request.body
    parser = FormDataParser(max_form_memory_size=len(body) + 1, max_content_length=len(body) + 1)
    _, form, files = parser.parse(io.BytesIO(body), mimetype, len(body), options)
    for name in FORM_FIELDS:
        if name in files:
            return files[name].read()
        value = MultiDict(form).get(name)
        if value:
            return value.encode("utf-8")
    raise RejectedError(
        "no raw message in the form: expected the field `email` (SendGrid Inbound Parse with "
        "'POST the raw, full MIME message') or `body-mime` (a Mailgun route to a URL ending "
        "in mime)",
        {"email": ["missing"]},
    )


def _from_ses(envelope: dict[str, Any]) -> bytes | Reply:
    """The message of an SES receipt-rule notification; any other SES notification on the
    topic is answered 200 and not queued."""
    notice = json_body(str(envelope.get("Message", "")).encode())
    kind = notice.get("notificationType") or notice.get("eventType")
    if kind != "Received":
        return Reply(200, {"accepted": 0, "ignored": f"SES {kind!r} notification, not Received"})
    content = notice.get("content")
    if not isinstance(content, str):
        raise RejectedError(
            "SES Received notification without `content`: the receipt rule's action must be "
            "an SNS action (other actions send no message)",
            {"Message.content": ["missing"]},
        )
    receipt = notice.get("receipt")
    action = receipt.get("action") if isinstance(receipt, dict) else None
    encoding = action.get("encoding", "UTF8") if isinstance(action, dict) else "UTF8"
    if str(encoding).replace("-", "").upper() != "BASE64":
        return content.encode("utf-8")
    try:
        return base64.b64decode(content, validate=True)
    except binascii.Error:
        raise RejectedError(
            "SES content is not valid base64 though the action's encoding is BASE64",
            {"Message.content": ["not base64"]},
        ) from None
