"""Alerts: directed dyads whose escalation index crosses its threshold, or whose conflict
intensity shows an upward change point, in the latest period (or every period since a date).

Two detectors, both over the dyad's own history:

- ``threshold``: the escalation index (see ``series.py``) is at or above the threshold;
- ``changepoint``: PELT (least-squares cost) segments the conflict-intensity series with a
  BIC-style penalty ``3 * sigma^2 * log(n)``, sigma estimated robustly from the
  period-to-period differences (at least 1.0); an alert when a segment starts in the period
  with a mean higher than the segment before by at least the index floor, and lasts two
  periods or more (or is the dyad's latest period, whose future is not known yet). It runs
  over bounded windows (``changepoint.py``).

A dyad's series spans its own data: only dyads with an event in a checked period are looked
at, and each reads only the history its checked periods need (``IndexParams.lookback``
periods, and the change-point windows). Checking the latest period of a store of ten years
of news reads a few weeks of it.

Each alert carries the conflict events of that period that drove it, strongest first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ..errors import BadOption
from ..model import Alert, DyadPoint, Event, stable_id
from ..store import Store
from ..store.rows import EVENT_SELECT, event_from_record, records
from .changepoint import history_needed, upward_shifts
from .series import (
    DEFAULT_INDEX,
    IndexParams,
    dyad_spans,
    latest_period,
    make_point,
    next_period,
    period_number,
    period_rows,
    period_start,
    resolve_freq,
    series_arrays,
    shift_period,
)

__all__ = ["changepoint_starts", "find_alerts"]


def changepoint_starts(conflict: Sequence[float], params: IndexParams = DEFAULT_INDEX) -> set[int]:
    """Indices where an upward shift in conflict intensity starts (after enough history)."""
    p = params if params.window and params.min_history else params.for_freq("W")
    return upward_shifts(conflict, window=p.window or 8, min_history=p.min_history or 4, floor=p.floor)


def _driving_events(store: Store, points: Sequence[DyadPoint], limit: int
                    ) -> dict[tuple[str, str, date], tuple[Event, ...]]:
    """The strongest real conflict events of each alert's dyad and period, in one query."""
    if not points:
        return {}
    import pyarrow as pa

    keys = pa.table({"s": [p.source for p in points], "t": [p.target for p in points],
                     "lo": [p.period for p in points], "hi": [next_period(p.period, p.freq) for p in points]})
    found: dict[tuple[str, str, date], list[Event]] = {}
    cur = store.cursor()  # a reader's own connection: the periods table is visible to it alone
    try:
        cur.register("_alert_periods", keys)
        rows = records(cur.execute(
            f"""SELECT * FROM (
                   SELECT x.*, k.lo AS alert_period, row_number() OVER (PARTITION BY k.s, k.t, k.lo
                       ORDER BY -x.goldstein * x.confidence DESC, x.event_date, x.id) AS rank
                   FROM ({EVENT_SELECT} WHERE e.is_real AND e.goldstein < 0) x
                   JOIN _alert_periods k ON x.source_key = k.s AND x.target_key = k.t
                                AND x.event_date >= k.lo AND x.event_date < k.hi)
                WHERE rank <= {int(limit)} ORDER BY source_key, target_key, alert_period, rank"""))
    finally:
        cur.close()
    for r in rows:
        found.setdefault((r["source_key"], r["target_key"], r["alert_period"]), []).append(event_from_record(r))
    return {k: tuple(v) for k, v in found.items()}


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
        params = replace(params, threshold=float(threshold))
    last = latest_period(store, freq)
    if last is None:
        return []
    p = params.for_freq(freq)
    check_from = period_start(since, freq) if since else last
    # History the checked periods need: the index's lookback and the change-point windows.
    history = max(p.lookback, history_needed(p.window or 8))
    spans = dyad_spans(store, active_since=check_from, distinct=True)
    read_from = shift_period(check_from, -history, freq)
    rows = period_rows(store, freq, pairs=list(spans), since=read_from, distinct=True)
    flagged: list[tuple[DyadPoint, list[str]]] = []
    for (src, tgt), (first, dyad_last) in sorted(spans.items()):
        own = rows.get((src, tgt), {})
        # The dyad's quiet periods after its last event are known up to the store's latest period:
        # a spike followed by silence is over. Past ``lookback`` quiet periods nothing can fire.
        end = min(last, shift_period(period_start(dyad_last, freq), p.lookback, freq))
        arrays = series_arrays(own, freq, first=first, start=max(check_from, period_start(first, freq)),
                               end=end, params=params, history=history)
        checked_from = next((i for i, q in enumerate(arrays.periods) if q >= check_from), len(arrays.periods))
        shifts = upward_shifts(arrays.conflict, window=p.window or 8, min_history=p.min_history or 4,
                               floor=p.floor, check_from=checked_from, history_offset=arrays.offset,
                               align=period_number(arrays.periods[0], freq) if arrays.periods else 0)
        for i in range(checked_from, len(arrays.periods)):
            if arrays.conflict[i] <= 0:
                continue  # an alert names the events that drove it: a period without conflict has none
            detectors = []
            value = arrays.index[i]
            if not math.isnan(value) and round(float(value), 6) >= params.threshold:
                detectors.append("threshold")
            if i in shifts:
                detectors.append("changepoint")
            if detectors:
                q = arrays.periods[i]
                flagged.append((make_point(src, tgt, q, freq, own.get(q), arrays.smoothed[i], arrays.baseline[i],
                                           value), detectors))
    evidence = _driving_events(store, [point for point, _ in flagged], max_events)
    alerts = [Alert(
        id=stable_id("alert", pt.source, pt.target, pt.period.isoformat(), freq, *detectors),
        source=pt.source, target=pt.target, period=pt.period, freq=freq, detectors=tuple(detectors),
        escalation_index=pt.escalation_index, threshold=params.threshold, conflict=pt.conflict,
        baseline=pt.baseline, reason=_reason(pt, detectors, params.threshold),
        events=evidence.get((pt.source, pt.target, pt.period), ()))
        for pt, detectors in flagged]
    alerts.sort(key=lambda a: (-a.period.toordinal(), -(a.escalation_index or 0.0), a.source, a.target))
    return alerts
