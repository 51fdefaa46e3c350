"""The single writer: how one coded article (or rejection) enters the store.

Exact duplicates (same document bytes) change nothing. An article whose body another
document already gave, or whose MinHash marks it as a copy of a stored article, joins that
article's cluster: each of its events that reports an event already in the cluster adds a
mention to it instead of a new event, so the event counts once with GDELT-style
NumMentions / NumSources / NumArticles; events the copy adds (an edit) are new events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Article, Document, Event, Rejected
from . import dedup
from .rows import EVENT_COLUMNS, event_row, insert_rows, now_utc, site_of

__all__ = ["AddResult", "StoreWriter"]

_MENTION_COLUMNS = ("event_id", "document_id", "article_id", "doc_id", "sentence_index", "span_start",
                    "span_end", "sentence", "site", "url", "confidence", "run_id", "stored_at")


@dataclass(frozen=True)
class AddResult:
    """What ``StoreWriter.add`` did with one item.

    ``status``: ``new`` (a new article), ``near_duplicate`` (a copy of a stored article;
    ``canonical_id`` is the first copy), ``duplicate`` (this very document is stored: nothing
    changed) or ``rejected`` (the rejection is recorded so re-ingesting it is a no-op).
    """

    status: str
    document_id: str
    article_id: str | None = None
    canonical_id: str | None = None
    similarity: float | None = None
    events_added: int = 0
    mentions_added: int = 0
    reason: str | None = None
    doc_id: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _lead_end(text: str) -> int:
    """End of the lead paragraph (events there are GDELT "root" events)."""
    cut = text.find("\n")
    return len(text) if cut < 0 else cut


class StoreWriter:
    """Writes inside one open transaction (made by ``Store.writer()``)."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def _one(self, sql: str, params: Sequence[Any]) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def has_document(self, document_id: str) -> bool:
        return bool(self._one("SELECT count(*) FROM documents WHERE id = ?", [document_id]))

    def add(self, item: Article | Rejected, events: Sequence[Event] = (), *, document: Document | None = None,
            run_id: str | None = None) -> AddResult:
        document_id = item.document_id if item.document_id else (document.id if document else "")
        if isinstance(item, Rejected):
            return self._add_rejected(item, document, run_id, document_id)
        if not document_id:
            raise ValueError("an article needs its document id to be stored")
        if self.has_document(document_id):
            return AddResult("duplicate", document_id, article_id=item.id, doc_id=item.doc_id)
        stored_at = now_utc()
        url = item.url or (document.url if document else None)
        site = item.site or site_of(url)

        canonical, similarity, status = self._place_article(item, site, url, run_id, stored_at)
        unique = list({e.id: e for e in events}.values())
        known = self._known_events(canonical, [e.id for e in unique])
        matches = dedup.match_events(unique, known)

        lead_end = _lead_end(item.text)
        new_rows, mention_rows = [], []
        for event in unique:
            event_id = matches.get(event.id, event.id)
            if event.id not in matches:
                new_rows.append(event_row(event, cluster_id=canonical, is_root=event.span[0] < lead_end,
                                          run_id=run_id, stored_at=stored_at))
            mention_rows.append((event_id, document_id, item.id, item.doc_id, event.sentence_index,
                                 event.span[0], event.span[1], event.sentence, site, url, event.confidence,
                                 run_id, stored_at))
        insert_rows(self.con, "events", EVENT_COLUMNS, new_rows)
        insert_rows(self.con, "mentions", _MENTION_COLUMNS, mention_rows)
        self._insert_document(document_id, document, item.doc_id, url, site, "article", None, None,
                              item.id, canonical, similarity, run_id, stored_at)
        return AddResult(status, document_id, article_id=item.id, canonical_id=canonical, similarity=similarity,
                         events_added=len(new_rows), mentions_added=len(mention_rows) - len(new_rows),
                         doc_id=item.doc_id)

    # -- pieces ------------------------------------------------------------------------------
    def _add_rejected(self, item: Rejected, document: Document | None, run_id: str | None,
                      document_id: str) -> AddResult:
        # A rejection with no content (missing file, failed fetch) is not a document we saw:
        # trying again later may succeed, so it is not recorded.
        if not document_id:
            return AddResult("rejected", "", reason=item.reason, doc_id=item.doc_id, detail=item.detail)
        if self.has_document(document_id):
            return AddResult("duplicate", document_id, reason=item.reason, doc_id=item.doc_id)
        url = document.url if document else None
        self._insert_document(document_id, document, item.doc_id, url, site_of(url), "rejected", item.reason,
                              item.detail, None, None, None, run_id, now_utc())
        return AddResult("rejected", document_id, reason=item.reason, doc_id=item.doc_id, detail=item.detail)

    def _place_article(self, article: Article, site: str | None, url: str | None, run_id: str | None,
                       stored_at: Any) -> tuple[str, float | None, str]:
        """Insert the article unless its body is stored; return (canonical id, similarity, status)."""
        existing = self._one("SELECT canonical_id FROM articles WHERE id = ?", [article.id])
        if existing is not None:
            return str(existing), 1.0, "near_duplicate"
        signature = dedup.minhash_signature(article.text)
        buckets = dedup.band_buckets(signature)
        canonical, similarity, status = article.id, None, "new"
        best = self._nearest(signature, buckets)
        if best is not None:
            canonical, similarity, status = best[0], best[1], "near_duplicate"
        insert_rows(self.con, "articles",
                    ("id", "document_id", "doc_id", "url", "site", "title", "author", "published", "language",
                     "text", "dropped_lines", "canonical_id", "similarity", "minhash", "run_id", "stored_at"),
                    [(article.id, article.document_id, article.doc_id, url, site, article.title, article.author,
                      article.published, article.language, article.text, list(article.dropped_lines), canonical,
                      similarity, dedup.signature_bytes(signature), run_id, stored_at)])
        insert_rows(self.con, "article_bands", ("band", "bucket", "article_id"),
                    [(band, bucket, article.id) for band, bucket in buckets])
        return canonical, similarity, status

    def _nearest(self, signature: Any, buckets: list[tuple[int, int]]) -> tuple[str, float] | None:
        """The stored article most similar to ``signature`` above the threshold: (canonical id, score)."""
        values = ", ".join(f"({band}, {bucket})" for band, bucket in buckets)
        rows = self.con.execute(
            f"""SELECT a.id, a.canonical_id, a.minhash FROM articles a
                WHERE a.id IN (SELECT DISTINCT b.article_id FROM article_bands b
                               JOIN (VALUES {values}) AS q(band, bucket)
                                 ON b.band = q.band AND b.bucket = q.bucket)""").fetchall()
        best: tuple[str, float] | None = None
        for _article_id, canonical_id, blob in sorted(rows):
            score = dedup.estimated_jaccard(signature, dedup.signature_from_bytes(blob))
            if score >= dedup.NEAR_DUPLICATE_JACCARD and (best is None or score > best[1]):
                best = (str(canonical_id), score)
        return best

    def _known_events(self, canonical: str, ids: Sequence[str]) -> list[dedup.KnownEvent]:
        rows = self.con.execute(
            """SELECT id, source_code, coalesce(target_code, ''), type, mode, cameo, negated, hypothetical, future,
                      sentence
               FROM events WHERE cluster_id = ? OR list_contains(?, id) ORDER BY id""",
            [canonical, list(ids)]).fetchall()
        return [dedup.KnownEvent(id=r[0], key=(r[1], r[2], r[3], r[4] or "", r[5] or "", bool(r[6]), bool(r[7]),
                                               bool(r[8])), sentence=r[9] or "") for r in rows]

    def _insert_document(self, document_id: str, document: Document | None, doc_id: str, url: str | None,
                         site: str | None, outcome: str, reason: str | None, detail: str | None,
                         article_id: str | None, canonical_id: str | None, similarity: float | None,
                         run_id: str | None, stored_at: Any) -> None:
        insert_rows(self.con, "documents",
                    ("id", "doc_id", "kind", "uri", "url", "site", "media_type", "size", "fetched_at", "outcome",
                     "reason", "detail", "article_id", "canonical_id", "similarity", "run_id", "stored_at"),
                    [(document_id, doc_id, document.kind if document else None, document.uri if document else None,
                      url, site, document.media_type if document else None,
                      len(document.content) if document else None, document.fetched_at if document else None,
                      outcome, reason, detail, article_id, canonical_id, similarity, run_id, stored_at)])

    def bump_run(self, run_id: str, **counts: int) -> None:
        """Add to a run's counters inside this batch's transaction."""
        allowed = {"documents_seen", "documents_new", "duplicates", "near_duplicates", "rejected",
                   "events_stored", "mentions_added"}
        sets = [f"{name} = {name} + ?" for name in counts if name in allowed]
        if not sets:
            return
        self.con.execute(f"UPDATE runs SET {', '.join(sets)} WHERE id = ?",
                         [counts[n] for n in counts if n in allowed] + [run_id])

    def set_run_coder(self, run_id: str, coder: str) -> None:
        self.con.execute("UPDATE runs SET coder = ? WHERE id = ? AND coalesce(coder, '') = ''", [coder, run_id])
