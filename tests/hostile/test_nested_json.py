"""Reproduction 1 of issue 15: a deeply nested JSON line, body or cursor.

``'[' * 100000 + ']' * 100000`` used to raise RecursionError out of the corpus reader, the
request body parser and the cursor decoder: every command that reads a corpus aborted and
lost the good documents around the line, and the API answered 500.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from detente.ingest import documents_from_jsonl
from detente.model import Document, Rejected
from detente.store import open_store
from tests.hostile.support import BASE_MB, bound_mb, good_record, run_measured

NESTED = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "nest.jsonl"
    path.write_text("\n".join([good_record("good-1"), NESTED, good_record("good-2")]) + "\n")
    return path


def test_the_reader_rejects_the_nested_line_and_reads_its_neighbours(corpus: Path) -> None:
    items = list(documents_from_jsonl(corpus))
    assert [type(i).__name__ for i in items] == ["Document", "Rejected", "Document"]
    assert [i.doc_id for i in items if isinstance(i, Document)] == ["good-1", "good-2"]
    bad = items[1]
    assert isinstance(bad, Rejected) and bad.reason == "bad_record" and "nested too deeply" in bad.detail


def _one_bad_line(run_stderr: str) -> None:
    lines = [line for line in run_stderr.splitlines() if "nest.jsonl:2" in line]
    assert len(lines) == 1 and "bad_record" in lines[0] and "nested too deeply" in lines[0], run_stderr


def test_ingest_stores_both_neighbours(corpus: Path) -> None:
    run = run_measured(["ingest", corpus.name, "--db", "n.duckdb", "--json"],
                       cwd=corpus.parent, fake_coder=True)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["new"] == 2 and summary["rejected_by_reason"] == {"bad_record": 1}
    _one_bad_line(run.stderr)
    with open_store(corpus.parent / "n.duckdb", read_only=True) as store:
        stored = {r["doc_id"] for r in store.query("SELECT doc_id FROM documents WHERE outcome = 'article'")}
    assert stored == {"good-1", "good-2"}
    assert run.peak_mb < bound_mb(BASE_MB, corpus)


def nested_cursor() -> str:
    # 5,000 levels: deep enough for RecursionError, short enough for a URL (httpx allows 64 kB)
    return base64.urlsafe_b64encode(("[" * 5000 + "]" * 5000).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [nested_cursor(),
                                    base64.urlsafe_b64encode(b'["2024-01-01", [[[[1]]]]]').decode(),
                                    base64.urlsafe_b64encode(b'[1, 2]').decode()])
def test_the_api_answers_400_to_a_cursor_it_did_not_give(cursor: str) -> None:
    from tests.hostile.web_support import client

    with client() as http:
        for path in ("/api/v1/events", "/search.json", "/search"):
            answer = http.get(path, params={"cursor": cursor})
            assert answer.status_code == 400, (path, answer.text)
            assert "cursor" in answer.text


def test_the_api_answers_400_to_a_nested_body() -> None:
    from tests.hostile.web_support import TOKEN, client

    with client(token=TOKEN) as http:
        answer = http.post("/api/v1/documents", content=NESTED.encode(),
                           headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert "nested too deeply" in answer.json()["error"]
