"""JSONL, CSV and Parquet: one row per event.

JSONL keeps the event JSON of EVAL.md (the shape ``detente code --jsonl`` prints and
``Event.from_dict`` reads back) plus the report counts; CSV and Parquet flatten the actors
into ``source_*`` / ``target_*`` columns.
"""

from __future__ import annotations

from typing import Any

from ..analysis.queries import StoredEvent

__all__ = ["FLAT_COLUMNS", "flat_row", "parquet_schema"]

FLAT_COLUMNS: tuple[str, ...] = (
    "id", "doc_id", "article_id", "date", "source_code", "source_country", "source_sector", "source_text",
    "target_code", "target_country", "target_sector", "target_text", "type", "mode", "cameo", "goldstein",
    "quad_class", "negated", "hypothetical", "future", "historical", "confidence", "coder", "rule", "sentence",
    "sentence_index", "span_start", "span_end", "url", "site", "is_root", "num_mentions", "num_sources",
    "num_articles", "stored_at",
)


def flat_row(item: StoredEvent) -> dict[str, Any]:
    e = item.event
    src, tgt = e.source, e.target
    return {
        "id": e.id, "doc_id": e.doc_id, "article_id": e.article_id, "date": e.date,
        "source_code": src.code, "source_country": src.country, "source_sector": src.sector,
        "source_text": src.text,
        "target_code": tgt.code if tgt else None, "target_country": tgt.country if tgt else None,
        "target_sector": tgt.sector if tgt else None, "target_text": tgt.text if tgt else None,
        "type": e.type, "mode": e.mode, "cameo": e.cameo, "goldstein": float(e.goldstein),
        "quad_class": int(e.quad_class), "negated": e.negated, "hypothetical": e.hypothetical,
        "future": e.future, "historical": e.historical, "confidence": float(e.confidence), "coder": e.coder,
        "rule": e.rule, "sentence": e.sentence, "sentence_index": int(e.sentence_index),
        "span_start": int(e.span[0]), "span_end": int(e.span[1]), "url": e.url, "site": item.site,
        "is_root": item.is_root, "num_mentions": item.num_mentions, "num_sources": item.num_sources,
        "num_articles": item.num_articles, "stored_at": item.stored_at,
    }


def parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    types = {
        "date": pa.date32(), "goldstein": pa.float64(), "quad_class": pa.int8(), "negated": pa.bool_(),
        "hypothetical": pa.bool_(), "future": pa.bool_(), "historical": pa.bool_(), "confidence": pa.float64(),
        "sentence_index": pa.int32(), "span_start": pa.int32(), "span_end": pa.int32(), "is_root": pa.bool_(),
        "num_mentions": pa.int32(), "num_sources": pa.int32(), "num_articles": pa.int32(),
        "stored_at": pa.timestamp("s"),
    }
    return pa.schema([(name, types.get(name, text)) for name in FLAT_COLUMNS])
