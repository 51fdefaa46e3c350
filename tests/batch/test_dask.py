"""The real coder: serially, on 2 local worker processes and on a Dask LocalCluster, the same rows and event ids.

One LocalCluster (2 processes, 1 thread each) serves the whole module. The inputs are small: a
WARC with the sample HTML pages and records that are not pages, and a gzipped JSONL corpus of
the sample text dumps with a bad line.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.batch import run_batch
from tests.batch.test_batch import table_rows
from tests.batch.test_shards import _state
from tests.conftest import EXAMPLES
from tests.ingest.test_warc import Rec, write_warc

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as local:
        yield local


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("inputs")
    pages = sorted(EXAMPLES.glob("*.html"))
    records = [Rec(f"https://news.example/{p.stem}", p.read_bytes()) for p in pages]
    records.insert(2, Rec("https://news.example/map.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"))
    records.insert(4, Rec("https://news.example/gone", b"<html><body>gone</body></html>", status="404 Not Found"))
    crawl = root / "crawl.warc.gz"
    offsets = write_warc(crawl, records)
    data = crawl.read_bytes()
    crawl.write_bytes(data[: offsets[3]] + b"not a record\r\n" + data[offsets[3]:])
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"), "published": p.name[:10]})
             for p in sorted(EXAMPLES.glob("*.txt"))]
    lines.insert(2, '{"id": "cut-off", "text": "Armenia and')
    corpus = root / "dumps.jsonl.gz"
    corpus.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    return [str(crawl), str(corpus)]


def test_serial_two_workers_and_dask_give_identical_rows(tmp_path: Path, inputs: list[str], cluster: Any) -> None:
    serial = run_batch(inputs, tmp_path / "serial", shard_size=3)
    pooled = run_batch(inputs, tmp_path / "pooled", shard_size=3, workers=2)
    on_dask = run_batch(inputs, tmp_path / "dask", shard_size=3, dask=cluster.scheduler_address)
    assert "Dask cluster" in on_dask.workers and "2 workers" in on_dask.workers
    rows = table_rows(tmp_path / "serial")
    assert rows == table_rows(tmp_path / "pooled") == table_rows(tmp_path / "dask")
    assert len(rows["events"]) == serial.events > 20
    assert serial.rejected == pooled.rejected == on_dask.rejected == {
        "not_html": 1, "http_404": 1, "broken_record": 1, "bad_record": 1}
    assert serial.articles == pooled.articles == on_dask.articles == 10


def test_dask_local_starts_a_process_cluster_of_the_asked_size(tmp_path: Path, inputs: list[str], cluster: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[dict[str, Any]] = []

    class ModuleCluster:
        """Stands in for a new LocalCluster: records the arguments, lends the module's cluster."""

        def __init__(self, **kwargs: Any) -> None:
            asked.append(kwargs)
            self.scheduler_address = cluster.scheduler_address

        def close(self) -> None:  # the module's cluster outlives this test
            pass

    real_client = distributed.Client
    monkeypatch.setattr(distributed, "LocalCluster", ModuleCluster)
    monkeypatch.setattr(distributed, "Client", lambda c, **kw: real_client(c.scheduler_address, **kw))
    summary = run_batch(inputs[1:], tmp_path / "local", shard_size=4, dask="local", workers=2)
    assert asked == [{"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None,
                      "silence_logs": 40}]
    assert summary.workers.startswith("a local Dask cluster") and summary.articles == 5


def test_a_store_filled_from_shards_equals_one_filled_by_ingest(tmp_path: Path, inputs: list[str]) -> None:
    from detente.cli import main

    run_batch(inputs, tmp_path / "batch", shard_size=4, workers=2)
    assert main(["ingest", str(tmp_path / "batch"), "--db", str(tmp_path / "shards.duckdb")]) == 0
    assert main(["ingest", *inputs, "--db", str(tmp_path / "direct.duckdb")]) == 0
    from_shards, direct = _state(tmp_path / "shards.duckdb"), _state(tmp_path / "direct.duckdb")
    assert from_shards == direct
    assert direct["stats"]["events"] > 20
