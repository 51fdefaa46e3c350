"""The shard tables: coded documents <-> Arrow tables, the only place that knows a shard's columns.

A shard ``k`` of a batch holds three Parquet files, each row carrying ``seq``, the position of
its document in the whole input stream (so the input order can be rebuilt by merging them):

    articles-<k>.parquet     one row per article: the article and the document it came from
    events-<k>.parquet       one row per event, in the order the coder gave them, in the columns of
                             the one event codec (``detente.columns``)
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

from ..columns import EVENT_FIELDS, arrow_schema, event_columns, event_from_columns
from ..model import Article, Document, DocumentRecord, Event, Rejected

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
# Column names and types of each table, as plain data: workers build columns without pyarrow
# (importing it would add to every worker's start), the driver turns them into Arrow tables.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("seq", "int64"), *_DOCUMENT_FIELDS, ("id", "string"), ("url", "string"), ("site", "string"),
                 ("title", "string"), ("author", "string"), ("published", "date32"), ("language", "string"),
                 ("text", "string"), ("dropped_lines", "list<string>")),
    "events": (("seq", "int64"), *EVENT_FIELDS),
    "rejections": (("seq", "int64"), ("origin", "string"), *_DOCUMENT_FIELDS, ("stage", "string"),
                   ("reason", "string"), ("detail", "string")),
}


def _schema(table: str) -> Any:
    return arrow_schema(FIELDS[table])


def _document_row(info: DocumentRecord | None, rejected: Rejected | None = None) -> dict[str, Any]:
    if info is None:
        assert rejected is not None
        return {"document_id": rejected.document_id, "doc_id": rejected.doc_id, "kind": None, "uri": None,
                "document_url": None, "media_type": None, "size": None, "fetched_at": None}
    return {"document_id": info.id, "doc_id": info.doc_id, "kind": info.kind, "uri": info.uri,
            "document_url": info.url, "media_type": info.media_type, "size": info.size,
            "fetched_at": info.fetched_at}


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
        rows["events"].extend({"seq": seq, **event_columns(event)} for event in events)
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


def coded_documents(tables: dict[str, Any]) -> Iterator[CodedDocument]:
    """The documents of one shard's tables, in input order (the inverse of ``shard_tables``)."""
    events: dict[int, list[Event]] = {}
    for row in tables["events"].to_pylist():
        events.setdefault(row["seq"], []).append(event_from_columns(row))
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
