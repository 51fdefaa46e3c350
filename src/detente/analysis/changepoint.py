"""Upward change points in a conflict-intensity series: PELT over bounded windows.

PELT (Killick, Fearnhead and Eckley 2012) finds the segmentation of a series that minimises
the sum of each segment's squared deviations from its mean plus a penalty per segment. It
is the method ruptures implements as ``Pelt(model="l2", min_size=1, jump=1)``; this module
computes the same optimum with prefix sums and numpy, so that one step costs a vector
operation over the candidates PELT keeps instead of a Python call per candidate.

PELT's pruning makes it linear in practice but not in the worst case, and a series of ten
years of days is long. So it never runs over a whole series: the periods to check are cut
into blocks of ``4 x window`` periods, and each block is segmented together with the
``4 x window`` periods before it (the history a new level is judged against) and ``window``
after it (so "lasts two periods" can be seen at a block's end). The work is linear in the
number of periods checked, whatever the length of the calendar.

An upward change point starts a segment whose mean is at least ``floor`` above the segment
before it, after ``min_history`` periods of the dyad's history, and lasts two periods or
more (or is the series' latest period, whose future is not known yet); a one-period spike
that is already over is an incident, left to the threshold detector.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["PENALTY_FACTOR", "history_needed", "pelt_breakpoints", "robust_sigma", "upward_shifts"]

PENALTY_FACTOR = 3.0
MIN_SIGMA = 1.0
# Blocks of checked periods, the history before each and the look ahead after it, in baseline windows.
BLOCK_WINDOWS = 4
HISTORY_WINDOWS = 4
AHEAD_WINDOWS = 1


def robust_sigma(values: Sequence[float] | np.ndarray) -> float:
    """The noise level of a series from the median absolute difference of neighbours (at least 1.0)."""
    arr = np.asarray(values, dtype=float)
    if arr.size < 2:
        return MIN_SIGMA
    median = float(np.median(np.abs(np.diff(arr))))
    # For Gaussian noise the median absolute difference of neighbours is 0.954 sigma.
    return max(median / (0.6745 * math.sqrt(2)), MIN_SIGMA)


def pelt_breakpoints(signal: Sequence[float] | np.ndarray, penalty: float) -> list[int]:
    """The ends of the optimal segments of ``signal`` under the l2 cost (the last is ``len(signal)``),
    as ``ruptures.Pelt(model="l2", min_size=1, jump=1).fit(signal).predict(pen=penalty)`` gives them."""
    x = np.asarray(signal, dtype=float)
    n = x.size
    if n == 0:
        return []
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))
    best = np.empty(n + 1)
    best[0] = 0.0
    previous = np.zeros(n + 1, dtype=np.int64)
    candidates = np.zeros(1, dtype=np.int64)
    for t in range(1, n + 1):
        length = t - candidates
        total = s1[t] - s1[candidates]
        cost = (s2[t] - s2[candidates]) - total * total / length
        scores = best[candidates] + np.maximum(cost, 0.0) + penalty
        k = int(np.argmin(scores))
        best[t] = scores[k]
        previous[t] = candidates[k]
        # Candidates that cannot start the last segment of any later optimum are dropped (PELT's pruning).
        candidates = np.append(candidates[scores <= best[t] + penalty], t)
    ends = [n]
    t = n
    while previous[t] > 0:
        t = int(previous[t])
        ends.append(t)
    return sorted(ends)


def _upward_in(x: np.ndarray, *, lo: int, hi: int, offset: int, series_end: int, min_history: int,
               floor: float) -> set[int]:
    """Upward shifts starting in ``[lo, hi)`` of ``x`` (indices of ``x``), from one PELT run over ``x``."""
    n = x.size
    if n < 2:
        return set()
    sigma = robust_sigma(x)
    penalty = PENALTY_FACTOR * sigma * sigma * math.log(n)
    ends = pelt_breakpoints(x, penalty)
    starts = [0, *ends[:-1]]
    found = set()
    for i in range(1, len(starts)):
        start, end = starts[i], ends[i]
        if not lo <= start < hi or start + offset < min_history:
            continue
        if end - start < 2 and end + offset != series_end:
            continue
        if float(x[start:end].mean()) - float(x[starts[i - 1]:ends[i - 1]].mean()) >= floor:
            found.add(start)
    return found


def history_needed(window: int) -> int:
    """Periods before the first checked one that ``upward_shifts`` reads (its block may start earlier)."""
    window = max(int(window), 1)
    return (BLOCK_WINDOWS + HISTORY_WINDOWS) * window


def upward_shifts(conflict: Sequence[float] | np.ndarray, *, window: int, min_history: int, floor: float,
                  check_from: int = 0, history_offset: int = 0, align: int = 0) -> set[int]:
    """Indices ``>= check_from`` of ``conflict`` where an upward shift starts (see the module docstring).

    ``history_offset`` is how many periods of the dyad's history come before ``conflict[0]``
    (the series handed in may start inside the dyad's history). ``align`` is the calendar
    position of ``conflict[0]`` (a period number counted from a fixed origin): blocks start at
    fixed calendar positions, so a period's answer does not depend on which periods were asked
    for, provided the series starts ``history_needed(window)`` periods before them (or at the
    dyad's first period).
    """
    x = np.asarray(conflict, dtype=float)
    n = x.size
    window = max(int(window), 1)
    block, history, ahead = BLOCK_WINDOWS * window, HISTORY_WINDOWS * window, AHEAD_WINDOWS * window
    found: set[int] = set()
    first_block = ((max(check_from, 0) + align) // block) * block - align
    for lo_block in range(first_block, n, block):
        lo, hi = max(lo_block, check_from, 0), min(lo_block + block, n)
        if lo >= hi:
            continue
        first, last = max(0, lo_block - history), min(n, hi + ahead)
        piece = x[first:last]
        if not piece.any():
            continue
        for start in _upward_in(piece, lo=lo - first, hi=hi - first, offset=history_offset + first,
                                series_end=history_offset + n, min_history=min_history, floor=floor):
            found.add(start + first)
    return found
