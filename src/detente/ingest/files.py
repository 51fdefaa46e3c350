"""Documents from files, directories and standard input.

A file's size is checked before a byte of it is read, and reads are bounded all the same
(a file can grow, and devices or pipes report no size), so one huge input can neither fill
memory nor stall a run. Directories are walked lazily and deterministically: entries in
name order at every level (the order of ``sorted(Path(dir).rglob("*"))``), hidden files
and directories skipped, symlinked directories not followed (they can loop).
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import Reason
from ..model import Document, Rejected
from ..settings import get_setting
from ._shared import human_size, public_name, read_at_most, reject_source
from .jsonl import documents_from_jsonl
from .warc import documents_from_warc

__all__ = [
    "CORPUS_SUFFIXES",
    "DOCUMENT_SUFFIXES",
    "FOLDER_NOTES",
    "STDIN_DOC_ID",
    "WARC_SUFFIXES",
    "document_from_file",
    "document_from_stdin",
    "documents_from_directory",
    "documents_from_path",
    "media_type_of",
]

# File name endings read as one document each, and the media type hint they carry.
DOCUMENT_SUFFIXES: dict[str, str] = {".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}
# File name endings read as corpora: one document per line.
CORPUS_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz")
# Web archives: every HTML page archived inside (see ingest/warc.py).
WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz")
STDIN_DOC_ID = "<stdin>"
# Files that describe a folder rather than hold a page (examples/README.md, LICENSE.txt): skipped
# inside directories, read when named explicitly.
FOLDER_NOTES: frozenset[str] = frozenset({"readme", "license", "licence", "copying", "changelog", "changes",
                                          "contributing", "notice", "authors"})

def media_type_of(path: str | os.PathLike[str]) -> str | None:
    """``"html"`` or ``"text"`` for a single-document file, ``"jsonl"`` for a corpus, ``"warc"`` for a
    web archive, else None."""
    name = os.fspath(path).lower()
    if name.endswith(CORPUS_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(".gz"):
        name = name[:-3]  # a gzipped page ("story.html.gz") is read decompressed
    return DOCUMENT_SUFFIXES.get(os.path.splitext(name)[1])


def _limit(max_bytes: int | None) -> int:
    return int(get_setting("max_bytes", max_bytes))


def document_from_file(path: str | os.PathLike[str], *, doc_id: str | None = None, max_bytes: int | None = None,
                       encoding: str | None = None, media_type: str | None = None) -> Document | Rejected:
    """One file as a Document, or a Rejected: ``not_found``, ``unsupported``, ``too_large``, ``unreadable``.

    Its ``doc_id`` is ``doc_id``, else the path as ``public_name`` shows it (never an absolute path);
    a file that cannot be read at all is reported by the path as given, which is what the user typed."""
    name = doc_id if doc_id is not None else os.fspath(path)
    limit = _limit(max_bytes)
    media = media_type or media_type_of(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return reject_source(name, Reason.NOT_FOUND, f"no such file: {name}")
    except OSError as exc:
        return reject_source(name, Reason.UNREADABLE, f"cannot look at {name}: {exc.strerror or exc}")
    if stat.S_ISDIR(info.st_mode):
        return reject_source(name, Reason.UNSUPPORTED, f"{name} is a directory; pass it as a source to read it all")
    if media not in ("html", "text"):
        return reject_source(name, Reason.UNSUPPORTED, f"not a file type detente reads: {os.path.basename(name)}")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        return reject_source(name, Reason.TOO_LARGE, f"{name} is {human_size(info.st_size)}, over the "
                                                f"{human_size(limit)} limit")
    gzipped = os.fspath(path).lower().endswith(".gz")
    try:
        # a gzipped page is bounded after decompression too, so a small bomb cannot fill memory
        with (gzip.open(path, "rb") if gzipped else open(path, "rb")) as stream:
            content, truncated = read_at_most(stream, limit)  # type: ignore[arg-type]
    except (EOFError, zlib.error) as exc:
        return reject_source(name, Reason.UNREADABLE, f"{name} is not a complete gzip file ({exc})")
    except OSError as exc:  # permissions, I/O errors, a file removed between stat and open, bad gzip
        return reject_source(name, Reason.UNREADABLE, f"cannot read {name}: {exc.strerror or exc}")
    if truncated:
        return reject_source(name, Reason.TOO_LARGE, f"{name} holds more than the {human_size(limit)} limit")
    shown = doc_id if doc_id is not None else public_name(os.fspath(path))
    return Document.from_bytes(content, doc_id=shown, kind="file", uri=Path(path).absolute().as_uri(),
                               media_type=media, encoding=encoding)


def _walk(directory: str, shown_as: str) -> Iterator[tuple[str, str] | Rejected]:
    """``(path, doc_id)`` of every non-hidden file below ``directory``, in name order, lazily."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield reject_source(shown_as, Reason.UNREADABLE, f"cannot list {shown_as}: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        shown = os.path.join(shown_as, entry.name)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, shown)
        else:
            yield entry.path, shown


