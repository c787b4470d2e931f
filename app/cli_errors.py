"""The CLI's errors and exit statuses, one line each on stderr (click prints `Error: …`).

0 done; 1 found or refused by the state; 2 usage or bad input; 3 no Redis to work on.
"""

from __future__ import annotations

import click

from app.addresses import InvalidAddressError

EXIT_FOUND = 1
EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


class BadInput(click.ClickException):
    """The command's input cannot be used (an invalid address, a bad rules or settings value,
    a file without the needed column): exit status 2, like click's usage errors."""

    exit_code = EXIT_BAD_INPUT


class Unavailable(click.ClickException):
    """No Redis to work on: none is configured, or it cannot be reached (exit status 3)."""

    exit_code = EXIT_UNAVAILABLE


def failed(exc: Exception) -> click.ClickException:
    """An operation's refusal as the CLI's error: bad input (an invalid address, a missing
    reason, an unknown code) exits 2; a refusal about the state (not suppressed, already
    suppressed, a complaint without --force) exits 1."""
    if isinstance(exc, InvalidAddressError) or getattr(exc, "status", None) == 400:
        return BadInput(str(exc))
    return click.ClickException(str(exc))
