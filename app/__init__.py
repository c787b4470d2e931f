"""bouncekeeper: turns ESP bounce webhooks into a correct, always-current suppression list."""

from app.web import create_app

__all__ = ["create_app"]
