"""Records <-> table rows: articles, and events through the one event codec (``detente.columns``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from .. import columns
from ..model import Article, Event

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_SELECT",
    "STORE_NAMES",
    "article_from_record",
    "event_from_record",
    "event_row",
    "insert_rows",
    "now_utc",
    "site_of",
]

# The events table's columns: the codec's (``detente.columns``; its ``date`` is ``event_date`` here,
# the name every store has had since its first schema) and what the store adds to each event.
STORE_NAMES: dict[str, str] = {"date": "event_date"}
EVENT_COLUMNS: tuple[str, ...] = (
    *(STORE_NAMES.get(name, name) for name in columns.EVENT_COLUMNS), "cluster_id", "is_root", "run_id", "stored_at",
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
    """The values of ``EVENT_COLUMNS`` for an event."""
    return (*columns.event_columns(event).values(), cluster_id, is_root, run_id, stored_at)


def event_from_record(rec: dict[str, Any]) -> Event:
    """An Event from a row of ``EVENT_SELECT`` (its report counts are ``StoredEvent``'s, not the event's)."""
    return columns.event_from_columns(rec, rename=STORE_NAMES)


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
