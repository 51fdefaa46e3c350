"""Dyads: one pair in both directions (``dyad_report``) and the ranking of all pairs (``top_dyads``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import BadOption
from ..model import PLOVER_TYPES, DyadPoint
from ..store import Store
from .codes import check_date_range, date_range_sql, validate_dyad_key
from .series import (
    DEFAULT_INDEX,
    IndexParams,
    check_length,
    direction_points,
    dyad_spans,
    latest_period,
    pair_range,
    period_rows,
    resolve_freq,
    series_arrays,
    shift_period,
)

__all__ = ["DirectionSummary", "DyadReport", "DyadStat", "dyad_report", "top_dyads"]


@dataclass(frozen=True)
class DirectionSummary:
    """Totals of one direction over the chosen range (real events only; ``flagged`` counts the rest)."""

    source: str
    target: str
    events: int
    flagged: int
    quad_counts: tuple[int, int, int, int]
    type_counts: tuple[tuple[str, int], ...]
    goldstein_sum: float
    goldstein_mean: float | None
    conflict: float
    cooperation: float
    latest_index: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "events": self.events, "flagged": self.flagged,
            "quad_counts": {str(q): n for q, n in zip((1, 2, 3, 4), self.quad_counts, strict=True)},
            "type_counts": dict(self.type_counts), "goldstein_sum": self.goldstein_sum,
            "goldstein_mean": self.goldstein_mean, "conflict": self.conflict, "cooperation": self.cooperation,
            "latest_index": self.latest_index,
        }


def _summarise(source: str, target: str, points: Sequence[DyadPoint], flagged: int) -> DirectionSummary:
    quads = [0, 0, 0, 0]
    types: Counter[str] = Counter()
    for p in points:
        for i in range(4):
            quads[i] += p.quad_counts[i]
        types.update(dict(p.type_counts))
    n = sum(p.events for p in points)
    gsum = round(sum(p.goldstein_sum for p in points), 6)
    order = {t: k for k, t in enumerate(PLOVER_TYPES)}
    latest = next((p.escalation_index for p in reversed(points) if p.escalation_index is not None), None)
    return DirectionSummary(
        source=source, target=target, events=n, flagged=flagged, quad_counts=(quads[0], quads[1], quads[2], quads[3]),
        type_counts=tuple(sorted(types.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))),
        goldstein_sum=gsum, goldstein_mean=round(gsum / n, 6) if n else None,
        conflict=round(sum(p.conflict for p in points), 6), cooperation=round(sum(p.cooperation for p in points), 6),
        latest_index=latest)


@dataclass(frozen=True)
class DyadReport:
    """``a`` and ``b`` in both directions: totals and the per-period series with the index."""

    a: str
    b: str
    freq: str
    since: date | None
    until: date | None
    directions: tuple[DirectionSummary, DirectionSummary]
    series: tuple[tuple[DyadPoint, ...], tuple[DyadPoint, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "freq": self.freq,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "directions": [d.to_dict() for d in self.directions],
            "series": {f"{d.source}->{d.target}": [p.to_dict() for p in pts]
                       for d, pts in zip(self.directions, self.series, strict=True)},
        }


def _flagged_count(store: Store, source: str, target: str, since: date | None, until: date | None) -> int:
    clauses = ["NOT is_real", "source_key = ?", "target_key = ?"]
    params: list[Any] = [source, target]
    dated, dates = date_range_sql(since, until, column="event_date")
    clauses += dated
    params += dates
    return int(store.scalar(f"SELECT count(*) FROM dyad_events WHERE {' AND '.join(clauses)}", params) or 0)


def dyad_report(store: Store, a: str, b: str, *, freq: str = "W", since: date | None = None,
                until: date | None = None, params: IndexParams = DEFAULT_INDEX) -> DyadReport:
    """Both directions of the pair over its own data (first to last event in either direction),
    or over ``since .. until`` when given; ``freq`` ``auto`` is chosen from the pair's span."""
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    if a == b:
        raise BadOption(f"a dyad needs two different actors, got {a} twice",
                        "give two codes, e.g. detente dyad USA RUS (domestic events: detente events)")
    check_date_range(since, until)
    freq = resolve_freq(store, freq, pair=(a, b))
    found = pair_range(store, a, b, since=since, until=until)
    if found is not None:
        check_length(found[1], found[2], freq)
    directions = []
    series = []
    for src, tgt in ((a, b), (b, a)):
        points = [] if found is None else direction_points(store, src, tgt, freq, start=found[1], end=found[2],
                                                           params=params)
        series.append(tuple(points))
        directions.append(_summarise(src, tgt, points, _flagged_count(store, src, tgt, since, until)))
    return DyadReport(a=a, b=b, freq=freq, since=since, until=until,
                      directions=(directions[0], directions[1]), series=(series[0], series[1]))


