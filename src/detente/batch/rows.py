"""The shard tables: coded documents <-> Arrow tables, the only place that knows a shard's columns.

A shard ``k`` of a batch holds three Parquet files, each row carrying ``seq``, the position of
its document in the whole input stream (so the input order can be rebuilt by merging them):

    articles-<k>.parquet     one row per article: the article and the document it came from
    events-<k>.parquet       one row per event, in the order the coder gave them
    rejections-<k>.parquet   one row per rejected document; ``origin`` says who rejected it:
                             ``source`` (the input could not be read: a missing file, a bad JSONL
                             line, a non-HTML WARC record) or ``coder`` (extraction refused it)

Documents themselves are not kept, only what the store records about them (id, doc_id, kind,
uri, url, media type, size in bytes, fetched_at), so a shard is about the size of its article
text however large the pages were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import (
    WHEN_WHERE_COLUMNS,
    Actor,
    Article,
    Document,
    DocumentRecord,
    Event,
    Rejected,
    when_where_fields,
    when_where_values,
)

__all__ = [
    "FIELDS",
    "TABLES",
    "CodedDocument",
    "Columns",
    "DocumentRecord",
    "coded_documents",
    "shard_columns",
    "shard_tables",
    "tables_from_columns",
]

TABLES: tuple[str, ...] = ("articles", "events", "rejections")


@dataclass(frozen=True)
class CodedDocument:
    """One input document as a shard holds it, in input order (``seq``).

    ``source`` is what the input stream gave: what is known of a Document, or the Rejected of
    an input that could not be read. ``item`` and ``events`` are what the coder made of it
    (``None`` for a source rejection, which never reached the coder).
    """

    seq: int
    source: DocumentRecord | Rejected
    item: Article | Rejected | None
    events: tuple[Event, ...] = ()

    def as_input(self) -> DocumentRecord | Rejected:
        """What the input stream gave, as the pipeline's write loop takes it: the document's record
        (what the store keeps of it) or the rejection of an input that could not be read."""
        return self.source


_DOCUMENT_FIELDS = (("document_id", "string"), ("doc_id", "string"), ("kind", "string"), ("uri", "string"),
                   ("document_url", "string"), ("media_type", "string"), ("size", "int64"),
                   ("fetched_at", "string"))
_ACTOR_FIELDS = (("code", "string"), ("country", "string"), ("sector", "string"), ("text", "string"),
                 ("name", "string"))
# Column names and types of each table, as plain data: workers build columns without pyarrow
# (importing it would add to every worker's start), the driver turns them into Arrow tables.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("seq", "int64"), *_DOCUMENT_FIELDS, ("id", "string"), ("url", "string"), ("site", "string"),
                 ("title", "string"), ("author", "string"), ("published", "date32"), ("language", "string"),
                 ("text", "string"), ("dropped_lines", "list<string>")),
    "events": (("seq", "int64"), ("id", "string"), ("article_id", "string"), ("doc_id", "string"),
               ("sentence_index", "int32"), ("span_start", "int64"), ("span_end", "int64"), ("sentence", "string"),
               *((f"source_{name}", kind) for name, kind in _ACTOR_FIELDS),
               *((f"target_{name}", kind) for name, kind in _ACTOR_FIELDS),
               ("type", "string"), ("mode", "string"), ("cameo", "string"), ("goldstein", "float64"),
               ("quad_class", "int8"), ("date", "date32"), ("negated", "bool"), ("hypothetical", "bool"),
               ("future", "bool"), ("historical", "bool"), ("confidence", "float64"), ("coder", "string"),
               ("rule", "string"), ("url", "string"), ("date_precision", "string"), ("date_source", "string"),
               ("reported", "bool"), ("place", "string"), ("place_country", "string"), ("place_admin1", "string"),
               ("lat", "float64"), ("lon", "float64"), ("geo_precision", "string"), ("geonames_id", "int64")),
    "rejections": (("seq", "int64"), ("origin", "string"), *_DOCUMENT_FIELDS, ("stage", "string"),
                   ("reason", "string"), ("detail", "string")),
}


def _schema(table: str) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "int32": pa.int32(), "int8": pa.int8(),
             "float64": pa.float64(), "bool": pa.bool_(), "date32": pa.date32(), "list<string>": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in FIELDS[table]])


def _document_row(info: DocumentRecord | None, rejected: Rejected | None = None) -> dict[str, Any]:
    if info is None:
        assert rejected is not None
        return {"document_id": rejected.document_id, "doc_id": rejected.doc_id, "kind": None, "uri": None,
                "document_url": None, "media_type": None, "size": None, "fetched_at": None}
    return {"document_id": info.id, "doc_id": info.doc_id, "kind": info.kind, "uri": info.uri,
            "document_url": info.url, "media_type": info.media_type, "size": info.size,
            "fetched_at": info.fetched_at}


def _actor_row(prefix: str, actor: Actor | None) -> dict[str, Any]:
    if actor is None:
        return {f"{prefix}_{name}": None for name in ("code", "country", "sector", "text", "name")}
    return {f"{prefix}_code": actor.code, f"{prefix}_country": actor.country, f"{prefix}_sector": actor.sector,
            f"{prefix}_text": actor.text, f"{prefix}_name": actor.name}


def _event_row(seq: int, event: Event) -> dict[str, Any]:
    return {
        "seq": seq, "id": event.id, "article_id": event.article_id, "doc_id": event.doc_id,
        "sentence_index": event.sentence_index, "span_start": event.span[0], "span_end": event.span[1],
        "sentence": event.sentence, **_actor_row("source", event.source), **_actor_row("target", event.target),
        "type": event.type, "mode": event.mode, "cameo": event.cameo, "goldstein": event.goldstein,
        "quad_class": event.quad_class, "date": event.date, "negated": event.negated,
        "hypothetical": event.hypothetical, "future": event.future, "historical": event.historical,
        "confidence": event.confidence, "coder": event.coder, "rule": event.rule, "url": event.url,
        **dict(zip(WHEN_WHERE_COLUMNS, when_where_values(event), strict=True)),
    }


Columns = dict[str, dict[str, list[Any]]]


def shard_columns(first_seq: int, sources: Sequence[Document | Rejected],
                  coded: Sequence[tuple[Article | Rejected, Sequence[Event]]]) -> Columns:
    """The three tables of one shard as plain columns: ``sources[i]`` was coded as ``coded[i]``."""
    if len(sources) != len(coded):
        raise ValueError(f"the coder gave {len(coded)} results for {len(sources)} documents")
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for offset, (source, (item, events)) in enumerate(zip(sources, coded, strict=True)):
        seq = first_seq + offset
        if isinstance(source, Rejected):
            rows["rejections"].append({"seq": seq, "origin": "source", **_document_row(None, source),
                                       "stage": source.stage, "reason": source.reason, "detail": source.detail})
            continue
        info = DocumentRecord.of(source)
        if isinstance(item, Rejected):
            rows["rejections"].append({"seq": seq, "origin": "coder", **_document_row(info), "stage": item.stage,
                                       "reason": item.reason, "detail": item.detail})
            continue
        rows["articles"].append({
            "seq": seq, **_document_row(info), "id": item.id, "url": item.url, "site": item.site,
            "title": item.title, "author": item.author, "published": item.published, "language": item.language,
            "text": item.text, "dropped_lines": list(item.dropped_lines),
        })
        rows["events"].extend(_event_row(seq, event) for event in events)
    return {name: {column: [row[column] for row in rows[name]] for column, _ in FIELDS[name]} for name in TABLES}


def tables_from_columns(columns: Columns) -> dict[str, Any]:
    """Arrow tables (with their fixed schemas) from ``shard_columns``' output."""
    import pyarrow as pa

    return {name: pa.Table.from_pydict(columns[name], schema=_schema(name)) for name in TABLES}


