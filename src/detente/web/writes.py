"""``POST /api/v1/documents``: one page (text, HTML, or a URL to fetch) extracted, coded and stored.

Writes go through the store's single writer, one request at a time (a lock here keeps the
coder, which is not built for concurrent calls, to one document at a time as well); reads
go on meanwhile on their own cursors. A URL is fetched by the SSRF-guarded fetcher and a
private, loopback or link-local address is refused before any connection is made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..analysis import get_article
from ..dates import parse_date
from ..errors import BadOption, DocumentRejected, FetchError, Reason, UnsafeURL
from ..ingest import Fetcher, SafeFetcher, document_from_url, is_url
from ..model import Document, Rejected, sha256_hex
from ..pipeline import ingest_documents
from ..store import Store
from ..store.writer import AddResult, AddStatus

__all__ = ["DocumentRequest", "WriteOutcome", "Writer", "article_id_of_document", "parse_document_request"]

# Fetch failures that are the remote side's fault (not the request's): answered with 502.
_UPSTREAM_REASONS = (Reason.FETCH_FAILED,)


@dataclass(frozen=True)
class DocumentRequest:
    """What a client posted: exactly one of ``text``, ``html`` or ``url`` (fetched), plus hints."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: date | None = None
    doc_id: str | None = None


def parse_document_request(body: Any) -> DocumentRequest:
    """Check a posted JSON body; ``BadOption`` says what is wrong with it."""
    if not isinstance(body, dict):
        raise BadOption("the request body is not a JSON object",
                        'send {"text": "..."}, {"html": "..."} or {"url": "https://..."}')
    unknown = sorted(set(body) - {"text", "html", "url", "published", "id"})
    if unknown:
        raise BadOption(f"unknown field(s) {', '.join(unknown)}", "use text, html or url, with published and id")
    for name in ("text", "html", "url", "published", "id"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise BadOption(f"the field '{name}' must be a string", "send it as a JSON string")
    given = [name for name in ("text", "html") if body.get(name)]
    if len(given) > 1:
        raise BadOption("give either text or html, not both", "send one document per request")
    url = (body.get("url") or "").strip() or None
    if not given and not url:
        raise BadOption("the request has no document", 'send {"text": "..."}, {"html": "..."} or {"url": "https://..."}')
    if url and not is_url(url):
        raise BadOption(f"'{url[:200]}' is not an http(s) URL", "give an absolute http:// or https:// URL")
    return DocumentRequest(text=body.get("text") if "text" in given else None,
                           html=body.get("html") if "html" in given else None, url=url,
                           published=parse_date(body.get("published")), doc_id=(body.get("id") or "").strip() or None)


@dataclass(frozen=True)
class WriteOutcome:
    """The stored result: ``status`` is ``new``, ``near_duplicate`` or ``duplicate``."""

    status: str
    document_id: str
    article: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "document_id": self.document_id, "article_id": self.article["id"],
                "events": self.article["events"], "article": self.article}


def article_id_of_document(store: Store, document_id: str) -> str | None:
    """The article a stored document became (a re-posted document is answered with it).

    The analysis queries look articles up by their own id only, so this one lookup is here.
    """
    return store.scalar("SELECT article_id FROM documents WHERE id = ?", [document_id])


class Writer:
    """Stores posted documents, one at a time, through the store's single writer."""

    def __init__(self, store: Store, *, coder: str | None = None,
                 fetcher_factory: Callable[[], Fetcher] | None = None) -> None:
        self.store = store
        self.coder = coder
        self.fetcher_factory = fetcher_factory
        self.lock = threading.Lock()
        # Bumped after every committed write, so cached read results know they are stale.
        self.generation = 0

    def _fetch(self, url: str) -> Document:
        if self.fetcher_factory is not None:
            result = document_from_url(url, self.fetcher_factory())
        else:
            # The server never lets a posted URL reach a private address, whatever the environment says.
            with SafeFetcher(allow_private=False) as fetcher:
                result = document_from_url(url, fetcher)
        if isinstance(result, Rejected):
            if result.reason == Reason.UNSAFE_URL:
                raise UnsafeURL(result.detail, "post a public http(s) URL, or post the page's text or html instead")
            if result.reason in _UPSTREAM_REASONS or result.reason.startswith("http_"):
                raise FetchError(result.detail, "check the URL, or post the page's text or html instead")
            raise DocumentRejected(result.detail, result.reason, "post a smaller page, or its text")
        return result

    def _document(self, request: DocumentRequest) -> Document:
        if request.text is None and request.html is None:
            assert request.url is not None
            doc = self._fetch(request.url)
            return doc if request.published is None else replace(doc, published=request.published)
        content = (request.text if request.text is not None else request.html or "").encode("utf-8")
        doc_id = request.doc_id or f"api:{sha256_hex(content)[:16]}"
        return Document.from_bytes(content, doc_id=doc_id, kind="api", media_type="text" if request.text else "html",
                                   url=request.url, published=request.published)

    def add(self, request: DocumentRequest) -> WriteOutcome:
        """Extract, code and store one document; raises ``DocumentRejected`` when it yields no article."""
        doc = self._document(request)  # a fetch may take seconds: not under the write lock
        with self.lock:
            results: list[AddResult] = []
            ingest_documents(self.store, [doc], coder=self.coder, published=request.published, command="serve",
                             sources=doc.doc_id, on_item=results.append)
            self.generation += 1
        result = results[-1] if results else AddResult(AddStatus.DUPLICATE, doc.id)
        if result.status == "rejected":
            detail = f": {result.detail}" if result.detail else ""
            known = Reason.of(result.reason or "")
            raise DocumentRejected(f"the document was not stored ({result.reason}{detail})",
                                   result.reason or "rejected", (known or Reason.REJECTED).hint)
        article_id = result.article_id or article_id_of_document(self.store, doc.id)
        view = get_article(self.store, article_id) if article_id else None
        if view is None:
            # A document seen before that was rejected then is rejected again.
            raise DocumentRejected("this document was posted before and was not stored then", Reason.REJECTED,
                                   Reason.REJECTED.hint)
        return WriteOutcome(status=result.status, document_id=doc.id, article=view.to_dict())
