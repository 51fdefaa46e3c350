"""Extraction works in any language; only the coder needs English.

The pages in tests/data/languages are invented news in French, Russian and Arabic. ``extract``
returns their bodies with the right ``language``; ``code`` reports them as ``skipped:
not_english`` and exits 0 when an English page in the same run was coded, 2 when none was;
``ingest`` stores them with no events so that a later coder can read them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from detente.cli import main
from detente.extract import extract_document
from detente.extract.html import parse_html, visible_lines
from detente.model import Article, Document
from detente.pipeline import as_document, code_articles, coding_skip, extract_documents, register_coder
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "data" / "languages"
EXPECTED = {
    "fr_sommet.html": ("fr", "Les ministres des Affaires étrangères de la Valdorie", "Tous droits réservés"),
    "ru_peregovory.html": ("ru", "Делегации Северной республики и Южного союза", "Поделиться"),
    "ar_wasata.html": ("ar", "اتفق وزيرا خارجية البلدين الجارين", "جميع الحقوق محفوظة"),
}
ENGLISH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Envoys meet in Geneva</title>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Envoys meet in Geneva</h1>
<p>The foreign ministers of Valdoria and Montania met in Geneva on Tuesday for their first talks since relations
were broken off last year, officials said.</p>
<p>Both delegations agreed to reopen their consulates by the end of the summer and to set up a joint border
commission, according to a statement released after the meeting.</p>
<p>Swiss mediators, who have supported the process since January, said a further round would be held next
month.</p></article><footer>Copyright 2024 The Lake Courier. All rights reserved.</footer></body></html>
"""


def _document(path: Path, *, as_dump: bool = False) -> Document:
    content = path.read_text(encoding="utf-8")
    if as_dump:  # the page saved as text: every visible block on its own line, menus and footers included
        content = "\n".join(visible_lines(parse_html(content)))
    return Document.from_bytes(content.encode("utf-8"), doc_id=path.name, kind="file")


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("as_dump", [False, True])
def test_extract_returns_the_body_and_the_language(name: str, as_dump: bool) -> None:
    code, opening, boilerplate = EXPECTED[name]
    article = extract_document(_document(PAGES / name, as_dump=as_dump))
    assert isinstance(article, Article), article
    assert article.language == code
    assert article.language_confidence is not None and article.language_confidence >= 0.8
    assert article.text.splitlines()[0].split("—")[-1].strip().startswith(opening)
    assert len(article.text.splitlines()) == 4
    assert boilerplate not in article.text
    assert coding_skip(article) == ("not_english", coding_skip(article)[1])  # type: ignore[index]


def test_extract_command_prints_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(PAGES), "--jsonl"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    articles = {Path(a["doc_id"]).name: a for a in map(json.loads, captured.out.splitlines())}
    assert {name: a["language"] for name, a in articles.items()} == {n: e[0] for n, e in EXPECTED.items()}
    assert all(a["language_confidence"] >= 0.8 for a in articles.values())
    assert captured.err.strip() == "3 documents, 3 articles extracted, 0 rejected"


def test_english_articles_are_coded_and_others_skipped_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []

    def parse_articles(articles: Any, *, batch_size: int = 32) -> list[object]:
        texts = [a.text for a in articles]
        parsed.extend(texts)
        return [object() for _ in texts]

    monkeypatch.setattr("detente.coding.parse_articles", parse_articles)
    monkeypatch.setattr("detente.coding.code_article", lambda article, doc: [])
    english = Article(id="e", doc_id="en", document_id="d1", text="Envoys met in Geneva.", language="en")
    french = Article(id="f", doc_id="fr", document_id="d2", text="Les ministres se sont retrouvés.", language="fr",
                     language_confidence=0.99)
    unmeasured = Article(id="u", doc_id="?", document_id="d3", text="Envoys met again.")
    out = list(code_articles([french, english, unmeasured]))
    assert [a.doc_id for a, _ in out] == ["fr", "en", "?"]
    assert parsed == ["Envoys met in Geneva.", "Envoys met again."]
    reason, detail = coding_skip(french)  # type: ignore[misc]
    assert reason == "not_english" and "French (fr, confidence 0.99)" in detail
    assert coding_skip(english) is None and coding_skip(unmeasured) is None


