"""Storing a finished ``detente batch`` directory, through the same single writer as ``detente ingest``.

A batch's shards hold, for every input document in input order, what the input gave (the
document's id, name, kind, URI, size ..., or the rejection of an input that could not be read)
and what the coder made of it (an article and its events, or a rejection). Loading replays them
through the pipeline's write loop (``pipeline.store_documents``) with a coding function that
hands back the stored results instead of coding again. Documents already stored are skipped,
syndicated copies are found, events are merged into mentions and the run is recorded exactly as
when ``detente ingest`` reads and codes the same inputs, so both fill a store the same way.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date

from ..errors import BadOption
from ..model import Article, DocumentRecord, Event, Rejected
from ..pipeline import IngestSummary, store_documents
from ..store import AddResult, Store
from .manifest import read_manifest, shard_path
from .rows import TABLES, coded_documents
from .runner import is_batch_directory

__all__ = ["batch_directories", "load_batches"]


def batch_directories(sources: Sequence[str], *, published: date | None = None) -> list[str]:
    """The sources that are ``detente batch`` directories (all of them, or none: then ``[]``).

    Raises ``BadOption`` for a mix of batch directories and other sources, an unfinished batch,
    a missing shard file, or options that would change coding (the batch is coded already).
    Nothing is opened for writing, so it runs before the store is.
    """
    found = [s for s in sources if is_batch_directory(s)]
    if not found:
        return []
    if len(found) != len(sources):
        raise BadOption("batch directories cannot be ingested together with other sources",
                        "ingest the batch directories and the other sources in two runs")
    if published is not None:
        raise BadOption("--published cannot change a batch that is already coded",
                        "give --published to detente batch instead")
    for directory in found:
        manifest = read_manifest(directory)
        assert manifest is not None
        if not manifest.complete or manifest.shard_count is None:
            raise BadOption(f"the batch in {directory} is not finished",
                            "run the same detente batch command again to finish it, then ingest it")
        for index in range(manifest.shard_count):
            missing = [t for t in TABLES if not shard_path(directory, t, index).is_file()]
            if missing or index not in manifest.shards:
                raise BadOption(f"shard {index} of the batch in {directory} is missing",
                                "run the same detente batch command again to rewrite it")
    return found


class _Replay:
    """The stored coding results, handed back for the documents ``store_documents`` passes on.

    A shard gives each input document's record (what the store keeps of it: id, name, kind,
    size, ...) with what the coder made of it; the write loop skips the documents the store
    holds and repeats within the inputs, and passes the others on in input order, each once,
    so a result is found by its document's id among those waiting."""

    def __init__(self) -> None:
        # (document id, coded result), in input order
        self._waiting: deque[tuple[str, Article | Rejected, list[Event]]] = deque()

    def documents(self, directories: Sequence[str]) -> Iterator[DocumentRecord | Rejected]:
        import pyarrow.parquet as pq  # late: every ingest checks for batch directories; only loading one reads Parquet

        for directory in directories:
            manifest = read_manifest(directory)
            assert manifest is not None and manifest.shard_count is not None
            for index in range(manifest.shard_count):
                tables = {t: pq.read_table(shard_path(directory, t, index)) for t in TABLES}
                for entry in coded_documents(tables):
                    given = entry.as_input()
                    if isinstance(given, DocumentRecord):
                        assert entry.item is not None
                        self._waiting.append((given.id, entry.item, list(entry.events)))
                    yield given

    def code(self, docs: Iterable[DocumentRecord | Rejected], *, batch_size: int = 32,
             published: date | None = None) -> Iterator[tuple[Article | Rejected, list[Event]]]:
        for doc in docs:
            if isinstance(doc, Rejected):
                yield doc, []
                continue
            # Documents read before this one and not passed here were skipped by the write loop
            # (already stored, or repeated in the inputs): their results are dropped.
            while self._waiting:
                document_id, item, events = self._waiting.popleft()
                if document_id == doc.id:
                    yield item, events
                    break
            else:
                raise RuntimeError(f"no stored result for {doc.doc_id}: documents must come from documents()")


def load_batches(store: Store, directories: Sequence[str], *, batch_size: int | None = None,
                 on_item: Callable[[AddResult], None] | None = None) -> IngestSummary:
    """Store the articles, events and rejections of finished batch directories (see ``batch_directories``)."""
    replay = _Replay()
    return store_documents(store, replay.documents(directories), code=replay.code, batch_size=batch_size,
                            sources=" ".join(os.fspath(d) for d in directories), on_item=on_item)
