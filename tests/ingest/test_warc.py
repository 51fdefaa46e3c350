"""Web archives: HTML pages come out as Documents; every other, damaged or cut record is counted with a reason.

``write_warc`` builds archives with warcio itself (the batch tests use it too).
"""

from __future__ import annotations

import functools
import gzip
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.extract import extract_document
from detente.ingest import is_multi_document, iter_documents, rejection_line
from detente.ingest.warc import documents_from_warc, is_warc
from detente.model import Document, Rejected


@dataclass(frozen=True)
class Rec:
    """One record to archive: a response (the default), or another WARC record type."""

    uri: str
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: str = "200 OK"
    kind: str = "response"
    warc_headers: dict[str, str] = field(default_factory=dict)


def story(i: int, words: str = "the ministers met in Vienna and agreed to continue the talks next week") -> bytes:
    paragraphs = "".join(f"<p>Paragraph {k} of story {i}: {words}, officials said on day {i}.</p>" for k in range(4))
    return (f"<!doctype html><html><head><title>Story number {i}</title></head><body><nav>Home | World</nav>"
            f"<article><h1>Story number {i}</h1>{paragraphs}</article><footer>Contact us</footer></body></html>"
            ).encode()


def warc_bytes(records: Sequence[Rec], *, gzip_records: bool = True, name: str = "test.warc"
               ) -> tuple[bytes, list[int]]:
    """``records`` (after a warcinfo record) as an archive, and each record's start offset plus the end."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    writer.write_record(writer.create_warcinfo_record(name, {"software": "detente tests"}))
    offsets = []
    for rec in records:
        offsets.append(buffer.tell())
        if rec.kind == "response":
            headers = [("Content-Type", rec.content_type)] if rec.content_type else []
            http = StatusAndHeaders(rec.status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(rec.uri, "response", payload=BytesIO(rec.body), http_headers=http,
                                               warc_headers_dict=rec.warc_headers)
        else:
            record = writer.create_warc_record(rec.uri, rec.kind, payload=BytesIO(rec.body),
                                               warc_content_type=rec.content_type or "",
                                               warc_headers_dict=rec.warc_headers)
        writer.write_record(record)
    offsets.append(buffer.tell())
    return buffer.getvalue(), offsets


def write_warc(path: Path, records: Sequence[Rec], *, gzip_records: bool = True) -> list[int]:
    """Write ``records`` to ``path`` (see ``warc_bytes``); returns the record offsets."""
    data, offsets = warc_bytes(records, gzip_records=gzip_records, name=path.name)
    path.write_bytes(data)
    return offsets


def mixed_records() -> list[Rec]:
    """Three stories, and records of every kind that is not a usable page."""
    latin = story(7, "the minister met in Kraków and São Paulo; both sides’ délégués agreed").decode()
    return [
        Rec("https://news.example/world/1", story(1)),
        Rec("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(200)), "image/png"),
        Rec("https://news.example/world/1", b"GET /world/1 HTTP/1.1\r\nHost: news.example\r\n\r\n",
            "application/http; msgtype=request", kind="request"),
        Rec("https://news.example/world/2", story(2), "application/xhtml+xml"),
        Rec("https://news.example/report.pdf", b"%PDF-1.4 not a page", "application/pdf"),
        Rec("https://news.example/api", b'{"a": 1}', "application/json"),
        Rec("https://news.example/gone", b"<html><body>Not here</body></html>", "text/html", "404 Not Found"),
        Rec("https://news.example/world/1", b"", kind="revisit", content_type=None,
            warc_headers={"WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"}),
        Rec("https://news.example/big", story(8), warc_headers={"WARC-Truncated": "length"}),
        # declared UTF-8, written in windows-1252: the extractor must refuse to guess
        Rec("https://news.example/latin", latin.encode("cp1252")),
        Rec("https://news.example/world/3", story(3), None),  # no Content-Type: the payload decides
    ]


def _read(path: Path, **kwargs: object) -> list[Document | Rejected]:
    return list(documents_from_warc(path, **kwargs))  # type: ignore[arg-type]


def test_html_responses_become_documents_and_the_rest_is_counted_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, mixed_records())
    items = _read(path)
    docs = [d for d in items if isinstance(d, Document)]
    assert [d.url for d in docs] == ["https://news.example/world/1", "https://news.example/world/2",
                                     "https://news.example/latin", "https://news.example/world/3"]
    first = docs[0]
    assert first.kind == "warc" and first.media_type == "html" and first.content == story(1)
    assert first.doc_id.startswith("urn:uuid:") and first.fetched_at and first.published is None
    assert first.encoding == "utf-8" and docs[1].encoding is None
    reasons = Counter(r.reason for r in items if isinstance(r, Rejected))
    assert reasons == {"not_html": 3, "http_404": 1, "duplicate": 1, "truncated": 1}
    assert all(r.stage == "ingest" and r.detail for r in items if isinstance(r, Rejected))
    # the wrongly declared encoding is the extractor's to refuse, with its own reason
    outcomes = [extract_document(d) for d in docs]
    assert [getattr(o, "reason", "article") for o in outcomes] == ["article", "article", "bad_encoding", "article"]
    lines = [rejection_line(r) for r in items if isinstance(r, Rejected)]
    assert any("only the HTML pages of a web archive" in line for line in lines)


def test_plain_whole_file_gzip_and_directories_read_alike(tmp_path: Path) -> None:
    records = mixed_records()
    plain = tmp_path / "a.warc"
    write_warc(plain, records, gzip_records=False)
    whole = tmp_path / "b.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))  # gzipped as one member, not per record

    def summary(items: Sequence[Document | Rejected]) -> list[tuple[str, str]]:
        return [(d.url or "", "doc") if isinstance(d, Document) else (d.reason, "rejected") for d in items]

    assert summary(_read(plain)) == summary(_read(whole)) == summary(_read(tmp_path / "b.warc.gz"))
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "x.warc").write_bytes(plain.read_bytes())
    through_iter = list(iter_documents([str(folder)]))
    assert summary(through_iter) == summary(_read(plain))
    assert is_warc("CC-MAIN-1.warc.gz") and is_warc("x.WARC") and not is_warc("x.warc.txt")
    assert is_multi_document([str(plain)])


def test_cut_archive_keeps_what_is_whole_and_reports_the_cut(tmp_path: Path) -> None:
    for gzip_records in (True, False):
        path = tmp_path / f"cut{gzip_records}.warc"
        offsets = write_warc(path, [Rec(f"https://n.example/{i}", story(i)) for i in range(4)],
                             gzip_records=gzip_records)
        data = path.read_bytes()
        path.write_bytes(data[: offsets[3] + (offsets[4] - offsets[3]) // 2])
        items = _read(path)
        assert [d.url for d in items if isinstance(d, Document)] == [f"https://n.example/{i}" for i in range(3)]
        assert [r.reason for r in items if isinstance(r, Rejected)] == ["truncated"]


def test_damage_in_the_middle_is_skipped_and_reading_resumes(tmp_path: Path) -> None:
    for gzip_records in (True, False):
        path = tmp_path / f"junk{gzip_records}.warc"
        offsets = write_warc(path, [Rec(f"https://n.example/{i}", story(i)) for i in range(4)],
                             gzip_records=gzip_records)
        data = path.read_bytes()
        # garbage between records 1 and 2, and record 3's bytes overwritten in its middle
        middle = (offsets[3] + offsets[4]) // 2
        damaged = data[: offsets[2]] + b"this is not a record\r\n" * 3 + data[offsets[2]: middle] \
            + b"\x00" * 40 + data[middle + 40:]
        path.write_bytes(damaged)
        items = _read(path)
        assert [d.url for d in items if isinstance(d, Document)] == [f"https://n.example/{i}" for i in range(3)]
        assert [r.reason for r in items if isinstance(r, Rejected)] == ["broken_record", "broken_record"]


def test_too_large_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    write_warc(path, [Rec("https://n.example/big", story(1) * 20), Rec("https://n.example/small", story(2))])
    items = _read(path, max_bytes=len(story(1)) * 2)
    assert [getattr(i, "reason", "doc") for i in items] == ["too_large", "doc"]
    assert [getattr(i, "reason", "doc") for i in _read(tmp_path / "nope.warc")] == ["not_found"]


@functools.cache
def _fuzz_base(gzip_records: bool) -> bytes:
    # Built once: record ids and dates are random, and hypothesis needs the same bytes every time.
    return warc_bytes([Rec(f"https://n.example/{i}", story(i)) for i in range(3)], gzip_records=gzip_records)[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), gzip_records=st.booleans())
def test_any_damage_never_raises_and_never_invents_a_page(tmp_path: Path, data: st.DataObject,
                                                          gzip_records: bool) -> None:
    pages = {story(i) for i in range(3)}
    path = tmp_path / f"fuzz{gzip_records}.warc"
    blob = bytearray(_fuzz_base(gzip_records))
    edits = data.draw(st.lists(st.tuples(st.integers(0, len(blob) - 1), st.binary(min_size=1, max_size=12)),
                               max_size=3))
    for at, junk in edits:
        blob[at:at + len(junk)] = junk
    cut = data.draw(st.integers(0, len(blob)))
    path.write_bytes(bytes(blob[:cut]))
    items = _read(path)
    assert all(d.content in pages for d in items if isinstance(d, Document))
    assert all(r.reason in {"truncated", "broken_record", "not_html", "duplicate"} or r.reason.startswith("http_")
               for r in items if isinstance(r, Rejected))