@pytest.fixture
def fake_coder(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The coder without spaCy: English articles are 'coded' (no events), and recorded."""
    coded: list[str] = []

    def code_articles(articles: Any, *, batch_size: int = 32) -> Any:
        for article in articles:
            if coding_skip(article) is None:
                coded.append(article.doc_id)
            yield article, []

    monkeypatch.setattr("detente.pipeline.stages.code_articles", code_articles)
    return coded


def _code(capsys: pytest.CaptureFixture[str], *sources: str) -> tuple[int, list[str]]:
    code = main(["code", *sources, "--jsonl"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err.splitlines()


def test_code_skips_other_languages_and_exits_0_when_an_english_page_was_coded(
        fake_coder: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(PAGES, tmp_path / "pages")
    (tmp_path / "pages" / "en_talks.html").write_text(ENGLISH_PAGE, encoding="utf-8")
    code, err = _code(capsys, str(tmp_path / "pages"))
    assert code == 0
    assert [Path(p).name for p in fake_coder] == ["en_talks.html"]
    skipped = [line for line in err if line.startswith("skipped: ")]
    assert len(skipped) == 3 and all(": not_english (the article reads as " in line for line in skipped)
    assert any("Russian (ru" in line for line in skipped) and any("Arabic (ar" in line for line in skipped)
    assert err[-1] == "4 documents, 1 coded, 3 skipped (not_english: 3), 0 rejected"


def test_code_exits_2_when_no_page_was_english(fake_coder: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _code(capsys, str(PAGES))
    assert code == 2 and fake_coder == []
    assert sum(line.startswith("skipped: ") for line in err) == 3
    assert "3 documents, 0 coded, 3 skipped (not_english: 3), 0 rejected" in err
    assert err[-1].startswith("error: no document could be coded - ")


def test_ingest_stores_other_languages_without_events(fake_coder: list[str], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "store.duckdb"
    assert main(["ingest", str(PAGES), "--db", str(db), "--json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["new"] == 3 and summary["rejected"] == 0
    assert summary["skipped"] == 3 and summary["skipped_by_reason"] == {"not_english": 3}
    assert sum(line.startswith("skipped: ") and "stored without events" in line
               for line in captured.err.splitlines()) == 3
    from detente.store import open_store

    with open_store(str(db), read_only=True) as store:
        rows = store.query("SELECT language, text FROM articles ORDER BY language")
        events = store.scalar("SELECT count(*) FROM events")
    assert [r["language"] for r in rows] == ["ar", "fr", "ru"] and events == 0
    assert rows[1]["text"].startswith("GENÈVE — Les ministres")
    # stored once: a second run finds every document already there
    assert main(["ingest", str(PAGES), "--db", str(db), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["duplicates"] == 3 and again["new"] == 0


@pytest.mark.slow
def test_real_cli_codes_english_and_skips_the_rest(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(PAGES, pages)
    detente = str(ROOT / ".venv" / "bin" / "detente")
    run = subprocess.run([detente, "code", str(pages), "--jsonl"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("skipped: ") == 3 and "Traceback" not in run.stderr
    (pages / "en_talks.html").write_text(ENGLISH_PAGE, encoding="utf-8")
    run = subprocess.run([detente, "code", str(pages), "--jsonl"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "4 documents, 1 coded, 3 skipped (not_english: 3), 0 rejected" in run.stderr
    assert all(json.loads(line)["doc_id"].endswith("en_talks.html") for line in run.stdout.splitlines())


EXTRACT_ONLY = "tests.extract_only.v1"


@register_coder(EXTRACT_ONLY)
def code_without_parsing(docs: Any, *, batch_size: int = 32, published: Any = None) -> Any:
    """A coder for batch and watch tests: the real extraction, no spaCy, no events."""
    items = (d if not isinstance(d, str | bytes | dict) else as_document(d) for d in docs)
    for item in extract_documents(items):
        yield item, []


def test_batch_counts_other_languages_as_skipped(tmp_path: Path) -> None:
    from detente.batch import run_batch

    pages = tmp_path / "pages"
    shutil.copytree(PAGES, pages)
    (pages / "en_talks.html").write_text(ENGLISH_PAGE, encoding="utf-8")
    summary = run_batch([str(pages)], tmp_path / "out", shard_size=2, coder=EXTRACT_ONLY)
    assert (summary.documents, summary.articles, summary.rejected_total) == (4, 4, 0)
    assert summary.skipped == {"not_english": 3}
    assert summary.to_dict()["skipped_by_reason"] == {"not_english": 3}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"]["skipped_by_reason"] == {"not_english": 3}


def test_watch_stores_other_languages_as_skipped() -> None:
    from detente.ingest import SafeFetcher
    from detente.store import open_store
    from detente.watch import PoliteFetcher, WatchOptions, run_cycle
    from tests.watch.support import Entry, rss, serve_site

    with serve_site() as site:
        entries = [Entry(guid=name, link=site.add(f"/{name}", (PAGES / name).read_text(encoding="utf-8"),
                                                  content_type="text/html; charset=utf-8"), title=name)
                   for name in EXPECTED]
        entries.append(Entry(guid="en", link=site.add("/en", ENGLISH_PAGE, content_type="text/html"), title="en"))
        feed = site.add("/feed.xml", rss(entries), content_type="application/rss+xml")
        fetcher = PoliteFetcher(SafeFetcher(allow_private=True, fetch_timeout=3.0, connect_timeout=1.0), min_delay=0)
        with open_store(":memory:") as store:
            report = run_cycle(store, [feed], fetcher=fetcher, coder=EXTRACT_ONLY,
                               options=WatchOptions(host_delay=0.0, batch_size=2))
            languages = sorted(r["language"] for r in store.query("SELECT language FROM articles"))
    assert report.items_stored == 4 and report.items_skipped == 3
    assert report.feeds[0].skipped == {"not_english": 3}
    assert languages == ["ar", "en", "fr", "ru"]
