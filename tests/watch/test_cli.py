"""`detente watch` on the command line: one cycle with --once, options checked before the store is
touched, OPML lists, exit statuses, and a clean stop on SIGTERM / SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.cli import main
from detente.store import open_store
from tests.conftest import ROOT
from tests.store_support import CODER, FAKE_CLI
from tests.watch.support import START, Entry, Site, escalation_pages, rss, serve_site, story

pytestmark = pytest.mark.usefixtures("fake_coder")


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as s:
        yield s


def _feed(site: Site, path: str = "/feed.xml", count: int = 3) -> str:
    entries = [Entry(f"{path}-{n}", site.add(f"{path}/story/{n}", story(n, ("USAGOV", "CONSULT", "FRAGOV", START))),
                     f"Story {n}") for n in range(count)]
    return site.add(path, rss(entries), content_type="application/rss+xml", etag='"x"')


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_watch_once_codes_the_feeds_and_prints_a_json_report(site: Site, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    history, spike = escalation_pages()
    alerts_feed = site.add("/alerts.xml", rss([Entry("h", site.add("/h", history), "History"),
                                               Entry("s", site.add("/s", spike), "Spike")]),
                           content_type="application/rss+xml")
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# news\n{_feed(site)}   # a comment after the URL\n\n{alerts_feed}\n")
    db, jsonl = tmp_path / "w.duckdb", tmp_path / "alerts.jsonl"
    argv = ["watch", str(listing), "--db", str(db), "--once", "--allow-private", "--host-delay", "0",
            "--alerts-jsonl", str(jsonl), "--webhook", site.url("/hook"), "--json"]
    code, out, err = _run(argv, capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["items_new"] == 5 and report["items_stored"] == 5 and report["alerts"] == 1
    assert [f["status"] for f in report["feeds"]] == ["changed", "changed"]
    assert "watching 2 feeds" in err and "cycle done in" in err and "5 stored" in err
    assert "alert " in err and "USA -> RUS" in err  # the log sink
    assert len(jsonl.read_text().splitlines()) == 1 and len(site.accepted) == 1
    with open_store(db, read_only=True) as store:
        assert store.stats().events > 0

    code, out, err = _run(argv, capsys)  # again: 304s, nothing new, nothing sent twice
    assert code == 0 and json.loads(out)["items_new"] == 0
    assert "not modified since the last poll" in err
    assert len(jsonl.read_text().splitlines()) == 1 and len(site.accepted) == 1


def test_an_opml_list_is_read(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><head><title>News</title></head><body>
        <outline text="World"><outline type="rss" text="A" xmlUrl="{_feed(site, '/a.xml')}"/></outline>
        <outline type="rss" text="B" xmlUrl="{_feed(site, '/b.xml', 2)}"/></body></opml>""")
    code, out, err = _run(["watch", str(opml), "--db", str(tmp_path / "w.duckdb"), "--once", "--allow-private",
                           "--host-delay", "0", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["items_stored"] == 5


@pytest.mark.parametrize(("content", "args", "message"), [
    ("https://ok.example/feed\nnot a url\n", [], "line 2 of"),
    ("ftp://files.example/feed.xml\n", [], "not an http(s) feed URL"),
    ("# nothing but comments\n", [], "lists no feeds"),
    ("https://ok.example/feed\n", ["--interval", "soon"], "--interval 'soon' is not a duration"),
    ("https://ok.example/feed\n", ["--max-attempts", "0"], "--max-attempts 0 is not positive"),
    ("https://ok.example/feed\n", ["--webhook", "file:///tmp/x"], "--webhook file:///tmp/x is not an http(s) URL"),
    ("https://ok.example/feed\n", ["--freq", "Y"], "Y"),
    ("https://ok.example/feed\n", ["--alerts-jsonl", "/no/such/dir/a.jsonl"], "does not exist"),
])
def test_bad_input_exits_2_and_creates_no_store(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
                                                args: list[str], message: str) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(content)
    db = tmp_path / "never.duckdb"
    code, _, err = _run(["watch", str(listing), "--db", str(db), "--once", *args], capsys)
    assert code == 2
    assert err.startswith("error: ") and message in err and len(err.strip().splitlines()) == 1
    assert not db.exists()


def test_a_missing_feed_list_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["watch", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "w.duckdb"), "--once"], capsys)
    assert code == 2 and "no such feed list" in err


def test_once_exits_1_when_every_feed_failed(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(site.url("/missing.xml") + "\n")
    code, _, err = _run(["watch", str(listing), "--db", str(tmp_path / "w.duckdb"), "--once", "--allow-private",
                         "--host-delay", "0"], capsys)
    assert code == 1 and "http_404" in err


def test_private_feeds_need_allow_private(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(_feed(site) + "\n")
    code, _, err = _run(["watch", str(listing), "--db", str(tmp_path / "w.duckdb"), "--once"],
                        capsys)
    assert code == 1 and "unsafe_url" in err and "loopback" in err
    assert site.requests == []  # refused before any connection, robots.txt included


def _spawn(argv: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", FAKE_CLI, *argv], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "DETENTE_CODER": CODER, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, lines: int, proc: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and len(path.read_text().splitlines()) >= lines:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} did not reach {lines} lines")


@pytest.mark.slow
def test_sigterm_between_cycles_and_sigint_mid_cycle_stop_cleanly(site: Site, tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(_feed(site, count=12) + "\n")
    db, trace = tmp_path / "w.duckdb", tmp_path / "trace.txt"
    argv = ["watch", str(listing), "--db", str(db), "--interval", "1h", "--allow-private", "--host-delay", "0",
            "--batch-size", "2"]

    # SIGINT while storing: the batch in hand is stored, the cycle ends, the process exits 0.
    proc = _spawn(argv, DETENTE_FAKE_CODER_DELAY="0.15", DETENTE_FAKE_CODER_TRACE=str(trace))
    _wait_for(trace, 3, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "SIGINT received" in err
    with open_store(db, read_only=True) as store:
        stored = store.scalar("SELECT count(*) FROM watch_items WHERE status = 'stored'")
        assert 3 <= stored < 12
        assert [r["status"] for r in store.runs()] == ["interrupted"]

    # SIGTERM while waiting for the next cycle: the rest was stored first, then a prompt exit.
    proc = _spawn(argv)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any("cycle done" in line for line in lines):
        time.sleep(0.02)
    assert any("cycle done" in line for line in lines), "".join(lines)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    reader.join(timeout=5)
    assert proc.returncode == 0, "".join(lines)
    assert any("SIGTERM received" in line for line in lines)
    with open_store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM watch_items WHERE status = 'stored'") == 12
        assert [r["status"] for r in store.runs()] == ["interrupted", "finished"]


def test_every_watch_option_is_in_the_readme() -> None:
    import typer.main

    from detente.cli import app

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### detente watch"):]
    section = section[:section.index("\n## ")]
    command = typer.main.get_command(app).commands["watch"]  # type: ignore[attr-defined]
    options = [name for param in command.params if not getattr(param, "hidden", False)
               for name in param.opts if name.startswith("--")]
    assert options and all(f"`{name}" in section or f"{name} " in section for name in options), options
    assert "--watch" in section and "--watch-interval" in section


def test_an_interval_under_a_second_is_refused_for_a_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://ok.example/feed\n")
    code, _, err = _run(["watch", str(listing), "--db", str(tmp_path / "w.duckdb"), "--interval", "0"], capsys)
    assert code == 2 and "shorter than a second" in err and not (tmp_path / "w.duckdb").exists()
