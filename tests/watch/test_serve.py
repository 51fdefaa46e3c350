"""`detente serve --watch FEEDS`: the watcher runs in a thread of the server, its articles show up in the
API (the server's cached reads are dropped after each cycle that stored something), and it stops
with the server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from detente.cli import main
from detente.store import open_store
from detente.web import create_app
from tests.conftest import EXAMPLES, ROOT
from tests.watch.support import START, Entry, rss, serve_site, story


def test_the_server_watcher_stores_articles_and_the_api_sees_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  fake_coder: str) -> None:
    from detente.cli.watch_cmd import start_serve_watcher

    monkeypatch.setenv("DETENTE_ALLOW_PRIVATE", "1")
    with serve_site() as site, open_store(tmp_path / "s.duckdb") as store:
        entries = [Entry(f"s{n}", site.add(f"/s/{n}", story(n, ("USAGOV", "SANCTION", "RUSGOV", START))), "x")
                   for n in range(2)]  # few: the server's watcher waits its 1 s per host between requests
        listing = tmp_path / "feeds.txt"
        listing.write_text(site.add("/feed.xml", rss(entries), content_type="application/rss+xml") + "\n")
        app = create_app(store)
        client = TestClient(app)
        assert client.get("/api/v1/events").json()["events"] == []  # cached at generation 0
        stored = threading.Event()
        state = app.state.detente

        def drop_cached_pages() -> None:
            with state.writer.lock:
                state.writer.generation += 1
            stored.set()

        handle = start_serve_watcher(store, str(listing), interval=3600, on_stored=drop_cached_pages)
        try:
            assert stored.wait(30), handle.error
            assert len(client.get("/api/v1/events").json()["events"]) == 2
            assert handle.running and handle.reports[0].items_stored == 2
        finally:
            assert handle.stop(timeout=30)
        assert not handle.running and handle.error is None


def test_serve_watch_checks_its_options_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("not a url\n")
    db = tmp_path / "none.duckdb"
    assert main(["serve", "--db", str(db), "--port", "0", "--watch", str(listing)]) == 2
    assert "line 1 of" in capsys.readouterr().err
    listing.write_text("https://news.example/feed\n")
    assert main(["serve", "--db", str(db), "--port", "0", "--watch", str(listing), "--watch-interval", "x"]) == 2
    assert "--watch-interval 'x' is not a duration" in capsys.readouterr().err
    assert not db.exists()


@pytest.mark.slow
def test_serve_watch_with_the_real_pipeline(tmp_path: Path) -> None:
    """The real coder, end to end: pages of the sample corpus behind a feed, `detente serve --watch`
    in a subprocess, events read back through the API, a clean stop on SIGINT."""
    pages = sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".html")[:2]
    db = tmp_path / "live.duckdb"
    with open_store(db):
        pass  # serve reads an existing store
    with serve_site() as site:
        entries = [Entry(p.stem, site.add(f"/news/{p.name}", p.read_bytes(), content_type="text/html; charset=utf-8"),
                         p.stem) for p in pages]
        listing = tmp_path / "feeds.txt"
        listing.write_text(site.add("/feed.xml", rss(entries), content_type="application/rss+xml") + "\n")
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())", "serve", "--db",
             str(db), "--port", "0", "--no-access-log", "--watch", str(listing)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "DETENTE_ALLOW_PRIVATE": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")),  # type: ignore[union-attr]
                                  daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and not any("cycle done" in line for line in lines):
                assert proc.poll() is None, "".join(lines)
                time.sleep(0.1)
            text = "".join(lines)
            assert "cycle done" in text, text
            port = re.search(r"at http://127\.0\.0\.1:(\d+)/", text)
            assert port, text
            events = httpx.get(f"http://127.0.0.1:{port.group(1)}/api/v1/events", params={"limit": 100},
                               timeout=30).json()["events"]
            assert events and all(e["coder"].startswith("detente.") for e in events)
            assert {e["url"].rsplit("/", 1)[-1] for e in events} <= {p.name for p in pages}
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
            reader.join(timeout=5)
    assert proc.returncode == 0, "".join(lines)
    with open_store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM watch_items WHERE status = 'stored'") == len(pages)
        assert store.scalar("SELECT count(DISTINCT coder) FROM events") == 1
