"""What runs in a worker process (a process-pool worker or a Dask worker): code one shard, return rows.

A worker is prepared once (``prepare_worker``): numerical libraries limited to one thread, so
that N worker processes share N cores instead of fighting over them, then the spaCy model
loaded. It then codes shard after shard (``code_shard``) and returns Arrow tables; it never
writes a file or the store (only the driver does).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import Document, Rejected
from ..nlp import get_nlp
from ..pipeline import DEFAULT_CODER, CodeFn, coding_skip, get_coder
from .rows import shard_columns

__all__ = ["THREAD_VARIABLES", "CodingOptions", "ShardJob", "ShardResult", "code_shard", "limit_threads",
           "prepare_worker"]

# Each numerical library reads its own variable, once, when it is first imported.
THREAD_VARIABLES: tuple[str, ...] = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass(frozen=True)
class CodingOptions:
    """How every shard of a batch is coded (the same in every worker)."""

    batch_size: int = 32
    published: date | None = None
    coder: str = DEFAULT_CODER  # the registered coder's name
    # The coder's function, looked up by the driver: it travels to a fresh worker process by
    # reference, so unpickling it imports the module that registers it there too.
    code: CodeFn | None = None

    @property
    def loads_model(self) -> bool:
        """Whether a worker loads the spaCy model before its first shard (detente's coder parses)."""
        return self.coder == DEFAULT_CODER


@dataclass(frozen=True)
class ShardJob:
    """Shard ``index``: the documents at positions ``first_seq`` .. ``first_seq + len(items) - 1``."""

    index: int
    first_seq: int
    items: tuple[Document | Rejected, ...]
    digest: str


@dataclass
class ShardResult:
    """A coded shard: its three tables as plain columns (see ``rows``) and what they hold."""

    index: int
    first_seq: int
    digest: str
    columns: dict[str, dict[str, list[Any]]]
    documents: int
    articles: int
    events: int
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    pid: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # articles kept but not coded, by reason


def limit_threads() -> None:
    """One thread per numerical library in this process (effective for libraries not imported yet)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it, the variables above do the work in fresh processes
        return
    threadpool_limits(1)


def prepare_worker(load_model: bool = True) -> None:
    """Process initializer: one thread per library, then the spaCy model loaded once for this process."""
    limit_threads()
    if load_model:
        get_nlp()


def code_shard(job: ShardJob, options: CodingOptions) -> ShardResult:
    """Extract and code one shard's documents, in order; the rows come back to the driver."""
    started = time.perf_counter()
    code = options.code or get_coder(options.coder)[1]
    coded = list(code(list(job.items), batch_size=options.batch_size, published=options.published))
    columns = shard_columns(job.first_seq, job.items, coded)  # checks there is one result per document
    rejected: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for source, (item, _) in zip(job.items, coded, strict=True):
        if isinstance(source, Rejected):
            rejected[source.reason] += 1
        elif isinstance(item, Rejected):
            rejected[item.reason] += 1
        elif (skip := coding_skip(item)) is not None:
            skipped[skip[0]] += 1
    return ShardResult(index=job.index, first_seq=job.first_seq, digest=job.digest, columns=columns,
                       documents=len(job.items), articles=len(columns["articles"]["seq"]),
                       events=len(columns["events"]["seq"]), rejected=rejected,
                       seconds=time.perf_counter() - started, pid=os.getpid(), skipped=skipped)
