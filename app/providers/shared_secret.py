"""The check for ESPs that authenticate a webhook with a credential we choose (Postmark,
SparkPost, Brevo, Mailjet): they sign nothing, so the secret, sent as a Bearer token or as
the basic-auth password, is all there is to verify."""

from __future__ import annotations

from app.credentials import shared_secret_ok
from app.providers.base import SHARED_SECRET_CHALLENGE, UnauthorizedError, Verified, WebhookRequest


def verify(request: WebhookRequest, secret: str) -> Verified:
    """A request carrying the secret; anything else is a 401 with the challenge."""
    if shared_secret_ok(request.header("Authorization"), secret):
        return Verified()
    raise UnauthorizedError(
        "missing or wrong credentials: send the shared secret as a Bearer token or as the "
        "basic-auth password",
        headers=SHARED_SECRET_CHALLENGE,
    )
