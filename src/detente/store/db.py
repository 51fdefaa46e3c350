"""Opening the DuckDB event store: path resolution, checks that never write, migrations.

DuckDB lets one process open a file for writing, or any number of processes open it
read-only, not both. Inside a process, one ``Store`` serves many reader threads (each takes
its own ``cursor()``) and one writer at a time (``Store.writer()`` holds a lock and a
transaction per batch). Every check on an existing file (is it DuckDB, is it detente's, is
its schema too new) runs before the file is opened for writing, so a refused file is
never changed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from .._version import __version__
from ..errors import SchemaTooNew, StoreCorrupt, StoreError
from ..settings import get_setting
from .rows import now_utc, records
from .schema import APP, MIGRATIONS, SCHEMA_VERSION
from .writer import StoreWriter

__all__ = ["MEMORY", "Store", "StoreStats", "open_store", "resolve_db_path", "store_failure"]

MEMORY = ":memory:"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file


def resolve_db_path(path: str | Path | None = None) -> str:
    """``path`` if given, else ``DETENTE_DB``, else ``./detente.duckdb``."""
    return str(get_setting("db", str(path) if path is not None else None))


@dataclass(frozen=True)
class StoreStats:
    documents: int
    articles: int
    syndicated_copies: int
    rejected_documents: int
    events: int
    real_events: int
    mentions: int
    runs: int
    schema_version: int

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Store:
    """An open event store. Use ``open_store`` to get one; close it (or use ``with``) when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, *, path: str, read_only: bool, version: int) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self.schema_version = version
        self._write_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection for one reader thread (DuckDB cursors share the database, not state)."""
        return self._con.cursor()

    def query(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        """Run a read query on a fresh cursor; rows as dicts."""
        cur = self.cursor()
        try:
            return records(cur.execute(sql, params or []))
        finally:
            cur.close()

    def scalar(self, sql: str, params: Any = None) -> Any:
        cur = self.cursor()
        try:
            rows = cur.execute(sql, params or []).fetchall()
            return rows[0][0] if rows else None
        finally:
            cur.close()

    def has_document(self, document_id: str) -> bool:
        return bool(self.scalar("SELECT count(*) FROM documents WHERE id = ?", [document_id]))

    def document_rejection(self, document_id: str) -> tuple[str, str] | None:
        """``(reason, detail)`` when this document was read before and rejected, else None."""
        rows = self.query("SELECT reason, detail FROM documents WHERE id = ? AND outcome = 'rejected'",
                          [document_id])
        if not rows:
            return None
        return str(rows[0]["reason"] or "unknown"), str(rows[0]["detail"] or "")

    def stats(self) -> StoreStats:
        row = self.query(
            """SELECT
                 (SELECT count(*) FROM documents) AS documents,
                 (SELECT count(*) FROM articles) AS articles,
                 (SELECT count(*) FROM documents WHERE outcome = 'article' AND similarity IS NOT NULL)
                     AS syndicated_copies,
                 (SELECT count(*) FROM documents WHERE outcome = 'rejected') AS rejected_documents,
                 (SELECT count(*) FROM events) AS events,
                 (SELECT count(*) FROM dyad_events WHERE is_real) AS real_events,
                 (SELECT count(*) FROM mentions) AS mentions,
                 (SELECT count(*) FROM runs) AS runs""")[0]
        return StoreStats(schema_version=self.schema_version, **{k: int(v) for k, v in row.items()})

    def runs(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM runs ORDER BY started_at, id")

    # -- writing -----------------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[Any]:
        """The single writer: one transaction, committed on success, rolled back on any error.

        Yields a ``StoreWriter`` (see ``writer.py``); only one may be open at a time per store.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only", "open the store without read_only to write")
        with self._write_lock:
            con = self._con.cursor()
            con.execute("BEGIN TRANSACTION")
            try:
                writer = StoreWriter(con)
                yield writer
                writer.flush()
            except BaseException:
                con.execute("ROLLBACK")
                con.close()
                raise
            con.execute("COMMIT")
            con.close()

    def add(self, item: Any, events: Any = (), *, document: Any = None, run_id: str | None = None) -> Any:
        """Store one coded article (or rejection) in its own transaction; see ``StoreWriter.add``."""
        with self.writer() as w:
            return w.add(item, events, document=document, run_id=run_id)

    def start_run(self, command: str, sources: str = "", *, coder: str = "") -> str:
        run_id = uuid.uuid4().hex
        with self.writer() as w:
            w.con.execute(
                "INSERT INTO runs (id, command, sources, detente_version, coder, started_at, status) "
                "VALUES (?, ?, ?, ?, ?, ?, 'running')",
                [run_id, command, sources, __version__, coder, now_utc()]).fetchall()
        return run_id

    def finish_run(self, run_id: str, status: str = "finished") -> None:
        with self.writer() as w:
            w.con.execute("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?",
                          [status, now_utc(), run_id]).fetchall()


# ---- failures while reading -----------------------------------------------------------------

# DuckDB errors that mean the file or the disk failed, not the query: a damaged block (its checksum
# does not match), a read error, memory running out, or a database left unusable by an earlier error.
_FAILURE_TYPES = (duckdb.IOException, duckdb.InternalException, duckdb.FatalException,
                  duckdb.SerializationException, duckdb.OutOfMemoryException, duckdb.PermissionException)
