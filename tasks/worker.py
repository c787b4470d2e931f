"""Entry point for `celery -A tasks.worker worker|beat`: builds the app from the environment."""

from typing import Any

from celery.signals import setup_logging

from app.config import Settings
from app.logs import configure_logging
from app.queue import make_celery

settings = Settings.from_env()
configure_logging(settings.log_level)
celery = make_celery(settings)
celery.conf.imports = ("tasks.ingest", "tasks.heartbeat")


@setup_logging.connect
def _one_log_format(**_: Any) -> None:
    """Celery then configures no logging of its own: worker and beat log JSON like the web."""
    configure_logging(settings.log_level)
