"""Event dates and places through the store, the batch shards, every export and ``detente eval``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from detente.batch.rows import coded_documents, shard_tables
from detente.evaluate import GoldDoc, GoldEvent, score_events
from detente.export import GDELT_EVENT_COLUMNS, export_events
from detente.model import Event
from detente.store import Store, open_store
from detente.store.schema import SCHEMA_VERSION
from tests.store_support import article_for, make_event

TEXT = "Police arrested two protesters in Khartoum on Tuesday.\nRebels shelled a village in 2016."


def _events(article_id: str) -> list[Event]:
    lines = TEXT.split("\n")
    placed = replace(
        make_event("SDNCOP", "COERCE", "SDNCVL", date(2025, 3, 11), article_id=article_id, index=0,
                   sentence=lines[0], span=(0, len(lines[0]))),
        date_precision="day", date_source="sentence", place="Khartoum", place_country="SDN", place_admin1="SD.29",
        lat=15.55177, lon=32.53241, geo_precision="city", geonames_id=379252)
    past = replace(
        make_event("SDNREB", "ASSAULT", "SDNCVL", date(2016, 1, 1), article_id=article_id, index=1,
                   sentence=lines[1], span=(len(lines[0]) + 1, len(TEXT)), historical=True),
        date_precision="year", date_source="sentence")
    return [placed, past]


def test_store_round_trips_date_and_place_fields(store: Store) -> None:
    doc, article = article_for(TEXT, doc_id="d", published=date(2025, 3, 12))
    events = _events(article.id)
    store.add(article, events, document=doc)
    from detente.analysis.queries import query_events

    got = {item.event.id: item.event for item in query_events(store).items}
    assert SCHEMA_VERSION >= 3
    for ev in events:
        back = got[ev.id]
        assert (back.date, back.date_precision, back.date_source, back.place, back.place_country, back.place_admin1,
                back.lat, back.lon, back.geo_precision, back.geonames_id, back.reported) == (
            ev.date, ev.date_precision, ev.date_source, ev.place, ev.place_country, ev.place_admin1, ev.lat, ev.lon,
            ev.geo_precision, ev.geonames_id, False)


def test_reported_events_are_not_real_in_the_store(store: Store) -> None:
    doc, article = article_for(TEXT, doc_id="d", published=date(2025, 3, 12))
    placed, past = _events(article.id)
    store.add(article, [replace(placed, reported=True), past], document=doc)
    from detente.analysis.queries import query_events

    real = [i.event.id for i in query_events(store, modality="real").items]
    reported = [i.event.id for i in query_events(store, modality="reported").items]
    flagged = [i.event.id for i in query_events(store, modality="flagged").items]
    assert real == [past.id] and reported == [placed.id] and flagged == [placed.id]


def test_batch_shard_rows_keep_date_and_place_fields() -> None:
    doc, article = article_for(TEXT, doc_id="d", published=date(2025, 3, 12))
    events = _events(article.id)
    tables = shard_tables(0, [doc], [(article, events)])
    back = next(iter(coded_documents(tables)))
    assert list(back.events) == events


def test_gdelt_export_fills_action_geo_and_reads_back(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    doc, article = article_for(TEXT, doc_id="d", published=date(2025, 3, 12))
    store.add(article, _events(article.id), document=doc)
    assert export_events(store, "gdelt", out) == 2
    frame = pd.read_csv(out, sep="\t", header=None, names=list(GDELT_EVENT_COLUMNS), keep_default_na=False,
                        na_values=[""], dtype={"EventCode": str, "ActionGeo_ADM1Code": str,
                                               "ActionGeo_FeatureID": str, "Actor1Geo_FeatureID": str})
    rows = {int(r.SQLDATE): r for r in frame.itertuples()}
    khartoum, past = rows[20250311], rows[20160101]
    assert (khartoum.ActionGeo_Type, khartoum.ActionGeo_CountryCode, khartoum.ActionGeo_ADM1Code) == (4, "SU", "SU29")
    assert khartoum.ActionGeo_Fullname == "Khartoum, Sudan" and khartoum.ActionGeo_FeatureID == "379252"
    assert abs(khartoum.ActionGeo_Lat - 15.5518) < 1e-3 and abs(khartoum.ActionGeo_Long - 32.5324) < 1e-3
    assert frame["ActionGeo_Lat"].dtype.kind == "f" and frame["ActionGeo_Type"].dtype.kind in "if"
    # the police were in Khartoum; a historical event keeps its own year and has no place
    assert khartoum.Actor1Geo_Type == 4 and khartoum.Actor1Geo_CountryCode == "SU"
    assert (past.Year, past.MonthYear) == (2016, 201601) and pd.isna(past.ActionGeo_Type)
    assert past.Actor1Geo_Type == 1 and past.Actor1Geo_CountryCode == "SU"  # the rebels' country


def test_json_exports_carry_date_and_place(store: Store, tmp_path: Path) -> None:
    doc, article = article_for(TEXT, doc_id="d", published=date(2025, 3, 12))
    store.add(article, _events(article.id), document=doc)
    export_events(store, "plover", tmp_path / "p.json")
    export_events(store, "jsonl", tmp_path / "e.jsonl")
    export_events(store, "parquet", tmp_path / "e.parquet")
    export_events(store, "csv", tmp_path / "e.csv")
    plover = {r["date"]: r for r in json.loads((tmp_path / "p.json").read_text())}
    assert plover["2025-03-11"]["location"]["placeName"] == "Khartoum"
    assert plover["2025-03-11"]["location"]["geonamesID"] == 379252 and plover["2016-01-01"]["location"] is None
    lines = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert {x["place"] for x in lines} == {"Khartoum", None} and {x["date_precision"] for x in lines} == {"day", "year"}
    table = pq.read_table(tmp_path / "e.parquet").to_pylist()
    assert {r["geo_precision"] for r in table} == {"city", None} and {r["reported"] for r in table} == {False}
    assert "place_country" in (tmp_path / "e.csv").read_text().splitlines()[0]


def test_eval_reports_date_and_place_accuracy_like_the_scorer() -> None:
    gold = [GoldDoc("g", "x", "2025-03-12", (
        GoldEvent("Police arrested two protesters in Khartoum on Tuesday.", "COERCE", ("SDN",), ("SDN",),
                  date="2025-03-11", location="in Khartoum"),
        GoldEvent("Rebels shelled a village in 2016.", "ASSAULT", ("SDN",), ("SDN",), date="2016-05-02"),
    ))]
    preds = [dict(e.to_dict(), doc_id="g") for e in _events("a")]
    score = score_events(gold, preds)
    assert (score.date_accuracy, score.dated_matches, score.place_accuracy, score.placed_matches) == (0.5, 2, 1.0, 1)
    reported = [dict(p, reported=True) for p in preds]
    assert score_events(gold, reported).recall == 0.0  # a reported claim is not an event that happened


def test_an_article_about_a_2016_event_does_not_move_this_weeks_index(store: Store) -> None:
    from detente.analysis import dyad_series, reciprocity_chains

    week = [date(2025, 3, 10), date(2025, 3, 11)]
    doc, article = article_for("Russian shelling.\nUkraine answered.", doc_id="now", published=date(2025, 3, 12))
    now = [make_event("RUSMIL", "ASSAULT", "UKRMIL", week[0], article_id=article.id, index=0),
           make_event("UKRMIL", "ASSAULT", "RUSMIL", week[1], article_id=article.id, index=1)]
    store.add(article, now, document=doc)
    before = dyad_series(store, "RUS", "UKR", freq="W")
    doc2, old = article_for("Russian forces shelled the town in 2016.", doc_id="old", published=date(2025, 3, 12))
    past = replace(make_event("RUSMIL", "ASSAULT", "UKRMIL", date(2016, 1, 1), article_id=old.id, index=0,
                              historical=True), date_precision="year", date_source="sentence")
    store.add(old, [past], document=doc2)
    after = dyad_series(store, "RUS", "UKR", freq="W")
    chains = reciprocity_chains(store, "RUS", "UKR")
    this_week = {p.period: p for p in before}[date(2025, 3, 10)]
    again = {p.period: p for p in after}[date(2025, 3, 10)]
    assert (again.events, again.conflict) == (this_week.events, this_week.conflict) == (1, this_week.conflict)
    assert {p.period: p.events for p in after}[date(2015, 12, 28)] == 1  # counted in its own week
    assert all(link.provocation.date != date(2016, 1, 1) for c in chains for link in c.links)


def test_a_store_written_before_when_and_where_is_migrated_in_place(tmp_path: Path) -> None:
    import duckdb

    from detente.store.schema import APP, MIGRATIONS

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for migration in MIGRATIONS[:2]:  # the store as it was before migration 3
        for statement in migration.statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, ?, now())",
                    [migration.version, APP, migration.description])
    con.execute("INSERT INTO events (id, article_id, cluster_id, source_code, type, event_date, negated, hypothetical,"
                " future, historical, goldstein, quad_class, confidence, sentence_index, span_start, span_end)"
                " VALUES ('old', 'a', 'a', 'USAGOV', 'ACCUSE', DATE '2021-04-15', false, false, false, false, -2, 3,"
                " 0.8, 0, 0, 1)")
    con.close()
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        row = store.query("SELECT reported, place, lat, is_real FROM dyad_events WHERE id = 'old'")[0]
    assert row == {"reported": False, "place": None, "lat": None, "is_real": True}
