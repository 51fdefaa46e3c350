"""Exports: the GDELT 2.0 event table against its published column list, PLOVER JSON, JSONL/CSV/Parquet."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from detente.errors import BadOption
from detente.export import GDELT_EVENT_COLUMNS, export_events
from detente.export.gdelt import global_event_id
from detente.model import Actor, Event
from detente.store import Store, open_store
from tests.store_support import article_for, make_event

# GDELT 2.0 event table, in the published order (FORMATS.md; the GDELT 2.0 event codebook).
PUBLISHED = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code
Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code
Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles
AvgTone
Actor1Geo_Type Actor1Geo_Fullname Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat
Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_Fullname Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat
Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_Fullname ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat
ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL""".split()  # noqa: SIM905 - laid out as the codebook lists it

TEXT = ("The US expelled ten Russian diplomats on Thursday.\n"
        "NATO ministers agreed to send aid.\n"
        "Russia said it could strike back.")


def _filled_store() -> tuple[Store, list[Event]]:
    store = open_store(":memory:")
    doc, article = article_for(TEXT, doc_id="g1", url="https://www.news.example/a?x=1")
    lines = TEXT.split("\n")
    expel = make_event("USAGOVMIL", "SANCTION", "RUSGOV", date(2021, 4, 15), article_id=article.id, index=0,
                       sentence=lines[0], span=(0, len(lines[0])), mode="expel", url=article.url)
    aid = make_event("IGONATO", "RETREAT", "UKR", date(2021, 4, 16), article_id=article.id, index=1,
                     sentence=lines[1], span=(len(lines[0]) + 1, len(lines[0]) + 1 + len(lines[1])), url=article.url)
    aid = replace(aid, source=replace(aid.source, text="NATO\tministers\nof\x00defence"))
    strike = make_event("RUSGOV", "ASSAULT", None, date(2021, 4, 16), article_id=article.id, index=2,
                        sentence=lines[2], span=(len(TEXT) - len(lines[2]), len(TEXT)), hypothetical=True)
    store.add(article, [expel, aid, strike], document=doc)
    copy_doc, copy = article_for("Breaking news\n" + TEXT, doc_id="g2", url="https://other.example/b")
    copied = replace(expel, id="copy-expel", article_id=copy.id, span=(14, 14 + len(lines[0])))
    store.add(copy, [copied], document=copy_doc)
    return store, [expel, aid, strike]


def test_gdelt_header_order_matches_the_published_list() -> None:
    assert list(GDELT_EVENT_COLUMNS) == PUBLISHED and len(PUBLISHED) == 61


def test_gdelt_rows_have_61_fields_and_read_back_with_pandas(tmp_path: Path) -> None:
    store, (expel, _aid, _strike) = _filled_store()
    out = tmp_path / "events.tsv"
    with store:
        assert export_events(store, "gdelt", out) == 2  # the hypothetical strike is not exported
    raw = out.read_text(encoding="utf-8").splitlines()
    assert all(len(line.split("\t")) == 61 for line in raw) and len(raw) == 2
    frame = pd.read_csv(out, sep="\t", header=None, names=PUBLISHED,
                        dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str, "Actor1Code": str,
                               "Actor2Code": str, "SOURCEURL": str}, keep_default_na=False, na_values=[""])
    assert len(frame) == 2
    for column in ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
                   "NumSources", "NumArticles", "DATEADDED"):
        assert frame[column].dtype == "int64", column
    for column in ("FractionDate", "GoldsteinScale", "AvgTone"):
        assert frame[column].dtype.kind == "f" or frame[column].dtype == "int64", column
    rows = {r.EventCode: r for r in frame.itertuples()}
    e = rows["166"]
    assert (e.GLOBALEVENTID, e.SQLDATE, e.MonthYear, e.Year) == (global_event_id(expel.id), 20210415, 202104, 2021)
    assert (e.Actor1Code, e.Actor1CountryCode, e.Actor1Type1Code, e.Actor1Type2Code) == ("USAGOVMIL", "USA", "GOV",
                                                                                        "MIL")
    assert (e.Actor2Code, e.Actor2CountryCode, e.Actor2Type1Code) == ("RUSGOV", "RUS", "GOV")
    assert e.Actor1Name == "UNITED STATES"  # the actor's name, not the words that mentioned it
    assert (e.EventBaseCode, e.EventRootCode, e.QuadClass, e.GoldsteinScale) == ("166", "16", 4, -7.0)
    assert (e.NumMentions, e.NumSources, e.NumArticles, e.AvgTone, e.IsRootEvent) == (2, 2, 2, 0, 1)
    assert e.SOURCEURL == "https://www.news.example/a?x=1" and len(str(e.DATEADDED)) == 14
    assert e.FractionDate == pytest.approx(2021.3699)  # 2021 + (4 * 30 + 15) / 365
    r = rows["0871"]  # zero-padded four-digit code survives as a string
    assert (r.EventBaseCode, r.EventRootCode, r.QuadClass, r.IsRootEvent) == ("087", "08", 2, 0)
    assert (r.Actor1Code, r.Actor1Type1Code, r.Actor1Name, r.Actor1KnownGroupCode) == \
        ("IGONATO", "IGO", "NORTH ATLANTIC TREATY ORGANIZATION", "NAT")
    assert pd.isna(r.Actor1CountryCode) and pd.isna(r.ActionGeo_Lat)


