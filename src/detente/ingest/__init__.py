"""Sources -> Documents: files, directories, JSONL corpora, standard input and http(s) URLs.

``iter_documents`` is the one entry point the commands use. It streams: a directory is
walked lazily, a corpus is read line by line, and nothing holds more than one document
(at most ``max_bytes``) at a time. Problems with one source are ``Rejected`` values with a
reason code, so a run over many inputs goes on past a bad one:

    not_found, unreadable, unsupported, too_large   files and standard input
    bad_record                                      a JSONL line that cannot be used
    unsafe_url, fetch_failed, http_<status>         URLs (too_large too)
    not_html, truncated, broken_record, duplicate   records of a WARC web archive (see ``warc``)

Feeds will come as a module of its own beside ``files``, ``jsonl`` and ``warc``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from ..errors import Reason
from ..model import Document, Rejected
from ._shared import reject_source
from .fetch import FetchedPage, Fetcher, InMemoryFetcher, SafeFetcher
from .files import document_from_file, document_from_stdin, documents_from_directory, documents_from_path, media_type_of
from .jsonl import document_from_record, documents_from_jsonl
from .reasons import exit_code_for, hint_for, is_network_failure, rejection_line
from .urls import document_from_url, is_url, url_scheme
from .warc import documents_from_warc, is_warc

__all__ = [
    "FetchedPage",
    "Fetcher",
    "InMemoryFetcher",
    "SafeFetcher",
    "document_from_file",
    "document_from_record",
    "document_from_stdin",
    "document_from_url",
    "documents_from_directory",
    "documents_from_jsonl",
    "documents_from_path",
    "documents_from_warc",
    "exit_code_for",
    "hint_for",
    "is_multi_document",
    "is_network_failure",
    "is_url",
    "is_warc",
    "iter_documents",
    "rejection_line",
]


def is_multi_document(sources: Sequence[str | os.PathLike[str]]) -> bool:
    """True when ``sources`` can yield more than one document (several, a directory, a corpus)."""
    if len(sources) != 1:
        return True
    only = os.fspath(sources[0])
    if only == "-" or url_scheme(only) is not None:
        return False
    return os.path.isdir(only) or media_type_of(only) in ("jsonl", "warc")


def iter_documents(sources: Sequence[str | os.PathLike[str]], *, allow_private: bool | None = None,
                   max_bytes: int | None = None, stdin: BinaryIO | None = None, fetcher: Fetcher | None = None,
                   encoding: str | None = None) -> Iterator[Document | Rejected]:
    """Every document the sources hold, in order, as ``Document`` or ``Rejected``.

    A source is a file path, a directory (read recursively, in name order), a ``.jsonl`` or
    ``.jsonl.gz`` corpus, a ``.warc`` or ``.warc.gz`` web archive, ``-`` for standard input, or
    an http(s) URL (fetched through ``fetcher``, by default a ``SafeFetcher`` honouring
    ``allow_private``). ``encoding`` is a hint for the extractor when the bytes do not say how
    they are encoded.
    """
    own_fetcher: SafeFetcher | None = None
    try:
        for source in sources:
            text = os.fspath(source)
            scheme = url_scheme(text)
            if text == "-":
                yield document_from_stdin(stdin, max_bytes=max_bytes, encoding=encoding)
            elif scheme in ("http", "https"):
                if fetcher is None:
                    fetcher = own_fetcher = SafeFetcher(allow_private=allow_private, max_bytes=max_bytes)
                yield document_from_url(text, fetcher, encoding=encoding)
            elif scheme is not None:
                yield reject_source(text, Reason.UNSUPPORTED, f"{scheme}:// URLs are not fetched, only http and https")
            else:
                yield from documents_from_path(text, max_bytes=max_bytes, encoding=encoding)
    finally:
        if own_fetcher is not None:
            own_fetcher.close()
