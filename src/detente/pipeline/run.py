"""Read, extract, code and store a stream of documents, one transaction per batch: the one write loop.

    ingest_sources(store, sources)          read files, folders, corpora, URLs, then ingest_documents
    ingest_documents(store, docs)           skip what the store holds, code the rest, write them
    store_documents(store, docs, code=...)  the same with results that come from elsewhere (batch shards)
    WriteLoop                               the write loop itself: ingest, batch loading, watch and
                                            the API's writes all store through it

The coder is looked up by name (``coders.get_coder``; default the ``coder`` setting).
Documents already in the store (same sha256) are skipped before coding, so re-ingesting costs
a hash and a lookup. An article the coder passes over (``coding_skip``: not English) is stored
with no events and reported as skipped, so a later coder can read it without fetching it
again. If the process dies, every committed batch is complete and the run's row says what it
committed; running the same command again finishes the work and reaches the state an
uninterrupted run reaches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..errors import BadOption
from ..ingest import iter_documents
from ..model import Article, Document, DocumentRecord, Event, Rejected
from ..settings import MAX_BATCH_SIZE, check_range, get_setting
from ..store import AddResult, AddStatus, Store, StoreWriter
from .coders import CodeFn, get_coder
from .stages import coding_skip

__all__ = ["IngestSummary", "WriteLoop", "ingest_documents", "ingest_sources", "store_documents"]

Coded = tuple[Article | Rejected, list[Event]]


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

    def count(self, result: AddResult) -> None:
        """Count one stored (committed) result."""
        if result.status is AddStatus.NEW:
            self.new += 1
        elif result.status is AddStatus.NEAR_DUPLICATE:
            self.near_duplicates += 1
        elif result.status is AddStatus.DUPLICATE:
            self.duplicates += 1
        else:
            self.rejected[result.reason or "unknown"] += 1
        if result.skipped:
            self.skipped[result.skipped] += 1
        self.events_stored += result.events_added
        self.mentions_added += result.mentions_added

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "documents_seen": self.seen, "new": self.new,
                "duplicates": self.duplicates, "near_duplicates": self.near_duplicates,
                "rejected": self.rejected_total, "rejected_by_reason": dict(sorted(self.rejected.items())),
                "skipped": self.skipped_total, "skipped_by_reason": dict(sorted(self.skipped.items())),
                "events_stored": self.events_stored, "mentions_added": self.mentions_added, "coder": self.coder}


RUN_COUNTER_OF_STATUS = {AddStatus.NEW: "documents_new", AddStatus.NEAR_DUPLICATE: "near_duplicates",
                         AddStatus.DUPLICATE: "duplicates", AddStatus.REJECTED: "rejected"}

# Called inside a batch's transaction with the writer, the run id and each (coded item, result):
# more writes that must commit with the batch (a watcher marks its feed items stored); returns
# more run counters, or None.
InBatch = Callable[[StoreWriter, str | None, list[tuple[Article | Rejected, AddResult]]], Counter[str] | None]


class WriteLoop:
    """Stores coded items, ``batch_size`` of them per transaction, through the store's single writer.

    ``documents`` holds the records of the source documents waiting for their coded result (by
    document id: what the store records of them; their bytes are not held),
    ``unflushed`` run counters counted while reading, written with the next batch. ``run_id(need)``
    names the run a batch belongs to (``need`` False: the batch holds no coded item, and a
    caller that starts its run lazily may answer None). ``in_batch`` adds writes to each
    batch's transaction; ``on_result`` sees each result, and ``on_batch`` each batch's results,
    after the batch committed. ``has_work`` says whether the caller has writes of its own
    waiting, which make a batch worth committing with no coded item in it.
    """

    def __init__(self, store: Store, *, batch_size: int, run_id: Callable[[bool], str | None],
                 in_batch: InBatch | None = None, on_result: Callable[[AddResult], None] | None = None,
                 on_batch: Callable[[list[AddResult]], None] | None = None,
                 has_work: Callable[[], bool] = lambda: False) -> None:
        self.store = store
        self.batch_size = batch_size
        self.run_id = run_id
        self.in_batch = in_batch
        self.on_result = on_result
        self.on_batch = on_batch
        self.has_work = has_work
        self.documents: dict[str, DocumentRecord] = {}
        self.unflushed: Counter[str] = Counter()
        self.coder = ""

    def write(self, coded: Iterable[Coded]) -> None:
        """Store every coded item, a transaction per ``batch_size`` of them (and one for what is left)."""
        batch: list[Coded] = []
        for item in coded:
            batch.append(item)
            if len(batch) >= self.batch_size:
                self.commit(batch)
                batch = []
        self.commit(batch)

    def commit(self, batch: Sequence[Coded]) -> None:
        """Store ``batch`` in one transaction, with the run's counters."""
        if not batch and not self.unflushed and not self.has_work():
            return
        run_id = self.run_id(bool(batch))
        deltas: Counter[str] = Counter(self.unflushed)
        done: list[tuple[Article | Rejected, AddResult]] = []
        coder = ""
        with self.store.writer() as writer:
            for item, events in batch:
                result = self._add(writer, item, events, run_id)
                done.append((item, result))
                coder = coder or next((e.coder for e in events if e.coder), "")
                deltas[RUN_COUNTER_OF_STATUS[result.status]] += 1
                deltas["events_stored"] += result.events_added
                deltas["mentions_added"] += result.mentions_added
            if self.in_batch is not None:
                deltas.update(self.in_batch(writer, run_id, done) or {})
            if run_id:
                writer.bump_run(run_id, **deltas)
                if coder:
                    writer.set_run_coder(run_id, coder)
        self.unflushed.clear()
        # Only after the commit: what is reported is durably stored.
        self.coder = self.coder or coder
        if self.on_result is not None:
            for _, result in done:
                self.on_result(result)
        if self.on_batch is not None:
            self.on_batch([result for _, result in done])

    def _add(self, writer: StoreWriter, item: Article | Rejected, events: list[Event],
             run_id: str | None) -> AddResult:
        if isinstance(item, Rejected) and not item.document_id:
            return AddResult(AddStatus.REJECTED, "", reason=item.reason, doc_id=item.doc_id, detail=item.detail)
        document = self.documents.pop(item.document_id, None)
        result = writer.add(item, events, document=document, run_id=run_id)
        skip = coding_skip(item)
        if skip is not None and result.status in (AddStatus.NEW, AddStatus.NEAR_DUPLICATE):
            result = replace(result, skipped=skip[0], detail=skip[1])
        return result


