"""Exports: ``export_events(store, fmt, out, **filters) -> rows written``.

Formats: ``jsonl``, ``csv`` (with its CSVW metadata file beside it), ``parquet``, ``gdelt``
(GDELT 2.0 event table) and ``plover`` (a JSON array of PLOVER event records). The file appears
complete or not at all: rows go to a temporary file beside ``out`` that replaces it only when
everything is written. Files are created as any other program's are, with the permissions the
umask allows (usually readable by colleagues), never private by accident.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..analysis.queries import StoredEvent, iter_events
from ..errors import BadOption
from ..store import Store
from .gdelt import GDELT_EVENT_COLUMNS, gdelt_row
from .plover import plover_record
from .tabular import csv_header, csv_line, csv_metadata, flat_row, parquet_schema

__all__ = ["FORMATS", "GDELT_EVENT_COLUMNS", "check_output", "export_events", "metadata_path", "write_events"]

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover")
_BATCH = 5000


def check_format(fmt: str) -> str:
    value = (fmt or "").strip().lower()
    if value not in FORMATS:
        raise BadOption(f"unknown export format '{fmt}'", "use one of " + ", ".join(FORMATS))
    return value


def check_output(out: str | Path) -> Path:
    path = Path(out)
    if path.exists() and path.is_dir():
        raise BadOption(f"--out {out} is a directory", "give a file name")
    if not path.parent.exists():
        raise BadOption(f"the directory of --out {out} does not exist", "create it first or choose another path")
    return path


def _json_default(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write_events(items: Iterable[StoredEvent], fmt: str, fh: IO[bytes]) -> int:
    """Write ``items`` in ``fmt`` to a binary file; returns the number of rows."""
    fmt = check_format(fmt)
    count = 0
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema()
        with pq.ParquetWriter(fh, schema) as writer:
            batch: list[dict[str, Any]] = []
            for item in items:
                batch.append(flat_row(item))
                count += 1
                if len(batch) >= _BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        return count
    import io

    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    try:
        if fmt == "jsonl":
            for item in items:
                text.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                count += 1
        elif fmt == "csv":
            text.write(csv_header())
            for item in items:
                text.write(csv_line(flat_row(item)))
                count += 1
        elif fmt == "gdelt":
            for item in items:
                text.write("\t".join(gdelt_row(item)) + "\n")
                count += 1
        else:  # plover: one JSON array, written as it streams
            text.write("[")
            for item in items:
                text.write(("\n" if count == 0 else ",\n")
                           + json.dumps(plover_record(item), ensure_ascii=False, default=_json_default))
                count += 1
            text.write("\n]\n")
        text.flush()
    finally:
        text.detach()
    return count


def metadata_path(out: str | Path) -> Path:
    """Where the CSVW metadata of a CSV export goes: ``events.csv`` -> ``events.csv-metadata.json``
    (the name CSVW readers look for first)."""
    path = Path(out)
    return path.with_name(path.name + "-metadata.json")


@contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """A new file beside ``path`` that replaces it when the block completes (and is removed if it fails).

    It is opened with mode 0666 less the umask, as ``open()`` would create ``path`` itself
    (``tempfile`` would make it 0600 whatever the umask).
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export_events(store: Store, fmt: str, out: str | Path, *, modality: str | None = None,
                  **filters: Any) -> int:
    """Export the events matching ``filters`` (those of ``query_events``) to ``out``; returns the
    number of rows written.

    ``modality`` defaults to ``real`` for ``gdelt`` (GDELT has no way to mark a negated or
    hypothetical event) and to ``any`` for the other formats, which carry the flags. A CSV
    export also writes its CSVW metadata (``metadata_path(out)``).
    """
    fmt = check_format(fmt)
    path = check_output(out)
    items = iter_events(store, modality=modality or ("real" if fmt == "gdelt" else "any"), **filters)
    first = next(items, None)  # validates the filters before any file is made
    with _replacing(path) as fh:
        count = write_events(_prepend(first, items), fmt, fh)
    if fmt == "csv":
        with _replacing(metadata_path(path)) as fh:
            fh.write((json.dumps(csv_metadata(path.name), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return count


def _prepend(first: StoredEvent | None, rest: Iterable[StoredEvent]) -> Iterable[StoredEvent]:
    if first is not None:
        yield first
    yield from rest
