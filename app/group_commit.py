"""Group commit: concurrent callers share one send, and each returns only once its item is sent.

A 1-event webhook costs the web one Celery publish, which costs several times the rest of the
request, and gives the worker one task per event. Under load many requests in one process wait
for the same broker at once, so the first to get the send lock sends everything queued so far,
its own item and the others'; the rest find their item already sent and answer straight away.
Nobody waits for a timer or a batch size: a lone request is sent at once, exactly as before,
and a batch is only as large as the queue that formed while the previous send was in flight.

Every caller learns its own item's fate: if a send fails, every caller whose item was in it
gets the exception, so a request is never answered 202 for an item that was not sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Slot(Generic[T]):
    __slots__ = ("error", "item", "sent")

    def __init__(self, item: T) -> None:
        self.item = item
        self.sent = False
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    """`submit(item)` blocks until `send` has been called with a list holding `item`."""

    def __init__(self, send: Callable[[list[T]], None], max_items: int = 50) -> None:
        self._send = send
        self._max_items = max_items
        self._queue_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._queue: list[_Slot[T]] = []

    def submit(self, item: T) -> None:
        slot = _Slot(item)
        with self._queue_lock:
            self._queue.append(slot)
        while True:
            with self._send_lock:
                if slot.sent:
                    break
                with self._queue_lock:
                    batch = self._queue[: self._max_items]
                    del self._queue[: self._max_items]
                try:
                    self._send([queued.item for queued in batch])
                except BaseException as exc:  # every caller in the batch must hear of it
                    for queued in batch:
                        queued.error = exc
                    if not isinstance(exc, Exception):
                        raise
                finally:
                    for queued in batch:
                        queued.sent = True
        if slot.error is not None:
            raise slot.error
