"""Dyads: one pair in both directions (``dyad_report``) and the ranking of all pairs (``top_dyads``)."""

from __future__ import annotations

from collections import Counter, defaultdict
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
    DailyRow,
    IndexParams,
    build_points,
    daily_rows,
    latest_period,
    period_start,
    resolve_freq,
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
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    if a == b:
        raise BadOption(f"a dyad needs two different actors, got {a} twice",
                        "give two codes, e.g. detente dyad USA RUS (domestic events: detente events)")
    freq = resolve_freq(store, freq)
    check_date_range(since, until)
    last = latest_period(store, freq, until=until)
    directions = []
    series = []
    for src, tgt in ((a, b), (b, a)):
        points = build_points(src, tgt, daily_rows(store, source=src, target=tgt, until=until), freq, last, params)
        if since:
            start = period_start(since, freq)
            points = [p for p in points if p.period >= start]
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "events": self.events,
            "conflict_events": self.conflict_events, "cooperation_events": self.cooperation_events,
            "goldstein_sum": self.goldstein_sum, "goldstein_mean": self.goldstein_mean,
            "escalation_index": self.escalation_index, "period": self.period.isoformat() if self.period else None,
        }


_ORDERS = ("events", "escalation", "conflict")


def top_dyads(store: Store, *, by: str = "events", limit: int = 10, since: date | None = None,
              until: date | None = None, freq: str = "W", params: IndexParams = DEFAULT_INDEX) -> list[DyadStat]:
    """Directed dyads ranked by real-event count (``events``), latest escalation index
    (``escalation``) or conflict-event count (``conflict``); ``since``/``until`` bound the counts."""
    if by not in _ORDERS:
        raise BadOption(f"cannot rank dyads by '{by}'", "use events, escalation or conflict")
    if limit < 1:
        raise BadOption(f"limit {limit} is not positive", "give a limit of 1 or more")
    freq = resolve_freq(store, freq)
    check_date_range(since, until)
    last = latest_period(store, freq, until=until)
    grouped: dict[tuple[str, str], list[DailyRow]] = defaultdict(list)
    for row in daily_rows(store, until=until):
        if row.source != row.target:
            grouped[(row.source, row.target)].append(row)
    stats = []
    for (src, tgt), rows in grouped.items():
        in_range = [r for r in rows if since is None or r.day >= since]
        if not in_range:
            continue
        n = sum(r.events for r in in_range)
        gsum = round(sum(r.goldstein_sum for r in in_range), 6)
        points = build_points(src, tgt, rows, freq, last, params)
        index = points[-1].escalation_index if points else None
        stats.append(DyadStat(
            source=src, target=tgt, events=n,
            conflict_events=sum(r.events for r in in_range if r.quad_class >= 3),
            cooperation_events=sum(r.events for r in in_range if 1 <= r.quad_class <= 2),
            goldstein_sum=gsum, goldstein_mean=round(gsum / n, 6) if n else None,
            escalation_index=index, period=last))
    if by == "events":
        stats.sort(key=lambda s: (-s.events, s.source, s.target))
    elif by == "conflict":
        stats.sort(key=lambda s: (-s.conflict_events, -s.events, s.source, s.target))
    else:
        stats.sort(key=lambda s: (s.escalation_index is None, -(s.escalation_index or 0.0), -s.events,
                                  s.source, s.target))
    return stats[:limit]
