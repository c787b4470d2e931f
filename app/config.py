"""Configuration: the only module that reads the environment.

Every setting is a `BOUNCEKEEPER_*` variable (plus the conventional `REDIS_URL`); a test checks
the README's table against `Settings`, so code and docs cannot drift apart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from app.mail.verp import TemplateError, pattern
from app.redis_urls import SENTINEL_SCHEMES, is_sentinel, parse_sentinel

REDIS_URL_SCHEMES = (
    "redis://",
    "rediss://",
    "unix://",
    *(f"{s}://" for s in SENTINEL_SCHEMES),
    "redis+cluster://",
    "rediss+cluster://",
)


class ConfigError(ValueError):
    """A setting is present but unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    redis_url: str = "redis://127.0.0.1:6379/0"
    broker_url: str = ""  # empty: the same server as redis_url
    shards: int = 1  # virtual shards of the state (app/store/shards.py); fixed at first use
    zeptomail_secret: str = ""
    zeptomail_signing_key: str = ""
    webhook_max_age_seconds: int = 300
    sendgrid_public_key: str = ""
    ses_topic_arns: str = ""
    sns_cert_url_pattern: str = r"^https://sns\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?/"
    sns_max_age_seconds: int = 3600
    mailgun_signing_key: str = ""
    postmark_secret: str = ""
    sparkpost_secret: str = ""
    brevo_secret: str = ""
    mailjet_secret: str = ""
    generic_secret: str = ""
    kumomta_secret: str = ""
    postal_public_key: str = ""
    email_secret: str = ""
    mail_max_bytes: int = 10_485_760
    mail_max_parts: int = 500
    mail_max_depth: int = 20
    mail_verp: str = ""
    imap_url: str = ""
    imap_poll_seconds: float = 60.0
    imap_move_to: str = ""
    api_token: str = ""
    api_admin_tokens: str = ""
    api_read_tokens: str = ""
    max_import_bytes: int = 1_073_741_824
    max_body_bytes: int = 1_048_576
    key_prefix: str = "bk"
    dedup_ttl_seconds: int = 259_200
    event_max_ahead_seconds: int = 900
    broker_timeout_seconds: float = 2.0
    heartbeat_max_age_seconds: int = 120
    max_clock_skew_seconds: float = 60.0
    visibility_timeout_seconds: int = 300
    log_level: str = "INFO"
    metrics_port: int = 0
    rules: str = ""
    sinks: str = ""
    sync_interval: float = 60.0
    sync_lease_seconds: int = 120
    sync_backoff_max_seconds: float = 300.0
    # BOUNCEKEEPER_SINK_<NAME>_<SETTING> for each name in `sinks`: open-ended, so not a field
    # of its own per variable; app.sinks.build checks them.
    sink_options: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)

    @property
    def effective_broker_url(self) -> str:
        return self.broker_url or self.redis_url

    @property
    def admin_tokens(self) -> tuple[str, ...]:
        """`api_token` (kept for existing deployments) plus the comma list of admin tokens."""
        return _token_list(f"{self.api_token},{self.api_admin_tokens}")

    @property
    def read_tokens(self) -> tuple[str, ...]:
        return _token_list(self.api_read_tokens)

    @property
    def sink_names(self) -> list[str]:
        """The configured sinks, lower-cased, in the order given."""
        return [name.strip().lower() for name in self.sinks.split(",") if name.strip()]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then the environment, then explicit overrides (tests use those)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            name = ENV_NAMES.get(spec.name, "")
            if name in env:
                values[spec.name] = _convert(name, env[name], spec.default)
        values["sink_options"] = _sink_options(env, values.get("sinks", ""))
        values.update(overrides)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.max_body_bytes < 1024:
            raise ConfigError("BOUNCEKEEPER_MAX_BODY_BYTES must be at least 1024")
        if self.dedup_ttl_seconds < 172_800:
            raise ConfigError(
                "BOUNCEKEEPER_DEDUP_TTL_SECONDS must be at least 172800 (48 h): ESPs retry "
                "webhooks for up to a day"
            )
        if self.event_max_ahead_seconds < 0:
            raise ConfigError("BOUNCEKEEPER_EVENT_MAX_AHEAD_SECONDS must be 0 or more")
        if self.heartbeat_max_age_seconds < 60:
            raise ConfigError(
                "BOUNCEKEEPER_HEARTBEAT_MAX_AGE_SECONDS must be at least 60 (beat sends one "
                "every 30 s)"
            )
        if not 0 <= self.metrics_port <= 65535:
            raise ConfigError("BOUNCEKEEPER_METRICS_PORT must be a port number (0: none)")
        if self.max_clock_skew_seconds <= 0:
            raise ConfigError("BOUNCEKEEPER_MAX_CLOCK_SKEW_SECONDS must be above 0")
        for name in ("webhook_max_age_seconds", "sns_max_age_seconds"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{ENV_NAMES[name]} must be at least 1")
        try:
            re.compile(self.sns_cert_url_pattern)
        except re.error as exc:
            raise ConfigError(
                f"BOUNCEKEEPER_SNS_CERT_URL_PATTERN is not a regular expression: {exc}"
            ) from None
        for name, url in (("redis_url", self.redis_url), ("broker_url", self.broker_url)):
            if is_sentinel(url):
                try:
                    parse_sentinel(url)
                except ValueError as exc:
                    raise ConfigError(f"{ENV_NAMES[name]} {exc}") from None
        if not self.redis_url.startswith(REDIS_URL_SCHEMES):
            raise ConfigError(
                "REDIS_URL must be a redis://, rediss://, unix://, redis+sentinel://, "
                "rediss+sentinel://, redis+cluster:// or rediss+cluster:// URL"
            )
        from app.store.shards import MAX_SHARDS

        if not 1 <= self.shards <= MAX_SHARDS:
            raise ConfigError(f"BOUNCEKEEPER_SHARDS must be between 1 and {MAX_SHARDS}")
        if self.redis_url.startswith(("redis+cluster://", "rediss+cluster://")):
            self._validate_cluster()
        if self.broker_url.startswith(("redis+cluster://", "rediss+cluster://")):
            raise ConfigError(
                "BOUNCEKEEPER_BROKER_URL cannot be a Redis Cluster (kombu's Redis transport has "
                "no Cluster support): use a plain Redis (redis://) or RabbitMQ (amqp://)"
            )
        if self.sinks and not 1 <= self.sync_interval < self.visibility_timeout_seconds:
            raise ConfigError(
                "BOUNCEKEEPER_SYNC_INTERVAL must be at least 1 and below "
                "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS (a retry is scheduled within it)"
            )
        if self.mail_max_bytes < 1024:
            raise ConfigError("BOUNCEKEEPER_MAIL_MAX_BYTES must be at least 1024")
        for name in ("mail_max_parts", "mail_max_depth"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{ENV_NAMES[name]} must be at least 1")
        if self.mail_verp:
            try:
                pattern(self.mail_verp)
            except TemplateError:
                raise ConfigError(
                    "BOUNCEKEEPER_MAIL_VERP must hold {local} and {domain} once each, e.g. "
                    "bounces+{local}={domain}@example.com"
                ) from None
        if self.imap_url:
            _check_imap_url(self.imap_url)
            if not 1 <= self.imap_poll_seconds < self.visibility_timeout_seconds:
                raise ConfigError(
                    "BOUNCEKEEPER_IMAP_POLL_SECONDS must be at least 1 and below "
                    "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS"
                )
        if self.sync_lease_seconds < 2:
            raise ConfigError("BOUNCEKEEPER_SYNC_LEASE_SECONDS must be at least 2")
        if self.sync_backoff_max_seconds < 1:
            raise ConfigError("BOUNCEKEEPER_SYNC_BACKOFF_MAX_SECONDS must be at least 1")
        for name in self.sink_names:
            if not name.replace("_", "").isalnum():
                raise ConfigError(f"BOUNCEKEEPER_SINKS: {name!r} is not a letters/digits name")
            if name == "status":
                raise ConfigError(
                    "BOUNCEKEEPER_SINKS: 'status' is reserved (`bouncekeeper sync status`)"
                )

    def _validate_cluster(self) -> None:
        """State on a Redis Cluster needs its keys spread by shard and a broker of its own."""
        from app.store.connect import cluster_nodes

        try:
            cluster_nodes(self.redis_url)
        except ValueError as exc:
            raise ConfigError(f"REDIS_URL: {exc}") from None
        if self.shards < 2:
            raise ConfigError(
                "REDIS_URL is a Redis Cluster: set BOUNCEKEEPER_SHARDS to 2 or more (e.g. 64), "
                "so the state spreads over the cluster's masters"
            )
        if not self.broker_url:
            raise ConfigError(
                "REDIS_URL is a Redis Cluster, which cannot be the Celery broker: set "
                "BOUNCEKEEPER_BROKER_URL to a plain Redis (redis://) or RabbitMQ (amqp://)"
            )


def _check_imap_url(url: str) -> None:
    """imaps://user:password@host[:port]/Mailbox (imap:// only for a server on loopback)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ConfigError("BOUNCEKEEPER_IMAP_URL must be imaps://user:password@host[:port]/Mailbox")
    if not parts.username or parts.password is None:
        raise ConfigError(
            "BOUNCEKEEPER_IMAP_URL needs the user and password: imaps://user:password@…"
        )
    if parts.scheme == "imap" and parts.hostname not in ("127.0.0.1", "::1", "localhost"):
        raise ConfigError(
            "BOUNCEKEEPER_IMAP_URL: imap:// (no TLS) is only for a server on loopback; use imaps://"
        )


def _sink_options(env: Mapping[str, str], sinks: str) -> dict[str, dict[str, str]]:
    """BOUNCEKEEPER_SINK_CRM_URL=… becomes {"crm": {"url": "…"}} for each configured sink."""
    options: dict[str, dict[str, str]] = {}
    for name in (n.strip().lower() for n in sinks.split(",") if n.strip()):
        prefix = f"BOUNCEKEEPER_SINK_{name.upper()}_"
        options[name] = {
            key[len(prefix) :].lower(): value
            for key, value in env.items()
            if key.startswith(prefix)
        }
    return options


def _token_list(raw: str) -> tuple[str, ...]:
    return tuple(token.strip() for token in raw.split(",") if token.strip())


def _convert(name: str, raw: str, default: Any) -> Any:
    kind = type(default)
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from None


ENV_NAMES: dict[str, str] = {
    spec.name: "REDIS_URL" if spec.name == "redis_url" else f"BOUNCEKEEPER_{spec.name.upper()}"
    for spec in fields(Settings)
    if spec.name != "sink_options"
}

DESCRIPTIONS: dict[str, str] = {
    "redis_url": "Redis for state (suppressions, soft scores, change log). Use AOF in "
    "production. Under Sentinel: "
    "`redis+sentinel://[user:password@]host:port[,host:port…]/<master name>[/<db>]` "
    "(`rediss+sentinel://` for TLS); the password is the master's, the sentinels are asked "
    "without one. A Redis Cluster: `redis+cluster://[user:password@]host:port[,host:port…]` "
    "(any seed nodes; `rediss+cluster://` for TLS), with BOUNCEKEEPER_SHARDS and "
    "BOUNCEKEEPER_BROKER_URL set.",
    "shards": "Virtual shards the state is spread over (a stable hash of each address), "
    "fixed when state is first written with it and recorded in Redis; another count is "
    "refused at start. 1 keeps the unsharded key names; a Redis Cluster needs 2 or more "
    "(docs/OPERATIONS.md, State on Redis Cluster).",
    "broker_url": "Celery broker; empty means the same server as `REDIS_URL`. A `redis://` or "
    "`rediss://` URL, a Sentinel URL in `REDIS_URL`'s form, or RabbitMQ as "
    "`amqp://user:pass@host:5672/<vhost>` (quorum queues, publisher confirms, dead-lettering: "
    "docs/OPERATIONS.md, RabbitMQ as the broker).",
    "zeptomail_secret": "Shared secret ZeptoMail sends as `Authorization: Bearer …` or as the "
    "basic-auth password. Empty, with no signing key either: the ZeptoMail webhook is off (404).",
    "zeptomail_signing_key": "ZeptoMail's webhook authentication key: requests signed with it "
    "in the `producer-signature` header are accepted. Either this or the shared secret turns "
    "the ZeptoMail webhook on; with both set, either credential is accepted.",
    "webhook_max_age_seconds": "Replay window of signed webhooks (ZeptoMail `producer-signature`, "
    "SendGrid): a signature dated further from now, either way, is refused with 401.",
    "sendgrid_public_key": "SendGrid's Signed Event Webhook verification key (base64 DER, as "
    "SendGrid shows it, or PEM). Empty or not a P-256 key: the SendGrid webhook is off (404).",
    "ses_topic_arns": "Comma-separated ARNs of the SNS topics SES publishes to. Empty: the SES "
    "webhook is off (404); a message from any other topic is refused (401) and never confirmed.",
    "sns_cert_url_pattern": "Regular expression an SNS `SigningCertURL` and `SubscribeURL` must "
    "match before bouncekeeper fetches them; the default admits only SNS's own regional HTTPS "
    "hosts (`sns.<region>.amazonaws.com`). A certificate must also be a "
    "`/SimpleNotificationService-<id>.pem` file.",
    "sns_max_age_seconds": "Oldest SNS message accepted, by its `Timestamp`: each retry carries "
    "the original signature. SNS's default policy retries 3 times, 20 s apart (about a minute); "
    "a subscription's delivery policy can stretch that to at most an hour (3,600 s).",
    "mailgun_signing_key": "Mailgun's HTTP webhook signing key (Sending → Webhooks). Empty: the "
    "Mailgun webhook is off (404).",
    "postmark_secret": "Shared secret Postmark sends as the basic-auth password of the webhook "
    "URL (or as `Authorization: Bearer …`). Empty: the Postmark webhook is off (404).",
    "sparkpost_secret": "Shared secret SparkPost sends as the webhook's basic-auth password (or as "
    "an OAuth `Authorization: Bearer …`). Empty: the SparkPost webhook is off (404).",
    "brevo_secret": "Shared secret Brevo sends as the basic-auth password in the webhook URL or "
    "as the webhook's bearer token. Empty: the Brevo webhook is off (404).",
    "mailjet_secret": "Shared secret Mailjet sends as the basic-auth password in the event URL. "
    "Empty: the Mailjet webhook is off (404).",
    "kumomta_secret": "Shared secret KumoMTA's log hook sends as `Authorization: Bearer …` "
    "(`request:bearer_auth`) or as the basic-auth password (`request:basic_auth`). Empty: the "
    "KumoMTA webhook is off (404).",
    "postal_public_key": "Postal's webhook signing public key: the `p=` value Postal shows "
    "(base64 DER) or its PEM; `X-Postal-Signature-256` or `X-Postal-Signature` is verified "
    "with it. Empty or not an RSA key: the Postal webhook is off (404).",
    "email_secret": "Turns on `POST /webhooks/email` (raw bounce and complaint messages, and the "
    "inbound-parse services' posts of them): the secret as `Authorization: Bearer …`, as the "
    "basic-auth password, or as the key of an `X-Bouncekeeper-Signature` over the raw body (as "
    "the generic webhook). Empty: the email webhook is off (404).",
    "mail_max_bytes": "Largest raw message taken in (webhook, mailbox, `ingest-mail`); larger "
    "gets 413 (the mailbox poller marks it refused). A form or SNS post may be twice this "
    "plus 1 MiB, as it carries the message encoded.",
    "mail_max_parts": "Most MIME parts one message may have; more gets 400 (a MIME bomb).",
    "mail_max_depth": "Deepest nesting of MIME parts one message may have; deeper gets 400.",
    "mail_verp": "Return-path template of your VERP addresses, e.g. "
    "`bounces+{local}={domain}@example.com`, to recover a bounce's recipient exactly from the "
    "address it came back to. Empty: no VERP.",
    "imap_url": "A bounce mailbox to poll, `imaps://user:password@host[:port]/Mailbox` "
    "(percent-encode `@`, `:` and `/` in the user and password; `imap://` only on loopback; "
    "the server's certificate is verified against the system's CAs, or the file named by "
    "`SSL_CERT_FILE`). Beat polls it every `BOUNCEKEEPER_IMAP_POLL_SECONDS`. Empty: no polling.",
    "imap_poll_seconds": "Seconds between polls of the IMAP mailbox.",
    "imap_move_to": "Mailbox to move each message to once it is queued. Empty: it stays, "
    "flagged `\\Seen` and `$Bouncekeeper` (or `\\Flagged` and `$BouncekeeperRejected` when "
    "refused).",
    "generic_secret": "HMAC-SHA256 key of the generic webhook's `X-Bouncekeeper-Signature`. "
    "Empty: the generic webhook is off (404).",
    "api_token": "Bearer token with the admin scope for `/api/v1/*` (read and write). With no "
    "token at all (this and the two lists below empty) the admin API is off (403).",
    "api_admin_tokens": "More admin-scope bearer tokens, comma-separated (e.g. one per "
    "operator or during a rotation).",
    "api_read_tokens": "Read-scope bearer tokens, comma-separated: every `GET` of the admin API; "
    "writes answer 403.",
    "max_import_bytes": "Largest body `POST /api/v1/suppressions/import` accepts: a larger one "
    "gets 413 before any row is imported (the body is read whole first, into a temporary file "
    "past 8 MiB).",
    "max_body_bytes": "Largest webhook body accepted; larger gets 413, chunked ones too.",
    "key_prefix": "Prefix of every Redis key bouncekeeper writes.",
    "dedup_ttl_seconds": "How long an event id is remembered for dedup (at least 48 h).",
    "event_max_ahead_seconds": "How far ahead of its arrival an event's reported time is "
    "believed (clock skew between the ESP and us). An event dated further ahead, or before "
    "2000, is dated by its arrival instead and marked so (docs/OPERATIONS.md, Event times).",
    "broker_timeout_seconds": "How long the web waits for the broker before answering 503.",
    "heartbeat_max_age_seconds": "`/readyz` is not ready when the last worker heartbeat (beat "
    "schedules one every 30 s) is older than this, or when none was ever recorded this long "
    "after the web started (docs/OPERATIONS.md, Health checks).",
    "max_clock_skew_seconds": "`/readyz` is not ready when the web's clock, or the clock of the "
    "worker that sent the last heartbeat, is further than this from the state Redis's clock "
    "(`TIME`).",
    "visibility_timeout_seconds": "After this long, a task whose worker died is redelivered; "
    "within it, a message a lost worker host had taken but not yet recorded is put back by any "
    "running worker.",
    "log_level": "Python log level of web, worker and beat.",
    "metrics_port": "Port on which a Celery worker or beat serves its own `/metrics` (its "
    "processes' values), on all interfaces; 0: none. The web serves `/metrics` on its own port "
    "(docs/OPERATIONS.md, Metrics).",
    "rules": "Path of a TOML rules file: custom failure codes with their default action, and "
    "text rules tried before the built-in ones (docs/CLASSIFICATION.md). Empty: built-in only.",
    "sinks": "Comma-separated names of the senders to sync the suppression list to, each "
    "configured by `BOUNCEKEEPER_SINK_<NAME>_*` (see Syncing to your sender). Empty: no sync.",
    "sync_interval": "Seconds between the sync runs beat starts for each sink.",
    "sync_lease_seconds": "Lease of a sink's sync lock, renewed after each batch: a run whose "
    "worker died holds that sink up for at most this long. A sync run's hard time limit is one "
    "second less (its soft limit 0.9 of that), so a stuck run ends before its lease. Keep it "
    "above every sink's timeout.",
    "sync_backoff_max_seconds": "Longest wait between retries of a failing sink (exponential "
    "backoff with jitter, or the sink's longer `Retry-After`).",
}