def shard_tables(first_seq: int, sources: Sequence[Document | Rejected],
                 coded: Sequence[tuple[Article | Rejected, Sequence[Event]]]) -> dict[str, Any]:
    """The three Arrow tables of one shard (``shard_columns`` then ``tables_from_columns``)."""
    return tables_from_columns(shard_columns(first_seq, sources, coded))


def _info(row: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(id=row["document_id"], doc_id=row["doc_id"], kind=row["kind"], uri=row["uri"],
                        url=row["document_url"], media_type=row["media_type"], size=row["size"],
                        fetched_at=row["fetched_at"])


def _actor(row: dict[str, Any], prefix: str) -> Actor | None:
    if row[f"{prefix}_code"] is None:
        return None
    return Actor(code=row[f"{prefix}_code"], country=row[f"{prefix}_country"] or "",
                 sector=row[f"{prefix}_sector"] or "", text=row[f"{prefix}_text"] or "", name=row[f"{prefix}_name"])


def _event(row: dict[str, Any]) -> Event:
    source = _actor(row, "source")
    assert source is not None
    day = row["date"]
    return Event(
        id=row["id"], article_id=row["article_id"], doc_id=row["doc_id"], sentence_index=int(row["sentence_index"]),
        span=(int(row["span_start"]), int(row["span_end"])), sentence=row["sentence"], source=source,
        target=_actor(row, "target"), type=row["type"], mode=row["mode"], cameo=row["cameo"],
        goldstein=float(row["goldstein"]), quad_class=int(row["quad_class"]),
        date=day if isinstance(day, date) else None, negated=bool(row["negated"]),
        hypothetical=bool(row["hypothetical"]), future=bool(row["future"]), historical=bool(row["historical"]),
        confidence=float(row["confidence"]), coder=row["coder"], rule=row["rule"], url=row["url"],
        **when_where_fields(row),
    )


def coded_documents(tables: dict[str, Any]) -> Iterator[CodedDocument]:
    """The documents of one shard's tables, in input order (the inverse of ``shard_tables``)."""
    events: dict[int, list[Event]] = {}
    for row in tables["events"].to_pylist():
        events.setdefault(row["seq"], []).append(_event(row))
    entries: list[tuple[int, CodedDocument]] = []
    for row in tables["articles"].to_pylist():
        info = _info(row)
        published = row["published"]
        article = Article(
            id=row["id"], doc_id=row["doc_id"], document_id=info.id, text=row["text"], url=row["url"],
            site=row["site"], title=row["title"], author=row["author"],
            published=published if isinstance(published, date) else None, language=row["language"],
            dropped_lines=tuple(row["dropped_lines"] or ()),
        )
        entries.append((row["seq"], CodedDocument(row["seq"], info, article, tuple(events.get(row["seq"], ())))))
    for row in tables["rejections"].to_pylist():
        rejected = Rejected(document_id=row["document_id"], doc_id=row["doc_id"], stage=row["stage"],
                            reason=row["reason"], detail=row["detail"] or "")
        if row["origin"] == "source":
            entries.append((row["seq"], CodedDocument(row["seq"], rejected, None)))
        else:
            entries.append((row["seq"], CodedDocument(row["seq"], _info(row), rejected)))
    entries.sort(key=lambda entry: entry[0])
    for _, entry in entries:
        yield entry
