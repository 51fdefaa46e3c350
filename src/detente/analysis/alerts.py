"""Alerts: directed dyads whose escalation index crosses its threshold, or whose conflict
intensity shows an upward change point, in the latest period (or every period since a date).

Two detectors, both over the dyad's own history:

- ``threshold``: the escalation index (see ``series.py``) is at or above the threshold;
- ``changepoint``: PELT (ruptures, least-squares cost) segments the conflict-intensity
  series with a BIC-style penalty ``3 * sigma^2 * log(n)``, sigma estimated robustly from
  the period-to-period differences (at least 1.0); an alert when a segment starts in the
  period with a mean higher than the segment before by at least the index floor, and lasts
  two periods or more (or is the latest period, whose future is not known yet).

Each alert carries the conflict events of that period that drove it, strongest first.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from ..errors import BadOption
from ..model import Alert, DyadPoint, stable_id
from ..store import Store
from ..store.rows import EVENT_SELECT, event_from_record
from .series import (
    DEFAULT_INDEX,
    DailyRow,
    IndexParams,
    build_points,
    daily_rows,
    latest_period,
    next_period,
    period_start,
    resolve_freq,
)

__all__ = ["changepoint_starts", "find_alerts"]

_PENALTY_FACTOR = 3.0
_MIN_SIGMA = 1.0


def _robust_sigma(values: Sequence[float]) -> float:
    diffs = sorted(abs(b - a) for a, b in itertools.pairwise(values))
    if not diffs:
        return _MIN_SIGMA
    mid = len(diffs) // 2
    median = diffs[mid] if len(diffs) % 2 else (diffs[mid - 1] + diffs[mid]) / 2
    # For Gaussian noise the median absolute difference of neighbours is 0.954 sigma.
    return max(median / (0.6745 * math.sqrt(2)), _MIN_SIGMA)


def changepoint_starts(conflict: Sequence[float], params: IndexParams = DEFAULT_INDEX) -> set[int]:
    """Indices where an upward shift in conflict intensity starts (after enough history)."""
    n = len(conflict)
    min_history = params.min_history or 4
    if n <= min_history:
        return set()
    import numpy as np
    import ruptures

    signal = np.asarray(conflict, dtype=float).reshape(-1, 1)
    sigma = _robust_sigma(conflict)
    penalty = _PENALTY_FACTOR * sigma * sigma * math.log(n)
    breaks = ruptures.Pelt(model="l2", min_size=1, jump=1).fit(signal).predict(pen=penalty)
    starts = [0, *[b for b in breaks if b < n]]
    ends = [*starts[1:], n]
    upward = set()
    for i in range(1, len(starts)):
        before = conflict[starts[i - 1]:ends[i - 1]]
        after = conflict[starts[i]:ends[i]]
        if starts[i] < min_history:
            continue
        # A one-period spike that is over is an incident, not a new level (the threshold detector
        # judges incidents); only the latest period may be a one-period segment.
        if ends[i] - starts[i] < 2 and ends[i] != n:
            continue
        if sum(after) / len(after) - sum(before) / len(before) >= params.floor:
            upward.add(starts[i])
    return upward


def _driving_events(store: Store, point: DyadPoint, limit: int) -> tuple[Any, ...]:
    rows = store.query(
        f"""{EVENT_SELECT} WHERE e.is_real AND e.source_key = ? AND e.target_key = ? AND e.goldstein < 0
               AND e.event_date >= ? AND e.event_date < ?
            ORDER BY -e.goldstein * e.confidence DESC, e.event_date, e.id LIMIT {int(limit)}""",
        [point.source, point.target, point.period, next_period(point.period, point.freq)])
    return tuple(event_from_record(r) for r in rows)


def _reason(point: DyadPoint, detectors: list[str], threshold: float) -> str:
    parts = []
    if "threshold" in detectors:
        parts.append(f"escalation index {point.escalation_index:.1f} >= {threshold:g}")
    if "changepoint" in detectors:
        parts.append("conflict intensity shifted upward")
    baseline = f"{point.baseline:.1f}" if point.baseline is not None else "none"
    return (f"{point.source} -> {point.target}: " + " and ".join(parts)
            + f" (conflict {point.conflict:.1f} against a baseline of {baseline})")


def find_alerts(store: Store, *, since: date | None = None, freq: str = "auto",
                threshold: float | None = None, params: IndexParams = DEFAULT_INDEX,
                max_events: int = 20) -> list[Alert]:
    """Alerts in the store's latest period, or in every period from ``since`` on."""
    freq = resolve_freq(store, freq)
    if threshold is not None:
        if not math.isfinite(threshold) or threshold <= 0:
            raise BadOption(f"threshold {threshold} is not a positive number", "give e.g. --threshold 2")
        params = IndexParams(**{**params.__dict__, "threshold": float(threshold)})
    last = latest_period(store, freq)
    if last is None:
        return []
    first_period = period_start(since, freq) if since else last
    grouped: dict[tuple[str, str], list[DailyRow]] = defaultdict(list)
    for row in daily_rows(store):
        if row.source != row.target:
            grouped[(row.source, row.target)].append(row)
    alerts = []
    for (src, tgt), rows in sorted(grouped.items()):
        points = build_points(src, tgt, rows, freq, last, params)
        shifts = changepoint_starts([p.conflict for p in points], params.for_freq(freq))
        for i, point in enumerate(points):
            if point.period < first_period:
                continue
            detectors = []
            if point.escalation_index is not None and point.escalation_index >= params.threshold:
                detectors.append("threshold")
            if i in shifts:
                detectors.append("changepoint")
            if not detectors:
                continue
            alerts.append(Alert(
                id=stable_id("alert", src, tgt, point.period.isoformat(), freq, *detectors),
                source=src, target=tgt, period=point.period, freq=freq, detectors=tuple(detectors),
                escalation_index=point.escalation_index, threshold=params.threshold, conflict=point.conflict,
                baseline=point.baseline, reason=_reason(point, detectors, params.threshold),
                events=_driving_events(store, point, max_events)))
    alerts.sort(key=lambda a: (-a.period.toordinal(), -(a.escalation_index or 0.0), a.source, a.target))
    return alerts
