"""Reading events and articles back: filtered, keyset-paginated, with report counts.

The CLI, the REST API and the dashboard call these same functions. Every filter is checked
here (not only in the CLI), so every caller gets the same clear ``BadOption``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ..errors import BadOption
from ..model import Article, Event
from ..safe_json import load_json
from ..store import Store
from ..store.rows import EVENT_SELECT, article_from_record, event_from_record
from .codes import (
    actor_filter,
    check_date_range,
    date_range_sql,
    parse_cameo_roots,
    parse_event_types,
    parse_min_confidence,
    parse_modality,
    parse_quad_classes,
)
from .geo import GeoFilter

__all__ = ["ArticleView", "Page", "StoredEvent", "get_article", "get_event", "iter_events", "query_events"]

MAX_LIMIT = 10_000
_NO_DATE = date(1, 1, 1)  # sorts undated events last in newest-first order


@dataclass(frozen=True)
class StoredEvent:
    """An event as stored: the record plus GDELT-style counts of the reports that carried it."""

    event: Event
    num_mentions: int
    num_sources: int
    num_articles: int
    is_root: bool
    stored_at: datetime | None
    site: str | None = None
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = self.event.to_dict()
        d.update(num_mentions=self.num_mentions, num_sources=self.num_sources, num_articles=self.num_articles,
                 is_root=self.is_root)
        return d


@dataclass(frozen=True)
class Page:
    """One page of events, newest first; pass ``next_cursor`` back to get the next page."""

    items: tuple[StoredEvent, ...]
    next_cursor: str | None

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(item.event for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"events": [item.to_dict() for item in self.items], "next_cursor": self.next_cursor}


def stored_event(rec: dict[str, Any]) -> StoredEvent:
    return StoredEvent(event=event_from_record(rec), num_mentions=int(rec["num_mentions"]),
                       num_sources=int(rec["num_sources"]), num_articles=int(rec["num_articles"]),
                       is_root=bool(rec["is_root"]), stored_at=rec["stored_at"], site=rec.get("article_site"),
                       language=rec.get("article_language"))


def _encode_cursor(sort_date: date, event_id: str) -> str:
    raw = json.dumps([sort_date.isoformat(), event_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[date, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, event_id = load_json(raw)
        if not isinstance(day, str) or not isinstance(event_id, str):
            raise TypeError("a cursor holds a date and an event id")
        return date.fromisoformat(day), event_id
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadOption(f"the cursor '{cursor[:40]}' is not one this store gave",
                        "start again without --cursor") from exc


def _where(*, source: str | None, target: str | None, type: Any, since: date | None, until: date | None,
           modality: str, article_id: str | None, min_confidence: Any = None, quad_class: Any = None,
           cameo_root: Any = None, geo: GeoFilter | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions over ``dyad_events e`` for the filters (validated here)."""
    check_date_range(since, until)
    clauses: list[str] = []
    params: list[Any] = []
    for side, value in (("source", source), ("target", target)):
        if value:
            flt = actor_filter(value, what=side)
            if flt.column == "key":
                clauses.append(f"e.{side}_key = ?")
            elif flt.column == "country":
                clauses.append(f"e.{side}_country = ?")
            else:
                clauses.append(f"(e.{side}_code = ? OR starts_with(e.{side}_code, ?))")
                params.append(flt.value)
            params.append(flt.value)
    types = parse_event_types(type)
    if types:
        clauses.append(f"e.type IN ({', '.join('?' for _ in types)})")
        params += types
    quads = parse_quad_classes(quad_class)
    if quads:
        clauses.append(f"e.quad_class IN ({', '.join(str(q) for q in quads)})")
    roots = parse_cameo_roots(cameo_root)
    if roots:
        clauses.append(f"substr(e.cameo, 1, 2) IN ({', '.join('?' for _ in roots)})")
        params += roots
    threshold = parse_min_confidence(min_confidence)
    if threshold is not None:
        clauses.append("e.confidence >= ?")
        params.append(threshold)
    dated, dates = date_range_sql(since, until, column="e.event_date")
    clauses += dated
    params += dates
    mode = parse_modality(modality)
    if mode == "real":
        clauses.append("e.is_real")
    elif mode == "flagged":
        clauses.append("NOT e.is_real")
    elif mode != "any":
        clauses.append(f"e.{mode}")
    if article_id:
        clauses.append("e.id IN (SELECT event_id FROM mentions WHERE article_id = ?)")
        params.append(article_id)
    if geo is not None:
        where, values = geo.sql("e")
        clauses += where
        params += values
    return clauses, params


