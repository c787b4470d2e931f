"""Beat's heartbeat: proves beat schedules and a worker runs, for /readyz and operators."""

from __future__ import annotations

import time

from celery import shared_task

from app.queue import HEARTBEAT_TASK
from tasks.base import BounceTask


@shared_task(name=HEARTBEAT_TASK, base=BounceTask, bind=True)
def heartbeat(self: BounceTask) -> None:
    self.store.record_heartbeat(int(time.time() * 1000))
