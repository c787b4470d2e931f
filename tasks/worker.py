"""Entry point for `celery -A tasks.worker worker|beat`: builds the app from the environment."""

from app.config import Settings
from app.logs import configure_logging
from app.queue import make_celery

settings = Settings.from_env()
configure_logging(settings.log_level)
celery = make_celery(settings)
celery.conf.imports = ("tasks.ingest", "tasks.heartbeat", "tasks.sync")