def query_events(store: Store, *, source: str | None = None, target: str | None = None, type: Any = None,
                 since: date | None = None, until: date | None = None, modality: str = "any",
                 article_id: str | None = None, limit: int = 100, cursor: str | None = None,
                 min_confidence: Any = None, quad_class: Any = None, cameo_root: Any = None,
                 geo: GeoFilter | None = None) -> Page:
    """Events matching the filters, newest first (undated last), ``limit`` per page.

    ``modality`` is ``any`` (default: flagged events too, with their flags), ``real``,
    ``flagged`` or one flag (``negated``, ``hypothetical``, ``future``, ``historical``).
    ``type`` (PLOVER types), ``quad_class`` (1-4 or names) and ``cameo_root`` (01-20) take one
    value or several (a list, or comma-separated); ``min_confidence`` leaves out events below it;
    ``geo`` keeps the events that happened in a country, near a point or in a box (``analysis.geo``).
    """
    if limit < 1 or limit > MAX_LIMIT:
        raise BadOption(f"limit {limit} is out of range", f"give a limit from 1 to {MAX_LIMIT}")
    clauses, params = _where(source=source, target=target, type=type, since=since, until=until,
                             modality=modality, article_id=article_id, min_confidence=min_confidence,
                             quad_class=quad_class, cameo_root=cameo_root, geo=geo)
    sort_key = f"coalesce(e.event_date, DATE '{_NO_DATE.isoformat()}')"
    if cursor:
        after_date, after_id = _decode_cursor(cursor)
        clauses.append(f"({sort_key} < ? OR ({sort_key} = ? AND e.id > ?))")
        params += [after_date, after_date, after_id]
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = store.query(f"{EVENT_SELECT}{where} ORDER BY {sort_key} DESC, e.id LIMIT {limit + 1}", params)
    items = tuple(stored_event(r) for r in rows[:limit])
    next_cursor = None
    if len(rows) > limit and items:
        last = items[-1].event
        next_cursor = _encode_cursor(last.date or _NO_DATE, last.id)
    return Page(items=items, next_cursor=next_cursor)


def iter_events(store: Store, *, page_size: int = 1000, **filters: Any) -> Any:
    """Every matching event, page by page (for exports)."""
    cursor = None
    while True:
        page = query_events(store, limit=page_size, cursor=cursor, **filters)
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def get_event(store: Store, event_id: str) -> StoredEvent | None:
    rows = store.query(f"{EVENT_SELECT} WHERE e.id = ?", [event_id])
    return stored_event(rows[0]) if rows else None


@dataclass(frozen=True)
class ArticleView:
    """An article's body and the events reported in it, with spans into this body.

    A syndicated copy shows the events of its story with the spans where the copy reports
    them; ``canonical_id`` names the first copy.
    """

    article: Article
    canonical_id: str
    similarity: float | None
    events: tuple[StoredEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        d = self.article.to_dict()
        d.update(canonical_id=self.canonical_id, similarity=self.similarity,
                 events=[item.to_dict() for item in self.events])
        return d


def get_article(store: Store, article_id: str) -> ArticleView | None:
    rows = store.query("SELECT * FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    article = article_from_record(rows[0])
    mentioned = store.query(
        f"""SELECT x.*, m.span_start AS m_start, m.span_end AS m_end, m.sentence AS m_sentence,
                   m.sentence_index AS m_sentence_index
            FROM ({EVENT_SELECT}) x
            JOIN (SELECT DISTINCT ON (event_id) * FROM mentions WHERE article_id = ?
                  ORDER BY event_id, document_id) m ON m.event_id = x.id
            ORDER BY m.span_start, x.id""", [article_id])
    items = []
    for rec in mentioned:
        item = stored_event(rec)
        event = replace(item.event, span=(int(rec["m_start"]), int(rec["m_end"])), sentence=rec["m_sentence"] or "",
                        sentence_index=int(rec["m_sentence_index"]), article_id=article_id)
        items.append(replace(item, event=event))
    return ArticleView(article=article, canonical_id=rows[0]["canonical_id"], similarity=rows[0]["similarity"],
                       events=tuple(items))
