"""Entry point for `celery -A tasks.worker worker|beat`: builds the app from the environment."""

from app.config import Settings
from app.logs import configure_logging
from app.queue import make_celery
from app.sinks import build_all

settings = Settings.from_env()
build_all(settings)  # a bad sink setting stops worker and beat at start, naming the variable
configure_logging(settings.log_level)
celery = make_celery(settings)
celery.conf.imports = ("tasks.ingest", "tasks.heartbeat", "tasks.sync")
