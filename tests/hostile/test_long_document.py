"""Reproduction 5 of issue 15: one document within the byte limit that took gigabytes.

A 9.4 MB one-line text made ``detente code`` peak at 9.1 GB (489 s), and a 2 MB posted document
took the server from 0.5 to 6.0 GB: every chunk's spaCy ``Doc`` of a batch was kept, 32 chunks
of 100,000 characters went to the parser at once, and nothing bounded the tokens. Now chunks
of 10,000 characters stream through the parser in batches of at most 50,000 characters, only
detente's records are kept, and an article over ``max_tokens`` is ``too_long``, never parsed.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from detente.nlp import BATCH_CHARS, CHUNK_CHARS, _chunks
from tests.hostile.support import BASE_SPACY_MB, bound_mb, good_record, run_measured, run_python_measured

SENTENCE = "Lithuania expelled two Russian diplomats on Tuesday, the foreign ministry in Vilnius said. "


def one_line(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]


def test_chunks_are_cut_at_sentence_ends_and_cover_the_text() -> None:
    text = one_line(5 * CHUNK_CHARS + 123) + "\n" + "x" * (2 * CHUNK_CHARS)
    chunks = _chunks(text)
    assert "".join(piece for _, piece in chunks) == text
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in chunks)
    assert max(len(piece) for _, piece in chunks) <= CHUNK_CHARS
    assert all(piece.endswith(". ") for _, piece in chunks[:5])  # not in the middle of a sentence
    assert BATCH_CHARS >= CHUNK_CHARS


@pytest.mark.slow
def test_parsing_streams_a_long_text_in_bounded_memory(tmp_path: Path) -> None:
    run = run_python_measured(textwrap.dedent(f"""
        import resource
        from detente.nlp import get_nlp, parse_many
        get_nlp()
        loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        text = ({SENTENCE!r} * 2000)[:120_000]
        parsed = next(parse_many([text]))
        print(loaded, len(parsed.tokens), parsed.sentences[-1].text == text[parsed.sentences[-1].char_start:].strip())
        """), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    loaded, tokens, aligned = run.stdout.split()
    assert int(tokens) > 18_000 and aligned == "True"
    # the model, one batch of the parser's working memory (about 150 MB), and the records; the old
    # parse of the same text (chunks of 100,000 and 20,000 characters at once) took about 400 MB more
    assert run.peak_mb < float(loaded) + 250, f"{run.peak_mb:.0f} MB, {float(loaded):.0f} MB with the model loaded"


@pytest.mark.slow
def test_code_rejects_the_too_long_document_and_codes_its_neighbours(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join([good_record("good-1"), json.dumps({"id": "huge", "text": one_line(1_000_000)}),
                                 json.dumps({"id": "long", "text": "\n".join([one_line(8_000)] * 2)}),
                                 good_record("good-2")]) + "\n")
    run = run_measured(["code", corpus.name, "--jsonl"], cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    coded = {json.loads(line)["doc_id"] for line in run.stdout.splitlines()}
    assert coded == {"good-1", "good-2", "long"}
    [line] = [line for line in run.error_lines if "huge" in line]
    assert "too_long" in line and "max_tokens" in line
    assert "4 documents, 3 coded, 1 rejected (too_long: 1)" in run.stderr
    assert run.peak_mb < bound_mb(BASE_SPACY_MB, corpus, per_mb=50), f"{run.peak_mb:.0f} MB"


@pytest.mark.slow
def test_a_posted_long_document_is_422_too_long_and_the_server_stays_small(tmp_path: Path) -> None:
    run = run_python_measured(textwrap.dedent(f"""
        import json, warnings
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
        from detente.store import open_store
        from detente.web import create_app
        store = open_store(":memory:")
        with TestClient(create_app(store, token="t")) as http:
            answer = http.post("/api/v1/documents", json={{"text": ({SENTENCE!r} * 25_000)[:2_000_000]}},
                               headers={{"Authorization": "Bearer t"}})
        print(json.dumps({{"status": answer.status_code, "body": answer.json()}}))
        """), cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["status"] == 422 and answer["body"]["reason"] == "too_long", answer
    assert run.peak_mb < bound_mb(BASE_SPACY_MB, 2_000_000, per_mb=50), f"{run.peak_mb:.0f} MB"
