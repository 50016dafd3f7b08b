"""A capped counter: approximate counts of many keys in a fixed number of slots.

It is the Misra–Gries frequent-items summary. When the counter holds more than twice its
capacity, every count drops by the (capacity+1)-th largest count and the keys that reach zero
go. Counts are therefore never too high, and too low by at most :attr:`CappedCounter.shed`,
which is at most (total added) / (capacity + 1): any key whose true count is above that is
still there. Two counters merge the same way (Agarwal et al., *Mergeable summaries*), so
counts made in parallel and merged keep the same guarantee.
"""

from __future__ import annotations

from heapq import nlargest
from typing import Any, Iterable


class CappedCounter:
    """Counts of integer keys, in at most ``2 * capacity`` slots.

    >>> c = CappedCounter(capacity=2)
    >>> for keys in ([1, 2], [1, 3], [1, 4], [1, 5], [1, 6]):
    ...     c.add(keys)
    >>> c.get(1), c.shed <= c.total / 3
    (4, True)
    """

    __slots__ = ("capacity", "counts", "shed", "total")

    def __init__(self, capacity: int):
        self.capacity = max(1, int(capacity))
        self.counts: dict[int, int] = {}
        self.shed = 0  # how much any count may have lost to shrinking
        self.total = 0  # how much was added, over all keys

    def add(self, keys: Iterable[int]) -> None:
        """Add one to each key."""
        counts = self.counts
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
            self.total += 1
        if len(counts) > 2 * self.capacity:
            self.shrink()

    def get(self, key: int) -> int:
        """A lower bound of the key's true count (0 when the key is not held)."""
        return self.counts.get(key, 0)

    def shrink(self) -> None:
        """Keep at most ``capacity`` keys: subtract the (capacity+1)-th largest count from all."""
        if len(self.counts) <= self.capacity:
            return
        cut = nlargest(self.capacity + 1, self.counts.values())[-1]
        self.counts = {k: v - cut for k, v in self.counts.items() if v > cut}
        self.shed += cut

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CappedCounter) and (self.capacity, self.shed, self.total, self.counts) == \
            (other.capacity, other.shed, other.total, other.counts)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def copy(self) -> "CappedCounter":
        out = CappedCounter(self.capacity)
        out.counts, out.shed, out.total = dict(self.counts), self.shed, self.total
        return out

    def to_dict(self) -> dict[str, Any]:
        """The counter as JSON-ready data, keys as 16 hex digits; :meth:`from_dict` reads it
        back exactly (keys in the same order).

        >>> c = CappedCounter(4); c.add([1, 2]); c.add([2])
        >>> CappedCounter.from_dict(c.to_dict()).counts == c.counts
        True
        """
        return {"capacity": self.capacity, "shed": self.shed, "total": self.total,
                "counts": {f"{key:016x}": value for key, value in self.counts.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CappedCounter":
        out = cls(int(data["capacity"]))
        out.shed, out.total = int(data["shed"]), int(data["total"])
        out.counts = {int(key, 16): int(value) for key, value in data["counts"].items()}
        return out

    def merged(self, other: "CappedCounter") -> "CappedCounter":
        """A new counter holding both counters' counts (neither input changes)."""
        out = self.copy()
        out.capacity = max(self.capacity, other.capacity)
        for key, value in other.counts.items():
            out.counts[key] = out.counts.get(key, 0) + value
        out.shed += other.shed
        out.total += other.total
        if len(out.counts) > 2 * out.capacity:
            out.shrink()
        return out
