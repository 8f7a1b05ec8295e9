"""Character intervals answering "does any of them overlap / cover this span?" in O(log n).

Components check each candidate against sets of spans (times, URLs, entities, quotes); scanning the whole
set for every candidate makes long articles quadratic. :class:`Intervals` sorts the spans once and keeps
the running maximum of their ends, so each question is one binary search.

>>> iv = Intervals([(10, 20), (30, 35)])
>>> iv.overlaps(18, 25), iv.overlaps(20, 30), iv.covers(31, 35), iv.covers(15, 25)
(True, False, True, False)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class Intervals:
    """A fixed set of half-open ``(start, end)`` character intervals."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        items = sorted(spans)
        self._starts = [s for s, _ in items]
        self._max_end = list(accumulate((e for _, e in items), max))

    def __len__(self) -> int:
        return len(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some interval ``(s, e)`` has ``s < end`` and ``e > start``."""
        k = bisect_left(self._starts, end)
        return k > 0 and self._max_end[k - 1] > start

    def covers(self, start: int, end: int) -> bool:
        """Whether some interval ``(s, e)`` has ``s <= start`` and ``e >= end``."""
        k = bisect_right(self._starts, start)
        return k > 0 and self._max_end[k - 1] >= end
