"""``detente batch`` without spaCy: the fake coder from store_support stands in for detente's.

Shards, ordering, rows, rejections with reasons, restart after a kill, refusals. The real coder,
2 local workers and a Dask LocalCluster are compared in test_dask.py (slow).
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.batch import (
    TABLES,
    BatchProgress,
    CodedDocument,
    DocumentRecord,
    coded_documents,
    read_manifest,
    run_batch,
    shard_jobs,
    shard_path,
    shard_tables,
)
from detente.cli import main
from detente.model import Document, Rejected
from tests.conftest import ROOT
from tests.ingest.test_warc import Rec, story, write_warc
from tests.store_support import CODER, FAKE_CLI, article_for, make_event, marker

TYPES = ("THREATEN", "CONSULT", "ASSAULT", "AID", "ACCUSE", "AGREE")
ACTORS = ("USAGOV", "RUSGOV", "UKRMIL", "CHNGOV", "IGONATO", "FRA")


def story_text(i: int) -> str:
    lines = [f"# Share this page {i}", f"Story {i}: officials of several countries spoke on day {i}."]
    for k in range(2):
        day = f"2021-{1 + (i + k) % 12:02d}-{1 + (i * 7 + k) % 28:02d}"
        event = marker(ACTORS[(i + k) % 6], TYPES[(i + k) % 6], ACTORS[(i + 2 * k + 1) % 6], day)
        lines.append(f"Sentence {k} of story {i} {event}.")
    return "\n".join(lines)


def make_inputs(root: Path, pages: int = 30) -> list[str]:
    """A directory of pages, a gzipped JSONL corpus with bad lines, and a WARC with records of every kind."""
    folder = root / "pages"
    folder.mkdir(parents=True)
    for i in range(pages):
        (folder / f"p{i:03d}.txt").write_text("tiny" if i % 11 == 4 else story_text(i))
    lines = [json.dumps({"id": f"j{i}", "text": story_text(100 + i), "url": f"https://j.example/{i}"})
             for i in range(12)]
    lines[3] = '{"id": "broken", "text": '  # invalid JSON
    lines[6] = json.dumps({"id": "no-body"})
    corpus = root / "corpus.jsonl.gz"
    with gzip.open(corpus, "wb") as fh:
        fh.write(("\n".join(lines[:8]) + "\n").encode())
        fh.write(b'{"id": "latin", "text": "caf\xe9 au lait"}\n')  # not UTF-8
        fh.write(("\n".join(lines[8:]) + "\n").encode())
    crawl = root / "crawl.warc.gz"
    records = [Rec(f"https://w.example/{i}", story(i, story_text(200 + i).replace("\n", " "))) for i in range(5)]
    records[2:2] = [Rec("https://w.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
                    Rec("https://w.example/feed", b'{"items": []}', "application/json")]
    offsets = write_warc(crawl, records)
    data = crawl.read_bytes()
    crawl.write_bytes(data[: offsets[4]] + b"garbage between records\r\n" + data[offsets[4]:])
    return [str(folder), str(corpus), str(crawl)]


def table_rows(out: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every shard of a batch, sorted (order aside, two batches must hold the same rows)."""
    import pyarrow.parquet as pq

    manifest = read_manifest(out)
    assert manifest is not None and manifest.complete and manifest.shard_count is not None
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    for index in range(manifest.shard_count):
        for table in TABLES:
            for row in pq.read_table(shard_path(out, table, index)).to_pylist():
                rows[table].append(tuple(json.dumps(v, default=str) for v in row.values()))
    return {t: sorted(r) for t, r in rows.items()}


