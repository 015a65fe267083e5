"""What this process used last, kept in its own memory: the pages it served
(``cache``, with Redis) and the list rows it rendered (``fragments``). A
dictionary in least-recently-used order, safe across a worker's threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable


class Recent:
    """At most ``limit`` values (given with each :meth:`put`), the least
    recently used dropped first."""

    def __init__(self):
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, fresh: Callable[[object], bool] | None = None):
        """The value kept under ``key``, or None; a value for which
        ``fresh`` says False is dropped instead."""
        with self._lock:
            value = self._values.get(key)
            if value is None:
                return None
            if fresh is not None and not fresh(value):
                del self._values[key]
                return None
            self._values.move_to_end(key)
            return value

    def put(self, key, value, limit: int) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > limit:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
