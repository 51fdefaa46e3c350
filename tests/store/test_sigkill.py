"""An ingest killed with SIGKILL mid-run leaves a consistent store, and running it again reaches
exactly the state of one uninterrupted run.

The run goes through the real CLI in a subprocess with the fake coder (registered as
``tests.fake.v1`` and chosen by ``DETENTE_CODER``), slowed down per document so the kill lands while batches are being
committed; the corpus holds syndicated copies and rejections so every kind of write is cut.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from detente.cli import main
from detente.store import open_store
from tests.conftest import ROOT
from tests.store_support import kill_mid_run, marker, store_state

TYPES = ("THREATEN", "CONSULT", "ASSAULT", "AID", "ACCUSE", "AGREE")
ACTORS = ("USAGOV", "RUSGOV", "UKRMIL", "CHNGOV", "IGONATO", "FRA")

pytestmark = pytest.mark.usefixtures("fake_coder")


def _corpus(directory: Path, n: int = 150) -> None:
    directory.mkdir()
    for i in range(n):
        if i % 17 == 5:
            text = "short"  # rejected: too_short
        else:
            story = i - i % 3 if i % 3 == 1 else i  # every third-plus-one file is a copy of the one before
            lines = [f"Story {story}: officials of several countries spoke about the crisis on day {story}."]
            for k in range(3):
                src, tgt = ACTORS[(story + k) % 6], ACTORS[(story + 2 * k + 1) % 6]
                day = f"2021-{1 + (story + k) % 12:02d}-{1 + (story * 7 + k) % 28:02d}"
                lines.append(f"Sentence {k} of story {story} {marker(src, TYPES[(story + k) % 6], tgt, day)}.")
            boilerplate = [f"# Share this page {i}", f"# Related links for reader {i}"]
            text = "\n".join(boilerplate[: 1 + i % 2] + lines)
        (directory / f"doc{i:04d}.txt").write_text(text)


def _ingest_argv(corpus: Path, db: Path, batch_size: int = 4) -> list[str]:
    return ["ingest", str(corpus), "--db", str(db), "--batch-size", str(batch_size), "--json"]


def _check_consistent(db: Path) -> dict[str, int]:
    with open_store(db, read_only=True) as store:
        orphans = store.query("""SELECT
            (SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)) AS m,
            (SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e.article_id)) AS e,
            (SELECT count(*) FROM documents d WHERE outcome = 'article'
                AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = d.article_id)) AS d,
            (SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.id)) AS x""")
        assert orphans == [{"m": 0, "e": 0, "d": 0, "x": 0}]
        # The run row was updated in the same transactions as the rows it counts.
        run = store.runs()[0]
        stored = store.scalar("SELECT count(*) FROM documents WHERE run_id = ?", [run["id"]])
        assert run["documents_new"] + run["near_duplicates"] + run["rejected"] == stored
        assert run["events_stored"] == store.scalar("SELECT count(*) FROM events")
        return {"documents": int(stored), "status_running": int(run["status"] == "running")}


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_equals_one_full_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _corpus(corpus)
    total = len(list(corpus.iterdir()))
    killed_db, trace = tmp_path / "killed.duckdb", tmp_path / "trace.txt"
    status = kill_mid_run(_ingest_argv(corpus, killed_db), cwd=ROOT, trace=trace, after_lines=total // 3,
                          delay=0.01, what="ingest")
    assert status == -signal.SIGKILL

    partial = _check_consistent(killed_db)
    assert 0 < partial["documents"] < total and partial["status_running"] == 1

    # Transaction size changes how much a kill loses, never the end state.
    assert main(_ingest_argv(corpus, killed_db, batch_size=16)) == 0
    full_db = tmp_path / "full.duckdb"
    assert main(_ingest_argv(corpus, full_db, batch_size=32)) == 0
    with open_store(killed_db, read_only=True) as resumed, open_store(full_db, read_only=True) as full:
        assert store_state(resumed) == store_state(full)
        assert resumed.stats().events == full.stats().events > 0
        assert resumed.stats().syndicated_copies == full.stats().syndicated_copies > 0
        assert [r["status"] for r in resumed.runs()] == ["interrupted", "finished"]
