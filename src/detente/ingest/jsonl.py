"""JSONL corpora (``.jsonl``, ``.jsonl.gz``): one document per line, read as a stream.

A line is ``{"id", "text" | "html", "url"?, "published"?: "YYYY-MM-DD", "title"?}``
(``raw_text`` is accepted for ``text``, as in the shared gold files). A line that cannot
be used becomes ``Rejected(reason="bad_record")`` naming its line number and the rest of
the corpus goes on; a line longer than ``max_bytes`` is ``too_large`` and is skipped
without being held in memory.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from ..errors import BadRecord, JSONTooDeep, Reason
from ..model import Document, Rejected
from ..safe_json import load_json
from ..settings import get_setting
from ._shared import human_size, open_source, public_name, reject_source

__all__ = ["document_from_record", "documents_from_jsonl"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?")
_BODY_FIELDS = ("html", "text", "raw_text")


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BadRecord(f'"{key}" must be a string, not {type(value).__name__}')


def _published(record: dict[str, Any]) -> date | None:
    value = _optional_str(record, "published")
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _DATE.fullmatch(text):
        raise BadRecord(f'"published" must be a date written YYYY-MM-DD, not {value!r}')
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BadRecord(f'"published" is not a real date: {value!r}') from None


def _doc_id(record: dict[str, Any], fallback: str) -> str:
    value = record.get("id")
    if value is None:
        return fallback
    # bool is an int to Python, but an id of `true` is a mistake in the corpus
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadRecord(f'"id" must be a string or an integer, not {type(value).__name__}')
    text = str(value).strip()
    if not text:
        raise BadRecord('"id" is empty')
    return text


def document_from_record(record: Any, *, fallback_id: str, encoding: str = "utf-8") -> Document:
    """A Document from one parsed corpus record; raises ``ValueError`` saying what is wrong."""
    if not isinstance(record, dict):
        raise BadRecord(f"a line must hold a JSON object, not {type(record).__name__}")
    doc_id = _doc_id(record, fallback_id)
    field = next((name for name in _BODY_FIELDS if record.get(name) is not None), None)
    if field is None:
        raise BadRecord('no "text" or "html" field')
    body = record[field]
    if not isinstance(body, str):
        raise BadRecord(f'"{field}" must be a string, not {type(body).__name__}')
    url = _optional_str(record, "url")
    return Document.from_bytes(
        body.encode(encoding), doc_id=doc_id, kind="jsonl", uri=url or doc_id,
        media_type="html" if field == "html" else "text", url=url, published=_published(record),
        title=_optional_str(record, "title"), encoding=encoding,
    )


def _open_corpus(path: str) -> BinaryIO:
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _skip_rest_of_line(stream: BinaryIO, chunk_size: int) -> None:
    while True:
        chunk = stream.readline(chunk_size)
        if not chunk or chunk.endswith(b"\n"):
            return


def documents_from_jsonl(path: str | os.PathLike[str], *, shown_as: str | None = None,
                         max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    """Each line of a JSONL corpus (plain or gzipped) as a Document, or a Rejected saying why not.

    Lines without an ``id`` are named ``<path>:<line>``; blank lines are skipped.
    """
    name = shown_as if shown_as is not None else public_name(os.fspath(path))
    limit = int(get_setting("max_bytes", max_bytes))
    line_no = 0
    stream = open_source(os.fspath(path), shown_as or os.fspath(path), _open_corpus)
    if isinstance(stream, Rejected):
        yield stream
        return
    with stream:
        try:
            while True:
                # +1: room for the newline; a line cut there without one is longer than the limit
                raw = stream.readline(limit + 1)
                if not raw:
                    return
                line_no += 1
                where = f"{name}:{line_no}"
                ended = raw.endswith(b"\n")
                if len(raw) - ended > limit:
                    if not ended:
                        _skip_rest_of_line(stream, 1 << 16)
                    yield reject_source(where, Reason.TOO_LARGE, f"line {line_no} of {name} is over the "
                                                            f"{human_size(limit)} limit")
                    continue
                yield from _record_from_line(raw, line_no, name, where)
        except (OSError, EOFError, zlib.error) as exc:  # a damaged gzip stream or a failing disk
            yield reject_source(name, Reason.UNREADABLE, f"{name} cannot be read after line {line_no}: {exc}")


def _record_from_line(raw: bytes, line_no: int, name: str, where: str) -> Iterator[Document | Rejected]:
    if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a BOM some editors write
        raw = raw[3:]
    if not raw.strip():
        return
    try:
        record = load_json(raw.decode("utf-8"))
        yield document_from_record(record, fallback_id=where)
    except UnicodeDecodeError as exc:
        yield _bad(raw, line_no, name, f"not UTF-8 (byte {exc.start + 1})")
    except JSONTooDeep as exc:
        yield _bad(raw, line_no, name, str(exc))
    except json.JSONDecodeError as exc:
        yield _bad(raw, line_no, name, f"invalid JSON ({exc.msg} at column {exc.colno})")
    except BadRecord as exc:
        yield _bad(raw, line_no, name, str(exc), doc_id=_id_for_message(raw, where))


def _id_for_message(raw: bytes, fallback: str) -> str:
    """The record's id when it has a usable one, so the user can find the record by it."""
    try:
        value = load_json(raw).get("id")
    except (ValueError, AttributeError):
        return fallback
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and str(value) else fallback


def _bad(raw: bytes, line_no: int, name: str, why: str, *, doc_id: str | None = None) -> Rejected:
    return reject_source(doc_id or f"{name}:{line_no}", Reason.BAD_RECORD, f"line {line_no} of {name}: {why}",
                         content=raw)
