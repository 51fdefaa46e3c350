"""Reproduction 3 of issue 15: ``Content-Encoding: gzip, gzip`` past ``max_bytes``.

httpx decoded a whole network chunk through both layers before the body counter saw it, so
a few kilobytes became gigabytes in memory before ``too_large`` (URL fetch, ``watch`` and URLs
posted to the API alike). Now each layer is decoded 64 kB at a time and the body is refused
once ``max_bytes`` decoded bytes have been counted.
"""

from __future__ import annotations

import gzip
import json
import textwrap
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.errors import DocumentRejected, FetchError
from detente.ingest import SafeFetcher
from detente.ingest.decoding import PIECE, decoded_pieces
from tests.hostile.support import BASE_MB, Answer, good_page, local_server, run_measured, run_python_measured

ZEROS_MB = 256  # what the body expands to; the old fetcher held it all (and copies) at once


def _stacked_zeros(megabytes: int) -> bytes:
    inner = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return gzip.compress(b"".join(inner.compress(block) for _ in range(megabytes)) + inner.flush(), 9)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _stacked_zeros(ZEROS_MB)


@pytest.fixture
def site(bomb: bytes) -> Iterator[str]:
    encoded = (("Content-Type", "text/html"), ("Content-Encoding", "gzip, gzip"))
    routes = {"/bomb": Answer(body=bomb, headers=encoded), "/good1": Answer(body=good_page("good-1")),
              "/good2": Answer(body=good_page("good-2")), "/robots.txt": Answer(404, b""),
              "/triple": Answer(body=gzip.compress(gzip.compress(gzip.compress(good_page("good-1")))),
                                headers=(("Content-Encoding", "gzip, gzip, gzip"),)),
              "/quadruple": Answer(body=gzip.compress(gzip.compress(gzip.compress(gzip.compress(b"x")))),
                                   headers=(("Content-Encoding", "gzip,gzip,gzip,gzip"),)),
              "/brotli": Answer(body=b"\x1b\x00", headers=(("Content-Encoding", "br"),))}
    with local_server(routes) as base:
        routes["/feed.xml"] = Answer(body=(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>one</title><link>{base}/good1</link><guid>g1</guid></item>"
            f"<item><title>bomb</title><link>{base}/bomb</link><guid>g2</guid></item>"
            f"<item><title>two</title><link>{base}/good2</link><guid>g3</guid></item>"
            "</channel></rss>").encode(), headers=(("Content-Type", "application/rss+xml"),))
        yield base


def test_each_layer_hands_on_at_most_a_piece(bomb: bytes) -> None:
    sizes = [len(piece) for piece, _ in zip(decoded_pieces([bomb], "gzip, gzip", url="u"), range(100), strict=False)]
    assert len(sizes) == 100 and max(sizes) <= PIECE


def test_the_fetcher_refuses_the_body_at_max_bytes(site: str) -> None:
    with SafeFetcher(allow_private=True, max_bytes=1 << 20) as fetcher:
        with pytest.raises(DocumentRejected) as caught:
            fetcher.fetch(f"{site}/bomb")
        assert caught.value.reason == "too_large"
        assert b"Lithuania" in fetcher.fetch(f"{site}/triple").content  # three honest layers are read
        for path in ("/quadruple", "/brotli"):
            with pytest.raises(FetchError):
                fetcher.fetch(f"{site}{path}")


def test_extract_of_the_url_stays_small(site: str, bomb: bytes, tmp_path: Path) -> None:
    run = run_measured(["extract", f"{site}/good1", f"{site}/bomb", f"{site}/good2", "--allow-private", "--jsonl"],
                       cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 2
    [line] = [line for line in run.error_lines if "/bomb" in line]
    assert "too_large" in line
    # the body is refused at max_bytes (10 MB): held once, plus the joined copy
    assert run.peak_mb < BASE_MB + 20, f"{run.peak_mb:.0f} MB for a {len(bomb):,}-byte answer"


def test_a_posted_url_is_refused_with_422_and_the_server_stays_small(site: str, tmp_path: Path) -> None:
    run = run_python_measured(textwrap.dedent(f"""
        import json, warnings
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
        from detente.ingest import SafeFetcher
        from detente.store import open_store
        from detente.web import create_app
        from tests.store_support import CODER
        store = open_store(":memory:")
        app = create_app(store, token="t", coder=CODER,
                         fetcher_factory=lambda: SafeFetcher(allow_private=True))
        with TestClient(app) as http:
            answer = http.post("/api/v1/documents", json={{"url": "{site}/bomb"}},
                               headers={{"Authorization": "Bearer t"}})
        print(json.dumps({{"status": answer.status_code, "body": answer.json()}}))
        """), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["status"] == 422 and answer["body"]["reason"] == "too_large"
    assert run.peak_mb < BASE_MB + 20
