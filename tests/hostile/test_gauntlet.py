"""Every hostile input at once, generated here, run through each command that reads it.

A folder of good pages mixed with a deeply nested JSON line, gzip bombs (a page, a corpus and a
web archive that expand to 32 MB each), a symlink loop, a file named with terminal escapes,
an empty page and HTML nested 100,000 deep; feeds with external entities, billion laughs, a
redirect nowhere and a stacked-gzip page; and URLs in the address forms an SSRF attempt uses.
Each command must finish, keep every good document, report each bad one once with its reason,
and stay under a memory bound that grows with the hostile bytes.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.store import open_store
from tests.hostile.support import (
    BASE_MB,
    BASE_SPACY_MB,
    GOOD_TEXTS,
    Answer,
    bound_mb,
    good_page,
    local_server,
    run_measured,
)
from tests.ingest.test_warc import Rec, story, warc_bytes

BOMB_MB = 32
EVIL_NAME = "evil\x1b[31mred\x07\u202etxt.txt"


def _zeros_gzip(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join(packer.compress(bytes(1 << 20)) for _ in range(megabytes)) + packer.flush()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gauntlet") / "inbox"
    root.mkdir()
    (root / "good-1.txt").write_text(GOOD_TEXTS["good-1"])
    (root / "good-2.html").write_bytes(good_page("good-2"))
    (root / "nested.jsonl").write_text("\n".join([
        json.dumps({"id": "good-3", "text": GOOD_TEXTS["good-1"].replace("Tuesday", "Wednesday")}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "good-4", "text": GOOD_TEXTS["good-2"].replace("Friday", "Monday")})]) + "\n")
    bomb = _zeros_gzip(BOMB_MB)
    (root / "bomb.html.gz").write_bytes(bomb)
    (root / "bomb.jsonl.gz").write_bytes(bomb)  # one line of 32 MB, no newline
    (root / "zeros.warc.gz").write_bytes(bomb)
    archive, _ = warc_bytes([Rec("https://news.example/w1", story(1))])
    second, _ = warc_bytes([Rec("https://news.example/w2", story(2))])
    (root / "pages.warc.gz").write_bytes(archive + bomb + second)  # a record whose first line never ends
    headers = gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" + b"X-Padding: a\r\n" * (1 << 20), 1)
    third, _ = warc_bytes([Rec("https://news.example/w3", story(3))])
    (root / "headers.warc.gz").write_bytes(headers + third)  # 16 MB of header lines, then a good record
    (root / "self.txt").symlink_to("self.txt")  # a symlink loop
    (root / "loop").symlink_to(".", target_is_directory=True)  # a directory loop: not followed
    (root / EVIL_NAME).write_text(GOOD_TEXTS["good-2"].replace("Friday", "Sunday"))
    (root / "empty.txt").write_text("")
    (root / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "<p>A line.</p>" + "</div>" * 100_000)
    return root


def _hostile_bytes(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.iterdir() if not p.name.startswith("good"))


GOOD_IDS = {"inbox/good-1.txt", "inbox/good-2.html", "good-3", "good-4", f"inbox/{EVIL_NAME}"}
GOOD_URLS = {"https://news.example/w1", "https://news.example/w2", "https://news.example/w3"}
# each bad input once, with its reason (the extractor says "empty" where the fake coder, which extracts
# nothing, says "too_short"; deep.html may be read or refused, once either way)
EXPECTED = {"nested.jsonl:2": ("bad_record",), "bomb.html.gz": ("too_large",), "bomb.jsonl.gz:1": ("too_large",),
            "zeros.warc.gz@0": ("broken_record",), "pages.warc.gz@": ("broken_record",),
            "headers.warc.gz@": ("broken_record",), "self.txt": ("unreadable",), "empty.txt": ("empty", "too_short")}


def _check_reports(lines: list[str]) -> None:
    for where, reasons in EXPECTED.items():
        found = [line for line in lines if where in line]
        assert len(found) == 1 and any(f": {reason} (" in found[0] for reason in reasons), (where, lines)
    assert len([line for line in lines if "deep.html" in line]) <= 1
    assert not any("\x1b" in line or "\x07" in line or "\u202e" in line for line in lines)


@pytest.mark.slow
def test_extract(inbox: Path) -> None:
    run = run_measured(["extract", "inbox", "--jsonl"], cwd=inbox.parent, timeout=120)
    assert run.returncode == 0, run.stderr
    articles = [json.loads(line) for line in run.stdout.splitlines()]
    ids = [a["doc_id"] for a in articles]
    assert set(ids) >= GOOD_IDS and len(ids) == len(set(ids))
    assert {a["url"] for a in articles} >= GOOD_URLS
    _check_reports(run.error_lines)
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert run.peak_mb < bound_mb(BASE_MB, _hostile_bytes(inbox)), f"{run.peak_mb:.0f} MB"


@pytest.mark.slow
def test_ingest(inbox: Path, tmp_path: Path) -> None:
    run = run_measured(["ingest", str(inbox.parent / "inbox"), "--db", str(tmp_path / "g.duckdb"), "--json"],
                       cwd=inbox.parent, timeout=120, fake_coder=True)
    assert run.returncode == 0, run.stderr
    _check_reports(run.error_lines)
    with open_store(tmp_path / "g.duckdb", read_only=True) as store:
        rows = store.query("SELECT doc_id, url FROM documents WHERE outcome = 'article'")
    assert {r["doc_id"] for r in rows} >= GOOD_IDS and {r["url"] for r in rows} >= GOOD_URLS
    assert run.peak_mb < bound_mb(BASE_MB, _hostile_bytes(inbox)), f"{run.peak_mb:.0f} MB"


def test_batch(inbox: Path, tmp_path: Path) -> None:
    run = run_measured(["batch", str(inbox.parent / "inbox"), "--out", str(tmp_path / "shards"), "--json"],
                       cwd=inbox.parent, timeout=120, fake_coder=True)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["articles"] >= len(GOOD_IDS) + len(GOOD_URLS)
    by_reason = summary["rejected_by_reason"]
    assert by_reason.pop("too_short", 0) + by_reason.pop("empty", 0) >= 1
    assert by_reason == {"bad_record": 1, "too_large": 2, "broken_record": 3, "unreadable": 1}
    assert run.peak_mb < bound_mb(BASE_MB, _hostile_bytes(inbox)), f"{run.peak_mb:.0f} MB"


@pytest.mark.slow
def test_code(inbox: Path) -> None:
    run = run_measured(["code", "inbox", "--jsonl"], cwd=inbox.parent, timeout=300)
    assert run.returncode == 0, run.stderr
    coded = {json.loads(line)["doc_id"] for line in run.stdout.splitlines()}
    assert {"inbox/good-1.txt", "inbox/good-2.html", "good-3", "good-4"} <= coded
    _check_reports(run.error_lines)
    assert run.peak_mb < bound_mb(BASE_SPACY_MB, _hostile_bytes(inbox)), f"{run.peak_mb:.0f} MB"


# ---- URLs: SSRF address forms, and feeds -----------------------------------------------------------

SSRF_FORMS = ["http://127.0.0.1:{port}/good1", "http://localhost:{port}/good1", "http://[::1]:{port}/",
              "http://2130706433:{port}/", "http://0x7f000001:{port}/", "http://017700000001:{port}/",
              "http://127.1:{port}/", "http://0.0.0.0:{port}/", "http://169.254.169.254/latest/meta-data/",
              "http://[::ffff:127.0.0.1]:{port}/", "http://[::ffff:7f00:1]:{port}/", "http://10.0.0.1/",
              "http://192.168.1.1/", "http://172.16.0.1/", "http://100.64.0.1/", "http://224.0.0.1/",
              "http://[fe80::1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[fc00::1]/",
              "http://user:pw@127.0.0.1:{port}/", "http://127.0.0.1.:{port}/"]

XXE_FEED = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t &xxe;</title>
<item><title>leak &xxe;</title><description>&xxe;</description><guid>x1</guid></item></channel></rss>"""
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
          + ']><rss version="2.0"><channel><title>&lol9;</title>'
          + "<item><title>&lol9;</title><guid>l1</guid></item></channel></rss>").encode()


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    stacked = gzip.compress(_zeros_gzip(128), 9)

    def seen(answer: Answer, path: str) -> Answer:
        hits.append(path)
        return answer

    routes: dict[str, Answer] = {
        "/good1": Answer(body=good_page("good-1")), "/good2": Answer(body=good_page("good-2")),
        "/robots.txt": Answer(404, b""), "/nowhere": Answer(302, b"", (("Location", "http://xn--/"),)),
        "/stacked": Answer(body=stacked, headers=(("Content-Encoding", "gzip, gzip"),)),
        "/xxe.xml": Answer(body=XXE_FEED, headers=(("Content-Type", "application/rss+xml"),)),
        "/laughs.xml": Answer(body=LAUGHS, headers=(("Content-Type", "application/rss+xml"),)),
        "/bomb.xml": Answer(body=stacked, headers=(("Content-Type", "application/rss+xml"),
                                                   ("Content-Encoding", "gzip, gzip"))),
    }
    served = {path: (lambda a=answer, p=path: seen(a, p)) for path, answer in routes.items()}
    with local_server(served) as base:  # type: ignore[arg-type]
        news = ('<?xml version="1.0"?><rss version="2.0"><channel><title>news</title>'
                + "".join(f"<item><title>{p}</title><link>{base}{p}</link><guid>{p}</guid></item>"
                          for p in ("/good1", "/nowhere", "/stacked", "/good2"))
                + "</channel></rss>").encode()
        served["/news.xml"] = lambda: Answer(body=news, headers=(("Content-Type", "application/rss+xml"),))
        yield base, hits


