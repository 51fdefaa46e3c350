"""``detente ingest --db P DIR`` stores a batch's shards exactly as ``detente ingest`` stores the inputs.

The fake coder stands in for detente's (the batch and the direct ingest use the same one), so
what is compared is the path through the store: duplicates, syndicated copies, mentions,
rejections and the run's counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from detente.batch import read_manifest
from detente.cli import main
from detente.store import open_store
from tests.batch.test_batch import make_inputs
from tests.store_support import marker, store_state

pytestmark = pytest.mark.usefixtures("fake_coder")

STORY = [
    "Washington and Moscow traded measures again this week.",
    f"The US expelled ten Russian diplomats {marker('USAGOV', 'SANCTION', 'RUSGOV', '2021-04-15')}.",
    f"In response Russia summoned the US ambassador {marker('RUSGOV', 'THREATEN', 'USAGOV', '2021-04-16')}.",
    f"Biden said he could go further {marker('USAGOV', 'ASSAULT', 'RUSGOV', '2021-04-16', 'hypothetical')}.",
    "The two countries are divided over Ukraine, human rights and cyber security.",
]


EDIT = marker("UKRGOV", "REQUEST", "USAGOV", "2021-04-17")


def _inputs(root: Path) -> list[str]:
    """make_inputs' sources plus a corpus of syndicated copies and a file given twice (an exact duplicate)."""
    inputs = make_inputs(root)
    copies = [
        {"id": "story", "text": "\n".join(["# Sharing is caring!", *STORY]), "url": "https://one.example/story"},
        {"id": "copy", "text": "\n".join(["# Subscribe now", *STORY, "# Back to top"]), "url": "https://two.example/c"},
        {"id": "edited", "text": "\n".join([*STORY, f"Kyiv asked for help {EDIT}."]), "url": "https://three.example/e"},
    ]
    syndicated = root / "syndicated.jsonl"
    syndicated.write_text("".join(json.dumps(r) + "\n" for r in copies))
    return [*inputs, str(syndicated), inputs[0]]


def _documents(store: Any) -> list[tuple[Any, ...]]:
    return sorted(tuple(r.values()) for r in store.query(
        "SELECT id, doc_id, kind, uri, url, site, media_type, size, fetched_at, outcome, reason, detail, article_id, "
        "canonical_id, similarity FROM documents"))


def _state(db: Path) -> dict[str, Any]:
    with open_store(db, read_only=True) as store:
        return {**store_state(store), "all_documents": _documents(store), "stats": store.stats().to_dict()}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary: dict[str, Any] = json.loads(captured.out)
    summary.pop("run_id", None)
    summary.pop("db", None)
    return summary


@pytest.mark.slow
def test_ingesting_shards_equals_ingesting_the_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = _inputs(tmp_path / "in")
    batch = tmp_path / "batch"
    _run(capsys, "batch", *inputs, "--out", str(batch), "--shard-size", "5", "--workers", "2",
         "--json")
    from_shards, direct = tmp_path / "shards.duckdb", tmp_path / "direct.duckdb"
    loaded = _run(capsys, "ingest", str(batch), "--db", str(from_shards), "--batch-size", "4", "--json")
    coded = _run(capsys, "ingest", *inputs, "--db", str(direct), "--json")
    assert loaded == coded
    assert coded["near_duplicates"] >= 2 and coded["duplicates"] > 0 and coded["mentions_added"] > 0
    # the three "tiny" pages are one document (same bytes): rejected once, then duplicates
    assert coded["rejected_by_reason"] == {"bad_record": 3, "broken_record": 1, "not_html": 2, "too_short": 1}
    assert _state(from_shards) == _state(direct)
    with open_store(from_shards, read_only=True) as store:
        assert store.runs()[0]["coder"] == "tests.fake.v1"

    # storing the batch again changes nothing, as re-ingesting the inputs does
    again = _run(capsys, "ingest", str(batch), "--db", str(from_shards), "--json")
    assert again["duplicates"] == again["documents_seen"] - again["rejected"] and again["events_stored"] == 0
    before = _state(from_shards)
    assert {k: v for k, v in before.items() if k != "stats"} == \
        {k: v for k, v in _state(direct).items() if k != "stats"}


@pytest.mark.slow
def test_shards_over_a_store_that_has_some_documents_already(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    inputs = _inputs(tmp_path / "in")
    batch = tmp_path / "batch"
    _run(capsys, "batch", *inputs, "--out", str(batch), "--shard-size", "4", "--json")
    from_shards, direct = tmp_path / "shards.duckdb", tmp_path / "direct.duckdb"
    for db in (from_shards, direct):  # the same earlier ingest in both
        _run(capsys, "ingest", inputs[3], inputs[0], "--db", str(db), "--json")
    loaded = _run(capsys, "ingest", str(batch), "--db", str(from_shards), "--json")
    coded = _run(capsys, "ingest", *inputs, "--db", str(direct), "--json")
    assert loaded == coded and coded["duplicates"] > 0
    assert _state(from_shards) == _state(direct)


def test_what_cannot_be_loaded_is_refused_before_the_store_is_made(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    inputs = make_inputs(tmp_path / "in")
    batch = tmp_path / "batch"
    _run(capsys, "batch", *inputs, "--out", str(batch), "--shard-size", "9", "--json")
    db = tmp_path / "never.duckdb"
    cases = [
        (["ingest", str(batch), inputs[1], "--db", str(db)], "together with other sources"),
        (["ingest", str(batch), "--db", str(db), "--published", "2021-01-01"], "--published cannot change"),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        assert message in capsys.readouterr().err
    manifest_path = batch / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "complete": False}))
    assert main(["ingest", str(batch), "--db", str(db)]) == 2
    assert "is not finished" in capsys.readouterr().err
    manifest_path.write_text(json.dumps(manifest))
    (batch / "events-00001.parquet").unlink()
    assert main(["ingest", str(batch), "--db", str(db)]) == 2
    assert "shard 1 of the batch" in capsys.readouterr().err
    assert not db.exists()
    # the batch command itself rewrites what is missing
    _run(capsys, "batch", *inputs, "--out", str(batch), "--shard-size", "9", "--json")
    assert main(["ingest", str(batch), "--db", str(db), "--json"]) == 0
    loaded = read_manifest(batch)
    assert loaded is not None and loaded.complete


def test_a_folder_with_some_other_manifest_is_ingested_as_pages(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from detente.batch import is_batch_directory

    folder = tmp_path / "saved-site"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "News", "start_url": "/"}')  # a web app manifest
    (folder / "story.txt").write_text("\n".join(STORY))
    assert not is_batch_directory(folder)
    summary = _run(capsys, "ingest", str(folder), "--db", str(tmp_path / "s.duckdb"), "--json")
    assert summary["new"] == 1 and summary["events_stored"] == 3