def _batch_size(batch_size: int | None) -> int:
    size = int(batch_size or get_setting("batch_size"))
    if size < 1:
        raise BadOption(f"batch size {size} is not positive", "give --batch-size 1 or more")
    check_range("--batch-size", size, 1, MAX_BATCH_SIZE)
    return size


def store_documents(store: Store, docs: Iterable[Document | DocumentRecord | Rejected], *, code: CodeFn,
                    batch_size: int | None = None, published: date | None = None, command: str = "ingest",
                    sources: str = "", on_item: Callable[[AddResult], None] | None = None) -> IngestSummary:
    """Store ``docs`` through the write loop, each batch of ``batch_size`` coded documents one transaction.

    Documents the store holds (or that came before in ``docs``) are reported and not passed
    to ``code``; ``code`` (shaped like a coder) turns the others into articles or rejections
    with their events, in order. A document known only by its record (a batch shard's) is
    stored as the original would be."""
    size = _batch_size(batch_size)
    summary = IngestSummary()
    summary.run_id = store.start_run(command, sources)

    def counted(result: AddResult) -> None:
        summary.count(result)
        if on_item:
            on_item(result)

    loop = WriteLoop(store, batch_size=size, run_id=lambda _: summary.run_id, on_result=counted)

    def fresh_documents() -> Iterator[Document | DocumentRecord]:
        seen_now: set[str] = set()
        for doc in docs:
            summary.seen += 1
            loop.unflushed["documents_seen"] += 1
            if isinstance(doc, Rejected):
                # A source-level rejection (missing file, failed fetch) has no content to record.
                summary.rejected[doc.reason] += 1
                loop.unflushed["rejected"] += 1
                if on_item:
                    on_item(AddResult(AddStatus.REJECTED, doc.document_id, reason=doc.reason, doc_id=doc.doc_id,
                                      detail=doc.detail))
                continue
            rejection = None if doc.id in seen_now else store.document_rejection(doc.id)
            if rejection is not None:
                # read and rejected before: the same answer again, and nothing written
                seen_now.add(doc.id)
                summary.rejected[rejection[0]] += 1
                loop.unflushed["rejected"] += 1
                if on_item:
                    on_item(AddResult(AddStatus.REJECTED, doc.id, reason=rejection[0], doc_id=doc.doc_id,
                                      detail=rejection[1]))
                continue
            if doc.id in seen_now or store.has_document(doc.id):
                summary.duplicates += 1
                loop.unflushed["duplicates"] += 1
                if on_item:
                    on_item(AddResult(AddStatus.DUPLICATE, doc.id, doc_id=doc.doc_id))
                continue
            seen_now.add(doc.id)
            loop.documents[doc.id] = doc if isinstance(doc, DocumentRecord) else DocumentRecord.of(doc)
            yield doc

    status = "failed"
    try:
        loop.write(code(fresh_documents(), batch_size=size, published=published))
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        summary.coder = loop.coder
        store.finish_run(summary.run_id, status)
    return summary


def ingest_documents(store: Store, docs: Iterable[Document | Rejected], *, coder: str | None = None,
                     batch_size: int | None = None, published: date | None = None, command: str = "ingest",
                     sources: str = "", on_item: Callable[[AddResult], None] | None = None) -> IngestSummary:
    """Code and store ``docs`` with the coder registered as ``coder`` (default: the ``coder`` setting)."""
    _, code = get_coder(coder)
    return store_documents(store, docs, code=code, batch_size=batch_size, published=published, command=command,
                           sources=sources, on_item=on_item)


def ingest_sources(store: Store, sources: Sequence[str], *, coder: str | None = None,
                   batch_size: int | None = None, published: date | None = None,
                   allow_private: bool | None = None, read: Callable[..., Iterable[Document | Rejected]] | None = None,
                   on_item: Callable[[AddResult], None] | None = None) -> IngestSummary:
    """Read ``sources`` (files, directories, JSONL, ``-``, URLs), then ``ingest_documents``."""
    if read is None:
        read = iter_documents
    docs = read(list(sources), allow_private=allow_private)
    return ingest_documents(store, docs, coder=coder, batch_size=batch_size, published=published,
                            sources=" ".join(sources), on_item=on_item)
