"""Sources -> Documents: files, directories, JSONL corpora (plain and gzipped), stdin, URLs."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente import ingest
from detente.errors import DocumentRejected, FetchError, UnsafeURL
from detente.ingest import InMemoryFetcher, documents_from_jsonl, iter_documents
from detente.ingest import files as files_module
from detente.model import Document, Rejected, sha256_hex


def _docs(items: list[Document | Rejected]) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def _rejected(items: list[Document | Rejected]) -> list[Rejected]:
    return [r for r in items if isinstance(r, Rejected)]


# ---- single files -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "media"), [("a.html", "html"), ("b.HTM", "html"), ("c.txt", "text"),
                                             ("d.md", "text")])
def test_a_file_is_one_document_with_its_media_type(tmp_path: Path, name: str, media: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Some words.\n")
    [doc] = list(iter_documents([str(path)]))
    assert isinstance(doc, Document)
    assert doc.doc_id == name  # an absolute path is named by its file name: no local layout is stored
    assert doc.kind == "file"
    assert doc.media_type == media
    assert doc.content == b"Some words.\n"
    assert doc.id == sha256_hex(b"Some words.\n")
    assert doc.uri == path.absolute().as_uri()


def test_encoding_hint_is_passed_on(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\u00e9 society.".encode("cp1252"))
    [doc] = list(iter_documents([str(path)], encoding="cp1252"))
    assert isinstance(doc, Document) and doc.encoding == "cp1252"


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.html")
    [rej] = list(iter_documents([missing]))
    assert isinstance(rej, Rejected)
    assert (rej.reason, rej.stage, rej.doc_id) == ("not_found", "ingest", missing)
    assert "no such file" in rej.detail


def test_explicit_file_of_another_type_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    [rej] = list(iter_documents([str(path)]))
    assert isinstance(rej, Rejected) and rej.reason == "unsupported"
    assert rej.detail == "not a file type detente reads: report.pdf"


def test_file_over_max_bytes_is_refused_by_its_size_without_being_opened(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.html"
    with open(path, "wb") as f:  # sparse: 50 MB by its size, nothing written
        f.truncate(50 * 1024 * 1024)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("a too-large file was opened")

    monkeypatch.setattr(files_module, "open", no_open, raising=False)
    [rej] = list(iter_documents([str(path)]))
    assert isinstance(rej, Rejected) and rej.reason == "too_large"
    assert "50 MB" in rej.detail and "10 MB" in rej.detail


def test_max_bytes_setting_and_keyword(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert isinstance(next(iter_documents([str(path)], max_bytes=100)), Document)
    assert next(iter_documents([str(path)], max_bytes=99)).reason == "too_large"  # type: ignore[union-attr]
    monkeypatch.setenv("DETENTE_MAX_BYTES", "50")
    assert next(iter_documents([str(path)])).reason == "too_large"  # type: ignore[union-attr]


def test_a_source_that_never_ends_is_cut_at_max_bytes(tmp_path: Path) -> None:
    # /dev/zero reports size 0 and never ends: only a bounded read survives it
    link = tmp_path / "zeros.txt"
    link.symlink_to("/dev/zero")
    [rej] = list(iter_documents([str(link)], max_bytes=1 << 20))
    assert isinstance(rej, Rejected) and rej.reason == "too_large"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.html"
    path.write_text("<p>hi</p>")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # the tests may run as root, where chmod 000 does not stop a read
    monkeypatch.setattr(files_module, "open", denied, raising=False)
    [rej] = list(iter_documents([str(path)]))
    assert isinstance(rej, Rejected) and rej.reason == "unreadable"
    assert "Permission denied" in rej.detail


# ---- directories --------------------------------------------------------------------------------


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"text of {name}\n")


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden_and_other_types(tmp_path: Path) -> None:
    _tree(tmp_path, ["b.txt", "a.html", "a-z.md", "a/x.txt", "a/b/y.htm", "z/photo.jpg", "style.css",
                     ".hidden.txt", ".git/HEAD.txt", "a/.cache/c.txt", "B.txt"])
    got = [d.doc_id for d in iter_documents([str(tmp_path)])]
    expected = [str(p.relative_to(tmp_path.parent)) for p in sorted(tmp_path.rglob("*"))
                if p.is_file() and p.suffix in (".txt", ".html", ".md", ".htm")
                and not any(part.startswith(".") for part in p.relative_to(tmp_path).parts)]
    assert got == expected  # named from the directory given on, never by an absolute path
    assert [Path(g).relative_to(tmp_path.name).as_posix() for g in got] == [
        "B.txt", "a/b/y.htm", "a/x.txt", "a-z.md", "a.html", "b.txt"]


def test_folder_notes_are_skipped_in_directories_but_read_when_named(tmp_path: Path) -> None:
    _tree(tmp_path, ["README.md", "LICENSE.txt", "readme.txt", "CHANGELOG.md", "story.txt", "readers.txt"])
    assert [Path(d.doc_id).name for d in iter_documents([str(tmp_path)])] == ["readers.txt", "story.txt"]
    [note] = list(iter_documents([str(tmp_path / "README.md")]))
    assert isinstance(note, Document)


def test_directory_doc_ids_keep_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["pages/one.txt"])
    monkeypatch.chdir(tmp_path)
    assert [d.doc_id for d in iter_documents(["pages/"])] == ["pages/one.txt"]
    assert [d.doc_id for d in iter_documents(["pages"])] == [os.path.join("pages", "one.txt")]


def test_doc_ids_never_hold_an_absolute_or_climbing_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["home/ana/news/2024/a.txt", "home/ana/news/b.jsonl", "work/here.txt"])
    (tmp_path / "home/ana/news/b.jsonl").write_text(json.dumps({"text": "no id"}) + "\n")
    monkeypatch.chdir(tmp_path / "work")
    news = tmp_path / "home/ana/news"
    assert [d.doc_id for d in iter_documents([str(news)])] == ["news/2024/a.txt", "news/b.jsonl:1"]
    assert [d.doc_id for d in iter_documents(["../home/ana/news/2024/a.txt", str(news / "b.jsonl")])] == [
        "a.txt", "b.jsonl:1"]
    assert [d.doc_id for d in iter_documents(["../home/ana/news"])] == ["news/2024/a.txt", "news/b.jsonl:1"]
    assert [d.doc_id for d in iter_documents(["here.txt", "./here.txt"])] == ["here.txt", "./here.txt"]
    [missing] = list(iter_documents([str(news / "gone.txt")]))
    assert missing.doc_id == str(news / "gone.txt")  # a file never read is reported as the user typed it


def test_directory_reads_corpora_inside_it(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt"])
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "r1", "text": "hello"}) + "\n")
    assert [d.doc_id for d in iter_documents([str(tmp_path)])] == [f"{tmp_path.name}/a.txt", "r1"]


def test_directory_walk_is_lazy(tmp_path: Path) -> None:
    _tree(tmp_path, [f"d{i}/p.txt" for i in range(3)])
    stream = iter_documents([str(tmp_path)])
    first = next(stream)
    # changed after the walk started: a walk that listed everything first would not see this
    (tmp_path / "d2" / "new.txt").write_text("added later")
    (tmp_path / "d2" / "p.txt").unlink()
    rest = list(stream)
    assert isinstance(first, Document)
    assert [Path(r.doc_id).relative_to(tmp_path.name).as_posix() for r in rest] == ["d1/p.txt", "d2/new.txt"]


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    _tree(tmp_path, ["real/a.txt"])
    (tmp_path / "real" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [Path(d.doc_id).name for d in iter_documents([str(tmp_path)])] == ["a.txt"]


def test_empty_directory_yields_nothing(tmp_path: Path) -> None:
    assert list(iter_documents([str(tmp_path)])) == []  # the commands say "no documents found"


def test_gzipped_pages_are_read_decompressed_and_bounded(tmp_path: Path) -> None:
    (tmp_path / "story.html.gz").write_bytes(gzip.compress(b"<html><body><p>Words.</p></body></html>"))
    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(b"Some words.\n"))
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(b"<p>cut</p>" * 50)[:30])
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))  # 5 MB from a few kB
    items = {Path(i.doc_id).name: i for i in iter_documents([str(tmp_path)], max_bytes=1_000_000)}
    story, notes = items["story.html.gz"], items["notes.txt.gz"]
    assert isinstance(story, Document) and story.media_type == "html" and b"Words." in story.content
    assert isinstance(notes, Document) and notes.media_type == "text"
    assert isinstance(items["broken.html.gz"], Rejected) and items["broken.html.gz"].reason == "unreadable"
    assert isinstance(items["bomb.txt.gz"], Rejected) and items["bomb.txt.gz"].reason == "too_large"


# ---- JSONL corpora ------------------------------------------------------------------------------

GOOD = {"id": "a1", "text": "Body one.", "url": "https://news.example/a1", "published": "2024-03-01",
        "title": "One"}


def _write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    _write_jsonl(path, [
        json.dumps(GOOD),
        "{not json",
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a4", "text": 12}),
        json.dumps({"id": "a5", "text": "x", "published": "01/03/2024"}),
        json.dumps({"id": "a6", "text": "x", "published": "2024-02-30"}),
        "",
        json.dumps({"id": "a8", "html": "<p>Body eight.</p>", "published": "2024-03-08T10:00:00Z"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": ["x"], "text": "x"}),
        json.dumps({"id": 11, "raw_text": "Eleven."}),
        json.dumps({"text": "no id"}),
    ])
    items = list(iter_documents([str(path)]))
    docs, bad = _docs(items), _rejected(items)
    assert [d.doc_id for d in docs] == ["a1", "a8", "11", "corpus.jsonl:12"]
    first = docs[0]
    assert (first.kind, first.media_type, first.url, first.title) == ("jsonl", "text", GOOD["url"], "One")
    assert first.published is not None and first.published.isoformat() == "2024-03-01"
    assert first.content == b"Body one." and first.id == sha256_hex(b"Body one.")
    assert docs[1].media_type == "html" and str(docs[1].published) == "2024-03-08"
    assert all(r.reason == "bad_record" and r.stage == "ingest" for r in bad)
    assert [r.detail.split(":")[0] for r in bad] == [f"line {n} of corpus.jsonl" for n in (2, 3, 4, 5, 6, 9, 10)]
    assert "invalid JSON" in bad[0].detail
    assert 'no "text" or "html"' in bad[1].detail and bad[1].doc_id == "a3"
    assert '"text" must be a string' in bad[2].detail
    assert "YYYY-MM-DD" in bad[3].detail
    assert "not a real date" in bad[4].detail
    assert "JSON object" in bad[5].detail and bad[5].doc_id == "corpus.jsonl:9"


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({"id": f"g{i}", "text": f"Text {i}."}) + "\n")
    assert [d.doc_id for d in iter_documents([str(path)])] == ["g0", "g1", "g2"]


def test_damaged_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path: Path) -> None:
    whole = gzip.compress("".join(json.dumps({"id": f"g{i}", "text": "x" * 50}) + "\n"
                                  for i in range(2000)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    items = list(iter_documents([str(path)]))
    assert len(_docs(items)) > 0
    assert items[-1].reason == "unreadable" and "after line" in items[-1].detail  # type: ignore[union-attr]


def test_jsonl_line_over_max_bytes_is_skipped_not_held(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    _write_jsonl(path, [json.dumps({"id": "small", "text": "ok"}),
                        json.dumps({"id": "big", "text": "y" * 5000}),
                        json.dumps({"id": "after", "text": "ok"})])
    items = list(documents_from_jsonl(path, max_bytes=1000))
    assert [getattr(i, "reason", "doc") for i in items] == ["doc", "too_large", "doc"]
    assert items[1].doc_id == "c.jsonl:2"
    assert items[2].doc_id == "after"


def test_jsonl_line_exactly_at_the_limit_is_kept(tmp_path: Path) -> None:
    line = json.dumps({"id": "edge", "text": "z" * 80})
    path = tmp_path / "c.jsonl"
    _write_jsonl(path, [line, json.dumps({"id": "next", "text": "ok"})])
    items = list(documents_from_jsonl(path, max_bytes=len(line)))
    assert [i.doc_id for i in items] == ["edge", "next"] and all(isinstance(i, Document) for i in items)
    items = list(documents_from_jsonl(path, max_bytes=len(line) - 1))
    assert [getattr(i, "reason", "doc") for i in items] == ["too_large", "doc"]


def test_jsonl_bom_and_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": "x"}).encode() + b"\n"
                     + b'{"id": "latin", "text": "caf\xe9"}\n')
    items = list(iter_documents([str(path)]))
    assert isinstance(items[0], Document) and items[0].doc_id == "bom"
    assert isinstance(items[1], Rejected) and "not UTF-8" in items[1].detail


def test_missing_corpus_is_not_found(tmp_path: Path) -> None:
    [rej] = list(iter_documents([str(tmp_path / "gone.jsonl")]))
    assert isinstance(rej, Rejected) and rej.reason == "not_found"


_record = st.fixed_dictionaries(
    {"id": st.text(min_size=1).filter(str.strip), "text": st.text()},
    optional={"title": st.text() | st.none(), "url": st.text() | st.none(),
              "published": st.dates().map(lambda d: d.isoformat()) | st.none()},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(_record, max_size=8))
def test_jsonl_round_trips_records(tmp_path: Path, records: list[dict[str, object]]) -> None:
    path = tmp_path / "prop.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    docs = list(documents_from_jsonl(path))
    assert all(isinstance(d, Document) for d in docs)
    assert [d.doc_id for d in docs] == [str(r["id"]).strip() for r in records]  # type: ignore[union-attr]
    assert [d.content.decode() for d in docs] == [r["text"] for r in records]  # type: ignore[union-attr]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.binary(max_size=200).filter(lambda b: b"\n" not in b), max_size=6))
def test_any_bytes_in_a_corpus_become_documents_or_rejections(tmp_path: Path, lines: list[bytes]) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_bytes(b"\n".join(lines))
    for item in documents_from_jsonl(path):
        assert isinstance(item, Document | Rejected)
        if isinstance(item, Rejected):
            assert item.reason == "bad_record" and item.detail.startswith("line ")


# ---- stdin and mixed sources --------------------------------------------------------------------


def test_stdin_is_one_document() -> None:
    [doc] = list(iter_documents(["-"], stdin=io.BytesIO(b"<p>From a pipe.</p>")))
    assert isinstance(doc, Document)
    assert (doc.doc_id, doc.kind, doc.content) == ("<stdin>", "stdin", b"<p>From a pipe.</p>")


def test_stdin_over_max_bytes() -> None:
    [rej] = list(iter_documents(["-"], stdin=io.BytesIO(b"x" * 101), max_bytes=100))
    assert isinstance(rej, Rejected) and rej.reason == "too_large" and rej.doc_id == "<stdin>"


def test_sources_keep_their_order_and_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("file")
    fetcher = InMemoryFetcher()
    fetcher.add("https://news.example/story", b"<p>web</p>", content_type="text/html; charset=ISO-8859-1")
    items = list(iter_documents([str(tmp_path / "a.txt"), "https://news.example/story", "-"],
                                stdin=io.BytesIO(b"pipe"), fetcher=fetcher))
    assert [(i.kind, i.doc_id) for i in items] == [  # type: ignore[union-attr]
        ("file", "a.txt"), ("url", "https://news.example/story"), ("stdin", "<stdin>")]
    web = items[1]
    assert isinstance(web, Document)
    assert web.url == "https://news.example/story" and web.fetched_at and web.fetched_at.endswith("Z")
    assert web.media_type == "html" and web.encoding == "iso8859-1"
    assert fetcher.requested == ["https://news.example/story"]


def test_url_failures_become_reason_codes() -> None:
    fetcher = InMemoryFetcher()
    fetcher.routes["http://a.example/"] = UnsafeURL("refused to fetch http://a.example/: private")
    fetcher.routes["http://b.example/"] = FetchError("could not connect to b.example")
    fetcher.routes["http://c.example/"] = DocumentRejected("too big", reason="too_large")
    fetcher.add("http://d.example/", b"gone", status=404)
    fetcher.add("http://e.example/", b"plain words", content_type="text/plain")
    items = list(iter_documents([f"http://{h}.example/" for h in "abcde"], fetcher=fetcher))
    assert [getattr(i, "reason", "doc") for i in items] == ["unsafe_url", "fetch_failed", "too_large", "http_404",
                                                           "doc"]
    assert items[3].detail == "http://d.example/ answered HTTP 404"  # type: ignore[union-attr]
    assert items[4].media_type == "text"  # type: ignore[union-attr]


def test_other_url_schemes_are_unsupported_and_never_fetched() -> None:
    fetcher = InMemoryFetcher()
    items = list(iter_documents(["file:///etc/passwd", "ftp://files.example/a.txt"], fetcher=fetcher))
    assert [i.reason for i in items] == ["unsupported", "unsupported"]  # type: ignore[union-attr]
    assert fetcher.requested == []


def test_is_multi_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    assert not ingest.is_multi_document([str(tmp_path / "a.txt")])
    assert not ingest.is_multi_document(["-"])
    assert not ingest.is_multi_document(["https://news.example/"])
    assert not ingest.is_multi_document([str(tmp_path / "missing.html")])
    assert ingest.is_multi_document([str(tmp_path)])
    assert ingest.is_multi_document(["c.jsonl"])
    assert ingest.is_multi_document(["a.txt", "b.txt"])
