"""The event store: one DuckDB file, versioned migrations, a single transactional writer.

    open_store(path, read_only=False) -> Store
    Store.writer() -> StoreWriter (one transaction)   StoreWriter.add(article, events, document=record, run_id=)
    Store.add(...) -> AddResult                        Store.stats() -> StoreStats

See ``schema.py`` for the tables and ``writer.py`` for how near-duplicates are counted. The store
stores and reads only: reading, coding and the write loop that feeds it are ``detente.pipeline``'s.
"""

from __future__ import annotations

from .db import MEMORY, Store, StoreStats, open_store, resolve_db_path
from .schema import SCHEMA_VERSION
from .writer import AddResult, AddStatus, StoreWriter

__all__ = [
    "MEMORY",
    "SCHEMA_VERSION",
    "AddResult",
    "AddStatus",
    "Store",
    "StoreStats",
    "StoreWriter",
    "open_store",
    "resolve_db_path",
]