def test_serial_and_two_workers_write_the_same_rows_and_count_bad_records(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    serial = run_batch(inputs, tmp_path / "serial", shard_size=7, coder=CODER)
    pooled = run_batch(inputs, tmp_path / "pooled", shard_size=7, workers=2, coder=CODER)
    assert table_rows(tmp_path / "serial") == table_rows(tmp_path / "pooled")
    assert serial.to_dict() | {"seconds": 0, "documents_per_second": 0, "workers": "", "out": ""} == \
        pooled.to_dict() | {"seconds": 0, "documents_per_second": 0, "workers": "", "out": ""}
    assert serial.workers == "this process" and pooled.workers == "2 local worker processes"
    # every input document is in exactly one shard, counted once
    assert serial.documents == 30 + 12 + 1 + 7 + 1 == serial.articles + serial.rejected_total
    assert serial.rejected == {"too_short": 3, "bad_record": 3, "not_html": 2, "broken_record": 1}
    manifest = read_manifest(tmp_path / "serial")
    assert manifest is not None
    assert manifest.totals()["rejected_by_reason"] == dict(serial.rejected)
    assert manifest.shard_count == serial.shards == -(-serial.documents // 7)
    assert serial.events == sum(r.events for r in manifest.shards.values()) > 0


def test_shards_keep_input_order_and_fixed_boundaries(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    run_batch(inputs, tmp_path / "out", shard_size=8, workers=2, coder=CODER)
    import pyarrow.parquet as pq

    from detente.ingest import iter_documents

    expected = [d.doc_id for d in iter_documents(inputs)]
    manifest = read_manifest(tmp_path / "out")
    assert manifest is not None and manifest.shard_count is not None
    seen: list[str] = []
    for index in range(manifest.shard_count):
        tables = {t: pq.read_table(shard_path(tmp_path / "out", t, index)) for t in TABLES}
        entries = list(coded_documents(tables))
        assert [e.seq for e in entries] == list(range(8 * index, 8 * index + len(entries)))
        seen.extend(e.source.doc_id for e in entries)
    assert seen == expected


@given(sizes=st.lists(st.integers(0, 3), max_size=40), shard_size=st.integers(1, 9))
def test_shard_jobs_cut_the_stream_into_fixed_size_pieces(sizes: list[int], shard_size: int) -> None:
    docs = [Document.from_bytes(b"x" * n + bytes([i % 256]), doc_id=f"d{i}", kind="text") for i, n in enumerate(sizes)]
    jobs = list(shard_jobs(docs, shard_size))
    assert [d for job in jobs for d in job.items] == docs
    assert all(len(job.items) == shard_size for job in jobs[:-1])
    assert [job.index for job in jobs] == list(range(len(jobs)))
    assert [job.first_seq for job in jobs] == [shard_size * k for k in range(len(jobs))]
    again = list(shard_jobs(docs, shard_size))
    assert [j.digest for j in again] == [j.digest for j in jobs]
    assert len({j.digest for j in jobs}) == len(jobs)


def test_shard_rows_round_trip() -> None:
    text = "The US expelled ten Russian diplomats.\nRussia summoned the US ambassador."
    doc, article = article_for(text, doc_id="story", url="https://x.example/a", published=date(2021, 4, 15))
    events = [make_event("USAGOV", "SANCTION", "RUSGOV", date(2021, 4, 15), article_id=article.id, doc_id="story",
                         sentence=text.split("\n")[0], mode="expel", negated=True),
              make_event("RUSGOV", "ACCUSE", None, None, article_id=article.id, doc_id="story", index=1,
                         sentence=text.split("\n")[1], url="https://x.example/a")]
    bad_doc = Document.from_bytes(b"tiny", doc_id="tiny", kind="jsonl", fetched_at="2024-01-02T03:04:05Z")
    too_short = Rejected(document_id=bad_doc.id, doc_id="tiny", stage="extract", reason="too_short", detail="4")
    unread = Rejected(document_id="x" * 64, doc_id="gone.html", stage="ingest", reason="not_found", detail="no file")
    tables = shard_tables(40, [doc, unread, bad_doc], [(article, events), (unread, []), (too_short, [])])
    back = list(coded_documents(tables))
    assert back == [CodedDocument(40, DocumentRecord.of(doc), article, tuple(events)),
                    CodedDocument(41, unread, None),
                    CodedDocument(42, DocumentRecord.of(bad_doc), too_short)]
    # what the store's writer records of a document survives: id, name, kind, uri, url, type, size, fetch time
    record = back[2].as_input()
    assert record == DocumentRecord(id=bad_doc.id, doc_id="tiny", kind="jsonl", uri="tiny", url=None,
                                    media_type="text", size=4, fetched_at="2024-01-02T03:04:05Z")
    with pytest.raises(ValueError, match="1 results for 2 documents"):
        shard_tables(0, [doc, bad_doc], [(article, events)])


def _batch_argv(inputs: list[str], out: Path, *extra: str) -> list[str]:
    return ["batch", *inputs, "--out", str(out), "--shard-size", "6", *extra]


def test_cli_summary_progress_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_coder: str) -> None:
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    assert main(_batch_argv(inputs, out, "--json")) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["shards_coded"] == summary["shards"] == 9 and summary["rejected"] == 9
    # the same command again: everything is there already
    assert main(_batch_argv(inputs, out)) == 0
    shown = capsys.readouterr()
    assert "9 (0 coded now, 9 complete before)" in shown.out and "detente ingest --db DB" in shown.err
    # other settings on the same directory, a foreign directory, a missing input, a bad --dask
    assert main(_batch_argv(inputs, out, "--shard-size", "5")) == 2
    assert "other settings (shard_size)" in capsys.readouterr().err
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main(_batch_argv(inputs, foreign)) == 2
    assert "not empty and holds no batch" in capsys.readouterr().err and (foreign / "notes.txt").exists()
    assert main(_batch_argv([str(tmp_path / "nope")], tmp_path / "o2")) == 2
    assert main(_batch_argv(inputs, tmp_path / "o3", "--dask", "http://x")) == 2
    assert "neither 'local' nor a scheduler address" in capsys.readouterr().err
    assert not (tmp_path / "o2").exists() and not (tmp_path / "o3").exists()


def test_changed_inputs_are_not_mixed_with_old_shards(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    run_batch(inputs, out, shard_size=6, coder=CODER)
    (Path(inputs[0]) / "p000.txt").write_text(story_text(999))
    with pytest.raises(Exception, match="inputs changed"):
        run_batch(inputs, out, shard_size=6, coder=CODER)


def test_progress_reports_every_shard(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    seen: list[BatchProgress] = []
    summary = run_batch(inputs, tmp_path / "out", shard_size=10, coder=CODER, on_progress=seen.append)
    assert sorted(p.shard.index for p in seen) == list(range(summary.shards))
    assert sum(p.shard.documents for p in seen) == summary.documents
    assert {p.status for p in seen} == {"coded"}


@pytest.mark.slow
def test_a_killed_batch_resumes_without_redoing_complete_shards(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(120):
        (folder / f"p{i:03d}.txt").write_text(story_text(i))
    killed, full = tmp_path / "killed", tmp_path / "full"
    trace = tmp_path / "trace-first.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DETENTE_CODER": CODER, "DETENTE_FAKE_CODER_DELAY": "0.02",
           "DETENTE_FAKE_CODER_TRACE": str(trace)}
    argv = [sys.executable, "-c", FAKE_CLI,
            *_batch_argv([str(folder)], killed, "--workers", "2")]
    # its own session, so that the kill reaches the driver and its worker processes together
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            manifest = read_manifest(killed) if (killed / "manifest.json").exists() else None
            if manifest is not None and len(manifest.shards) >= 4:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    after_kill = read_manifest(killed)
    assert after_kill is not None and not after_kill.complete
    done = set(after_kill.shards)
    assert 4 <= len(done) < 20
    for index in done:  # a listed shard has all its files
        assert all(shard_path(killed, t, index).is_file() for t in TABLES)

    second_trace = tmp_path / "trace-second.txt"
    rerun = subprocess.run([*argv, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env={**env, "DETENTE_FAKE_CODER_DELAY": "0", "DETENTE_FAKE_CODER_TRACE": str(second_trace)})
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["shards_skipped"] == len(done) and summary["shards_coded"] == 20 - len(done)
    # nothing of a complete shard was coded again
    recoded = set(second_trace.read_text().split())
    skipped_docs = {f"{folder}/p{i:03d}.txt" for k in done for i in range(6 * k, 6 * k + 6)}
    assert not recoded & skipped_docs and len(recoded) == 120 - len(skipped_docs)
    run_batch([str(folder)], full, shard_size=6, coder=CODER)
    assert table_rows(killed) == table_rows(full)
    assert not list(killed.glob(".*.tmp"))


def test_without_dask_installed_help_works_and_dask_says_what_to_install(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "story.txt").write_text(story_text(1))
    code = ("import sys\n"
            "for name in ('dask', 'distributed'):\n"
            "    sys.modules[name] = None  # as if the extra were not installed\n"
            "from detente.cli import main\n"
            "assert main(['--help']) == 0 and main(['batch', '--help']) == 0\n"
            f"sys.exit(main(['batch', {str(pages)!r}, '--out', {str(tmp_path / 'out')!r}, '--dask', 'local']))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stderr
    assert "error: --dask needs Dask, which is not installed - install the extra: pip install 'detente[dask]'" \
        in done.stderr