_FAILURE_WORDS = ("corrupt", "checksum", "database has been invalidated")


def store_failure(exc: BaseException, path: str = "the event store") -> StoreError | None:
    """The ``StoreError`` an exception raised while using the store stands for, or None when it is not
    a store failure (a bug in a query is not: it stays an unexpected error)."""
    if isinstance(exc, StoreError):
        return exc
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc).strip()
    first = (text.splitlines()[0] if text else type(exc).__name__)[:300]
    if any(word in text.lower() for word in _FAILURE_WORDS):
        return StoreCorrupt(f"{path} cannot be read: {first}",
                            "the file is damaged: restore it from a backup, or ingest the sources again into a new "
                            "--db")
    if isinstance(exc, _FAILURE_TYPES):
        return StoreError(f"{path} cannot be used: {first}", "check the disk and the file, then start again")
    return None


# ---- opening -------------------------------------------------------------------------------

def _sniff(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before DuckDB touches it."""
    if path.is_dir():
        raise StoreCorrupt(f"{path} is a directory, not a detente database")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from exc
    if len(head) < 12 or head[8:12] != _DUCKDB_MAGIC:
        raise StoreCorrupt(f"{path} is not a DuckDB database")


def _connect(path: str, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreError(f"{path} is in use by another process (DuckDB allows one writer)",
                             "wait for the other detente command to finish, then run this one again") from exc
        if "not a valid DuckDB database" in text:
            raise StoreCorrupt(f"{path} is not a DuckDB database") from exc
        if "version" in text.lower():
            raise SchemaTooNew(f"{path} was written by a newer DuckDB", "upgrade detente and duckdb") from exc
        raise StoreCorrupt(f"cannot open {path}: {text.splitlines()[0]}") from exc
    except duckdb.Error as exc:
        raise StoreCorrupt(f"cannot open {path}: {str(exc).splitlines()[0]}") from exc


def _installed_version(con: duckdb.DuckDBPyConnection, path: str) -> int | None:
    """The schema version of an open database; None when it has no tables at all (a new file)."""
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if "schema_version" not in tables:
            if tables:
                raise StoreCorrupt(f"{path} is a DuckDB database but not a detente one "
                                   f"(it has tables {', '.join(sorted(tables)[:5])})")
            return None
        rows = con.execute("SELECT version, app FROM schema_version").fetchall()
    except duckdb.Error as exc:
        raise StoreCorrupt(f"cannot read the schema of {path}: {str(exc).splitlines()[0]}") from exc
    if not rows or any(app != APP for _, app in rows):
        raise StoreCorrupt(f"{path} is a DuckDB database but not a detente one")
    version = max(int(v) for v, _ in rows)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(f"{path} has store schema v{version}, this detente reads up to v{SCHEMA_VERSION}")
    return version


def _migrate(con: duckdb.DuckDBPyConnection, current: int | None) -> int:
    pending = [m for m in MIGRATIONS if current is None or m.version > current]
    if not pending:
        return current or 0
    con.execute("BEGIN TRANSACTION")
    try:
        for migration in pending:
            for statement in migration.statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?, ?)",
                        [migration.version, APP, migration.description, now_utc()]).fetchall()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return pending[-1].version


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open (and for writing, create or upgrade) the event store at ``path``.

    ``path`` defaults to the ``db`` setting; ``":memory:"`` gives an in-memory store (the
    test twin). Read-only opening of a missing file raises ``StoreError`` and creates nothing;
    a file that is not a detente database raises ``StoreCorrupt``, one written by a newer
    detente ``SchemaTooNew``; in every such case the file is left untouched.
    """
    where = resolve_db_path(path)
    if where == MEMORY:
        con = duckdb.connect(MEMORY)
        return Store(con, path=where, read_only=False, version=_migrate(con, None))
    file = Path(where)
    exists = file.exists()
    if not exists:
        if read_only:
            raise StoreError(f"there is no event store at {where}",
                             f"ingest documents first: detente ingest SOURCE... --db {where}")
        if not file.parent.exists():
            raise StoreError(f"the directory of {where} does not exist", "create it or choose another --db path")
    else:
        _sniff(file)
        # Inspect read-only first: a foreign or too-new database is refused without being
        # opened for writing (DuckDB may checkpoint a file it opened read-write).
        probe = _connect(where, read_only=True)
        try:
            version = _installed_version(probe, where)
        finally:
            probe.close()
        if read_only:
            if version is None:
                raise StoreError(f"the event store at {where} is empty",
                                 f"ingest documents first: detente ingest SOURCE... --db {where}")
            if version < SCHEMA_VERSION:
                raise StoreError(f"{where} has store schema v{version}; this detente needs v{SCHEMA_VERSION}",
                                 f"upgrade it by running any write command once, e.g. detente ingest --db {where}")
            return Store(_connect(where, read_only=True), path=where, read_only=True, version=version)
    con = _connect(where, read_only=False)
    try:
        version_now = _migrate(con, _installed_version(con, where) if exists else None)
        # A writer is alone on the file, so any run still marked running was cut short.
        con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").fetchall()
    except BaseException:
        con.close()
        raise
    return Store(con, path=where, read_only=False, version=version_now)