def test_gdelt_transnational_armed_group_has_no_country() -> None:
    from detente.export.gdelt import _actor_fields
    from detente.model import Actor

    fields = _actor_fields(Actor(code="IMGREB", country="IMG", sector="REB", text="al-Qaeda", name="al-Qaeda"))
    # Code, Name, CountryCode, KnownGroup, Ethnic, Religion1, Religion2, Type1, Type2, Type3
    assert fields[:4] == ["IMGREB", "AL QAEDA", "", "ALQ"] and fields[7:9] == ["IMG", "REB"]


def test_gdelt_event_id_is_a_stable_integer() -> None:
    assert global_event_id("abc") == global_event_id("abc") != global_event_id("abd")
    assert 0 <= global_event_id("abc") < 2**63


def test_untrusted_text_cannot_break_a_gdelt_row(store: Store, tmp_path: Path) -> None:
    doc, article = article_for("A\tsentence\nwith tabs", doc_id="t")
    ev = make_event("USAGOV", "THREATEN", "RUSGOV", date(2021, 1, 1), article_id=article.id)
    ev = replace(ev, source=Actor("USAGOV", "USA", "GOV", "the\tUS\r\n\x1b[31m"), url="https://x.example/\ta")
    store.add(article, [ev], document=doc)
    export_events(store, "gdelt", tmp_path / "g.tsv")
    lines = (tmp_path / "g.tsv").read_text().split("\n")
    assert lines[-1] == "" and len(lines) == 2 and len(lines[0].split("\t")) == 61 and "\x1b" not in lines[0]


def test_plover_records(tmp_path: Path) -> None:
    store, (expel, _aid, strike) = _filled_store()
    with store:
        assert export_events(store, "plover", tmp_path / "p.json") == 3
    records = {r["id"]: r for r in json.loads((tmp_path / "p.json").read_text())}
    r = records[expel.id]
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "text", "publication", "url",
                "version", "dateCoded", "coder", "negated", "hypothetical", "future", "historical"):
        assert key in r, key
    assert r["actor"] == [{"actorText": "USAGOVMIL", "code": "USAGOVMIL", "sector": "GOV", "country": "USA"}]
    assert (r["event"], r["mode"], r["date"], r["publication"]) == ("SANCTION", "expel", "2021-04-15", "news.example")
    assert r["text"] == expel.sentence and r["negated"] is False
    assert r["context"] == ["diplomatic"]  # the crosswalk's context for CAMEO 166
    assert records[strike.id]["hypothetical"] is True and records[strike.id]["recipient"] == []


def test_jsonl_csv_parquet(tmp_path: Path) -> None:
    store, events = _filled_store()
    with store:
        for fmt in ("jsonl", "csv", "parquet"):
            assert export_events(store, fmt, tmp_path / f"e.{fmt}") == 3
        assert export_events(store, "csv", tmp_path / "real.csv", modality="real") == 2
    back = [Event.from_dict(json.loads(line)) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    # the event JSON keeps each actor's canonical name beside the EVAL.md fields
    assert any(e.source.name for e in events)
    assert sorted(back, key=lambda e: e.id) == sorted(events, key=lambda e: e.id)
    frame = pd.read_csv(tmp_path / "e.csv")
    assert len(frame) == 3 and {"source_code", "target_country", "num_mentions"} <= set(frame.columns)
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 3 and str(table.schema.field("date").type) == "date32[day]"
    assert str(table.schema.field("hypothetical").type) == "bool"


def test_export_refuses_bad_input_before_writing(tmp_path: Path) -> None:
    store, _ = _filled_store()
    with store:
        with pytest.raises(BadOption):
            export_events(store, "xml", tmp_path / "x")
        with pytest.raises(BadOption):
            export_events(store, "csv", tmp_path / "missing-dir" / "x.csv")
        with pytest.raises(BadOption):
            export_events(store, "csv", tmp_path / "x.csv", source="NOPE")
    assert list(tmp_path.iterdir()) == []