def documents_from_directory(directory: str | os.PathLike[str], *, max_bytes: int | None = None,
                             encoding: str | None = None) -> Iterator[Document | Rejected]:
    """Every readable document below ``directory``, recursively, in a deterministic order.

    Files of other types are skipped silently (a folder of saved pages holds images and
    stylesheets too), and so are notes about the folder (README, LICENSE, CHANGELOG, ...);
    JSONL corpora inside are read line by line.
    """
    root = os.fspath(directory)
    for item in _walk(root, public_name(root)):
        if isinstance(item, Rejected):
            yield item
            continue
        path, shown = item
        if os.path.basename(path).split(".", 1)[0].lower() in FOLDER_NOTES:
            continue
        media = media_type_of(path)
        if media == "jsonl":
            yield from documents_from_jsonl(path, shown_as=shown, max_bytes=max_bytes)
        elif media == "warc":
            yield from documents_from_warc(path, shown_as=shown, max_bytes=max_bytes)
        elif media is not None:
            yield document_from_file(path, doc_id=shown, max_bytes=max_bytes, encoding=encoding, media_type=media)


def documents_from_path(path: str | os.PathLike[str], *, max_bytes: int | None = None,
                        encoding: str | None = None) -> Iterator[Document | Rejected]:
    """A path named by the user: a directory, a JSONL corpus, a web archive, or one document file."""
    name = os.fspath(path)
    if os.path.isdir(name):
        yield from documents_from_directory(name, max_bytes=max_bytes, encoding=encoding)
    elif media_type_of(name) == "jsonl" and os.path.exists(name):
        yield from documents_from_jsonl(name, max_bytes=max_bytes)
    elif media_type_of(name) == "warc" and os.path.exists(name):
        yield from documents_from_warc(name, max_bytes=max_bytes)
    else:
        yield document_from_file(name, max_bytes=max_bytes, encoding=encoding)


def document_from_stdin(stream: BinaryIO | None = None, *, max_bytes: int | None = None,
                        encoding: str | None = None) -> Document | Rejected:
    """Standard input (bytes) as one document named ``<stdin>``."""
    source = stream if stream is not None else sys.stdin.buffer
    limit = _limit(max_bytes)
    try:
        content, truncated = read_at_most(source, limit)
    except OSError as exc:
        return reject_source(STDIN_DOC_ID, Reason.UNREADABLE, f"cannot read standard input: {exc.strerror or exc}")
    if truncated:
        return reject_source(STDIN_DOC_ID, Reason.TOO_LARGE, f"standard input holds more than the "
                                                        f"{human_size(limit)} limit")
    return Document.from_bytes(content, doc_id=STDIN_DOC_ID, kind="stdin", uri="stdin:", media_type="text",
                               encoding=encoding)
