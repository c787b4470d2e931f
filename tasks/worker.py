"""Entry point for `celery -A tasks.worker worker|beat`: builds the app from the environment."""

from typing import Any

from celery.signals import beat_init, setup_logging, worker_init, worker_ready

from app import metrics
from app.config import Settings
from app.logs import configure_logging
from app.queue import declare_dead_letter_queues, is_amqp, make_celery
from app.sinks import build_all

settings = Settings.from_env()
build_all(settings)  # a bad sink setting stops worker and beat at start, naming the variable
configure_logging(settings.log_level)
celery = make_celery(settings)
celery.conf.imports = ("tasks.ingest", "tasks.heartbeat", "tasks.sync", "tasks.mailbox")
celery.conf.worker_consumer = "tasks.consumer:Consumer"


@setup_logging.connect
def _one_log_format(**_: Any) -> None:
    """Celery then configures no logging of its own: worker and beat log JSON like the web."""
    configure_logging(settings.log_level)


@worker_ready.connect
def _dead_letter_queues(**_: Any) -> None:
    """On RabbitMQ, the queues its dead letters go to must exist, or it drops them."""
    if is_amqp(settings.effective_broker_url):
        declare_dead_letter_queues(celery)


@worker_init.connect
@beat_init.connect
def _serve_metrics(**_: Any) -> None:
    """In the worker's main process (before its pool forks) or beat's: its own `/metrics`."""
    if settings.metrics_port:
        metrics.serve_process_metrics(settings.metrics_port)
