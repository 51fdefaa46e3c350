"""Dyad series and the escalation index, computed per dyad and period over the dyad's own range.

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

What it costs follows the data, not the calendar. The database sums the events per dyad
and period (``period_rows``); a series spans its dyad's own data (first to last period, or
the range asked for), with the empty periods inside it filled in. A point depends only on
the ``window`` periods before it and on the smoothed intensity, whose memory halves every
period, so a point is computed exactly (to the six decimals reported) from ``lookback``
periods of history: asking for the latest period of a ten-year store reads a few weeks.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..errors import BadOption
from ..model import PLOVER_TYPES, DyadPoint
from ..store import Store
from .codes import check_date_range, parse_freq, validate_dyad_key

__all__ = [
    "DEFAULT_INDEX",
    "MAX_PERIODS",
    "IndexParams",
    "PeriodRow",
    "dyad_series",
    "dyad_spans",
    "escalation_index",
    "index_arrays",
    "latest_period",
    "next_period",
    "period_rows",
    "period_start",
    "periods_between",
    "resolve_freq",
    "series_points",
    "shift_period",
]


# Baseline window and the history needed before the index is defined, per frequency: about
# two months of weeks, four weeks of days, half a year of months.
_WINDOW = {"D": 28, "W": 8, "M": 6}
_MIN_HISTORY = {"D": 7, "W": 4, "M": 3}
# The longest series one request may ask for (a century of days); longer ranges want a coarser --freq.
MAX_PERIODS = 40_000
_ORDER = {t: k for k, t in enumerate(PLOVER_TYPES)}


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

    @property
    def lookback(self) -> int:
        """Periods of history that make a point exact: the baseline window plus the periods after
        which the smoothed intensity's memory of older periods is below 1e-12 of their value."""
        window = self.window or _WINDOW["W"]
        if self.alpha >= 1:
            return window
        return window + math.ceil(math.log(1e-12) / math.log(1 - self.alpha))


DEFAULT_INDEX = IndexParams()


# ---- periods -------------------------------------------------------------------------------------

def period_start(day: date, freq: str) -> date:
    if freq == "D":
        return day
    if freq == "W":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, freq: str) -> date:
    return shift_period(start, 1, freq)


