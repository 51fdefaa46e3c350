"""The smaller holes of issue 15: a mostly-UTF-8 file with stray bytes, an empty folder, wrapped
error lines, and absolute local paths served as doc_ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.cli import main
from detente.extract.decode import decode_content
from detente.store import open_store
from detente.web import create_app
from tests.hostile.support import GOOD_TEXTS, run_measured
from tests.hostile.web_support import TestClient

ACCENTED = ("Le ministre français a déclaré à Genève que la réunion était « très productive ». "
            "The talks in Genève were productive, the délégués said. ") * 3


def test_a_mostly_utf8_file_with_stray_bytes_keeps_its_accents() -> None:
    content = ACCENTED.encode() + b"The envoy\x92s remarks were welcomed.\n"
    decoded = decode_content(content)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    assert "français" in decoded.text and "Genève" in decoded.text and "envoy\ufffds" in decoded.text


def test_a_windows_1252_file_is_still_read_as_windows_1252() -> None:
    decoded = decode_content("Le café du ministre était fermé à Genève, déjà.\n".encode("cp1252") * 3)
    assert decoded.encoding == "cp1252" and "café" in decoded.text and decoded.replaced == 0


def test_extract_says_which_bytes_were_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "mixed.txt"
    page.write_bytes(ACCENTED.encode() + b"\nThe envoy\x92s remarks were welcomed by \x93everyone\x94 there.\n")
    assert main(["extract", str(page), "--jsonl"]) == 0
    captured = capsys.readouterr()
    assert "français" in json.loads(captured.out)["text"]
    [warning] = captured.err.strip().splitlines()
    assert warning.startswith("warning: mixed.txt: 3 byte sequences are not valid UTF-8")


def test_ingest_of_an_empty_folder_creates_no_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "only-pictures").mkdir()
    (tmp_path / "only-pictures" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    for folder in ("empty", "only-pictures"):
        assert main(["ingest", str(tmp_path / folder), "--db", str(tmp_path / "e.duckdb")]) == 2
        assert "no documents found" in capsys.readouterr().err
    assert not list(tmp_path.glob("e.duckdb*"))


def test_error_lines_are_never_wrapped_on_a_pipe(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder-with-a-rather-long-name-for-its-saved-pages"
    folder.mkdir()
    (folder / "an-empty-page-whose-name-alone-is-longer-than-a-terminal-line-of-eighty-columns.txt").write_text("")
    (folder / "story.txt").write_text(GOOD_TEXTS["good-1"])
    run = run_measured(["ingest", folder.name, "--db", "w.duckdb"], cwd=tmp_path, fake_coder=True)
    [line] = [line for line in run.stderr.splitlines() if "an-empty-page" in line]  # stderr is a pipe
    assert len(line) > 120 and "empty" in line
    assert not any(line.startswith("  ") for line in run.stderr.splitlines())


def test_the_api_serves_no_absolute_local_path(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               fake_coder: str) -> None:
    pages = tmp_path / "home" / "ana" / "saved-news"
    (pages / "2024").mkdir(parents=True)
    (pages / "2024" / "story.txt").write_text("Talks resumed\nOfficials said <<USAGOV CONSULT RUSGOV 2024-03-01>>.\n")
    db = tmp_path / "n.duckdb"
    assert main(["ingest", str(pages), "--db", str(db)]) == 0
    capsys.readouterr()
    with open_store(db, read_only=True) as store, TestClient(create_app(store)) as http:
        events = http.get("/api/v1/events").json()["events"]
        assert [e["doc_id"] for e in events] == ["saved-news/2024/story.txt"]
        article = http.get(f"/api/v1/articles/{events[0]['article_id']}").text
    assert str(tmp_path) not in article and str(tmp_path) not in json.dumps(events)
