"""Analysis that scales with the data, not the calendar: series over a dyad's own range, an index
read from bounded history that equals the full computation, and change points that do not depend
on which periods were asked for."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from detente.analysis import dyad_report, dyad_series, find_alerts, top_dyads
from detente.analysis.changepoint import pelt_breakpoints, upward_shifts
from detente.analysis.series import IndexParams, periods_between
from detente.cli import main
from detente.store import Store, open_store
from tests.store_support import add_events, article_for, make_event

CONFLICT = ("ACCUSE", "THREATEN", "SANCTION", "ASSAULT")
COOPERATION = ("CONSULT", "AID")


def _random_store(rng: random.Random, *, days: int, events: int, start: date = date(2020, 1, 1)) -> Store:
    """Events among four countries over ``days`` days, in bursts, each in its own article."""
    store = open_store(":memory:")
    pairs = [("USAGOV", "RUSGOV"), ("RUSMIL", "USAMIL"), ("CHNGOV", "JPNGOV"), ("JPNGOV", "CHNGOV")]
    bursts = sorted(rng.sample(range(days), 6))
    plan = []
    for _ in range(events):
        src, tgt = rng.choice(pairs)
        day = rng.choice(bursts) + rng.randrange(6) if rng.random() < 0.4 else rng.randrange(days)
        kind = rng.choice(CONFLICT if rng.random() < 0.7 else COOPERATION)
        plan.append((src, kind, tgt, start + timedelta(days=min(day, days - 1))))
    add_events(store, plan)
    return store


def reference_points(store: Store, src: str, tgt: str, freq: str, end: date,
                     params: IndexParams = IndexParams()) -> dict[date, tuple[float, float | None]]:
    """The index as first written: every period from the direction's first event to ``end``, in Python."""
    p = params.for_freq(freq)
    rows = store.query("""SELECT event_date, goldstein, confidence FROM dyad_events
                          WHERE is_real AND source_key = ? AND target_key = ? AND event_date <= ?""", [src, tgt, end])
    if not rows:
        return {}
    periods = periods_between(min(r["event_date"] for r in rows), end, freq)
    from detente.analysis.series import period_start

    conflict = dict.fromkeys(periods, 0.0)
    for r in rows:
        if r["goldstein"] < 0:
            conflict[period_start(r["event_date"], freq)] += -r["goldstein"] * r["confidence"]
    values = [conflict[q] for q in periods]
    out, smoothed = {}, 0.0
    for t, value in enumerate(values):
        smoothed = value if t == 0 else p.alpha * value + (1 - p.alpha) * smoothed
        history = values[max(0, t - (p.window or 0)):t]
        if len(history) < (p.min_history or 0):
            out[periods[t]] = (value, None)
            continue
        mean = sum(history) / len(history)
        spread = math.sqrt(sum((h - mean) ** 2 for h in history) / len(history))
        out[periods[t]] = (value, (smoothed - mean) / max(spread, p.floor))
    return out


# ---- change points -----------------------------------------------------------------------------

def test_pelt_matches_ruptures() -> None:
    ruptures = pytest.importorskip("ruptures")
    rng = np.random.default_rng(16)
    for _ in range(60):
        levels = [rng.normal(rng.uniform(0, 10), rng.uniform(0.3, 3), size=int(rng.integers(1, 30)))
                  for _ in range(int(rng.integers(1, 5)))]
        signal = np.concatenate(levels)
        penalty = float(rng.uniform(1, 50))
        expected = ruptures.Pelt(model="l2", min_size=1, jump=1).fit(signal.reshape(-1, 1)).predict(pen=penalty)
        assert pelt_breakpoints(signal, penalty) == expected


