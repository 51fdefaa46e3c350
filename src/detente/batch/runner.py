"""The batch driver: stream the inputs into shards, have them coded somewhere, write each one atomically.

    inputs --iter_documents--> shards of K documents (fixed boundaries, input order)
           --ShardCoder (this process | process pool | Dask)--> rows per shard, as they finish
           --driver--> DIR/{articles,events,rejections}-<k>.parquet + manifest.json

Only the driver writes files. At most ``ShardCoder.capacity`` shards are in flight, so the
driver's memory is bounded by the shard size, not by the corpus. A shard listed in the
manifest is complete; running the same command again skips it (after checking that its
documents are still the same ones) and codes the rest.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from .._version import __version__
from ..errors import BadOption, DetenteError
from ..extract import EXTRACTOR
from ..ingest import is_url, iter_documents
from ..model import Document, Rejected, sha256_hex
from ..pipeline import get_coder
from ..settings import MAX_BATCH_SIZE, check_range, get_setting
from .manifest import FORMAT, MANIFEST, Manifest, ShardRecord, read_manifest, shard_path, write_atomically
from .rows import TABLES, tables_from_columns
from .worker import THREAD_VARIABLES, CodingOptions, ShardJob, ShardResult, code_shard, prepare_worker

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "BatchProgress",
    "BatchSummary",
    "ProcessPoolCoder",
    "SerialCoder",
    "ShardCoder",
    "is_batch_directory",
    "run_batch",
    "shard_jobs",
]

DEFAULT_SHARD_SIZE = 500
# A shard's documents are held in memory (two shards per worker in flight), so a shard is bounded;
# a worker count beyond MAX_WORKERS is a typo, not a machine.
MAX_SHARD_SIZE = 100_000
MAX_WORKERS = 256
Reader = Callable[..., Iterable[Document | Rejected]]


class ShardCoder(Protocol):
    """Codes shards somewhere and yields each result as it finishes (in any order).

    ``code_shards`` pulls jobs from its argument only as it has room (``capacity`` in flight),
    which is what bounds the driver's memory.
    """

    description: str
    capacity: int

    def code_shards(self, jobs: Iterator[ShardJob]) -> Iterator[ShardResult]: ...

    def close(self) -> None: ...


class SerialCoder:
    """Codes each shard in this process, one after the other (``--workers 1``; the in-process twin)."""

    capacity = 1

    def __init__(self, options: CodingOptions) -> None:
        self.options = options
        self.description = "this process"

    def code_shards(self, jobs: Iterator[ShardJob]) -> Iterator[ShardResult]:
        for job in jobs:
            yield code_shard(job, self.options)

    def close(self) -> None:
        pass


@contextmanager
def one_thread_per_library() -> Iterator[None]:
    """Worker processes started inside inherit one thread per numerical library; restored after."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update({name: "1" for name in THREAD_VARIABLES})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class ProcessPoolCoder:
    """Codes shards in ``workers`` processes started fresh (spawn: no lock or thread of the driver is
    inherited), each loading the model once in its initializer."""

    def __init__(self, options: CodingOptions, workers: int) -> None:
        import multiprocessing

        self.options = options
        self.capacity = 2 * workers  # one running and one queued per worker keeps every core busy
        self.description = f"{workers} local worker processes"
        with one_thread_per_library():
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=prepare_worker, initargs=(options.loads_model,))
            # Start every worker now (the pool starts them lazily), while the variables are set.
            try:
                for future in [self._pool.submit(os.getpid) for _ in range(workers)]:
                    future.result()
            except BrokenProcessPool as exc:  # the initializer failed: its error is on stderr already
                self._pool.shutdown(wait=False, cancel_futures=True)
                raise DetenteError("the worker processes could not start (see the error above)",
                                   "check that detente and its spaCy model load: detente code examples/") from exc

    def code_shards(self, jobs: Iterator[ShardJob]) -> Iterator[ShardResult]:
        pending: dict[Future[ShardResult], int] = {}
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.capacity:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    break
                pending[self._pool.submit(code_shard, job, self.options)] = job.index
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    raise DetenteError(f"a worker process died while coding shard {index} (out of memory?)",
                                       "run the same command again: complete shards are kept") from exc
                yield result

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class BatchProgress:
    """One shard finished (``coded``) or found complete from an earlier run (``skipped``)."""

    status: str
    shard: ShardRecord
    seconds: float = 0.0


