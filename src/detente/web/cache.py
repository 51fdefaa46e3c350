"""Results of the expensive read functions, kept until the store changes.

Alerts, dyad rankings and the escalation summary read every event in the store (seconds on
a store of ten thousand events); a dashboard asks for them on every page view. The server
is the only writer of its store while it runs (DuckDB's lock keeps other processes out),
so a result stays true until the server itself writes: each entry is tagged with the write
generation it was computed at and is ignored once a write bumps it.

Concurrent requests for the same missing entry compute it once: the first computes, the
others wait for its result (a failure is not kept; the next request tries again).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ReadCache"]

T = TypeVar("T")


class _Flight:
    """One computation in progress and the number of requests waiting on it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class ReadCache:
    """A bounded, least-recently-used map from a request's key to its result, per write generation."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _lookup(self, key: Hashable, generation: int) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is None or entry[0] != generation:
            return False, None
        self._entries.move_to_end(key)
        return True, entry[1]

    def get(self, key: Hashable, generation: int, compute: Callable[[], T]) -> T:
        """The result for ``key`` at ``generation``, computing it (once) when missing."""
        with self._lock:
            found, value = self._lookup(key, generation)
            if found:
                self.hits += 1
                return value
            flight = self._flights.setdefault(key, _Flight())
            flight.users += 1
        try:
            with flight.lock:
                with self._lock:
                    found, value = self._lookup(key, generation)
                if found:
                    with self._lock:
                        self.hits += 1
                    return value
                result = compute()
                with self._lock:
                    self.misses += 1
                    self._entries[key] = (generation, result)
                    self._entries.move_to_end(key)
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
                return result
        finally:
            with self._lock:
                flight.users -= 1
                if flight.users == 0:
                    self._flights.pop(key, None)
