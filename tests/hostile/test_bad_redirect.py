"""Reproduction 4 of issue 15: a redirect whose ``Location`` cannot be decoded.

``302 Location: http://xn--/`` made httpx raise ``IDNAError`` while it read the answer, past
every handler: ``ingest URL1 BAD URL2`` stored nothing, a feed batch holding such an item
failed every cycle (its items pending forever, ``--max-attempts`` never applied) and the API
answered 500. Now the URL alone fails, as ``fetch_failed`` with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.cli import main
from detente.errors import FetchError, UnsafeURL
from detente.ingest import SafeFetcher
from detente.store import open_store
from tests.hostile.support import BASE_MB, Answer, good_page, local_server, run_measured
from tests.hostile.web_support import TOKEN, client

BAD_LOCATIONS = ["http://xn--/", "http://xn--a.xn--/page", "http://[::1/", "http://host:99999999/",
                 "http://\xff\xfe/", "http://exa mple.org/", "javascript:alert(1)", "http://" + "a" * 70_000 + "/"]


def _redirect(location: str) -> Answer:
    return Answer(302, b"", (("Location", location),))


@pytest.fixture
def site() -> Iterator[str]:
    routes = {"/good1": Answer(body=good_page("good-1")), "/good2": Answer(body=good_page("good-2")),
              "/bad": _redirect("http://xn--/"), "/robots.txt": Answer(404, b""),
              **{f"/bad{i}": _redirect(loc) for i, loc in enumerate(BAD_LOCATIONS)}}
    with local_server(routes) as base:
        routes["/feed.xml"] = Answer(body=(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>one</title><link>{base}/good1</link><guid>g1</guid></item>"
            f"<item><title>bad</title><link>{base}/bad</link><guid>g2</guid></item>"
            f"<item><title>two</title><link>{base}/good2</link><guid>g3</guid></item>"
            "</channel></rss>").encode(), headers=(("Content-Type", "application/rss+xml"),))
        yield base


@pytest.mark.parametrize("index", range(len(BAD_LOCATIONS)))
def test_every_bad_location_is_a_fetch_failure_of_that_url(site: str, index: int) -> None:
    with SafeFetcher(allow_private=True) as fetcher, pytest.raises((FetchError, UnsafeURL)) as caught:
        fetcher.fetch(f"{site}/bad{index}")
    assert "unexpected" not in caught.value.message


@pytest.mark.slow
def test_ingest_stores_the_urls_around_the_bad_one(site: str, tmp_path: Path) -> None:
    run = run_measured(["ingest", f"{site}/good1", f"{site}/bad", f"{site}/good2", "--allow-private",
                        "--db", "u.duckdb", "--json"], cwd=tmp_path, fake_coder=True)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["new"] == 2 and summary["rejected_by_reason"] == {"fetch_failed": 1}
    bad = [line for line in run.error_lines if "/bad" in line]
    assert len(bad) == 1 and "fetch_failed" in bad[0] and "IDNAError" in bad[0], run.stderr
    assert run.peak_mb < BASE_MB


def test_watch_stores_the_good_items_and_gives_the_bad_one_up_after_max_attempts(
        site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_coder: str) -> None:
    (tmp_path / "feeds.txt").write_text(f"{site}/feed.xml\n")
    argv = ["watch", str(tmp_path / "feeds.txt"), "--once", "--db", str(tmp_path / "w.duckdb"), "--allow-private",
            "--host-delay", "0", "--max-attempts", "2", "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["items_stored"] == 2 and report["feeds"][0]["retry_later"] == 1
    assert main(argv) == 0  # the next cycle: the second attempt, and the last
    assert json.loads(capsys.readouterr().out)["feeds"][0]["gave_up"] == 1
    with open_store(tmp_path / "w.duckdb", read_only=True) as store:
        items = {r["item_key"].rsplit("/", 1)[-1]: r
                 for r in store.query("SELECT item_key, status, attempts, reason FROM watch_items")}
    assert {k: (v["status"], v["attempts"]) for k, v in items.items()} == {
        "g1": ("stored", 1), "g3": ("stored", 1), "g2": ("failed", 2)}
    assert items["g2"]["reason"] == "fetch_failed"


def test_the_api_answers_502_for_a_posted_url_that_redirects_nowhere(site: str) -> None:
    with client(token=TOKEN, fetcher_factory=lambda: SafeFetcher(allow_private=True)) as http:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        bad = http.post("/api/v1/documents", json={"url": f"{site}/bad"}, headers=auth)
        assert bad.status_code == 502, bad.text
        assert "IDNAError" in bad.json()["error"]
        good = http.post("/api/v1/documents", json={"url": f"{site}/good1"}, headers=auth)
        assert good.status_code == 201, good.text
