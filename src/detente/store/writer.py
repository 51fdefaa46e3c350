"""The single writer: how one coded article (or rejection) enters the store.

Exact duplicates (same document bytes) change nothing. An article whose body another
document already gave, or whose MinHash marks it as a copy of a stored article, joins that
article's cluster: each of its events that reports an event already in the cluster adds a
mention to it instead of a new event, so the event counts once with GDELT-style
NumMentions / NumSources / NumArticles; events the copy adds (an edit) are new events.

Rows are buffered for the whole batch and inserted table by table when the transaction
commits (DuckDB inserts cost milliseconds per statement, not per row); lookups consult
the buffer as well as the database, so a copy later in the same batch is still found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from ..model import Article, Document, DocumentRecord, Event, Rejected
from . import dedup
from .rows import EVENT_COLUMNS, event_row, insert_rows, now_utc, site_of

__all__ = ["AddResult", "AddStatus", "StoreWriter"]

_MENTION_COLUMNS = ("event_id", "document_id", "article_id", "doc_id", "sentence_index", "span_start",
                    "span_end", "sentence", "site", "url", "confidence", "run_id", "stored_at")
_ARTICLE_COLUMNS = ("id", "document_id", "doc_id", "url", "site", "title", "author", "published", "language",
                    "text", "dropped_lines", "canonical_id", "similarity", "minhash", "run_id", "stored_at")
_DOCUMENT_COLUMNS = ("id", "doc_id", "kind", "uri", "url", "site", "media_type", "size", "fetched_at", "outcome",
                     "reason", "detail", "article_id", "canonical_id", "similarity", "run_id", "stored_at")
_COLUMNS = {"documents": _DOCUMENT_COLUMNS, "articles": _ARTICLE_COLUMNS, "article_bands": ("bucket", "article_id"),
            "events": EVENT_COLUMNS, "mentions": _MENTION_COLUMNS}


class AddStatus(StrEnum):
    """What became of one item given to ``StoreWriter.add`` (a ``str``: it prints and compares as its value)."""

    NEW = "new"  # a new article
    NEAR_DUPLICATE = "near_duplicate"  # a copy of a stored article: its events become mentions
    DUPLICATE = "duplicate"  # this very document is stored already: nothing changed
    REJECTED = "rejected"  # a rejection, recorded so that reading it again is a no-op


@dataclass(frozen=True)
class AddResult:
    """What ``StoreWriter.add`` did with one item.

    ``status``: ``new`` (a new article), ``near_duplicate`` (a copy of a stored article;
    ``canonical_id`` is the first copy), ``duplicate`` (this very document is stored: nothing
    changed) or ``rejected`` (the rejection is recorded so re-ingesting it is a no-op, reported
    as the same rejection again). ``skipped`` names why a stored article was not coded
    (``not_english``; ``detail`` then says more), set by the ingest loop, not by the writer.
    """

    status: AddStatus
    document_id: str
    article_id: str | None = None
    canonical_id: str | None = None
    similarity: float | None = None
    events_added: int = 0
    mentions_added: int = 0
    reason: str | None = None
    doc_id: str = ""
    detail: str = ""
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "status": self.status.value}


def _lead_end(text: str) -> int:
    """End of the lead paragraph (events there are GDELT "root" events)."""
    cut = text.find("\n")
    return len(text) if cut < 0 else cut


class StoreWriter:
    """Writes inside one open transaction (made by ``Store.writer()``, which calls ``flush``)."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self._rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._documents: set[str] = set()
        self._articles: dict[str, str] = {}  # pending article id -> canonical id
        self._signatures: dict[str, np.ndarray] = {}
        self._buckets: dict[int, list[str]] = defaultdict(list)
        self._cluster_events: dict[str, list[dedup.KnownEvent]] = defaultdict(list)

    # -- lookups (database + this batch's buffer) -----------------------------------------------
    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.con.execute(sql, list(params)).fetchall())

    def has_document(self, document_id: str) -> bool:
        if document_id in self._documents:
            return True
        return bool(self._fetch("SELECT count(*) FROM documents WHERE id = ?", [document_id])[0][0])

    def _known_document_and_article(self, document_id: str, article_id: str) -> tuple[bool, str | None]:
        if document_id in self._documents:
            return True, None
        row = self._fetch("SELECT (SELECT count(*) FROM documents WHERE id = ?), "
                          "(SELECT first(canonical_id) FROM articles WHERE id = ?)", [document_id, article_id])[0]
        canonical = self._articles.get(article_id) or row[1]
        return bool(row[0]), canonical

    def _nearest(self, signature: np.ndarray, buckets: list[int]) -> tuple[str, float] | None:
        """The stored article most similar to ``signature`` above the threshold: (canonical id, score)."""
        candidates: dict[str, tuple[str, np.ndarray]] = {}
        ids = self._fetch(f"SELECT DISTINCT article_id FROM article_bands WHERE bucket IN "
                          f"({', '.join(str(int(b)) for b in buckets)})")
        if ids:
            for article_id, canonical, blob in self._fetch(
                    "SELECT id, canonical_id, minhash FROM articles WHERE list_contains(?, id)",
                    [[r[0] for r in ids]]):
                candidates[article_id] = (canonical, dedup.signature_from_bytes(blob))
        for bucket in buckets:
            for article_id in self._buckets.get(bucket, ()):
                candidates[article_id] = (self._articles[article_id], self._signatures[article_id])
        best: tuple[str, float] | None = None
        for article_id in sorted(candidates):
            canonical, other = candidates[article_id]
            score = dedup.estimated_jaccard(signature, other)
            if score >= dedup.NEAR_DUPLICATE_JACCARD and (best is None or score > best[1]):
                best = (str(canonical), score)
        return best

    def _known_events(self, canonical: str) -> list[dedup.KnownEvent]:
        rows = self._fetch(
            """SELECT id, source_code, coalesce(target_code, ''), type, mode, cameo, negated, hypothetical, future,
                      sentence, reported
               FROM events WHERE cluster_id = ? ORDER BY id""", [canonical])
        stored = [dedup.KnownEvent(id=r[0], key=(r[1], r[2], r[3], r[4] or "", r[5] or "", bool(r[6]), bool(r[7]),
                                                 bool(r[8]), bool(r[10])), sentence=r[9] or "") for r in rows]
        return stored + self._cluster_events.get(canonical, [])

    # -- adding ---------------------------------------------------------------------------------
    def add(self, item: Article | Rejected, events: Sequence[Event] = (), *,
            document: DocumentRecord | Document | None = None, run_id: str | None = None) -> AddResult:
        """Store one coded article (or rejection) with its events; ``document`` is the record of the
        document it came from (a Document is reduced to its record; its bytes are not stored)."""
        if isinstance(document, Document):
            document = DocumentRecord.of(document)
        document_id = item.document_id if item.document_id else (document.id if document else "")
        if isinstance(item, Rejected):
            return self._add_rejected(item, document, run_id, document_id)
        if not document_id:
            raise ValueError("an article needs its document id to be stored")
        known_document, existing_canonical = self._known_document_and_article(document_id, item.id)
        if known_document:
            return AddResult(AddStatus.DUPLICATE, document_id, article_id=item.id, doc_id=item.doc_id)
        stored_at = now_utc()
        url = item.url or (document.url if document else None)
        site = item.site or site_of(url)
        similarity: float | None
        if existing_canonical is not None:
            canonical, similarity, status = existing_canonical, 1.0, AddStatus.NEAR_DUPLICATE
        else:
            canonical, similarity, status = self._place_article(item, url, site, run_id, stored_at)

        unique = list({e.id: e for e in events}.values())
        # A new article's event ids are new too (the coder derives them from the article id).
        matches = dedup.match_events(unique, self._known_events(canonical)) if status != AddStatus.NEW else {}
        lead_end = _lead_end(item.text)
        added = 0
        for event in unique:
            event_id = matches.get(event.id, event.id)
            if event.id not in matches:
                self._rows["events"].append(event_row(event, cluster_id=canonical, is_root=event.span[0] < lead_end,
                                                      run_id=run_id, stored_at=stored_at))
                self._cluster_events[canonical].append(
                    dedup.KnownEvent(id=event.id, key=dedup.event_key(event), sentence=event.sentence))
                added += 1
            self._rows["mentions"].append((event_id, document_id, item.id, item.doc_id, event.sentence_index,
                                           event.span[0], event.span[1], event.sentence, site, url,
                                           event.confidence, run_id, stored_at))
        self._add_document(document_id, document, item.doc_id, url, site, "article", None, None, item.id,
                           canonical, similarity, run_id, stored_at)
        return AddResult(status, document_id, article_id=item.id, canonical_id=canonical, similarity=similarity,
                         events_added=added, mentions_added=len(unique) - added, doc_id=item.doc_id)

    def _add_rejected(self, item: Rejected, document: DocumentRecord | None, run_id: str | None,
                      document_id: str) -> AddResult:
        # A rejection with no content (missing file, failed fetch) is not a document we saw:
        # trying again later may succeed, so it is not recorded.
        if not document_id:
            return AddResult(AddStatus.REJECTED, "", reason=item.reason, doc_id=item.doc_id, detail=item.detail)
        if self.has_document(document_id):
            return AddResult(AddStatus.DUPLICATE, document_id, reason=item.reason, doc_id=item.doc_id)
        url = document.url if document else None
        self._add_document(document_id, document, item.doc_id, url, site_of(url), "rejected", item.reason,
                           item.detail, None, None, None, run_id, now_utc())
        return AddResult(AddStatus.REJECTED, document_id, reason=item.reason, doc_id=item.doc_id, detail=item.detail)

    def _place_article(self, article: Article, url: str | None, site: str | None, run_id: str | None,
                       stored_at: Any) -> tuple[str, float | None, AddStatus]:
        """Buffer a new body; return (canonical id, similarity, status)."""
        signature = dedup.minhash_signature(article.text)
        buckets = dedup.band_buckets(signature)
        canonical, similarity, status = article.id, None, AddStatus.NEW
        best = self._nearest(signature, buckets)
        if best is not None:
            canonical, similarity, status = best[0], best[1], AddStatus.NEAR_DUPLICATE
        self._rows["articles"].append(
            (article.id, article.document_id, article.doc_id, url, site, article.title, article.author,
             article.published, article.language, article.text, list(article.dropped_lines), canonical,
             similarity, dedup.signature_bytes(signature), run_id, stored_at))
        self._rows["article_bands"].extend((bucket, article.id) for bucket in buckets)
        self._articles[article.id] = canonical
        self._signatures[article.id] = signature
        for bucket in buckets:
            self._buckets[bucket].append(article.id)
        return canonical, similarity, status

    def _add_document(self, document_id: str, document: DocumentRecord | None, doc_id: str, url: str | None,
                      site: str | None, outcome: str, reason: str | None, detail: str | None,
                      article_id: str | None, canonical_id: str | None, similarity: float | None,
                      run_id: str | None, stored_at: Any) -> None:
        self._documents.add(document_id)
        self._rows["documents"].append(
            (document_id, doc_id, document.kind if document else None, document.uri if document else None,
             url, site, document.media_type if document else None,
             document.size if document else None, document.fetched_at if document else None,
             outcome, reason, detail, article_id, canonical_id, similarity, run_id, stored_at))

    def flush(self) -> None:
        """Insert every buffered row (called once, just before the transaction commits)."""
        for table in ("documents", "articles", "article_bands", "events", "mentions"):
            insert_rows(self.con, table, _COLUMNS[table], self._rows.pop(table, []), or_ignore=table == "events")

    # -- runs -----------------------------------------------------------------------------------
    def bump_run(self, run_id: str, **counts: int) -> None:
        """Add to a run's counters inside this batch's transaction."""
        allowed = {"documents_seen", "documents_new", "duplicates", "near_duplicates", "rejected",
                   "events_stored", "mentions_added"}
        names = [name for name in counts if name in allowed]
        if not names:
            return
        self._fetch(f"UPDATE runs SET {', '.join(f'{n} = {n} + ?' for n in names)} WHERE id = ?",
                    [counts[n] for n in names] + [run_id])

    def set_run_coder(self, run_id: str, coder: str) -> None:
        self._fetch("UPDATE runs SET coder = ? WHERE id = ? AND coalesce(coder, '') = ''", [coder, run_id])
