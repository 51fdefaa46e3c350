"""Running the stages: Document -> Article | Rejected -> parse -> events -> the store.

    stages   the stages over a stream (``code_documents``, ``code_articles``, ``extract_documents``),
             one place that turns a stage's failure into a ``Rejected`` value
    coders   coders by versioned name (``detente.rules.v2``): ``register_coder``, ``get_coder``
    run      the one write loop that ``detente ingest``, ``batch``, ``watch`` and the API's writes
             store through (``ingest_sources``, ``ingest_documents``, ``WriteLoop``)

Nothing below ``pipeline`` imports it: ``store`` stores and reads, ``coding`` codes one parsed
article, ``extract`` and ``ingest`` read documents.
"""

from __future__ import annotations

from .coders import DEFAULT_CODER, CodeFn, coder_names, get_coder, register_coder
from .run import IngestSummary, WriteLoop, ingest_documents, ingest_sources, store_documents
from .stages import (
    as_document,
    code_articles,
    code_documents,
    code_text,
    coding_skip,
    extract_documents,
    extract_text,
    parse_date,
    too_long,
)

__all__ = [
    "DEFAULT_CODER",
    "CodeFn",
    "IngestSummary",
    "WriteLoop",
    "as_document",
    "code_articles",
    "code_documents",
    "code_text",
    "coder_names",
    "coding_skip",
    "extract_documents",
    "extract_text",
    "get_coder",
    "ingest_documents",
    "ingest_sources",
    "parse_date",
    "register_coder",
    "store_documents",
    "too_long",
]