@dataclass
class BatchSummary:
    """What a batch run did and what its directory now holds."""

    out: str
    coder: str
    workers: str
    shards: int = 0
    shards_coded: int = 0
    shards_skipped: int = 0
    documents: int = 0
    documents_coded: int = 0
    articles: int = 0
    events: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # articles kept but not coded (not_english)
    seconds: float = 0.0

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def documents_per_second(self) -> float:
        return self.documents_coded / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "coder": self.coder, "workers": self.workers, "shards": self.shards,
                "shards_coded": self.shards_coded, "shards_skipped": self.shards_skipped,
                "documents": self.documents, "documents_coded": self.documents_coded, "articles": self.articles,
                "events": self.events, "rejected": self.rejected_total,
                "rejected_by_reason": dict(sorted(self.rejected.items())), "skipped": self.skipped_total,
                "skipped_by_reason": dict(sorted(self.skipped.items())), "seconds": round(self.seconds, 3),
                "documents_per_second": round(self.documents_per_second, 2)}


def _identity(item: Document | Rejected) -> str:
    if isinstance(item, Document):
        return f"{item.doc_id}\x1f{item.id}"
    return f"{item.doc_id}\x1f{item.document_id}\x1f{item.reason}"


def shard_jobs(docs: Iterable[Document | Rejected], shard_size: int) -> Iterator[ShardJob]:
    """The input stream cut into shards of ``shard_size`` documents (the last may be shorter)."""
    buffer: list[Document | Rejected] = []
    index = first = 0
    for doc in docs:
        buffer.append(doc)
        if len(buffer) == shard_size:
            yield ShardJob(index, first, tuple(buffer), sha256_hex("\n".join(map(_identity, buffer))))
            index, first, buffer = index + 1, first + len(buffer), []
    if buffer:
        yield ShardJob(index, first, tuple(buffer), sha256_hex("\n".join(map(_identity, buffer))))


def _write_shard(out: Path, result: ShardResult) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = tables_from_columns(result.columns)
    for table in TABLES:
        sink = pa.BufferOutputStream()
        pq.write_table(tables[table], sink, compression="zstd")
        write_atomically(shard_path(out, table, result.index), sink.getvalue().to_pybytes())


def _store_shard(out: Path, manifest: Manifest, result: ShardResult) -> ShardRecord:
    """Write a coded shard's files, then list it in the manifest (in that order: a listed shard is whole)."""
    _write_shard(out, result)
    record = ShardRecord(index=result.index, first_seq=result.first_seq, digest=result.digest,
                         documents=result.documents, articles=result.articles, events=result.events,
                         rejected=dict(result.rejected), skipped=dict(result.skipped))
    manifest.shards[result.index] = record
    manifest.save(out)
    return record


def _shard_files_present(out: Path, index: int) -> bool:
    return all(shard_path(out, table, index).is_file() for table in TABLES)


def _normalised_inputs(inputs: Sequence[str]) -> list[str]:
    return [i if i == "-" or is_url(i) else os.path.abspath(i) for i in inputs]


def _open_directory(out: Path, wanted: Manifest) -> Manifest:
    """The manifest to continue: the one in ``out`` when it is the same batch, else a new one."""
    if out.exists() and not out.is_dir():
        raise BadOption(f"--out {out} is a file", "give a directory (it is created when missing)")
    out.mkdir(parents=True, exist_ok=True)
    # Files a killed run was writing (write_atomically's temporary names); never anything else.
    leftovers = [p for p in out.glob(".*.tmp") if p.name == f".{MANIFEST}.tmp" or p.name.endswith(".parquet.tmp")]
    existing = read_manifest(out)
    if existing is None and any(p not in leftovers for p in out.iterdir()):
        raise BadOption(f"--out {out} is not empty and holds no batch",
                        "give a new or empty directory, or the directory of an earlier detente batch run")
    for leftover in leftovers:
        leftover.unlink()
    if existing is None:
        return wanted
    if existing.settings != wanted.settings:
        changed = ", ".join(k for k in wanted.settings if wanted.settings[k] != existing.settings[k])
        raise BadOption(f"{out} holds a batch run with other settings ({changed})",
                        "run with the same inputs and options to finish it, or give another --out")
    return existing


