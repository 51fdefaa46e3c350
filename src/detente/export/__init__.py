"""Exports: ``export_events(store, fmt, out, **filters) -> rows written``.

Formats: ``jsonl``, ``csv``, ``parquet``, ``gdelt`` (GDELT 2.0 event table) and ``plover``
(a JSON array of PLOVER event records). The file appears complete or not at all: rows go to
a temporary file beside ``out`` that replaces it only when everything is written.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..analysis.queries import StoredEvent, iter_events
from ..errors import BadOption
from ..store import Store
from .gdelt import GDELT_EVENT_COLUMNS, gdelt_row
from .plover import plover_record
from .tabular import FLAT_COLUMNS, flat_row, parquet_schema

__all__ = ["FORMATS", "GDELT_EVENT_COLUMNS", "check_output", "export_events", "write_events"]

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
            writer_csv = csv.DictWriter(text, fieldnames=FLAT_COLUMNS)
            writer_csv.writeheader()
            for item in items:
                writer_csv.writerow(flat_row(item))
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


def export_events(store: Store, fmt: str, out: str | Path, *, modality: str | None = None,
                  source: str | None = None, target: str | None = None, type: str | None = None,
                  since: date | None = None, until: date | None = None) -> int:
    """Export the matching events to ``out``; returns the number of rows written.

    ``modality`` defaults to ``real`` for ``gdelt`` (GDELT has no way to mark a negated or
    hypothetical event) and to ``any`` for the other formats, which carry the flags.
    """
    fmt = check_format(fmt)
    path = check_output(out)
    items = iter_events(store, source=source, target=target, type=type, since=since, until=until,
                        modality=modality or ("real" if fmt == "gdelt" else "any"))
    first = next(items, None)  # validates the filters before any file is made
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            count = write_events(_prepend(first, items), fmt, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _prepend(first: StoredEvent | None, rest: Iterable[StoredEvent]) -> Iterable[StoredEvent]:
    if first is not None:
        yield first
    yield from rest
