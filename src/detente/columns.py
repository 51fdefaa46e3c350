"""Events <-> named columns: the one place that lays an Event out flat.

The store's ``events`` table, a batch shard's ``events-<k>.parquet`` and every tabular export
(CSV, Parquet) hold an event as the columns named here, with the types named here:

    event_columns(event)       -> {"id": ..., "source_code": ..., "date": ..., "geonames_id": ...}
    event_from_columns(row)    -> the Event back, identical (the inverse of event_columns)

An actor is five columns with a ``source_`` or ``target_`` prefix (no target: five nulls); the
evidence span is ``span_start``/``span_end``. The store keeps an event's date in a column named
``event_date`` (the name its first schema gave it, in every existing database): it maps that one
name at its edge (``rename=``), nowhere else does.

``STORED_FIELDS`` are what the store knows of an event beyond the Event itself (report counts,
where it was stored, whether it was in the lead); exports add them after the event's columns.
Types are plain names (``ARROW_TYPES`` turns them into Arrow types), so a batch worker builds its
columns without importing pyarrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .model import Actor, Event

__all__ = [
    "ACTOR_FIELDS",
    "COLUMN_TYPES",
    "EVENT_COLUMNS",
    "EVENT_FIELDS",
    "STORED_FIELDS",
    "arrow_schema",
    "arrow_type",
    "event_columns",
    "event_from_columns",
]

# An actor's columns after its prefix (source_code, target_name, ...), in Actor's field order.
ACTOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("code", "string"), ("country", "string"), ("sector", "string"), ("text", "string"), ("name", "string"),
)

# Every column of an event, with its type, in the order event_columns() gives them.
EVENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("article_id", "string"), ("doc_id", "string"), ("sentence_index", "int32"),
    ("span_start", "int32"), ("span_end", "int32"), ("sentence", "string"),
    *((f"source_{name}", kind) for name, kind in ACTOR_FIELDS),
    *((f"target_{name}", kind) for name, kind in ACTOR_FIELDS),
    ("type", "string"), ("mode", "string"), ("cameo", "string"), ("goldstein", "float64"), ("quad_class", "int8"),
    ("date", "date32"), ("negated", "bool"), ("hypothetical", "bool"), ("future", "bool"), ("historical", "bool"),
    ("confidence", "float64"), ("coder", "string"), ("rule", "string"), ("url", "string"),
    ("date_precision", "string"), ("date_source", "string"), ("reported", "bool"), ("place", "string"),
    ("place_country", "string"), ("place_admin1", "string"), ("lat", "float64"), ("lon", "float64"),
    ("geo_precision", "string"), ("geonames_id", "int64"),
)
EVENT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in EVENT_FIELDS)

# What the store knows of an event beyond the Event (analysis.queries.StoredEvent's fields).
STORED_FIELDS: tuple[tuple[str, str], ...] = (
    ("site", "string"), ("is_root", "bool"), ("num_mentions", "int32"), ("num_sources", "int32"),
    ("num_articles", "int32"), ("stored_at", "timestamp"),
)

# The type of every column above, by name.
COLUMN_TYPES: dict[str, str] = dict((*EVENT_FIELDS, *STORED_FIELDS))


def _actor_columns(prefix: str, actor: Actor | None) -> dict[str, Any]:
    if actor is None:
        return {f"{prefix}_{name}": None for name, _ in ACTOR_FIELDS}
    return {f"{prefix}_code": actor.code, f"{prefix}_country": actor.country, f"{prefix}_sector": actor.sector,
            f"{prefix}_text": actor.text, f"{prefix}_name": actor.name}


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def event_columns(event: Event) -> dict[str, Any]:
    """The event as ``EVENT_COLUMNS`` (in that order), numbers and flags as plain Python values."""
    return {
        "id": event.id, "article_id": event.article_id, "doc_id": event.doc_id,
        "sentence_index": int(event.sentence_index), "span_start": int(event.span[0]), "span_end": int(event.span[1]),
        "sentence": event.sentence, **_actor_columns("source", event.source),
        **_actor_columns("target", event.target),
        "type": event.type, "mode": event.mode, "cameo": event.cameo, "goldstein": float(event.goldstein),
        "quad_class": int(event.quad_class), "date": event.date, "negated": bool(event.negated),
        "hypothetical": bool(event.hypothetical), "future": bool(event.future), "historical": bool(event.historical),
        "confidence": float(event.confidence), "coder": event.coder, "rule": event.rule, "url": event.url,
        "date_precision": event.date_precision, "date_source": event.date_source, "reported": bool(event.reported),
        "place": event.place, "place_country": event.place_country, "place_admin1": event.place_admin1,
        "lat": _opt_float(event.lat), "lon": _opt_float(event.lon), "geo_precision": event.geo_precision,
        "geonames_id": _opt_int(event.geonames_id),
    }


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def event_from_columns(row: Mapping[str, Any], *, rename: Mapping[str, str] | None = None) -> Event:
    """The Event of a row holding ``EVENT_COLUMNS`` (the inverse of ``event_columns``).

    ``rename`` maps a codec name to the row's name for it (the store's ``{"date": "event_date"}``).
    Columns added after a row was written (a store from before its migration) read as absent:
    nulls, and false for the flags.
    """
    if rename:
        row = {**row, **{name: row.get(column) for name, column in rename.items()}}

    def actor(prefix: str) -> Actor | None:
        if row.get(f"{prefix}_code") is None:
            return None
        return Actor(code=row[f"{prefix}_code"], country=row.get(f"{prefix}_country") or "",
                     sector=row.get(f"{prefix}_sector") or "", text=row.get(f"{prefix}_text") or "",
                     name=row.get(f"{prefix}_name"))

    source = actor("source")
    if source is None:
        raise ValueError(f"event {row.get('id')!r} has no source actor")
    return Event(
        id=row["id"], article_id=row["article_id"], doc_id=row.get("doc_id") or "",
        sentence_index=int(row["sentence_index"]), span=(int(row["span_start"]), int(row["span_end"])),
        sentence=row.get("sentence") or "", source=source, target=actor("target"), type=row["type"],
        mode=row.get("mode") or "", cameo=row.get("cameo") or "", goldstein=float(row["goldstein"]),
        quad_class=int(row["quad_class"]), date=_day(row.get("date")), negated=bool(row.get("negated")),
        hypothetical=bool(row.get("hypothetical")), future=bool(row.get("future")),
        historical=bool(row.get("historical")), confidence=float(row["confidence"]), coder=row.get("coder") or "",
        rule=row.get("rule") or "", url=row.get("url"), reported=bool(row.get("reported")),
        date_precision=row.get("date_precision"), date_source=row.get("date_source"), place=row.get("place"),
        place_country=row.get("place_country"), place_admin1=row.get("place_admin1"),
        lat=_opt_float(row.get("lat")), lon=_opt_float(row.get("lon")), geo_precision=row.get("geo_precision"),
        geonames_id=_opt_int(row.get("geonames_id")),
    )


def arrow_type(kind: str) -> Any:
    """The Arrow type of a column type name (``string``, ``int32``, ``date32``, ``list<string>``, ...)."""
    import pyarrow as pa  # late: pyarrow is heavy, and batch workers build columns without it

    types = {"string": pa.string(), "int64": pa.int64(), "int32": pa.int32(), "int8": pa.int8(),
             "float64": pa.float64(), "bool": pa.bool_(), "date32": pa.date32(), "timestamp": pa.timestamp("s"),
             "list<string>": pa.list_(pa.string())}
    return types[kind]


def arrow_schema(fields: tuple[tuple[str, str], ...] | None = None, names: tuple[str, ...] | None = None) -> Any:
    """An Arrow schema: of ``fields`` (name, type) pairs, or of codec columns picked by ``names``."""
    import pyarrow as pa  # late: pyarrow is heavy, and batch workers build columns without it

    if fields is None:
        fields = tuple((name, COLUMN_TYPES[name]) for name in (names or EVENT_COLUMNS))
    return pa.schema([(name, arrow_type(kind)) for name, kind in fields])