def test_a_shift_is_found_wherever_the_checked_periods_start() -> None:
    rng = np.random.default_rng(3)
    series = np.concatenate([rng.poisson(1.0, 700), rng.poisson(9.0, 40), rng.poisson(1.0, 300)]).astype(float) * 1.6
    whole = upward_shifts(series, window=28, min_history=7, floor=2.0)
    assert any(695 <= i <= 705 for i in whole)
    for start in (0, 100, 333, 650):
        # the series handed in starts 8 windows before the first checked period, as alerts read it
        begin = max(0, start - 8 * 28)
        part = upward_shifts(series[begin:], window=28, min_history=7, floor=2.0, check_from=start - begin,
                             history_offset=begin, align=begin)
        assert {i + begin for i in part} == {i for i in whole if i >= start}


# ---- series over the dyad's own range ------------------------------------------------------------

def test_a_series_spans_its_dyads_own_data(store: Store) -> None:
    add_events(store, [("USAGOV", "THREATEN", "RUSGOV", date(2021, 3, 1)),
                       ("RUSGOV", "ACCUSE", "USAGOV", date(2021, 3, 20)),
                       ("USAGOV", "SANCTION", "RUSGOV", date(2021, 3, 9))])
    # other news, years apart (one off-topic page dated 2026)
    add_events(store, [("CHNGOV", "ACCUSE", "JPNGOV", date(2016, 1, 4)),
                       ("CHNGOV", "ACCUSE", "JPNGOV", date(2026, 5, 1))])
    days = periods_between(date(2021, 3, 1), date(2021, 3, 20), "D")
    points = dyad_series(store, "USA", "RUS", freq="D")
    assert [p.period for p in points] == days
    assert sum(p.events for p in points) == 2
    report = dyad_report(store, "USA", "RUS", freq="D")
    assert [p.period for p in report.series[0]] == days == [p.period for p in report.series[1]]
    # RUS -> USA has no history before its first event: no index before it
    assert all(p.escalation_index is None and p.events == 0 for p in report.series[1][:-1])
    # auto reads the pair's 20 days by day, though the store spans ten years
    assert dyad_report(store, "USA", "RUS", freq="auto").freq == "D"
    # the range asked for is the range shown
    asked = dyad_series(store, "USA", "RUS", freq="W", since=date(2021, 2, 1), until=date(2021, 4, 30))
    assert [p.period for p in asked] == periods_between(date(2021, 2, 1), date(2021, 4, 30), "W")
    assert dyad_series(store, "USA", "RUS", freq="D", since=date(2021, 4, 1)) == []
    # weekly alerts at the store's latest period look only at dyads active in it
    assert find_alerts(store, freq="W") == []


def test_a_range_of_a_century_of_days_is_refused(store: Store) -> None:
    from detente.errors import BadOption

    add_events(store, [("USAGOV", "THREATEN", "RUSGOV", date(2021, 3, 1))])
    with pytest.raises(BadOption, match="more than 40,000"):
        dyad_series(store, "USA", "RUS", freq="D", since=date(1900, 1, 1), until=date(2021, 3, 1))


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "freq", "cut"), [(1, "D", 30), (2, "D", 400), (3, "W", 150), (4, "W", 480),
                                                   (5, "M", 200), (6, "M", 60)])
def test_bounded_history_gives_the_full_computation(seed: int, freq: str, cut: int) -> None:
    rng = random.Random(seed)
    with _random_store(rng, days=700, events=160) as store:
        full = {(p.source, p.target, p.period): p for a, b in (("USA", "RUS"), ("RUS", "USA"))
                for p in dyad_series(store, a, b, freq=freq)}
        since = date(2020, 1, 1) + timedelta(days=cut)
        for a, b in (("USA", "RUS"), ("RUS", "USA")):
            part = dyad_series(store, a, b, freq=freq, since=since)
            assert part and all(full[(p.source, p.target, p.period)] == p for p in part)
            end = part[-1].period
            reference = reference_points(store, a, b, freq, end + timedelta(days=40 if freq == "M" else 7))
            for p in part:
                if p.period not in reference:
                    assert p.escalation_index is None and p.events == 0  # before this direction's first event
                    continue
                conflict, index = reference[p.period]
                assert p.conflict == pytest.approx(conflict, abs=1e-6)
                if index is None:
                    assert p.escalation_index is None
                else:
                    assert p.escalation_index == pytest.approx(index, abs=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "freq"), [(0, "W"), (1, "D"), (2, "D"), (3, "W")])
