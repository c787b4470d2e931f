"""The Flask application factory: thin HTTP edges over the domain and the store."""

from __future__ import annotations

import structlog
from flask import Flask

from app import providers
from app.classify import custom
from app.config import Settings
from app.logs import configure_logging
from app.publisher import Publisher
from app.queue import make_celery
from app.store import Store

log = structlog.get_logger("bouncekeeper.web")


def create_app(settings: Settings | None = None) -> Flask:
    """Build the web app; tests pass their own Settings, production reads the environment."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    flask_app = Flask(__name__)
    flask_app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    flask_app.extensions["bouncekeeper"] = settings
    flask_app.extensions["rules"] = custom.load_optional(settings.rules)
    flask_app.extensions["celery"] = make_celery(settings)
    flask_app.extensions["store"] = Store.from_url(
        settings.redis_url, settings.key_prefix, settings.dedup_ttl_seconds, settings.shards
    )

    from app.web import api, dashboard, errors, health, observability, webhooks

    flask_app.extensions["publisher"] = Publisher(flask_app.extensions["celery"])
    flask_app.extensions["ingest_queue"] = webhooks.ingest_queue(flask_app.extensions["publisher"])
    errors.register(flask_app)
    observability.register(flask_app)
    flask_app.register_blueprint(webhooks.bp)
    flask_app.register_blueprint(health.bp)
    dashboard.register(flask_app)
    flask_app.extensions["bouncekeeper_api"] = api.init_api(flask_app)
    _announce(settings)
    return flask_app


def _announce(settings: Settings) -> None:
    for module in providers.PROVIDERS.values():
        off = module.disabled_reason(settings)
        if off:
            log.warning("webhook off", provider=module.NAME, reason=off)
    if not settings.admin_tokens and not settings.read_tokens:
        log.warning("admin API is off: BOUNCEKEEPER_API_TOKEN is not set")
