"""``detente extract``: output formats, rejection lines, summary, exit status, --strict.

Most tests run the command with a stand-in extractor (first line = title, the rest = body)
so that they test this command, not extraction quality; the tests against the real
extractor and the seed page are at the end and skip until ``detente.extract`` exists.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from detente.cli import extract_cmd, main
from detente.ingest import exit_code_for, hint_for, is_network_failure, rejection_line
from detente.ingest.reasons import safe_one_line
from detente.model import Article, Document, Rejected, normalise_body, sha256_hex
from detente.pipeline import stages
from tests.conftest import ROOT, shared_path


def real_extractor_available() -> bool:
    try:
        from detente.extract import extract_document  # noqa: F401
    except ImportError:
        return False
    return True


needs_extractor = pytest.mark.skipif(not real_extractor_available(),
                                     reason="detente.extract.extract_document has not landed yet")


def _stand_in_extract(doc: Document, *, min_chars: int | None = None) -> Article | Rejected:
    lines = [line.strip() for line in doc.content.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage="extract", reason="empty",
                        detail="the document is empty")
    if lines[0].startswith("Le "):
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage="extract", reason="not_english",
                        detail="the text reads as French")
    body = "\n".join(lines[1:])
    return Article(id=sha256_hex(normalise_body(body)), doc_id=doc.doc_id, document_id=doc.id, text=body,
                   url=doc.url, site="news.example", title=lines[0], published=doc.published,
                   language="en", dropped_lines=("Share this",))


@pytest.fixture
def stand_in_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stages, "extract_document", _stand_in_extract)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    root.mkdir()
    (root / "a.txt").write_text("Talks resume\nThe envoys met in Geneva.\nBoth sides spoke of progress.\n")
    (root / "b.html").write_text("Aid arrives\nThe first convoy crossed the border on Monday.\n")
    (root / "c.txt").write_text("")
    (root / "d.txt").write_text("Le ministre a parlé\nIl a parlé longtemps.\n")
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    code = main(["extract", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


# ---- output formats -----------------------------------------------------------------------------


def test_table_for_one_file(stand_in_extractor: None, pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(pages / "a.txt"))
    assert code == 0 and err == []
    for header in ("doc_id", "title", "published", "site", "chars"):
        assert header in out
    assert "Talks resume" in out and "news.example" in out and "2/1" in out


def test_json_for_one_document_is_an_object(stand_in_extractor: None, pages: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(pages / "a.txt"), "--json")
    assert code == 0 and err == []
    article = json.loads(out)
    assert article["title"] == "Talks resume"
    assert article["text"] == "The envoys met in Geneva.\nBoth sides spoke of progress."
    assert set(article) == {"id", "doc_id", "url", "site", "title", "author", "published", "language",
                            "language_confidence", "text", "dropped_lines", "headings"}


def test_json_for_many_documents_is_a_list_and_rejections_go_to_stderr(
        stand_in_extractor: None, pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(pages), "--json")
    assert code == 0
    assert [a["title"] for a in json.loads(out)] == ["Talks resume", "Aid arrives"]
    assert err[:2] == [
        "error: pages/c.txt: empty (the document is empty) - "
        "check that the page was saved or exported completely",
        "error: pages/d.txt: not_english (the text reads as French) - give an English version of the article",
    ]
    assert err[2] == "4 documents, 2 articles extracted, 2 rejected (empty 1, not_english 1)"
    assert len(err) == 3  # no progress-bar residue when stderr is not a terminal


def test_json_list_is_valid_when_nothing_comes_out(stand_in_extractor: None, pages: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(pages / "c.txt"), str(pages / "d.txt"), "--json")
    assert code == 2 and json.loads(out) == []


def test_jsonl_one_object_per_line(stand_in_extractor: None, pages: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(pages), "--jsonl")
    assert code == 0
    assert [json.loads(line)["doc_id"] for line in out.splitlines()] == ["pages/a.txt", "pages/b.html"]


def test_jsonl_corpus_keeps_ids_and_hints(stand_in_extractor: None, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "h1", "text": "Title\nBody line.", "published": "2024-05-02",
                                  "url": "https://news.example/h1"}) + "\n{broken\n")
    code, out, err = _run(capsys, str(corpus), "--jsonl")
    assert code == 0
    [article] = [json.loads(line) for line in out.splitlines()]
    assert (article["doc_id"], article["published"], article["url"]) == ("h1", "2024-05-02",
                                                                         "https://news.example/h1")
    assert err[0].startswith("error: c.jsonl:2: bad_record (line 2 of c.jsonl: invalid JSON")


def test_stdin(stand_in_extractor: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Piped title\nPiped body.\n")))
    code, out, _ = _run(capsys, "-", "--json")
    assert code == 0 and json.loads(out)["doc_id"] == "<stdin>"


def test_untrusted_text_cannot_drive_the_terminal_or_rich_markup(stand_in_extractor: None, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_cmd, "out", Console(width=400, highlight=False))  # no folding of the title
    page = tmp_path / "evil.txt"
    page.write_text("[bold red]Boom[/] \x1b[2J\x1b]0;owned\x07 title\nBody.\n")
    code, out, _ = _run(capsys, str(page))
    assert code == 0
    assert "[bold red]Boom[/]" in out  # shown as written, not read as markup
    assert "\x1b" not in out and "\x07" not in out and "\\x1b" in out


def test_rejection_line_escapes_control_characters() -> None:
    rej = Rejected(document_id="x", doc_id="bad\x1b[31mname", stage="ingest", reason="not_found",
                   detail="no such file:\nbad\x1b[31mname\u202e")
    line = rejection_line(rej)
    assert "\x1b" not in line and "\n" not in line and "\u202e" not in line
    assert line.startswith("bad\\x1b[31mname: not_found (no such file: bad\\x1b[31mname\\u202e) - check the path")
    assert safe_one_line("a\n\tb  c") == "a b c"


# ---- exit status, --strict, option errors -------------------------------------------------------


def test_every_document_rejected_exits_2(stand_in_extractor: None, pages: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(pages / "c.txt"), str(pages / "d.txt"))
    assert code == 2 and out == ""
    assert [line.split(":")[0] for line in err[:2]] == ["error", "error"]


def test_strict_stops_at_the_first_rejection(stand_in_extractor: None, pages: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(pages), "--jsonl", "--strict")
    assert code == 2
    assert len(out.splitlines()) == 2  # a.txt and b.html came before the first rejection
    assert len(err) == 1 and err[0].startswith("error: pages/c.txt: empty")


def test_strict_passes_when_nothing_is_rejected(stand_in_extractor: None, pages: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(capsys, str(pages / "a.txt"), str(pages / "b.html"), "--strict", "--jsonl")
    assert code == 0


def test_network_failure_only_exits_1(stand_in_extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = _run(capsys, f"http://127.0.0.1:{port}/story", "--allow-private")
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"error: http://127.0.0.1:{port}/story: fetch_failed (could not connect")


def test_empty_directory_is_an_input_error(stand_in_extractor: None, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(tmp_path))
    assert code == 2 and len(err) == 1 and err[0].startswith("error: no documents found in")


@pytest.mark.parametrize(("args", "message"), [
    (["--json", "--jsonl"], "error: --json and --jsonl cannot be used together"),
    (["--encoding", "klingon-8"], "error: unknown encoding 'klingon-8'"),
])
def test_bad_options_exit_2_in_one_line(stand_in_extractor: None, pages: Path, capsys: pytest.CaptureFixture[str],
                                        args: list[str], message: str) -> None:
    code, out, err = _run(capsys, str(pages / "a.txt"), *args)
    assert code == 2 and out == "" and len(err) == 1 and err[0].startswith(message)


def test_encoding_option_reaches_the_document(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[str | None] = []

    def record(doc: Document, *, min_chars: int | None = None) -> Article | Rejected:
        seen.append(doc.encoding)
        return _stand_in_extract(doc)

    monkeypatch.setattr(stages, "extract_document", record)
    page = tmp_path / "a.txt"
    page.write_text("Title\nBody.\n")
    assert main(["extract", str(page), "--encoding", "Latin-1", "--jsonl"]) == 0
    assert seen == ["iso8859-1"]


# ---- hints and exit codes as a library ----------------------------------------------------------


@pytest.mark.parametrize(("reason", "stage", "words"), [
    ("unreadable", "ingest", "permissions"), ("unreadable", "extract", "saved as .html"),
    ("http_404", "ingest", "check the URL"), ("http_503", "ingest", "server error"),
    ("http_418", "ingest", "save the page"), ("bad_encoding", "extract", "--encoding"),
    ("too_large", "ingest", "DETENTE_MAX_BYTES"), ("something_new", "extract", "--debug"),
])
def test_hints_name_what_to_do(reason: str, stage: str, words: str) -> None:
    assert words in hint_for(Rejected(document_id="x", doc_id="d", stage=stage, reason=reason))


def test_exit_codes() -> None:
    assert exit_code_for(["fetch_failed", "http_500"]) == 1
    assert exit_code_for(["fetch_failed", "not_english"]) == 2
    assert exit_code_for(["unsafe_url"]) == 2
    assert exit_code_for([]) == 2
    assert is_network_failure("http_404") and not is_network_failure("too_large")


# ---- with the real extractor --------------------------------------------------------------------


@needs_extractor
def test_seed_page_json_passes_the_seed_check(tmp_path: Path) -> None:
    seed = shared_path("seed", "biden_russia_deescalation.txt")
    expected = shared_path("seed", "expected.json")
    checker = shared_path("tools", "seed_check.py")
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "detente"), "extract", str(seed), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "seed.json"
    out.write_text(result.stdout)
    check = subprocess.run(["python3", str(checker), "article", str(expected), str(out)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


@needs_extractor
def test_examples_directory_extracts(capsys: pytest.CaptureFixture[str]) -> None:
    examples = ROOT / "examples"
    if not any(examples.glob("*.htm*")) and not any(examples.glob("*.txt")):
        pytest.skip("examples/ has no sample pages yet")
    code, out, err = _run(capsys, str(examples), "--jsonl")
    assert code == 0, err
    articles = [json.loads(line) for line in out.splitlines()]
    assert articles and all(a["text"] and a["title"] for a in articles)
    assert err[-1].startswith(f"{len(articles)} documents, {len(articles)} articles extracted")
