"""A bounded memo: what a scorecard computed, the least recently used forgotten first.

A scorecard is shared by every session of the dashboard for as long as its data version is current, so what
it remembers must have a bound: every page, unit, year and target a visitor opens adds an entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Memo:
    """At most ``size`` results by key; safe to share between threads (two asking at once may both compute,
    one result is kept)."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("a memo holds at least one result")
        self.size = size
        self._found: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]  # type: ignore[return-value]
        value = compute()  # outside the lock: a long computation holds up no other key
        with self._lock:
            self._found[key] = value
            self._found.move_to_end(key)
            while len(self._found) > self.size:
                self._found.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._found.clear()

    def __len__(self) -> int:
        return len(self._found)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._found
