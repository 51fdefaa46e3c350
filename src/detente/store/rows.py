"""Records <-> table rows. The only place that knows how an Event or Article is laid out in DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from ..model import WHEN_WHERE_COLUMNS, Actor, Article, Event, when_where_fields, when_where_values

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_SELECT",
    "article_from_record",
    "event_from_record",
    "event_row",
    "insert_rows",
    "now_utc",
    "site_of",
]

EVENT_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "doc_id", "cluster_id", "sentence_index", "span_start", "span_end", "sentence",
    "source_code", "source_country", "source_sector", "source_text", "source_name",
    "target_code", "target_country", "target_sector", "target_text", "target_name",
    "type", "mode", "cameo", "goldstein", "quad_class", "event_date",
    "negated", "hypothetical", "future", "historical", "confidence", "coder", "rule", "url",
    "is_root", "run_id", "stored_at", *WHEN_WHERE_COLUMNS,
)

# Events with their report counts; ``e`` is ``dyad_events`` (events plus dyad keys and is_real).
EVENT_SELECT = (
    "SELECT e.*, coalesce(c.num_mentions, 1) AS num_mentions, coalesce(c.num_sources, 1) AS num_sources, "
    "coalesce(c.num_articles, 1) AS num_articles, a.site AS article_site, a.language AS article_language "
    "FROM dyad_events e LEFT JOIN event_counts c ON c.event_id = e.id LEFT JOIN articles a ON a.id = e.article_id"
)


def now_utc() -> datetime:
    """Naive UTC timestamp (DuckDB TIMESTAMP has no zone)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def site_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, lower-cased; ``None`` when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def event_row(event: Event, *, cluster_id: str, is_root: bool, run_id: str | None,
              stored_at: datetime) -> tuple[Any, ...]:
    src, tgt = event.source, event.target
    return (
        event.id, event.article_id, event.doc_id, cluster_id, int(event.sentence_index),
        int(event.span[0]), int(event.span[1]), event.sentence,
        src.code, src.country, src.sector, src.text, src.name,
        tgt.code if tgt else None, tgt.country if tgt else None, tgt.sector if tgt else None,
        tgt.text if tgt else None, tgt.name if tgt else None,
        event.type, event.mode, event.cameo, float(event.goldstein), int(event.quad_class), event.date,
        bool(event.negated), bool(event.hypothetical), bool(event.future), bool(event.historical),
        float(event.confidence), event.coder, event.rule, event.url, is_root, run_id, stored_at,
        *when_where_values(event),
    )


def event_from_record(rec: dict[str, Any]) -> Event:
    """An Event from a row of ``EVENT_SELECT`` (its report counts are ``StoredEvent``'s, not the event's)."""
    source = Actor(code=rec["source_code"], country=rec["source_country"] or "", sector=rec["source_sector"] or "",
                   text=rec["source_text"] or "", name=rec["source_name"])
    target = None
    if rec["target_code"] is not None:
        target = Actor(code=rec["target_code"], country=rec["target_country"] or "",
                       sector=rec["target_sector"] or "", text=rec["target_text"] or "", name=rec["target_name"])
    return Event(
        id=rec["id"], article_id=rec["article_id"], doc_id=rec["doc_id"] or "",
        sentence_index=int(rec["sentence_index"]), span=(int(rec["span_start"]), int(rec["span_end"])),
        sentence=rec["sentence"] or "", source=source, target=target, type=rec["type"], mode=rec["mode"] or "",
        cameo=rec["cameo"] or "", goldstein=float(rec["goldstein"]), quad_class=int(rec["quad_class"]),
        date=rec["event_date"], negated=bool(rec["negated"]), hypothetical=bool(rec["hypothetical"]),
        future=bool(rec["future"]), historical=bool(rec["historical"]), confidence=float(rec["confidence"]),
        coder=rec["coder"] or "", rule=rec["rule"] or "", url=rec["url"],
        **when_where_fields(rec),
    )


def article_from_record(rec: dict[str, Any]) -> Article:
    published = rec["published"]
    return Article(
        id=rec["id"], doc_id=rec["doc_id"] or "", document_id=rec["document_id"] or "", text=rec["text"] or "",
        url=rec["url"], site=rec["site"], title=rec["title"], author=rec["author"],
        published=published if isinstance(published, date) else None, language=rec["language"],
        dropped_lines=tuple(rec["dropped_lines"] or ()),
    )


def insert_rows(con: Any, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], *,
                or_ignore: bool = False) -> None:
    """Insert many rows at once through Arrow (DuckDB's executemany costs ~0.5 ms a row).

    ``or_ignore`` skips rows whose primary key is stored (an event id the coder gave twice).
    """
    if not rows:
        return
    import pyarrow as pa

    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    table_data = pa.table(data)
    view = f"_detente_insert_{table}"
    con.register(view, table_data)
    try:
        cols = ", ".join(columns)
        verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
        con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM {view}").fetchall()
    finally:
        con.unregister(view)


def records(cursor: Any) -> list[dict[str, Any]]:
    """The rows of an executed DuckDB cursor as dicts."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
