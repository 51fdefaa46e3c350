"""Extract, code and store a stream of documents, one transaction per batch.

The coding function is a parameter (default ``pipeline.code_documents``) so tests, batch
shards and other coders plug in the same way. Documents already in the store (same sha256)
are skipped before coding, so re-ingesting costs a hash and a lookup. An article the coder
passes over (``pipeline.coding_skip``: not English) is stored with no events and reported as
skipped, so a later coder can read it without fetching it again. If the process dies,
every committed batch is complete and the run's row says what it committed; running the
same command again finishes the work and reaches the state an uninterrupted run reaches.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..errors import BadOption
from ..model import Article, Document, Event, Rejected
from ..pipeline import coding_skip
from ..settings import MAX_BATCH_SIZE, check_range, get_setting
from .db import Store
from .writer import AddResult

__all__ = ["CodeFn", "IngestSummary", "ingest_documents", "ingest_sources", "load_coder"]

CodeFn = Callable[..., Iterable[tuple[Article | Rejected, list[Event]]]]


@dataclass
class IngestSummary:
    """What one ingest did (the closing summary of ``detente ingest``)."""

    run_id: str = ""
    seen: int = 0
    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    # Articles stored without coding, by reason (``not_english``): counted in new/near-duplicates too.
    skipped: Counter[str] = field(default_factory=Counter)
    events_stored: int = 0
    mentions_added: int = 0
    coder: str = ""

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "documents_seen": self.seen, "new": self.new,
                "duplicates": self.duplicates, "near_duplicates": self.near_duplicates,
                "rejected": self.rejected_total, "rejected_by_reason": dict(sorted(self.rejected.items())),
                "skipped": self.skipped_total, "skipped_by_reason": dict(sorted(self.skipped.items())),
                "events_stored": self.events_stored, "mentions_added": self.mentions_added, "coder": self.coder}


def load_coder(spec: str) -> CodeFn:
    """A coding function named ``module:function`` (a testing aid: ``detente ingest --coder``)."""
    module_name, _, attr = spec.partition(":")
    try:
        fn = getattr(importlib.import_module(module_name), attr or "code_documents")
    except (ImportError, AttributeError) as exc:
        raise BadOption(f"cannot load coder '{spec}': {exc}", "give --coder as module:function") from exc
    if not callable(fn):
        raise BadOption(f"coder '{spec}' is not callable", "give --coder as module:function")
    return fn


def ingest_documents(store: Store, docs: Iterable[Document | Rejected], *, code: CodeFn | None = None,
                     batch_size: int | None = None, published: date | None = None, command: str = "ingest",
                     sources: str = "", on_item: Callable[[AddResult], None] | None = None) -> IngestSummary:
    """Code and store ``docs``; each batch of ``batch_size`` coded documents is one transaction."""
    if code is None:
        from ..pipeline import code_documents

        code = code_documents
    size = int(batch_size or get_setting("batch_size"))
    if size < 1:
        raise BadOption(f"batch size {size} is not positive", "give --batch-size 1 or more")
    check_range("--batch-size", size, 1, MAX_BATCH_SIZE)
    summary = IngestSummary()
    summary.run_id = store.start_run(command, sources)
    pending: dict[str, Document] = {}
    # Counts made while reading (before coding), written to the run row with the next batch.
    unflushed: Counter[str] = Counter()

    def fresh_documents() -> Iterator[Document]:
        seen_now: set[str] = set()
        for doc in docs:
            summary.seen += 1
            unflushed["documents_seen"] += 1
            if isinstance(doc, Rejected):
                # A source-level rejection (missing file, failed fetch) has no content to record.
                summary.rejected[doc.reason] += 1
                unflushed["rejected"] += 1
                if on_item:
                    on_item(AddResult("rejected", doc.document_id, reason=doc.reason, doc_id=doc.doc_id,
                                      detail=doc.detail))
                continue
            rejection = None if doc.id in seen_now else store.document_rejection(doc.id)
            if rejection is not None:
                # read and rejected before: the same answer again, and nothing written
                seen_now.add(doc.id)
                summary.rejected[rejection[0]] += 1
                unflushed["rejected"] += 1
                if on_item:
                    on_item(AddResult("rejected", doc.id, reason=rejection[0], doc_id=doc.doc_id,
                                      detail=rejection[1]))
                continue
            if doc.id in seen_now or store.has_document(doc.id):
                summary.duplicates += 1
                unflushed["duplicates"] += 1
                if on_item:
                    on_item(AddResult("duplicate", doc.id, doc_id=doc.doc_id))
                continue
            seen_now.add(doc.id)
            pending[doc.id] = doc
            yield doc

    status = "failed"
    try:
        batch: list[tuple[Article | Rejected, list[Event]]] = []
        for coded in code(fresh_documents(), batch_size=size, published=published):
            batch.append(coded)
            if len(batch) >= size:
                _write_batch(store, batch, pending, unflushed, summary, on_item)
                batch = []
        _write_batch(store, batch, pending, unflushed, summary, on_item)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(summary.run_id, status)
    return summary


_RUN_COUNTER_OF_STATUS = {"new": "documents_new", "near_duplicate": "near_duplicates",
                          "duplicate": "duplicates", "rejected": "rejected"}


def _write_batch(store: Store, batch: Sequence[tuple[Article | Rejected, list[Event]]],
                 pending: dict[str, Document], unflushed: Counter[str], summary: IngestSummary,
                 on_item: Callable[[AddResult], None] | None) -> None:
    if not batch and not unflushed:
        return
    deltas: Counter[str] = Counter(unflushed)
    results: list[AddResult] = []
    coder = ""
    with store.writer() as writer:
        for item, events in batch:
            if isinstance(item, Rejected) and not item.document_id:
                result = AddResult("rejected", "", reason=item.reason, doc_id=item.doc_id, detail=item.detail)
            else:
                document = pending.pop(item.document_id, None)
                result = writer.add(item, events, document=document, run_id=summary.run_id)
                skip = coding_skip(item)
                if skip is not None and result.status in ("new", "near_duplicate"):
                    result = replace(result, skipped=skip[0], detail=skip[1])
            results.append(result)
            coder = coder or next((e.coder for e in events if e.coder), "")
            deltas[_RUN_COUNTER_OF_STATUS[result.status]] += 1
            deltas["events_stored"] += result.events_added
            deltas["mentions_added"] += result.mentions_added
        writer.bump_run(summary.run_id, **deltas)
        if coder:
            writer.set_run_coder(summary.run_id, coder)
    unflushed.clear()
    # Only after the commit: the summary tells what is durably stored.
    summary.coder = summary.coder or coder
    for result in results:
        if result.status == "new":
            summary.new += 1
        elif result.status == "near_duplicate":
            summary.near_duplicates += 1
        elif result.status == "duplicate":
            summary.duplicates += 1
        else:
            summary.rejected[result.reason or "unknown"] += 1
        if result.skipped:
            summary.skipped[result.skipped] += 1
        summary.events_stored += result.events_added
        summary.mentions_added += result.mentions_added
        if on_item:
            on_item(result)


def ingest_sources(store: Store, sources: Sequence[str], *, code: CodeFn | None = None,
                   batch_size: int | None = None, published: date | None = None,
                   allow_private: bool | None = None, read: Callable[..., Iterable[Document | Rejected]] | None = None,
                   on_item: Callable[[AddResult], None] | None = None) -> IngestSummary:
    """Read ``sources`` (files, directories, JSONL, ``-``, URLs), then ``ingest_documents``."""
    if read is None:
        from ..ingest import iter_documents

        read = iter_documents
    docs = read(list(sources), allow_private=allow_private)
    return ingest_documents(store, docs, code=code, batch_size=batch_size, published=published,
                            sources=" ".join(sources), on_item=on_item)