def run_batch(inputs: Sequence[str], out: str | Path, *, workers: int = 1, dask: str | None = None,
              shard_size: int | None = None, batch_size: int | None = None, published: date | None = None,
              coder: str | None = None, read: Reader | None = None, shard_coder: ShardCoder | None = None,
              on_progress: Callable[[BatchProgress], None] | None = None) -> BatchSummary:
    """Code ``inputs`` into Parquet shards in ``out``; finishes an interrupted run of the same batch.

    ``workers`` processes code the shards (1: in this process), or a Dask cluster does
    (``dask="local"`` starts a LocalCluster of ``workers`` processes; an address joins a running
    scheduler). ``coder`` names a registered coder (default: the ``coder`` setting); ``read``
    replaces ``ingest.iter_documents``; ``shard_coder`` replaces the executor chosen from
    ``workers`` and ``dask``.
    """
    size = int(shard_size or DEFAULT_SHARD_SIZE)
    batch = int(batch_size or get_setting("batch_size"))
    if size < 1:
        raise BadOption(f"--shard-size {size} is not positive", "give 1 or more documents per shard")
    if batch < 1:
        raise BadOption(f"--batch-size {batch} is not positive", "give 1 or more")
    if workers < 1:
        raise BadOption(f"--workers {workers} is not positive", "give 1 (this process) or more")
    check_range("--shard-size", size, 1, MAX_SHARD_SIZE)
    check_range("--batch-size", batch, 1, MAX_BATCH_SIZE)
    check_range("--workers", workers, 1, MAX_WORKERS)
    coder, code = get_coder(coder)  # a wrong name fails here, before any directory or worker is made
    directory = Path(out)
    wanted = Manifest(inputs=_normalised_inputs(inputs), shard_size=size, coder=coder,
                      extractor=EXTRACTOR, published=published.isoformat() if published else None,
                      detente_version=__version__)
    manifest = _open_directory(directory, wanted)
    manifest.complete = False
    manifest.save(directory)
    options = CodingOptions(batch_size=batch, published=published, coder=coder, code=code)
    if read is None:
        read = iter_documents
    started = time.perf_counter()
    summary = BatchSummary(out=str(directory), coder=manifest.coder, workers="nothing left to code")
    seen_shards = 0

    def jobs_to_code() -> Iterator[ShardJob]:
        nonlocal seen_shards
        for job in shard_jobs(read(list(inputs)), size):
            seen_shards = job.index + 1
            done = manifest.shards.get(job.index)
            if done is None or not _shard_files_present(directory, job.index):
                yield job
                continue
            if (done.digest, done.first_seq, done.documents) != (job.digest, job.first_seq, len(job.items)):
                raise BadOption(f"the inputs changed since {directory} was written (shard {job.index} "
                                f"now holds other documents)", "give another --out to code them afresh")
            summary.shards_skipped += 1
            if on_progress:
                on_progress(BatchProgress("skipped", done))

    jobs = jobs_to_code()
    first = next(jobs, None)  # workers are started only when some shard needs coding
    if first is not None:
        executor = shard_coder or _make_shard_coder(options, workers=workers, dask=dask)
        summary.workers = executor.description
        try:
            for result in executor.code_shards(itertools.chain([first], jobs)):
                record = _store_shard(directory, manifest, result)
                summary.shards_coded += 1
                summary.documents_coded += result.documents
                if on_progress:
                    on_progress(BatchProgress("coded", record, result.seconds))
        finally:
            executor.close()
    stale = sorted(k for k in manifest.shards if k >= seen_shards)
    if stale:
        raise BadOption(f"the inputs changed since {directory} was written (they now end before shard {stale[0]})",
                        "give another --out to code them afresh")
    manifest.complete, manifest.shard_count = True, seen_shards
    manifest.save(directory)
    totals = manifest.totals()
    summary.shards, summary.documents = seen_shards, totals["documents"]
    summary.articles, summary.events = totals["articles"], totals["events"]
    summary.rejected = Counter(totals["rejected_by_reason"])
    summary.skipped = Counter(totals["skipped_by_reason"])
    summary.seconds = time.perf_counter() - started
    return summary


def _make_shard_coder(options: CodingOptions, *, workers: int, dask: str | None) -> ShardCoder:
    if dask:
        from .dask_coder import DaskCoder  # late: the optional dask extra

        return DaskCoder(options, address=dask, workers=workers)
    if workers == 1:
        return SerialCoder(options)
    return ProcessPoolCoder(options, workers)


def is_batch_directory(path: str | os.PathLike[str]) -> bool:
    """True for a directory holding a batch manifest (what ``detente ingest`` loads as shards).

    Only the manifest's format tag is looked at: a folder of saved pages may well hold some
    other ``manifest.json`` (a web app manifest), and is then an ordinary directory.
    """
    import json

    manifest = os.path.join(path, MANIFEST)
    if not (os.path.isdir(path) and os.path.isfile(manifest)):
        return False
    try:
        with open(manifest, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT
