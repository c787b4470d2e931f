"""Configuration: the only module that reads the environment.

Every setting is a `BOUNCEKEEPER_*` variable (plus the conventional `REDIS_URL`); a test checks
the README's table against `Settings`, so code and docs cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


class ConfigError(ValueError):
    """A setting is present but unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    redis_url: str = "redis://127.0.0.1:6379/0"
    broker_url: str = ""  # empty: the same server as redis_url
    zeptomail_secret: str = ""
    api_token: str = ""
    api_admin_tokens: str = ""
    api_read_tokens: str = ""
    max_import_bytes: int = 1_073_741_824
    max_body_bytes: int = 1_048_576
    key_prefix: str = "bk"
    dedup_ttl_seconds: int = 259_200
    broker_timeout_seconds: float = 2.0
    visibility_timeout_seconds: int = 300
    log_level: str = "INFO"
    rules: str = ""

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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then the environment, then explicit overrides (tests use those)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            name = ENV_NAMES[spec.name]
            if name in env:
                values[spec.name] = _convert(name, env[name], spec.default)
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
        if not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError("REDIS_URL must be a redis://, rediss:// or unix:// URL")


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
}

DESCRIPTIONS: dict[str, str] = {
    "redis_url": "Redis for state (suppressions, soft scores, change log). Use AOF in production.",
    "broker_url": "Celery broker; empty means the same server as `REDIS_URL`.",
    "zeptomail_secret": "Shared secret ZeptoMail sends as `Authorization: Bearer …` or as the "
    "basic-auth password. Empty: the ZeptoMail webhook is off (404).",
    "api_token": "Bearer token with the admin scope for `/api/v1/*` (read and write). With no "
    "token at all (this and the two lists below empty) the admin API is off (403).",
    "api_admin_tokens": "More admin-scope bearer tokens, comma-separated (e.g. one per "
    "operator or during a rotation).",
    "api_read_tokens": "Read-scope bearer tokens, comma-separated: every `GET` of the admin API; "
    "writes answer 403.",
    "max_import_bytes": "Largest body `POST /api/v1/suppressions/import` accepts (413 above).",
    "max_body_bytes": "Largest webhook body accepted; larger gets 413.",
    "key_prefix": "Prefix of every Redis key bouncekeeper writes.",
    "dedup_ttl_seconds": "How long an event id is remembered for dedup (at least 48 h).",
    "broker_timeout_seconds": "How long the web waits for the broker before answering 503.",
    "visibility_timeout_seconds": "After this long, a task whose worker died is redelivered.",
    "log_level": "Python log level of web, worker and beat.",
    "rules": "Path of a TOML rules file: custom failure codes with their default action, and "
    "text rules tried before the built-in ones (docs/CLASSIFICATION.md). Empty: built-in only.",
}
