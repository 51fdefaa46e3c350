"""The one event codec (detente.columns): an Event with every field set comes back identical
from the store, from a batch shard written to Parquet, and from a Parquet export."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from detente import columns
from detente.analysis.queries import get_event
from detente.batch import coded_documents, shard_tables
from detente.export import export_events
from detente.export.tabular import COLUMN_TYPES, FLAT_COLUMNS
from detente.model import Actor, Article, Document, Event, normalise_body, sha256_hex
from detente.store import Store
from detente.store.rows import EVENT_COLUMNS as STORE_COLUMNS

TEXT = "Lower Brellin warned the Ostmark council on Tuesday.\nThe council said nothing."


def _article() -> tuple[Document, Article]:
    doc = Document.from_bytes(TEXT.encode(), doc_id="brellin-1", kind="file", uri="/tmp/brellin.txt",
                              url="https://news.example.org/brellin", fetched_at="2024-03-06T10:00:00")
    body = normalise_body(TEXT)
    return doc, Article(id=sha256_hex(body), doc_id=doc.doc_id, document_id=doc.id, text=body,
                        url=doc.url, site="news.example.org", title="Brellin warns", published=date(2024, 3, 6),
                        language="en")


def _full_event(article: Article) -> Event:
    """Every field set, none to its default: flags true, a target with a name, a resolved place."""
    return Event(
        id="ev-brellin-1", article_id=article.id, doc_id=article.doc_id, sentence_index=0, span=(0, 52),
        sentence="Lower Brellin warned the Ostmark council on Tuesday.",
        source=Actor(code="BRLGOV", country="BRL", sector="GOV", text="Lower Brellin", name="Lower Brellin Council"),
        target=Actor(code="OSTLEG", country="OST", sector="LEG", text="the Ostmark council", name="Ostmark Council"),
        type="THREATEN", mode="sanction", cameo="138", goldstein=-7.0, quad_class=3, date=date(2024, 3, 5),
        negated=True, hypothetical=True, future=True, historical=True, confidence=0.625, coder="tests.codec.v1",
        rule="threaten/warned", url="https://news.example.org/brellin", reported=True, date_precision="day",
        date_source="sentence", place="Ostmark City", place_country="OST", place_admin1="OS.01", lat=51.25,
        lon=-3.5, geo_precision="city", geonames_id=9_876_543_210,
    )


def test_the_test_event_sets_every_field() -> None:
    event = _full_event(_article()[1])
    defaults = Event(id="", article_id="", doc_id="", sentence_index=0, span=(0, 0), sentence="",
                     source=Actor(code="", country=""), target=None, type="", mode="", cameo="", goldstein=0.0,
                     quad_class=0, date=None)
    left_default = [f.name for f in dataclasses.fields(Event) if f.name not in ("sentence_index",)
                    and getattr(event, f.name) == getattr(defaults, f.name)]
    assert left_default == []
    assert all(getattr(event.source, f.name) and getattr(event.target, f.name) for f in dataclasses.fields(Actor))


def test_codec_round_trips_in_memory_and_names_every_column() -> None:
    event = _full_event(_article()[1])
    row = columns.event_columns(event)
    assert tuple(row) == columns.EVENT_COLUMNS
    assert columns.event_from_columns(row) == event
    no_target = dataclasses.replace(event, target=None)
    row = columns.event_columns(no_target)
    assert all(row[f"target_{name}"] is None for name, _ in columns.ACTOR_FIELDS)
    assert columns.event_from_columns(row) == no_target


def test_the_store_maps_only_the_date_column() -> None:
    assert [c for c in STORE_COLUMNS if c not in columns.EVENT_COLUMNS] == [
        "event_date", "cluster_id", "is_root", "run_id", "stored_at"]
    assert "date" not in STORE_COLUMNS


def test_every_export_column_has_the_codec_type() -> None:
    assert set(FLAT_COLUMNS) == set(columns.COLUMN_TYPES)
    assert COLUMN_TYPES["date"] == "date" and COLUMN_TYPES["geonames_id"] == "integer"
    assert "source_name" not in COLUMN_TYPES  # a string column


def test_an_event_round_trips_identically_through_store_shard_and_parquet_export(store: Store,
                                                                              tmp_path: Path) -> None:
    doc, article = _article()
    event = _full_event(article)
    no_target = dataclasses.replace(event, id="ev-brellin-2", target=None, sentence_index=1, span=(53, 77),
                                    sentence="The council said nothing.", lat=None, lon=None, geonames_id=None,
                                    place=None, date=None)

    # the store
    with store.writer() as writer:
        writer.add(article, [event, no_target], document=doc)
    for original in (event, no_target):
        stored = get_event(store, original.id)
        assert stored is not None and stored.event == original

    # a batch shard, through Parquet files
    for table, data in shard_tables(7, [doc], [(article, [event, no_target])]).items():
        pq.write_table(data, tmp_path / f"{table}-0.parquet")
    shard = {table: pq.read_table(tmp_path / f"{table}-0.parquet") for table in ("articles", "events", "rejections")}
    (entry,) = list(coded_documents(shard))
    assert entry.seq == 7 and entry.events == (event, no_target)

    # a Parquet export of the store
    out = tmp_path / "events.parquet"
    assert export_events(store, "parquet", out) == 2
    exported = pq.read_table(out)
    assert tuple(exported.column_names) == FLAT_COLUMNS
    back = {row["id"]: columns.event_from_columns(row) for row in exported.to_pylist()}
    assert back == {event.id: event, no_target.id: no_target}


def test_a_row_without_a_source_actor_is_a_clear_error() -> None:
    row = columns.event_columns(_full_event(_article()[1]))
    row["source_code"] = None
    with pytest.raises(ValueError, match="no source actor"):
        columns.event_from_columns(row)
