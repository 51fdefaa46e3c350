"""Web archives (``.warc``, ``.warc.gz``): every archived HTML page as a Document, read as a stream.

warcio's ``ArchiveIterator`` parses the records. A ``response`` (or ``resource``) record holding
an HTML page becomes a Document with ``kind="warc"``, ``doc_id`` its ``WARC-Record-ID``, ``url``
its ``WARC-Target-URI`` and ``fetched_at`` its ``WARC-Date`` (when the crawler fetched it, not
when the story was published). The HTTP ``Content-Type`` charset is passed on as the encoding
hint, as a browser would use it; a page whose bytes are not in that encoding is then rejected
by the extractor as ``bad_encoding``.

Records that are not pages (``warcinfo``, ``request``, ``metadata``, ``conversion``) are passed
over. Page records that cannot be used are ``Rejected`` values of the ingest stage, and the
rest of the archive goes on:

    not_html        a response that is not an HTML page (an image, a PDF, JSON, ...)
    http_<status>   an archived response that was not a success (2xx)
    duplicate       a ``revisit`` record: the crawler saw the same page earlier
    truncated       the record is incomplete: the crawler cut its payload (``WARC-Truncated``)
                    or the archive file ends inside it
    broken_record   a record that cannot be parsed, whose Content-Length is wrong, whose
                    digest does not match or whose payload cannot be decoded
    too_large       a payload over ``max_bytes``

After a damaged stretch, reading resumes at the next record that parses (the next gzip member
of a record-compressed archive, the next ``WARC/`` header line of a plain one). An archive
gzipped as one whole file instead of record by record is read through ``gzip`` from the start.
"""

from __future__ import annotations

import codecs
import gzip
import os
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from ..errors import HeaderTooLong, Reason
from ..model import Document, Rejected
from ..settings import get_setting
from ._shared import human_size, open_source, public_name, reject_source

__all__ = ["HTML_TYPES", "MAX_HEADER_BLOCK", "MAX_HEADER_LINE", "WARC_SUFFIXES", "documents_from_warc", "is_warc"]

WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz")
HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
_PAGE_RECORDS = frozenset({"response", "resource"})
# Types servers send when they do not know better; the payload itself then decides.
_VAGUE_TYPES = frozenset({"application/octet-stream", "text/plain", "unknown/unknown", "binary/octet-stream"})
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_HEADER = b"WARC/1."
_SCAN_CHUNK = 1 << 16
_WHOLE_FILE_GZIP = "non-chunked gzip"  # in warcio's message for a file gzipped as one member
# Longest header line, and most header bytes in a row, a record may have (real ones: a few kB).
MAX_HEADER_LINE = 64 * 1024
MAX_HEADER_BLOCK = 1 << 20


def is_warc(path: str | os.PathLike[str]) -> bool:
    """True for a path named like a web archive (``.warc`` or ``.warc.gz``)."""
    return os.fspath(path).lower().endswith(WARC_SUFFIXES)


def _open_binary(path: str) -> BinaryIO:
    return open(path, "rb")