def shift_period(start: date, k: int, freq: str) -> date:
    """The period ``k`` periods after (before, for negative ``k``) the period starting ``start``."""
    if freq == "D":
        return start + timedelta(days=k)
    if freq == "W":
        return start + timedelta(days=7 * k)
    months = start.year * 12 + start.month - 1 + k
    return date(months // 12, months % 12 + 1, 1)


def period_number(start: date, freq: str) -> int:
    """The position of a period in the calendar, counted from a fixed origin (for aligned blocks)."""
    if freq == "D":
        return start.toordinal()
    if freq == "W":
        return (start.toordinal() - 1) // 7  # date(1, 1, 1) is a Monday
    return start.year * 12 + start.month - 1


def period_count(first: date, last: date, freq: str) -> int:
    """How many periods from ``first`` to ``last`` (both period starts), both included; 0 when inverted."""
    if last < first:
        return 0
    if freq == "D":
        return (last - first).days + 1
    if freq == "W":
        return (last - first).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def periods_between(first: date, last: date, freq: str) -> list[date]:
    start = period_start(first, freq)
    return [shift_period(start, k, freq) for k in range(period_count(start, period_start(last, freq), freq))]


_PERIOD_SQL = {"D": "event_date", "W": "CAST(date_trunc('week', event_date) AS DATE)",
               "M": "CAST(date_trunc('month', event_date) AS DATE)"}
_REAL = ["is_real", "event_date IS NOT NULL", "target_key IS NOT NULL"]


# ---- what the database sums ----------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodRow:
    """The real events of one directed dyad in one period, summed by the database."""

    period: date
    events: int
    quad_counts: tuple[int, int, int, int]
    type_counts: tuple[tuple[str, int], ...]
    goldstein_sum: float
    conflict: float
    cooperation: float


def _dyad_clauses(source: str | None, target: str | None, pairs: Iterable[tuple[str, str]] | None,
                  since: date | None, until: date | None, distinct: bool) -> tuple[list[str], list[Any]]:
    clauses: list[str] = list(_REAL)
    params: list[Any] = []
    if source:
        clauses.append("source_key = ?")
        params.append(source)
    if target:
        clauses.append("target_key = ?")
        params.append(target)
    if pairs is not None:
        pair_list = sorted(set(pairs))
        if not pair_list:
            clauses.append("false")
        else:
            clauses.append("(source_key, target_key) IN (" + ", ".join("(?, ?)" for _ in pair_list) + ")")
            params += [k for pair in pair_list for k in pair]
    if distinct:
        clauses.append("source_key <> target_key")
    if since:
        clauses.append("event_date >= ?")
        params.append(since)
    if until:
        clauses.append("event_date <= ?")
        params.append(until)
    return clauses, params


def period_rows(store: Store, freq: str, *, source: str | None = None, target: str | None = None,
                pairs: Iterable[tuple[str, str]] | None = None, since: date | None = None,
                until: date | None = None, distinct: bool = False
                ) -> dict[tuple[str, str], dict[date, PeriodRow]]:
    """Per directed dyad, its periods with real, dated events in ``[since, until]`` (dates of events),
    summed in the database. ``distinct`` leaves out domestic events (source and target the same)."""
    clauses, params = _dyad_clauses(source, target, pairs, since, until, distinct)
    rows = store.query(
        f"""SELECT source_key, target_key, {_PERIOD_SQL[freq]} AS period, count(*) AS n, sum(goldstein) AS gs,
                   sum(CASE WHEN goldstein < 0 THEN -goldstein * confidence ELSE 0 END) AS conflict,
                   sum(CASE WHEN goldstein > 0 THEN goldstein * confidence ELSE 0 END) AS cooperation,
                   count_if(quad_class = 1) AS q1, count_if(quad_class = 2) AS q2,
                   count_if(quad_class = 3) AS q3, count_if(quad_class = 4) AS q4, histogram(type) AS types
            FROM dyad_events WHERE {' AND '.join(clauses)}
            GROUP BY ALL ORDER BY source_key, target_key, period""", params)
    out: dict[tuple[str, str], dict[date, PeriodRow]] = {}
    for r in rows:
        types = tuple(sorted(((str(k), int(v)) for k, v in (r["types"] or {}).items()),
                             key=lambda kv: (_ORDER.get(kv[0], 99), kv[0])))
        out.setdefault((r["source_key"], r["target_key"]), {})[r["period"]] = PeriodRow(
            period=r["period"], events=int(r["n"]),
            quad_counts=(int(r["q1"]), int(r["q2"]), int(r["q3"]), int(r["q4"])),
            type_counts=types, goldstein_sum=float(r["gs"] or 0.0), conflict=float(r["conflict"] or 0.0),
            cooperation=float(r["cooperation"] or 0.0))
    return out


def dyad_spans(store: Store, *, source: str | None = None, target: str | None = None,
               pairs: Iterable[tuple[str, str]] | None = None, until: date | None = None,
               active_since: date | None = None, distinct: bool = False) -> dict[tuple[str, str], tuple[date, date]]:
    """Per directed dyad, the dates of its first and last real event (up to ``until``); with
    ``active_since``, only dyads with an event on or after that date."""
    clauses, params = _dyad_clauses(source, target, pairs, None, until, distinct)
    having = ""
    if active_since:
        having, params = " HAVING max(event_date) >= ?", [*params, active_since]
    rows = store.query(
        f"""SELECT source_key, target_key, min(event_date) AS lo, max(event_date) AS hi FROM dyad_events
            WHERE {' AND '.join(clauses)} GROUP BY source_key, target_key{having}""", params)
    return {(r["source_key"], r["target_key"]): (r["lo"], r["hi"]) for r in rows}


def latest_period(store: Store, freq: str, *, until: date | None = None) -> date | None:
    """The period of the latest real event in the store (news corpora are not about today)."""
    params: list[Any] = []
    cond = ""
    if until:
        cond, params = " AND event_date <= ?", [until]
    day = store.scalar(f"SELECT max(event_date) FROM dyad_events WHERE is_real{cond}", params)
    return period_start(day, freq) if day else None


def resolve_freq(store: Store, freq: str, *, pair: tuple[str, str] | None = None) -> str:
    """``freq`` checked; ``auto`` becomes D for data spanning up to 3 months, W up to 3 years, else M,
    so the index has enough periods of history to be defined. With ``pair``, the span is that
    dyad's (both directions), else the store's."""
    value = parse_freq(freq)
    if value != "auto":
        return value
    cond, params = "", []
    if pair:
        cond = " AND ((source_key = ? AND target_key = ?) OR (source_key = ? AND target_key = ?))"
        params = [pair[0], pair[1], pair[1], pair[0]]
    row = store.query("SELECT min(event_date) AS lo, max(event_date) AS hi FROM dyad_events WHERE is_real" + cond,
                      params)[0]
    if row["lo"] is None:
        return "W"
    span = (row["hi"] - row["lo"]).days
    return "D" if span <= 92 else "W" if span <= 3 * 366 else "M"


# ---- the index -----------------------------------------------------------------------------------

def index_arrays(conflict: Sequence[float] | np.ndarray, params: IndexParams = DEFAULT_INDEX, *,
                 history_offset: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(smoothed, baseline, index) for a conflict-intensity series, NaN where undefined.

    ``history_offset`` is how many periods of the dyad's history precede ``conflict[0]``; the
    baseline of a point is exact once ``window`` periods of the series precede it.
    """
    window = params.window or _WINDOW["W"]
    min_history = params.min_history or _MIN_HISTORY["W"]
    c = np.asarray(conflict, dtype=float)
    n = c.size
    smoothed = np.empty(n)
    s = 0.0
    for t in range(n):
        s = c[t] if t == 0 else params.alpha * c[t] + (1 - params.alpha) * s
        smoothed[t] = s
    padded = np.concatenate((np.full(window, np.nan), c))
    history = np.lib.stride_tricks.sliding_window_view(padded, window)[:n]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the all-NaN window of the first period
        baseline = np.nanmean(history, axis=1) if n else np.empty(0)
        spread = np.nanstd(history, axis=1) if n else np.empty(0)
    seen = np.minimum(np.arange(n) + history_offset, window)
    defined = seen >= max(min_history, 1)
    baseline = np.where(defined, baseline, np.nan)
    index = np.where(defined, (smoothed - baseline) / np.maximum(spread, params.floor), np.nan)
    return smoothed, baseline, index


def escalation_index(conflict: Sequence[float], params: IndexParams = DEFAULT_INDEX
                     ) -> tuple[list[float], list[float | None], list[float | None]]:
    """(smoothed, baseline, index) for a conflict-intensity series (see the module docstring)."""
    smoothed, baseline, index = index_arrays(conflict, params)
    return ([float(v) for v in smoothed], [None if math.isnan(v) else float(v) for v in baseline],
            [None if math.isnan(v) else float(v) for v in index])


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 6)


def make_point(source: str, target: str, period: date, freq: str, row: PeriodRow | None, smoothed: float,
               baseline: float, index: float) -> DyadPoint:
    if row is None:
        return DyadPoint(source=source, target=target, period=period, freq=freq, events=0, quad_counts=(0, 0, 0, 0),
                         type_counts=(), goldstein_sum=0.0, goldstein_mean=None, conflict=0.0, cooperation=0.0,
                         smoothed=round(float(smoothed), 6), baseline=_round(baseline), escalation_index=_round(index))
    return DyadPoint(
        source=source, target=target, period=period, freq=freq, events=row.events, quad_counts=row.quad_counts,
        type_counts=row.type_counts, goldstein_sum=round(row.goldstein_sum, 6),
        goldstein_mean=round(row.goldstein_sum / row.events, 6) if row.events else None,
        conflict=round(row.conflict, 6), cooperation=round(row.cooperation, 6), smoothed=round(float(smoothed), 6),
        baseline=_round(baseline), escalation_index=_round(index))


@dataclass(frozen=True)
class SeriesArrays:
    """A dyad's periods from ``periods[0]`` on, with the index arrays; ``offset`` periods of its
    history come before ``periods[0]``."""

    periods: list[date]
    conflict: np.ndarray
    smoothed: np.ndarray
    baseline: np.ndarray
    index: np.ndarray
    offset: int


def series_arrays(rows: Mapping[date, PeriodRow], freq: str, *, first: date, start: date, end: date,
                  params: IndexParams, history: int | None = None) -> SeriesArrays:
    """The arrays that make the points ``start .. end`` exact: from ``history`` (default
    ``lookback``) periods before ``start`` (or the dyad's ``first`` period, when later) to
    ``end``. ``rows`` must hold every period with events in that range."""
    p = params.for_freq(freq)
    back = p.lookback if history is None else max(history, p.lookback)
    begin = max(period_start(first, freq), shift_period(period_start(start, freq), -back, freq))
    count = period_count(begin, period_start(end, freq), freq)
    periods = [shift_period(begin, k, freq) for k in range(count)]
    conflict = np.array([rows[q].conflict if q in rows else 0.0 for q in periods], dtype=float)
    offset = period_count(period_start(first, freq), begin, freq) - 1 if begin > first else 0
    smoothed, baseline, index = index_arrays(conflict, p, history_offset=offset)
    return SeriesArrays(periods, conflict, smoothed, baseline, index, offset)


def series_points(source: str, target: str, rows: Mapping[date, PeriodRow], freq: str, *, first: date,
                  start: date, end: date, params: IndexParams = DEFAULT_INDEX) -> list[DyadPoint]:
    """The dyad's points from ``start`` to ``end`` (period starts), empty periods included."""
    start, end = period_start(start, freq), period_start(end, freq)
    if end < start:
        return []
    arrays = series_arrays(rows, freq, first=first, start=start, end=end, params=params)
    return [make_point(source, target, q, freq, rows.get(q), arrays.smoothed[i], arrays.baseline[i],
                       arrays.index[i])
            for i, q in enumerate(arrays.periods) if q >= start]


def check_length(start: date, end: date, freq: str) -> None:
    """Refuse a range of more than ``MAX_PERIODS`` periods (a century of days) before computing it."""
    count = period_count(period_start(start, freq), period_start(end, freq), freq)
    if count > MAX_PERIODS:
        raise BadOption(f"the range asked for is {count:,} periods of '{freq}', more than {MAX_PERIODS:,}",
                        "ask for a coarser frequency (W or M) or a shorter range (--since/--until)")


def pair_range(store: Store, a: str, b: str, *, since: date | None, until: date | None
               ) -> tuple[date, date, date] | None:
    """(first event date, start, end) of the pair ``a``-``b`` in both directions: the range asked for,
    else the pair's own data; ``None`` when the pair has no real events up to ``until``."""
    spans = dyad_spans(store, pairs=[(a, b), (b, a)], until=until)
    if not spans:
        return None
    first = min(lo for lo, _ in spans.values())
    last = max(hi for _, hi in spans.values())
    start, end = since or first, until or last
    return (first, start, end) if start <= end else None


def empty_point(source: str, target: str, period: date, freq: str) -> DyadPoint:
    """A period of a direction before its first event: nothing happened, and there is no history yet."""
    return make_point(source, target, period, freq, None, 0.0, math.nan, math.nan)


def direction_points(store: Store, src: str, tgt: str, freq: str, *, start: date, end: date,
                     params: IndexParams) -> list[DyadPoint]:
    """One direction of a pair over ``start .. end``, its index read from the history it needs.

    The direction's history starts with its own first event (as in alerts): the periods of the
    range before it are empty, with no index yet.
    """
    p = params.for_freq(freq)
    start, end = period_start(start, freq), end
    span = dyad_spans(store, source=src, target=tgt, until=end).get((src, tgt))
    if span is None:
        return [empty_point(src, tgt, q, freq) for q in periods_between(start, end, freq)]
    own_first = period_start(span[0], freq)
    read_from = max(own_first, shift_period(start, -p.lookback, freq))
    rows = period_rows(store, freq, source=src, target=tgt, since=read_from, until=end).get((src, tgt), {})
    before = [empty_point(src, tgt, q, freq) for q in periods_between(start, shift_period(own_first, -1, freq), freq)
              ] if start < own_first else []
    return before + series_points(src, tgt, rows, freq, first=own_first, start=max(start, own_first), end=end,
                                  params=params)


def dyad_series(store: Store, a: str, b: str, *, freq: str = "W", since: date | None = None,
                until: date | None = None, params: IndexParams = DEFAULT_INDEX) -> list[DyadPoint]:
    """The directed series ``a -> b``: one point per period over the pair's own data (both
    directions, so the two series of a pair line up) or over ``since .. until`` when given.

    The index of each point is computed from the history before it, whatever range is shown.
    """
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    freq = resolve_freq(store, freq, pair=(a, b))
    check_date_range(since, until)
    found = pair_range(store, a, b, since=since, until=until)
    if found is None:
        return []
    _, start, end = found
    check_length(start, end, freq)
    return direction_points(store, a, b, freq, start=start, end=end, params=params)
