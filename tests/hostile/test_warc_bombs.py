"""Reproduction 2 of issue 15: a gzip web archive whose lines never end.

``head -c 1200M /dev/zero | gzip -1 > z.warc.gz`` (5.5 MB) made ``detente extract`` peak at
16 GB for 210 s: warcio read the first "line" to its end (it has none) and the message quoted
it. Header lines are now cut at 64 kB and a record's header block at 1 MB, so such a stretch is
one ``broken_record`` and the records after it are read.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from detente.ingest.warc import MAX_HEADER_LINE, documents_from_warc
from detente.model import Document, Rejected
from tests.hostile.support import BASE_MB, bound_mb, run_measured
from tests.ingest.test_warc import Rec, story, warc_bytes

ZEROS_MB = 200


def _gzip_stream(chunks: int, block: bytes) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join(packer.compress(block) for _ in range(chunks)) + packer.flush()


@pytest.fixture(scope="module")
def zeros(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reproduction at a fifth of its size: 200 MB of zeros, gzipped (about 0.9 MB)."""
    path = tmp_path_factory.mktemp("zeros") / "z.warc.gz"
    path.write_bytes(_gzip_stream(ZEROS_MB, bytes(1 << 20)))
    return path


BOMBS = {
    # a gzip member of 100 MB of zeros: a "header line" that never ends
    "endless_line": lambda: _gzip_stream(100, bytes(1 << 20)),
    # a record whose header block is 16 MB of short lines
    "endless_headers": lambda: gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"
                                             + b"X-Padding: a\r\n" * (1 << 20), 1),
}


@pytest.fixture(scope="module", params=sorted(BOMBS))
def sandwich(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good record, a bomb, a good record (each record its own gzip member, as crawlers write them)."""
    first, _ = warc_bytes([Rec("https://news.example/1", story(1))])
    last, _ = warc_bytes([Rec("https://news.example/2", story(2))])
    path = tmp_path_factory.mktemp(request.param) / "mixed.warc.gz"
    path.write_bytes(first + BOMBS[request.param]() + last)
    return path


def test_the_zeros_are_one_broken_record_with_a_short_reason(zeros: Path) -> None:
    [only] = list(documents_from_warc(zeros))
    assert isinstance(only, Rejected) and only.reason == "broken_record"
    assert f"more than {MAX_HEADER_LINE // 1024} kB" in only.detail and len(only.detail) < 400


def test_the_records_around_the_bombs_are_read(sandwich: Path) -> None:
    items = list(documents_from_warc(sandwich))
    pages = [i.url for i in items if isinstance(i, Document)]
    assert pages == ["https://news.example/1", "https://news.example/2"]
    [bad] = [i for i in items if isinstance(i, Rejected)]
    assert bad.reason == "broken_record" and "(not a WARC record)" in bad.detail


def test_extract_of_the_zeros_is_fast_and_small(zeros: Path) -> None:
    run = run_measured(["extract", zeros.name], cwd=zeros.parent, timeout=60)
    assert run.returncode == 2  # nothing in it is an article: bad input
    assert len(run.error_lines) == 1 and "broken_record" in run.error_lines[0]
    assert len(run.error_lines[0]) < 500  # the line of zeros is not quoted
    assert run.peak_mb < bound_mb(BASE_MB, zeros), f"{run.peak_mb:.0f} MB"