def test_alerts_do_not_depend_on_the_periods_asked(seed: int, freq: str) -> None:
    rng = random.Random(seed)
    with _random_store(rng, days=900, events=300) as store:
        early, late = date(2020, 6, 1), date(2021, 9, 1)
        from_early = find_alerts(store, since=early, freq=freq)
        from_late = find_alerts(store, since=late, freq=freq)
        assert [a for a in from_early if a.period >= late - timedelta(days=late.weekday() if freq == "W" else 0)] \
            == from_late
        newest = find_alerts(store, freq=freq)
        assert all(a.period == newest[0].period for a in newest)
        if newest:
            assert newest == [a for a in from_early if a.period == newest[0].period]
        for alert in from_early:
            assert alert.events and alert.conflict > 0  # every alert names the events that drove it
            period_end = alert.period + timedelta(days=6 if freq == "W" else 0)
            reference = reference_points(store, alert.source, alert.target, freq, period_end)
            if "threshold" in alert.detectors:
                assert reference[alert.period][1] == pytest.approx(alert.escalation_index, abs=1e-5)


def test_ranking_by_escalation_reads_the_latest_period(store: Store) -> None:
    start = date(2021, 1, 4)
    calm = [("CHNGOV", "ACCUSE", "JPNGOV", start + timedelta(days=7 * n)) for n in range(30)]
    flare = [("ISRMIL", "ACCUSE", "SYRGOV", start + timedelta(days=7 * n)) for n in range(29)]
    flare += [("ISRMIL", "ASSAULT", "SYRMIL", start + timedelta(days=7 * 29 + d)) for d in range(3)]
    old = [("USAGOV", "ASSAULT", "RUSGOV", start + timedelta(days=d)) for d in range(5)]  # long over
    add_events(store, calm + flare + old)
    ranked = top_dyads(store, by="escalation", freq="W", limit=3)
    assert ranked[0].source == "ISR" and ranked[0].escalation_index is not None
    assert ranked[0].escalation_index > 2
    usa = next(d for d in top_dyads(store, by="events", freq="W", limit=10) if d.source == "USA")
    assert usa.escalation_index == pytest.approx(0.0, abs=1e-6)


def test_dyad_csv_prints_one_row_per_day_of_the_dyad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "d.duckdb"
    with open_store(db) as store:
        with store.writer() as writer:
            for n, day in enumerate((date(2020, 9, 27), date(2020, 10, 3), date(2020, 11, 10))):
                text = f"Report {n}: Armenia and Azerbaijan."
                doc, article = article_for(text, doc_id=f"r{n}")
                src, tgt = ("ARMMIL", "AZEMIL") if n % 2 == 0 else ("AZEMIL", "ARMMIL")
                writer.add(article, [make_event(src, "ASSAULT", tgt, day, article_id=article.id, sentence=text)],
                           document=doc)
        add_events(store, [("USAGOV", "ACCUSE", "RUSGOV", date(2016, 1, 1)),
                           ("USAGOV", "ACCUSE", "RUSGOV", date(2025, 12, 31))])
    assert main(["dyad", "ARM", "AZE", "--freq", "D", "--csv", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("period,ARM->AZE events,")
    assert len(lines) - 1 == (date(2020, 11, 10) - date(2020, 9, 27)).days + 1
    assert lines[1].startswith("2020-09-27,1,") and lines[-1].startswith("2020-11-10,1,")
    assert main(["dyad", "ARM", "AZE", "--freq", "D", "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert "45 periods" in shown
