"""JSONL, CSV and Parquet: one row per event.

JSONL keeps the event JSON of EVAL.md (the shape ``detente code --jsonl`` prints and
``Event.from_dict`` reads back) plus the report counts; CSV and Parquet flatten the actors
into ``source_*`` / ``target_*`` columns.

CSV writes every text field quoted (so "033" stays a code for any reader that honours
quoting) and numbers, booleans and dates bare; beside it goes a CSV on the Web (W3C CSVW)
metadata file, ``<name>-metadata.json``, with each column's type, so that pandas, R or any
CSVW reader keeps codes as strings and reads dates as dates (README, "detente export").
"""

from __future__ import annotations

from typing import Any

from .. import columns
from ..analysis.queries import StoredEvent

__all__ = ["COLUMN_TYPES", "FLAT_COLUMNS", "csv_line", "csv_metadata", "flat_row", "parquet_schema"]

# The published column order of CSV and Parquet exports: the event codec's columns
# (``detente.columns``) and the stored extras, as users have had them; the actors' canonical names
# (``source_name``, ``target_name``) came later and go last.
FLAT_COLUMNS: tuple[str, ...] = (
    "id", "doc_id", "article_id", "date", "source_code", "source_country", "source_sector", "source_text",
    "target_code", "target_country", "target_sector", "target_text", "type", "mode", "cameo", "goldstein",
    "quad_class", "negated", "hypothetical", "future", "historical", "confidence", "coder", "rule", "sentence",
    "sentence_index", "span_start", "span_end", "url", "site", "is_root", "num_mentions", "num_sources",
    "num_articles", "stored_at", "date_precision", "date_source", "reported", "place", "place_country",
    "place_admin1", "lat", "lon", "geo_precision", "geonames_id", "source_name", "target_name",
)
assert set(FLAT_COLUMNS) == set(columns.COLUMN_TYPES)


def flat_row(item: StoredEvent) -> dict[str, Any]:
    """The event's columns (the codec's) and what the store knows of it, by name."""
    return {**columns.event_columns(item.event), "site": item.site, "is_root": item.is_root,
            "num_mentions": item.num_mentions, "num_sources": item.num_sources,
            "num_articles": item.num_articles, "stored_at": item.stored_at}


# CSVW datatypes of the columns that are not strings (from the codec's types).
_CSVW_TYPES = {"int8": "integer", "int32": "integer", "int64": "integer", "float64": "double", "bool": "boolean",
               "date32": "date", "timestamp": "datetime"}
COLUMN_TYPES: dict[str, str] = {name: _CSVW_TYPES[kind] for name in FLAT_COLUMNS
                                if (kind := columns.COLUMN_TYPES[name]) != "string"}
_COLUMN_NOTES = {
    "cameo": "CAMEO event code, a string of digits with its leading zero (033, 0871)",
    "quad_class": "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
    "date": "the event's date (YYYY-MM-DD); empty when unknown",
    "span_start": "where the evidence starts in the article body (characters)",
    "span_end": "where the evidence ends in the article body (characters)",
    "confidence": "estimated probability that the event is right",
    "stored_at": "when the event was stored (UTC)",
    "date_precision": "what the date stands for: day, week, month or year (the first day of the span)",
    "date_source": "where the date came from: sentence, dateline or published",
    "reported": "a claim inside someone's speech, not counted as an event that happened",
    "place": "where the event happened, as the text names it",
    "place_country": "the place's country (ISO 3166-1 alpha-3)",
    "place_admin1": "the place's first-level region (GeoNames country.code, e.g. US.TX)",
    "geo_precision": "what the point stands for: city, admin1 or country",
    "geonames_id": "the place's GeoNames id",
    "source_name": "the source actor's canonical name (a person or organisation), when known",
    "target_name": "the target actor's canonical name (a person or organisation), when known",
}


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("integer", "double"):
        return repr(float(value)) if kind == "double" else str(int(value))
    if kind == "date":
        return value.isoformat()
    if kind == "datetime":
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return '"' + str(value).replace('"', '""') + '"'


def csv_line(row: dict[str, Any]) -> str:
    """One CSV record (RFC 4180, CRLF-free): text quoted, numbers, booleans and dates bare, nulls empty."""
    return ",".join(_cell(row[name], COLUMN_TYPES.get(name, "string")) for name in FLAT_COLUMNS) + "\n"


def csv_header() -> str:
    return ",".join(FLAT_COLUMNS) + "\n"


def csv_metadata(csv_name: str) -> dict[str, Any]:
    """The CSVW metadata (JSON-LD) describing a CSV export named ``csv_name``."""
    columns = []
    for name in FLAT_COLUMNS:
        column: dict[str, Any] = {"name": name, "titles": name, "datatype": COLUMN_TYPES.get(name, "string")}
        if name in _COLUMN_NOTES:
            column["dc:description"] = _COLUMN_NOTES[name]
        if name != "id":
            column["null"] = ""
        columns.append(column)
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:title": "detente events",
        "dc:description": "Political events coded by detente from news text (PLOVER/CAMEO), one row per event.",
        "dialect": {"header": True, "delimiter": ",", "quoteChar": '"', "doubleQuote": True, "encoding": "utf-8"},
        "tableSchema": {"columns": columns, "primaryKey": "id"},
    }


def parquet_schema() -> Any:
    """The Arrow schema of a Parquet export: ``FLAT_COLUMNS`` with the codec's types."""
    return columns.arrow_schema(names=FLAT_COLUMNS)