def documents_from_warc(path: str | os.PathLike[str], *, shown_as: str | None = None,
                        max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    """Each HTML page archived in ``path`` as a Document, or a Rejected saying why a record is not one."""
    name = shown_as if shown_as is not None else public_name(os.fspath(path))
    limit = int(get_setting("max_bytes", max_bytes))
    stream = open_source(os.fspath(path), shown_as or os.fspath(path), _open_binary)
    if isinstance(stream, Rejected):
        yield stream
        return
    with stream:
        reader = _ArchiveReader(stream, name, limit)
        yield from reader.pages()
        if reader.whole_file_gzip:
            with gzip.open(os.fspath(path), "rb") as unzipped:
                again = _ArchiveReader(unzipped, name, limit, skip_records=reader.records_seen)
                yield from again.pages()


class _BoundedLines:
    """warcio reads header lines with an unbounded ``readline``: a gzip stream of zeros (no newline)
    was read as one line of gigabytes (16 GB for a 5.5 MB file), then copied into an error message.
    This wraps the reader so a line stops at ``MAX_HEADER_LINE`` bytes and a run of lines (a record's
    WARC and HTTP headers, read with no payload read between them) at ``MAX_HEADER_BLOCK``."""

    def __init__(self, reader: Any) -> None:
        self._readline = reader.readline
        self._read = reader.read
        self._run = 0
        reader.readline = self.readline
        reader.read = self.read

    def readline(self, length: int | None = None) -> bytes:
        wanted = MAX_HEADER_LINE + 1 if length is None or length < 0 else min(length, MAX_HEADER_LINE + 1)
        line: bytes = self._readline(wanted)
        if len(line) > MAX_HEADER_LINE:
            raise HeaderTooLong(f"a line of more than {MAX_HEADER_LINE // 1024} kB where a header line belongs "
                                 "(not a WARC record)")
        self._run += len(line)
        if self._run > MAX_HEADER_BLOCK:
            raise HeaderTooLong(f"more than {MAX_HEADER_BLOCK // 2**20} MB of header lines (not a WARC record)")
        return line

    def read(self, length: int | None = None) -> bytes:
        self._run = 0
        data: bytes = self._read(length)
        return data


def _quiet_iterator(stream: BinaryIO | gzip.GzipFile) -> Any:
    from warcio.archiveiterator import ArchiveIterator

    class QuietArchiveIterator(ArchiveIterator):
        # warcio writes a warning to stderr when a record is not followed by the blank lines
        # the format requires (its Content-Length is wrong); it also counts it in err_count,
        # which is what we read, so the warning itself is silenced.
        INC_RECORD = ""

    archive = QuietArchiveIterator(stream, check_digests=True)
    _BoundedLines(archive.reader)  # before the first record is read: iteration is lazy
    return archive


@dataclass
class _Pass:
    """How one pass of warcio over the stream ended."""

    failure: str | None = None  # why the parser stopped early, None at the end of the stream
    end: int = 0  # the offset just after the last record read
    read_any: bool = False


class _ArchiveReader:
    """Reads an archive stream pass by pass, resuming after damage; see the module docstring."""

    def __init__(self, stream: BinaryIO | gzip.GzipFile, name: str, limit: int, *, skip_records: int = 0) -> None:
        self.stream = stream
        self.name = name
        self.limit = limit
        self.skip_records = skip_records
        self.records_seen = 0
        self.whole_file_gzip = False

    def pages(self) -> Iterator[Document | Rejected]:
        start = self.stream.tell()
        damage: tuple[int, str] | None = None  # (offset, what failed) of a stretch not reported yet
        while True:
            outcome = yield from self._read_from(start, damage)
            if outcome.read_any:
                damage = None
            if self.whole_file_gzip:
                return
            if outcome.failure is None:
                if damage is not None:  # resumed at what looked like a record, and nothing followed
                    yield reject_source(f"{self.name}@{damage[0]}", Reason.BROKEN_RECORD,
                                        f"from offset {damage[0]} to its end {self.name} holds no readable record "
                                        f"({damage[1]})")
                elif self._bytes_after(outcome.end):
                    yield reject_source(f"{self.name}@{outcome.end}", Reason.TRUNCATED,
                                        f"{self.name} ends inside a record (the bytes from offset {outcome.end} "
                                        f"are not a whole record)")
                return
            if damage is None:
                damage = (outcome.end, outcome.failure)
            resume = self._next_record_start(max(outcome.end, start) + 1)
            if resume is None:
                yield reject_source(f"{self.name}@{damage[0]}", Reason.BROKEN_RECORD,
                                    f"from offset {damage[0]} to its end {self.name} holds no readable record "
                                    f"({damage[1]})")
                return
            start = resume

    def _read_from(self, start: int, damage: tuple[int, str] | None) -> Generator[Document | Rejected, None, _Pass]:
        self.stream.seek(start)
        archive = _quiet_iterator(self.stream)
        records = iter(archive)
        outcome = _Pass(end=start)
        while True:
            try:
                record = next(records)
                record_start = archive.offset
                errors_before = archive.err_count
                payload = _read_payload(record, self.limit)
                archive.read_to_end()
            except StopIteration:
                return outcome
            except Exception as exc:  # warcio raises many types on damaged input (some are its own bugs)
                text = str(exc).strip()
                # A .gz archive compressed as one member instead of one per record: reading it
                # again through gzip (see documents_from_warc) finds the other records.
                self.whole_file_gzip = _WHOLE_FILE_GZIP in text
                outcome.failure = (text.splitlines()[0] if text else type(exc).__name__)[:200]
                return outcome
            if damage is not None and not outcome.read_any:
                yield reject_source(f"{self.name}@{damage[0]}", Reason.BROKEN_RECORD,
                                    f"bytes {damage[0]}-{record_start} of {self.name} are not a readable record "
                                    f"({damage[1]}); reading resumed after them")
            outcome.end, outcome.read_any = archive.offset, True
            self.records_seen += 1
            if self.records_seen <= self.skip_records:
                continue
            page = _page_from_record(record, payload, self.name, record_start, self.limit,
                                     length_wrong=archive.err_count > errors_before)
            if page is not None:
                yield page

    def _bytes_after(self, offset: int) -> int:
        """How many bytes follow ``offset``, 0 when they are only blank lines."""
        self.stream.seek(offset)
        total, blank = 0, True
        while chunk := self.stream.read(_SCAN_CHUNK):
            total += len(chunk)
            blank = blank and not chunk.strip()
        return 0 if blank else total

    def _next_record_start(self, offset: int) -> int | None:
        """The first offset at or after ``offset`` where a record may start (a gzip member or a WARC header)."""
        self.stream.seek(offset)
        position, carry = offset, b""
        while chunk := self.stream.read(_SCAN_CHUNK):
            data, base = carry + chunk, position - len(carry)
            hits = [i for i in (data.find(_GZIP_MEMBER), data.find(_WARC_HEADER)) if i >= 0]
            if hits:
                return base + min(hits)
            carry = data[-(len(_WARC_HEADER) - 1):]
            position += len(chunk)
        return None


def _read_payload(record: Any, limit: int) -> bytes | Exception | None:
    """The decoded HTTP payload of a page record (up to limit + 1 bytes), or the error decoding it."""
    if record.rec_type not in _PAGE_RECORDS:
        return None
    try:
        return bytes(record.content_stream().read(limit + 1))
    except (OSError, ValueError, EOFError, zlib.error) as exc:  # a bad chunked or gzip/br payload
        return exc


def _content_type(record: Any) -> tuple[str, str | None]:
    """The media type (lower case, no parameters) and the charset a page record declares."""
    http = record.http_headers
    if record.rec_type == "response":  # the WARC Content-Type of a response is application/http
        raw = (http.get_header("Content-Type") if http is not None else None) or ""
    else:
        raw = record.content_type or ""
    parts = [p.strip() for p in raw.split(";")]
    mime = parts[0].lower()
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:  # a label Python does not know: let the page's own declaration decide
            charset = None
    return mime, charset


def _is_html(mime: str, identified: str, payload: bytes) -> bool:
    """An HTML page by its declared type, or by its first bytes when the declared type says nothing."""
    if mime in HTML_TYPES or identified in HTML_TYPES:
        return True
    if mime and mime not in _VAGUE_TYPES:
        return False
    head = payload[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _page_from_record(record: Any, payload: bytes | Exception | None, name: str, offset: int, limit: int, *,
                      length_wrong: bool) -> Document | Rejected | None:
    headers = record.rec_headers
    record_id = (headers.get_header("WARC-Record-ID") or "").strip().strip("<>").strip()
    doc_id = record_id or f"{name}@{offset}"
    uri = headers.get_header("WARC-Target-URI") or None
    where = uri or f"offset {offset} of {name}"
    if record.rec_type == "revisit":
        return reject_source(doc_id, Reason.DUPLICATE, f"a revisit record: {where} is the same as an earlier capture")
    if record.rec_type not in _PAGE_RECORDS:
        return None
    declared = (headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():
        return reject_source(doc_id, Reason.BROKEN_RECORD, f"the record of {where} has no valid Content-Length")
    if length_wrong:
        return reject_source(doc_id, Reason.BROKEN_RECORD, f"the record of {where} does not end where its "
                                                      f"Content-Length ({declared}) says")
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining:
        return reject_source(doc_id, Reason.TRUNCATED, f"{name} ends {remaining} bytes before the end of the record "
                                                  f"of {where}")
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        return reject_source(doc_id, Reason.BROKEN_RECORD, f"the record of {where} does not match its WARC digest")
    truncated = headers.get_header("WARC-Truncated")
    if truncated:
        return reject_source(doc_id, Reason.TRUNCATED, f"the crawler cut the page {where} ({truncated})")
    if isinstance(payload, Exception):
        return reject_source(doc_id, Reason.BROKEN_RECORD, f"the payload of {where} cannot be decoded ({payload})")
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    if status and not str(status).startswith("2"):
        return reject_source(doc_id, f"http_{status}", f"the archived response for {where} was HTTP {status}",
                             content=payload)
    assert payload is not None
    if len(payload) > limit:
        return reject_source(doc_id, Reason.TOO_LARGE, f"the page {where} is over the {human_size(limit)} limit")
    mime, charset = _content_type(record)
    identified = (headers.get_header("WARC-Identified-Payload-Type") or "").split(";")[0].strip().lower()
    if not _is_html(mime, identified, payload):
        return reject_source(doc_id, Reason.NOT_HTML, f"{where} is {mime or 'of no declared type'}, not an HTML page",
                             content=payload)
    return Document.from_bytes(payload, doc_id=doc_id, kind="warc", uri=uri or f"{name}#{offset}",
                               media_type="html", url=uri, fetched_at=headers.get_header("WARC-Date") or None,
                               encoding=charset)