def test_no_ssrf_form_is_fetched(site: tuple[str, list[str]], tmp_path: Path) -> None:
    base, hits = site
    port = base.rsplit(":", 1)[1]
    (tmp_path / "page.txt").write_text(GOOD_TEXTS["good-1"])
    urls = [form.format(port=port) for form in SSRF_FORMS]
    before = len(hits)
    run = run_measured(["extract", "page.txt", *urls, "--jsonl"], cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 1  # the file; no URL
    refused = [line for line in run.error_lines if "unsafe_url" in line]
    assert len(refused) == len(urls), run.stderr
    assert len(hits) == before  # not one request reached the server


@pytest.mark.slow
def test_watch_stores_the_good_items_past_every_hostile_feed(site: tuple[str, list[str]], tmp_path: Path) -> None:
    base, _ = site
    (tmp_path / "feeds.txt").write_text("\n".join(f"{base}{p}" for p in
                                                  ("/xxe.xml", "/laughs.xml", "/bomb.xml", "/news.xml")) + "\n")
    run = run_measured(["watch", "feeds.txt", "--once", "--db", "w.duckdb", "--allow-private", "--host-delay", "0",
                        "--json"], cwd=tmp_path, timeout=120, fake_coder=True)
    report = json.loads(run.stdout)
    feeds = {f["url"].rsplit("/", 1)[1]: f for f in report["feeds"]}
    assert feeds["news.xml"]["stored"] == {"new": 2}
    assert feeds["news.xml"]["retry_later"] == 1 and feeds["news.xml"]["gave_up"] == 1  # nowhere; stacked
    assert feeds["bomb.xml"]["status"] == "failed" and feeds["bomb.xml"]["reason"] == "too_large"
    with open_store(tmp_path / "w.duckdb", read_only=True) as store:
        dump = json.dumps(store.query("SELECT * FROM watch_items"), default=str)
        dump += json.dumps(store.query("SELECT * FROM watch_feeds"), default=str)
    assert "root:" not in dump  # the external entity was never read
    assert "lollollol" not in dump  # nor the laughs expanded
    assert run.peak_mb < BASE_MB + 20, f"{run.peak_mb:.0f} MB"
