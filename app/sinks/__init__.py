"""Sinks: the senders bouncekeeper pushes its suppression list to, one module each.

A sink is an adapter with one job: make the sender's list match a coalesced `Batch`. It says
which addresses it refused (the sync records them and moves on) and raises `SinkError` when it
took nothing it can vouch for (the sync keeps its cursor and backs off). Pushing is idempotent
at every sender, so a batch may be pushed again after a crash or a partial failure.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Protocol, runtime_checkable

from app.changes import Batch
from app.config import ConfigError, Settings
from app.sinks.redact import redact, secrets_of

TYPES = ("http", "ses", "sendgrid", "mailgun", "postmark", "sparkpost")


class SinkError(Exception):
    """The sink did not take the batch (down, timed out, 5xx, 429, refused our credentials).

    `retry_after` is the sink's own wait in seconds (a 429's or 503's `Retry-After`), if any.
    The message is redacted (app/sinks/redact.py): it names URLs and quotes the sender's answer,
    and is stored, logged and shown.
    """

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(redact(message))
        self.retry_after = retry_after


class Sink(Protocol):
    name: str
    batch_size: int  # most changes (after coalescing) one push may carry

    def push(self, batch: Batch) -> dict[str, str]:
        """Apply the batch; return the addresses the sink refused, each with its reason."""
        ...


@runtime_checkable
class Listing(Protocol):
    """A sink whose sender can list its suppressions, for `bouncekeeper sync --diff`."""

    def suppressed(self) -> Iterator[str]:
        """Every address the sender suppresses (lower-cased; it may repeat one)."""
        ...


class Options:
    """One sink's `BOUNCEKEEPER_SINK_<NAME>_<SETTING>` values, with errors naming the variable."""

    def __init__(self, name: str, values: Mapping[str, str]):
        self.name = name
        self.values = values

    def variable(self, key: str) -> str:
        return f"BOUNCEKEEPER_SINK_{self.name.upper()}_{key.upper()}"

    def text(self, key: str, default: str | None = None) -> str:
        value = self.values.get(key, default)
        if not value:
            raise ConfigError(f"{self.variable(key)} is required for sink {self.name!r}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        raw = self.values.get(key)
        try:
            value = default if raw is None else float(raw)
        except ValueError:
            raise ConfigError(f"{self.variable(key)}={raw!r} is not a number") from None
        if not low <= value <= high:
            raise ConfigError(f"{self.variable(key)} must be from {low:g} to {high:g}")
        return value

    def batch_size(self, default: int, most: int) -> int:
        """The sink's batch size: BATCH_SIZE if set, never above what the sender accepts."""
        return int(self.number("batch_size", default, 1, most))

    def timeout(self) -> float:
        return self.number("timeout", 10.0, 0.1, 120.0)


def build(name: str, values: Mapping[str, str]) -> Sink:
    """The sink named `name`, of type TYPE (default: the name itself), from its settings. It
    carries `secrets`, its credential values, so the sync can mask them in what it records."""
    options = Options(name, values)
    kind = values.get("type", name)
    if kind not in TYPES:
        raise ConfigError(
            f"{options.variable('type')}={kind!r}: the sink type must be one of {', '.join(TYPES)}"
        )
    module = importlib.import_module(f"app.sinks.{kind}")
    sink = module.from_options(options)
    sink.secrets = secrets_of(values)
    return sink


def scrub(sink: object, text: str) -> str:
    """`text` (an error or a refusal of this sink) with its credentials masked, for storing,
    logging or showing it."""
    return redact(text, getattr(sink, "secrets", ()))


def build_all(settings: Settings) -> dict[str, Sink]:
    """Every sink in BOUNCEKEEPER_SINKS; the worker and beat call it at start, so a missing or
    bad sink setting stops them there rather than at the first sync run."""
    return {name: build(name, settings.sink_options.get(name, {})) for name in settings.sink_names}
