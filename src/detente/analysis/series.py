"""Dyad series and the escalation index.

For a directed dyad ``source -> target`` and a period (day, ISO week from Monday, or
calendar month), only real events count (never negated, hypothetical or future ones):

- conflict intensity ``C = sum(-goldstein * confidence)`` over events with a negative
  Goldstein score (an assault at -10 with confidence 0.8 adds 8; an accusation at -2 adds
  about 1.6), and cooperation the same over positive scores;
- smoothed intensity ``S_t = alpha * C_t + (1 - alpha) * S_(t-1)`` (alpha 0.5);
- baseline ``B_t`` and spread ``D_t``: mean and standard deviation of ``C`` over the
  dyad's previous ``window`` periods (8 weeks, 28 days or 6 months), defined once it has
  ``min_history`` periods (4 weeks, 7 days or 3 months);
- escalation index ``E_t = (S_t - B_t) / max(D_t, floor)`` with floor 2.0: how many
  "usual swings" (at least two Goldstein-confidence points) the current hostility stands
  above the dyad's own recent normal. ``E >= 2`` (the alert threshold) means escalating,
  ``E <= -2`` calming. A dyad fighting steadily scores near 0; what scores high is change.

Series run from the dyad's first event to the store's latest period, with empty periods
filled in, so a dyad that fell silent shows its index falling.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from ..model import PLOVER_TYPES, DyadPoint
from ..store import Store
from .codes import check_date_range, parse_freq, validate_dyad_key

__all__ = [
    "DEFAULT_INDEX",
    "DailyRow",
    "IndexParams",
    "build_points",
    "daily_rows",
    "dyad_series",
    "escalation_index",
    "latest_period",
    "next_period",
    "period_start",
    "resolve_freq",
]


# Baseline window and the history needed before the index is defined, per frequency: about
# two months of weeks, four weeks of days, half a year of months.
_WINDOW = {"D": 28, "W": 8, "M": 6}
_MIN_HISTORY = {"D": 7, "W": 4, "M": 3}


@dataclass(frozen=True)
class IndexParams:
    """The escalation index's constants (documented in the README's "Escalation index").

    ``window`` and ``min_history`` default per frequency (see ``for_freq``).
    """

    alpha: float = 0.5
    window: int | None = None
    min_history: int | None = None
    floor: float = 2.0
    threshold: float = 2.0

    def for_freq(self, freq: str) -> IndexParams:
        return replace(self, window=self.window or _WINDOW.get(freq, 8),
                       min_history=self.min_history or _MIN_HISTORY.get(freq, 4))


DEFAULT_INDEX = IndexParams()


def period_start(day: date, freq: str) -> date:
    if freq == "D":
        return day
    if freq == "W":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, freq: str) -> date:
    if freq == "D":
        return start + timedelta(days=1)
    if freq == "W":
        return start + timedelta(days=7)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def periods_between(first: date, last: date, freq: str) -> list[date]:
    out, current = [], period_start(first, freq)
    end = period_start(last, freq)
    while current <= end:
        out.append(current)
        current = next_period(current, freq)
    return out


@dataclass(frozen=True)
class DailyRow:
    """Real events of one directed dyad on one day, of one type."""

    source: str
    target: str
    day: date
    type: str
    quad_class: int
    events: int
    goldstein_sum: float
    conflict: float
    cooperation: float


def daily_rows(store: Store, *, source: str | None = None, target: str | None = None,
               until: date | None = None) -> list[DailyRow]:
    """Per-day, per-type aggregates of real, dated events with a target."""
    clauses = ["is_real", "event_date IS NOT NULL", "target_key IS NOT NULL"]
    params: list[Any] = []
    if source:
        clauses.append("source_key = ?")
        params.append(source)
    if target:
        clauses.append("target_key = ?")
        params.append(target)
    if until:
        clauses.append("event_date <= ?")
        params.append(until)
    rows = store.query(
        f"""SELECT source_key, target_key, event_date, type, quad_class, count(*) AS n, sum(goldstein) AS gs,
                   sum(CASE WHEN goldstein < 0 THEN -goldstein * confidence ELSE 0 END) AS conflict,
                   sum(CASE WHEN goldstein > 0 THEN goldstein * confidence ELSE 0 END) AS cooperation
            FROM dyad_events WHERE {' AND '.join(clauses)}
            GROUP BY source_key, target_key, event_date, type, quad_class
            ORDER BY source_key, target_key, event_date, type""", params)
    return [DailyRow(r["source_key"], r["target_key"], r["event_date"], r["type"], int(r["quad_class"] or 0),
                     int(r["n"]), float(r["gs"] or 0.0), float(r["conflict"] or 0.0), float(r["cooperation"] or 0.0))
            for r in rows]


def latest_period(store: Store, freq: str, *, until: date | None = None) -> date | None:
    """The period of the latest real event in the store (news corpora are not about today)."""
    params: list[Any] = []
    cond = ""
    if until:
        cond, params = " AND event_date <= ?", [until]
    day = store.scalar(f"SELECT max(event_date) FROM dyad_events WHERE is_real{cond}", params)
    return period_start(day, freq) if day else None


def resolve_freq(store: Store, freq: str) -> str:
    """``freq`` checked; ``auto`` becomes D for data spanning up to 3 months, W up to 3 years, else M,
    so the index has enough periods of history to be defined."""
    value = parse_freq(freq)
    if value != "auto":
        return value
    row = store.query("SELECT min(event_date) AS lo, max(event_date) AS hi FROM dyad_events WHERE is_real")[0]
    if row["lo"] is None:
        return "W"
    span = (row["hi"] - row["lo"]).days
    return "D" if span <= 92 else "W" if span <= 3 * 366 else "M"


def escalation_index(conflict: Sequence[float], params: IndexParams = DEFAULT_INDEX
                     ) -> tuple[list[float], list[float | None], list[float | None]]:
    """(smoothed, baseline, index) for a conflict-intensity series (see the module docstring)."""
    window = params.window or _WINDOW["W"]
    min_history = params.min_history or _MIN_HISTORY["W"]
    smoothed: list[float] = []
    baseline: list[float | None] = []
    index: list[float | None] = []
    for t, value in enumerate(conflict):
        s = value if t == 0 else params.alpha * value + (1 - params.alpha) * smoothed[-1]
        smoothed.append(s)
        history = conflict[max(0, t - window):t]
        if len(history) < min_history:
            baseline.append(None)
            index.append(None)
            continue
        mean = sum(history) / len(history)
        spread = math.sqrt(sum((h - mean) ** 2 for h in history) / len(history))
        baseline.append(mean)
        index.append((s - mean) / max(spread, params.floor))
    return smoothed, baseline, index


def build_points(source: str, target: str, rows: Iterable[DailyRow], freq: str, last: date | None,
                 params: IndexParams = DEFAULT_INDEX) -> list[DyadPoint]:
    """The dyad's points from its first period to ``last`` (or its own last period), gaps filled."""
    by_period: dict[date, list[DailyRow]] = defaultdict(list)
    for row in rows:
        by_period[period_start(row.day, freq)].append(row)
    if not by_period:
        return []
    first = min(by_period)
    end = max(last or first, max(by_period))
    periods = periods_between(first, end, freq)
    conflict = [sum(r.conflict for r in by_period.get(p, ())) for p in periods]
    smoothed, baseline, index = escalation_index(conflict, params.for_freq(freq))
    points = []
    for i, p in enumerate(periods):
        rows_here = by_period.get(p, [])
        n = sum(r.events for r in rows_here)
        quads = [0, 0, 0, 0]
        types: Counter[str] = Counter()
        for r in rows_here:
            if 1 <= r.quad_class <= 4:
                quads[r.quad_class - 1] += r.events
            types[r.type] += r.events
        gsum = sum(r.goldstein_sum for r in rows_here)
        order = {t: k for k, t in enumerate(PLOVER_TYPES)}
        points.append(DyadPoint(
            source=source, target=target, period=p, freq=freq, events=n,
            quad_counts=(quads[0], quads[1], quads[2], quads[3]),
            type_counts=tuple(sorted(types.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))),
            goldstein_sum=round(gsum, 6), goldstein_mean=round(gsum / n, 6) if n else None,
            conflict=round(conflict[i], 6), cooperation=round(sum(r.cooperation for r in rows_here), 6),
            smoothed=round(smoothed[i], 6), baseline=None if baseline[i] is None else round(baseline[i] or 0.0, 6),
            escalation_index=None if index[i] is None else round(index[i] or 0.0, 6)))
    return points


def dyad_series(store: Store, a: str, b: str, *, freq: str = "W", since: date | None = None,
                until: date | None = None, params: IndexParams = DEFAULT_INDEX) -> list[DyadPoint]:
    """The directed series ``a -> b``: one point per period, empty periods included.

    The index is computed over the whole history (a baseline needs it); ``since`` and
    ``until`` only cut the points returned.
    """
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    freq = resolve_freq(store, freq)
    check_date_range(since, until)
    rows = daily_rows(store, source=a, target=b, until=until)
    points = build_points(a, b, rows, freq, latest_period(store, freq, until=until), params)
    if since:
        start = period_start(since, freq)
        points = [p for p in points if p.period >= start]
    return points
