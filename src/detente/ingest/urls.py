"""Documents from http(s) URLs: one fetch through a ``Fetcher``, its failures as reason codes."""

from __future__ import annotations

import re

from ..errors import DocumentRejected, FetchError, Reason, UnsafeURL
from ..model import Document, Rejected
from ._shared import reject_source
from .fetch import FetchedPage, Fetcher

__all__ = ["document_from_url", "is_url", "url_scheme"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_TEXT_TYPES = frozenset({"text/plain", "text/markdown"})


def url_scheme(source: str) -> str | None:
    """The lower-case scheme of a ``scheme://...`` source, else None (it is then a path)."""
    match = _SCHEME.match(source)
    return match.group(1).lower() if match else None


def is_url(source: str) -> bool:
    return url_scheme(source) in ("http", "https")


def _media_type(page: FetchedPage) -> str:
    # The extractor sniffs the content again; this is only the server's hint.
    return "text" if page.content_type in _TEXT_TYPES else "html"


def document_from_url(url: str, fetcher: Fetcher, *, encoding: str | None = None) -> Document | Rejected:
    """The page at ``url`` as a Document, or a Rejected with reason ``unsafe_url``, ``too_large``,
    ``fetch_failed`` or ``http_<status>``. ``encoding`` overrides the server's declared charset."""
    try:
        page = fetcher.fetch(url)
    except UnsafeURL as exc:
        return reject_source(url, Reason.UNSAFE_URL, exc.message)
    except DocumentRejected as exc:
        return reject_source(url, exc.reason, exc.message)
    except FetchError as exc:
        return reject_source(url, Reason.FETCH_FAILED, exc.message)
    if not page.ok:
        where = url if page.final_url == url else f"{url} (redirected to {page.final_url})"
        return reject_source(url, f"http_{page.status}", f"{where} answered HTTP {page.status}",
                             content=page.content)
    return Document.from_bytes(page.content, doc_id=url, kind="url", uri=page.final_url,
                               media_type=_media_type(page), url=page.final_url, fetched_at=page.fetched_at,
                               encoding=encoding or page.charset)
