"""``detente batch``: the pipeline over a large corpus, on many cores or a Dask cluster, as Parquet shards.

    run_batch(inputs, out, workers=N | dask="local" | "tcp://HOST:PORT") -> BatchSummary
    read_manifest(out) -> Manifest          is_batch_directory(path) -> bool

The inputs are streamed into shards of ``shard_size`` documents in input order, so shard
boundaries do not depend on how many workers there are; each shard is extracted and coded in
a worker, which returns rows; the driver alone writes ``DIR/articles-<k>.parquet``,
``DIR/events-<k>.parquet``, ``DIR/rejections-<k>.parquet`` (see ``rows``) and the manifest.
The same inputs give the same rows and event ids serially, on local processes or on Dask.
``detente ingest --db P DIR`` stores a finished batch through the store's single writer
(``detente.batch.load``).
"""

from __future__ import annotations

from .manifest import FORMAT, MANIFEST, Manifest, ShardRecord, read_manifest, shard_path
from .rows import (
    FIELDS,
    TABLES,
    CodedDocument,
    DocumentRecord,
    coded_documents,
    shard_columns,
    shard_tables,
    tables_from_columns,
)
from .runner import (
    DEFAULT_SHARD_SIZE,
    BatchProgress,
    BatchSummary,
    ProcessPoolCoder,
    SerialCoder,
    ShardCoder,
    is_batch_directory,
    run_batch,
    shard_jobs,
)
from .worker import CodingOptions, ShardJob, ShardResult, code_shard, prepare_worker

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "FIELDS",
    "FORMAT",
    "MANIFEST",
    "TABLES",
    "BatchProgress",
    "BatchSummary",
    "CodedDocument",
    "CodingOptions",
    "DocumentRecord",
    "Manifest",
    "ProcessPoolCoder",
    "SerialCoder",
    "ShardCoder",
    "ShardJob",
    "ShardRecord",
    "ShardResult",
    "code_shard",
    "coded_documents",
    "is_batch_directory",
    "prepare_worker",
    "read_manifest",
    "run_batch",
    "shard_columns",
    "shard_jobs",
    "shard_path",
    "shard_tables",
    "tables_from_columns",
]
