"""Queries, dyad series, the escalation index, reciprocity chains and alerts on events built by hand."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.analysis import (
    all_reciprocity,
    dyad_report,
    dyad_series,
    escalation_index,
    escalation_summary,
    find_alerts,
    query_events,
    reciprocity_chains,
    top_dyads,
)
from detente.analysis.alerts import changepoint_starts
from detente.analysis.reciprocity import chains_from_events
from detente.errors import BadOption
from detente.store import Store, open_store
from tests.store_support import add_events, article_for, make_event

MONDAY = date(2021, 1, 4)


def week(n: int, day: int = 0) -> date:
    return MONDAY + timedelta(days=7 * n + day)


# ---- reciprocity ------------------------------------------------------------------------------

def test_reciprocity_finds_exactly_the_planted_chains(store: Store) -> None:
    plan = [
        # chain 1 (conflict): USA -> RUS, RUS answers, USA answers twice in one move, RUS answers
        ("USAGOV", "SANCTION", "RUSGOV", date(2021, 1, 4)),
        ("RUSGOV", "THREATEN", "USA", date(2021, 1, 8)),
        ("USAGOV", "ACCUSE", "RUSGOV", date(2021, 1, 13)),
        ("USAMIL", "MOBILIZE", "RUS", date(2021, 1, 15)),
        ("RUSMIL", "ASSAULT", "USAMIL", date(2021, 1, 20)),
        # no answer within 14 days: not a link
        ("USAGOV", "ACCUSE", "RUSGOV", date(2021, 3, 1)),
        # chain 2 (conflict): RUS starts, USA answers after 5 days
        ("RUSGOV", "COERCE", "USAGOV", date(2021, 3, 20)),
        ("USAGOV", "SANCTION", "RUSGOV", date(2021, 3, 25)),
        # chain 3 (cooperation): an offer answered two days later
        ("USAGOV", "AGREE", "RUSGOV", date(2021, 6, 1)),
        ("RUSGOV", "CONSULT", "USAGOV", date(2021, 6, 3)),
    ]
    noise = [
        ("CHNGOV", "THREATEN", "USAGOV", date(2021, 1, 10)),  # another dyad
        ("USAGOV", "THREATEN", "CHNGOV", date(2021, 1, 12)),
        ("RUSGOV", "CONSULT", "USAGOV", date(2021, 3, 5)),  # cooperation amid conflict, unanswered
        ("RUSGOV", "AID", "RUSGOV", date(2021, 3, 6)),  # domestic
    ]
    planted = add_events(store, plan)
    add_events(store, noise)
    # Flagged events inside the window never link.
    hypo = add_events(store, [("RUSGOV", "ASSAULT", "USAGOV", date(2021, 3, 2))], hypothetical=True)
    neg = add_events(store, [("RUSGOV", "ASSAULT", "USAGOV", date(2021, 3, 3))], negated=True)
    assert hypo and neg

    chains = reciprocity_chains(store, "USA", "RUS", window="14d")
    got = [(c.kind, c.initiator, [(link.provocation.id, link.response.id) for link in c.links]) for c in chains]
    p = [e.id for e in planted]
    assert got == [
        ("conflict", "USA", [(p[0], p[1]), (p[1], p[2]), (p[3], p[4])]),
        ("conflict", "RUS", [(p[6], p[7])]),
        ("cooperation", "USA", [(p[8], p[9])]),
    ]
    first_link = chains[0].links[0].to_dict()
    assert first_link["provocation"]["sentence"] == planted[0].sentence
    assert first_link["response"]["sentence"] == planted[1].sentence and first_link["lag_days"] == 4

    assert [c.kind for c in reciprocity_chains(store, "RUS", "USA", kind="cooperation")] == ["cooperation"]
    # A shorter window cuts the 5-day answers.
    short = reciprocity_chains(store, "USA", "RUS", window="4d", kind="conflict")
    assert [[(lk.provocation.id, lk.response.id) for lk in c.links] for c in short] == [[(p[0], p[1])]]
    # Every pair with answers both ways: USA-RUS and CHN-USA.
    pairs = {frozenset((c.initiator, c.responder)) for c in all_reciprocity(store)}
    assert pairs == {frozenset(("USA", "RUS")), frozenset(("CHN", "USA"))}


def test_same_day_answers_follow_article_order() -> None:
    text = "The US expelled ten Russian diplomats.\nIn response, Russia summoned the US ambassador."
    _, article = article_for(text)
    lines = text.split("\n")
    first = make_event("USAGOV", "SANCTION", "RUSGOV", date(2021, 4, 15), article_id=article.id, index=0,
                       sentence=lines[0])
    second = make_event("RUSGOV", "THREATEN", "USAGOV", date(2021, 4, 15), article_id=article.id, index=1,
                        sentence=lines[1], span=(len(lines[0]) + 1, len(text)))
    chains = chains_from_events([second, first], kind="conflict")
    assert [(lk.provocation.id, lk.response.id, lk.lag_days, lk.basis, lk.marker) for c in chains
            for lk in c.links] == [(first.id, second.id, 0, "marked_response", "In response")]


def test_reciprocity_rejects_bad_input(store: Store) -> None:
    with pytest.raises(BadOption, match="unknown country code 'XXX'"):
        reciprocity_chains(store, "USA", "XXX")
    with pytest.raises(BadOption, match="window"):
        reciprocity_chains(store, "USA", "RUS", window="soon")
    with pytest.raises(BadOption, match="inverted"):
        reciprocity_chains(store, "USA", "RUS", since=date(2021, 2, 1), until=date(2021, 1, 1))


# ---- escalation index and alerts ----------------------------------------------------------------

def test_index_is_zero_for_a_steady_dyad_and_high_after_a_jump() -> None:
    _, _, flat = escalation_index([3.2] * 12)
    assert all(v is not None and abs(v) < 1e-9 for v in flat[4:]) and all(v is None for v in flat[:4])
    _, baseline, jump = escalation_index([1.6] * 11 + [32.0])
    assert baseline[-1] == pytest.approx(1.6) and jump[-1] is not None and jump[-1] > 5
    assert 11 in changepoint_starts([1.6] * 11 + [32.0])
    assert not changepoint_starts([3.2] * 12)
    assert not changepoint_starts([5.6, 11.2] * 6)


def _planted_alert_store() -> tuple:  # type: ignore[type-arg]
    store = open_store(":memory:")
    plan = []
    for n in range(12):
        plan += [("CHNGOV", "ACCUSE", "JPNGOV", week(n, 1)), ("CHNGOV", "ACCUSE", "JPNGOV", week(n, 3))]
        plan += [("INDMIL", "THREATEN", "PAKMIL", week(n, 2))] * (1 + n % 2)
        if n < 11:
            plan.append(("ISRMIL", "ACCUSE", "SYRGOV", week(n, 2)))
    escalation = [("ISRMIL", "ASSAULT", "SYRMIL", week(11, d)) for d in range(4)]
    add_events(store, plan)
    driving = add_events(store, escalation)
    # A flood of hypothetical attacks on the control dyad must change nothing.
    add_events(store, [("CHNMIL", "ASSAULT", "JPNMIL", week(11, 4))] * 5, hypothetical=True)
    return store, driving


def test_alerts_fire_on_the_planted_escalation_only() -> None:
    store, driving = _planted_alert_store()
    with store:
        alerts = find_alerts(store, freq="W")
        assert [(a.source, a.target, a.period) for a in alerts] == [("ISR", "SYR", week(11))]
        alert = alerts[0]
        assert set(alert.detectors) == {"threshold", "changepoint"}
        assert alert.escalation_index is not None and alert.escalation_index >= 2
        assert {e.id for e in alert.events} == {e.id for e in driving}
        assert alert.to_dict()["events"][0]["type"] == "ASSAULT"
        # Over the whole history, the steady dyads never alert.
        history = find_alerts(store, since=MONDAY, freq="W")
        assert {(a.source, a.target) for a in history} == {("ISR", "SYR")}
        assert find_alerts(store, freq="W") == alerts  # ids are stable across recomputation
        assert top_dyads(store, by="escalation", limit=1)[0].source == "ISR"
        # Twelve weeks of data: "auto" reads them by day, where the attack days are alerts too.
        daily = find_alerts(store, since=week(11))
        assert daily and {(a.source, a.target, a.freq) for a in daily} == {("ISR", "SYR", "D")}
        assert all(a.period >= week(11) for a in daily)


def test_alert_threshold_is_checked(store: Store) -> None:
    with pytest.raises(BadOption):
        find_alerts(store, threshold=-1)


def test_empty_store_has_no_alerts_and_a_summary(store: Store) -> None:
    assert find_alerts(store) == []
    summary = escalation_summary(store)
    assert summary.to_dict()["stats"]["events"] == 0


# ---- dyad series -------------------------------------------------------------------------------

_keys = st.sampled_from(["USAGOV", "RUSGOV", "RUSMIL", "UKR", "IGONATO"])


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_keys, st.sampled_from(["THREATEN", "CONSULT", "ASSAULT", "AID"]), _keys,
                          st.integers(0, 90), st.booleans()), min_size=1, max_size=30),
       st.sampled_from(["D", "W", "M"]))
def test_dyad_series_sums_to_the_event_count(rows: list, freq: str) -> None:  # type: ignore[type-arg]
    key = {"USAGOV": "USA", "RUSGOV": "RUS", "RUSMIL": "RUS", "UKR": "UKR", "IGONATO": "IGONATO"}
    with open_store(":memory:") as store:
        with store.writer() as writer:
            for n, (src, kind, tgt, offset, flagged) in enumerate(rows):
                day = date(2022, 1, 1) + timedelta(days=offset)
                sentence = f"Event {n}: {src} {kind} {tgt}."
                doc, article = article_for(sentence, doc_id=f"d{n}")
                writer.add(article, [make_event(src, kind, tgt, day, article_id=article.id, sentence=sentence,
                                                future=flagged)], document=doc)
        real = Counter((key[s], key[t]) for s, _, t, _, flagged in rows if not flagged)
        for a, b in [("USA", "RUS"), ("RUS", "USA"), ("RUS", "RUS"), ("IGONATO", "UKR"), ("UKR", "IGONATO")]:
            points = dyad_series(store, a, b, freq=freq)
            assert sum(p.events for p in points) == real[(a, b)]
            assert sum(sum(p.quad_counts) for p in points) == real[(a, b)]
            assert all(p.period < q.period for p, q in itertools.pairwise(points))


def test_dyad_report_counts_both_directions_and_flags_apart(store: Store) -> None:
    add_events(store, [("USAGOV", "THREATEN", "RUSGOV", week(0)), ("USAGOV", "CONSULT", "RUSGOV", week(1)),
                       ("RUSGOV", "ASSAULT", "USAMIL", week(1))])
    add_events(store, [("USAGOV", "ASSAULT", "RUSGOV", week(1))], negated=True)
    report = dyad_report(store, "usa", "RUS", freq="W")
    ab, ba = report.directions
    assert (ab.events, ab.flagged, ab.quad_counts) == (2, 1, (1, 0, 1, 0))
    assert ab.goldstein_sum == pytest.approx(-6.0) and dict(ab.type_counts) == {"CONSULT": 1, "THREATEN": 1}
    assert (ba.events, ba.flagged, ba.quad_counts) == (1, 0, (0, 0, 0, 1))
    assert [p.period for p in report.series[0]] == [week(0), week(1)]
    assert report.to_dict()["series"]["USA->RUS"][0]["events"] == 1
    with pytest.raises(BadOption, match="two different"):
        dyad_report(store, "USA", "USA")
    with pytest.raises(BadOption, match="frequency"):
        dyad_report(store, "USA", "RUS", freq="Y")


# ---- event queries ------------------------------------------------------------------------------

def test_query_filters_and_cursor_pages(store: Store) -> None:
    events = add_events(store, [("USAGOV", "THREATEN", "RUSGOV", week(0, d)) for d in range(7)]
                        + [("USAMIL", "ASSAULT", "UKRMIL", week(1)), ("IGONATO", "ACCUSE", "RUSGOV", week(2))])
    undated = add_events(store, [("RUSGOV", "THREATEN", "USAGOV", None)])
    seen, cursor = [], None
    while True:
        page = query_events(store, limit=3, cursor=cursor)
        seen += [e.id for e in page.events]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(e.id for e in events + undated) and len(seen) == len(set(seen))
    assert seen[-1] == undated[0].id  # undated last
    assert len(query_events(store, source="USA").events) == 8
    assert len(query_events(store, source="USAGOV").events) == 7
    assert len(query_events(store, source="IGONATO").events) == 1
    assert len(query_events(store, source="IGO").events) == 1
    assert len(query_events(store, target="RUS", type="accuse").events) == 1
    assert len(query_events(store, since=week(0, 5), until=week(1)).events) == 3
    for bad in ({"source": "ZZZ"}, {"type": "WAR"}, {"since": week(2), "until": week(1)},
                {"modality": "maybe"}, {"cursor": "not-a-cursor"}, {"limit": 0}):
        with pytest.raises(BadOption):
            query_events(store, **bad)  # type: ignore[arg-type]