@dataclass(frozen=True)
class DyadStat:
    """One directed dyad in a ranking."""

    source: str
    target: str
    events: int
    conflict_events: int
    cooperation_events: int
    goldstein_sum: float
    goldstein_mean: float | None
    escalation_index: float | None
    period: date | None
    latest_events: int = 0

    @property
    def escalating(self) -> bool:
        """Above its own baseline in the latest period, with events there (a dyad fallen silent is not
        escalating, however small a trace of its last quarrel the smoothed intensity keeps)."""
        return self.escalation_index is not None and self.escalation_index > 0 and self.latest_events > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "events": self.events,
            "conflict_events": self.conflict_events, "cooperation_events": self.cooperation_events,
            "goldstein_sum": self.goldstein_sum, "goldstein_mean": self.goldstein_mean,
            "escalation_index": self.escalation_index, "period": self.period.isoformat() if self.period else None,
            "latest_events": self.latest_events,
        }


_ORDERS = ("events", "escalation", "conflict")


def top_dyads(store: Store, *, by: str = "events", limit: int = 10, since: date | None = None,
              until: date | None = None, freq: str = "W", params: IndexParams = DEFAULT_INDEX) -> list[DyadStat]:
    """Directed dyads ranked by real-event count (``events``), escalation index in the store's
    latest period (``escalation``; a dyad silent by then has fallen back to its baseline) or
    conflict-event count (``conflict``); ``since``/``until`` bound the counts.

    Counts are summed by the database; each index reads only the ``lookback`` periods before
    the latest one, so ranking costs the same for a store of one month or of ten years.
    """
    if by not in _ORDERS:
        raise BadOption(f"cannot rank dyads by '{by}'", "use events, escalation or conflict")
    if limit < 1:
        raise BadOption(f"limit {limit} is not positive", "give a limit of 1 or more")
    freq = resolve_freq(store, freq)
    check_date_range(since, until)
    last = latest_period(store, freq, until=until)
    clauses = ["is_real", "event_date IS NOT NULL", "target_key IS NOT NULL", "source_key <> target_key"]
    params_sql: list[Any] = []
    dated, dates = date_range_sql(since, until, column="event_date")
    rows = store.query(
        f"""SELECT source_key, target_key, count(*) AS n, count_if(quad_class >= 3) AS conflict_n,
                   count_if(quad_class BETWEEN 1 AND 2) AS cooperation_n, sum(goldstein) AS gs
            FROM dyad_events WHERE {' AND '.join(clauses + dated)} GROUP BY source_key, target_key""",
        params_sql + dates)
    index_now: dict[tuple[str, str], float | None] = {}
    latest_n: dict[tuple[str, str], int] = {}
    if last is not None and rows:
        p = params.for_freq(freq)
        window_start = shift_period(last, -p.lookback, freq)
        pairs = [(r["source_key"], r["target_key"]) for r in rows]
        spans = dyad_spans(store, pairs=pairs, until=until)
        recent = period_rows(store, freq, pairs=pairs, since=window_start, until=until)
        for pair, (first, _) in spans.items():
            latest_row = recent.get(pair, {}).get(last)
            latest_n[pair] = latest_row.events if latest_row else 0
            arrays = series_arrays(recent.get(pair, {}), freq, first=first, start=last, end=last, params=params)
            value = arrays.index[-1] if arrays.periods else float("nan")
            index_now[pair] = None if value != value else round(float(value), 6)
    stats = []
    for r in rows:
        n = int(r["n"])
        gsum = round(float(r["gs"] or 0.0), 6)
        pair = (r["source_key"], r["target_key"])
        stats.append(DyadStat(
            source=pair[0], target=pair[1], events=n, conflict_events=int(r["conflict_n"]),
            cooperation_events=int(r["cooperation_n"]), goldstein_sum=gsum,
            goldstein_mean=round(gsum / n, 6) if n else None, escalation_index=index_now.get(pair), period=last,
            latest_events=latest_n.get(pair, 0)))
    if by == "events":
        stats.sort(key=lambda s: (-s.events, s.source, s.target))
    elif by == "conflict":
        stats.sort(key=lambda s: (-s.conflict_events, -s.events, s.source, s.target))
    else:
        stats.sort(key=lambda s: (s.escalation_index is None, not s.latest_events, -(s.escalation_index or 0.0),
                                  -s.events, s.source, s.target))
    return stats[:limit]
