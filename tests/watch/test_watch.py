"""`detente watch` against a local site: feeds that change between polls, 304s, failures that do not
stop the other feeds, robots.txt, retries of failed pages, and state that survives a restart.

The coder is the fake one from ``store_support`` (event markers in plain-text pages), so these
tests need no spaCy model; ``test_watch_pipeline.py`` runs the real pipeline once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from detente.ingest import SafeFetcher
from detente.store import Store, open_store
from detente.watch import (
    CycleReport,
    PoliteFetcher,
    RetryPolicy,
    WatchOptions,
    run_cycle,
)
from detente.watch import state as watch_state
from tests.store_support import CODER
from tests.watch.support import START, Entry, Site, atom, rss, serve_site, story

OPTIONS = WatchOptions(host_delay=0.0, batch_size=4, max_attempts=3, retry=RetryPolicy(base_delay=0.01))


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as s:
        yield s


def polite(*, timeout: float = 3.0, delay: float = 0.0) -> PoliteFetcher:
    return PoliteFetcher(SafeFetcher(allow_private=True, fetch_timeout=timeout, connect_timeout=1.0), min_delay=delay)


def cycle(store: Any, feeds: list[str], fetcher: PoliteFetcher, **kwargs: Any) -> CycleReport:
    kwargs.setdefault("options", OPTIONS)
    return run_cycle(store, feeds, fetcher=fetcher, coder=CODER, **kwargs)


def day(n: int) -> date:
    return START + timedelta(days=n)


def publish(site: Site, path: str, numbers: list[int], *, etag: str | None = None, last_modified: str | None = None,
            kind: str = "rss") -> str:
    """Serve a feed at ``path`` listing stories ``numbers`` (each page served at /story/<n>)."""
    entries = []
    for n in numbers:
        link = site.add(f"/story/{n}", story(n, ("USAGOV", "CONSULT", "FRAGOV", day(n % 20))))
        entries.append(Entry(guid=f"guid-{n}", link=link, title=f"Story {n}", published=day(n % 20)))
    body = rss(entries) if kind == "rss" else atom(entries)
    return site.add(path, body, content_type="application/rss+xml", etag=etag, last_modified=last_modified)


def event_count(store: Any) -> int:
    return int(store.scalar("SELECT count(*) FROM events"))


def test_new_items_are_coded_once_and_a_304_refetches_nothing(store: Store, site: Site) -> None:
    feed = publish(site, "/feed.xml", [1, 2, 3], etag='"v1"')
    fetcher = polite()
    first = cycle(store, [feed], fetcher)
    assert first.feeds[0].status == "changed" and first.feeds[0].new_items == 3
    assert first.items_stored == 3 and first.events_stored == 3 == event_count(store)
    assert first.feeds[0].stored == {"new": 3}

    second = cycle(store, [feed], fetcher)
    assert second.feeds[0].status == "not_modified" and second.items_stored == 0
    polls = site.gets("/feed.xml")
    assert polls[-1].headers.get("if-none-match") == '"v1"'
    assert [len(site.gets(f"/story/{n}")) for n in (1, 2, 3)] == [1, 1, 1]  # no page fetched twice

    # The feed changes: two new items on top, one old one gone; only the new pages are fetched.
    feed = publish(site, "/feed.xml", [5, 4, 3, 2], etag='"v2"')
    third = cycle(store, [feed], fetcher)
    assert third.feeds[0].status == "changed" and third.feeds[0].new_items == 2
    assert [len(site.gets(f"/story/{n}")) for n in (1, 2, 3, 4, 5)] == [1, 1, 1, 1, 1]
    assert event_count(store) == 5
    assert store.scalar("SELECT count(*) FROM documents WHERE kind = 'feed'") == 5
    assert watch_state.item_counts(store) == {"stored": 5}
    # Items keep the feed's listing order, and the feed's date reaches the article.
    assert store.scalar("SELECT published FROM articles WHERE url LIKE '%/story/5'") == day(5)
    runs = store.runs()
    assert [r["command"] for r in runs] == ["watch", "watch"]  # a cycle that stored nothing made no run
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert sum(r["events_stored"] for r in runs) == 5


def test_last_modified_alone_gives_304_and_atom_feeds_work(store: Store, site: Site) -> None:
    stamp = "Wed, 06 Mar 2024 10:00:00 GMT"
    feed = publish(site, "/atom.xml", [7, 8], last_modified=stamp, kind="atom")
    fetcher = polite()
    assert cycle(store, [feed], fetcher).items_stored == 2
    again = cycle(store, [feed], fetcher)
    assert again.feeds[0].status == "not_modified"
    assert site.gets("/atom.xml")[-1].headers.get("if-modified-since") == stamp
    assert "if-none-match" not in site.gets("/atom.xml")[-1].headers
    assert watch_state.feed_cursor(store, feed).last_modified == stamp


def test_malformed_feed_slow_feed_and_slow_page_are_logged_while_other_feeds_go_on(
        store: Store, site: Site, caplog: pytest.LogCaptureFixture) -> None:
    good = publish(site, "/good.xml", [1, 2])
    broken = site.add("/broken.xml", "<rss><channel><item><title>unclosed", content_type="application/rss+xml")
    not_feed = site.add("/page.html", "<html><body><p>Hello</p></body></html>", content_type="text/html")
    slow_feed = site.add("/slow.xml", rss([]), content_type="application/rss+xml", delay=2.0)
    # A feed whose second page hangs past the fetch timeout.
    slow_link = site.add("/story/slow", story(9, ("RUSGOV", "ACCUSE", "UKRGOV", day(3))), delay=2.0)
    fine_link = site.add("/story/fine", story(10, ("RUSGOV", "CONSULT", "CHNGOV", day(3))))
    mixed = site.add("/mixed.xml", rss([Entry("s9", slow_link, "Slow"), Entry("s10", fine_link, "Fine")]),
                     content_type="application/rss+xml")
    fetcher = polite(timeout=0.7)
    with caplog.at_level(logging.INFO, logger="detente.watch"):
        report = cycle(store, [broken, slow_feed, not_feed, good, mixed], fetcher)
        by_url = {f.url: f for f in report.feeds}
        assert (by_url[broken].status, by_url[broken].reason) == ("failed", "bad_feed")
        assert (by_url[not_feed].status, by_url[not_feed].reason) == ("failed", "not_a_feed")
        assert (by_url[slow_feed].status, by_url[slow_feed].reason) == ("failed", "fetch_failed")
        assert "timed out" in by_url[slow_feed].detail
        assert by_url[good].stored == {"new": 2}
        assert by_url[mixed].stored == {"new": 1} and by_url[mixed].retry_later == 1
        log = caplog.text
        assert "broken.xml: bad_feed" in log and "slow.xml: fetch_failed" in log and "not_a_feed" in log
        assert "story/slow" in log and "tried again next cycle (attempt 1 of 3)" in log
        item = store.query("SELECT status, attempts, reason FROM watch_items WHERE item_key = 's9'")[0]
        assert item == {"status": "pending", "attempts": 1, "reason": "fetch_failed"}
        # The feed state says why, for the next poll and for anyone looking.
        failed = store.query("SELECT url, reason FROM watch_feeds WHERE status = 'failed' ORDER BY url")
        assert {r["reason"] for r in failed} == {"bad_feed", "fetch_failed", "not_a_feed"}

        # The page is quick again: the next cycle stores it, though its feed did not change.
        site.routes["/story/slow"].delay = 0.0
        again = cycle(store, [mixed], fetcher)
        assert again.feeds[0].stored == {"new": 1}
        assert store.query("SELECT status, attempts FROM watch_items WHERE item_key = 's9'")[0] == {
            "status": "stored", "attempts": 2}
        assert event_count(store) == 4


def test_a_page_that_keeps_failing_is_given_up_after_max_attempts(store: Store, site: Site,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    feed = site.add("/feed.xml", rss([Entry("x", site.url("/story/gone-for-now"), "Soon"),
                                      Entry("y", site.url("/story/removed"), "Removed")]),
                    content_type="application/rss+xml")
    site.add("/story/gone-for-now", "try later", status=503)
    site.add("/story/removed", "gone", status=410)
    fetcher = polite()
    with caplog.at_level(logging.WARNING, logger="detente.watch"):
        reports = [cycle(store, [feed], fetcher) for _ in range(4)]
        assert [r.feeds[0].retry_later for r in reports] == [1, 1, 0, 0]
        assert [r.feeds[0].gave_up for r in reports] == [1, 0, 1, 0]  # 410 at once; 503 after three tries
        assert len(site.gets("/story/gone-for-now")) == 3 and len(site.gets("/story/removed")) == 1
        rows = store.query("SELECT item_key, status, attempts, reason FROM watch_items ORDER BY item_key")
        assert rows == [{"item_key": "x", "status": "failed", "attempts": 3, "reason": "http_503"},
                        {"item_key": "y", "status": "failed", "attempts": 1, "reason": "http_410"}]
        assert "gave up after 3 attempts" in caplog.text


def test_robots_txt_is_fetched_once_per_host_and_obeyed(store: Store, site: Site) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    allowed = site.add("/story/open", story(1, ("USAGOV", "CONSULT", "FRAGOV", day(1))))
    private = site.add("/private/secret", story(2, ("USAGOV", "CONSULT", "DEUGOV", day(1))))
    feed = site.add("/feed.xml", rss([Entry("a", allowed, "Open"), Entry("b", private, "Private")]),
                    content_type="application/rss+xml")
    fetcher = polite()
    report = cycle(store, [feed], fetcher)
    assert report.feeds[0].stored == {"new": 1} and report.feeds[0].gave_up == 1
    assert site.gets("/private/secret") == []
    assert store.query("SELECT reason FROM watch_items WHERE item_key = 'b'") == [{"reason": "robots_disallowed"}]
    cycle(store, [feed], fetcher)
    assert len(site.gets("/robots.txt")) == 1  # cached per host


def test_a_disallowed_feed_is_not_polled(store: Store, site: Site) -> None:
    site.add("/robots.txt", "User-agent: detente\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    feed = publish(site, "/feed.xml", [1])
    report = cycle(store, [feed], polite())
    assert (report.feeds[0].status, report.feeds[0].reason) == ("failed", "robots_disallowed")
    assert site.gets("/feed.xml") == []


def test_items_without_a_link_are_stored_from_the_feed_text(store: Store, site: Site) -> None:
    text = "Officials in Paris met their German counterparts. <<FRAGOV CONSULT DEUGOV 2024-03-05>>"
    feed = site.add("/feed.xml", rss([Entry("inline-1", None, "Paris talks", day(4), summary=text)]),
                    content_type="application/rss+xml")
    report = cycle(store, [feed], polite())
    assert report.feeds[0].stored == {"new": 1}
    row = store.query("SELECT kind, doc_id FROM documents")[0]
    assert row == {"kind": "feed", "doc_id": f"{feed}#inline-1"}
    assert store.scalar("SELECT inline_html FROM watch_items") is None  # not kept once stored


def test_state_survives_reopening_the_store(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    feed = publish(site, "/feed.xml", [1, 2], etag='"a"')
    with open_store(db) as store:
        cycle(store, [feed], polite())
    with open_store(db) as store:  # a new process, in effect: new fetcher, no memory but the store
        report = cycle(store, [feed], polite())
        assert report.feeds[0].status == "not_modified" and report.items_stored == 0
        assert event_count(store) == 2


def test_two_items_with_one_page_store_it_once(store: Store, site: Site) -> None:
    link = site.add("/story/1", story(1, ("USAGOV", "CONSULT", "FRAGOV", day(1))))
    feed_a = site.add("/a.xml", rss([Entry("a1", link, "One")]), content_type="application/rss+xml")
    feed_b = site.add("/b.xml", rss([Entry("b1", link, "Same page, other feed")]), content_type="application/rss+xml")
    report = cycle(store, [feed_a, feed_b], polite())
    assert [f.stored for f in report.feeds] == [{"new": 1}, {"duplicate": 1}]
    assert event_count(store) == 1


def test_stop_request_stores_the_batch_in_hand_and_ends_the_cycle(store: Store, site: Site) -> None:
    feed = publish(site, "/feed.xml", list(range(1, 11)))
    asked: list[int] = []

    def stop_after_three() -> bool:
        asked.append(1)
        return len(asked) > 4  # the first check is before the feed, then one per item

    report = cycle(store, [feed], polite(), should_stop=stop_after_three)
    assert report.stopped
    assert watch_state.item_counts(store) == {"pending": 7, "stored": 3}
    assert store.runs()[0]["status"] == "interrupted"
    rest = cycle(store, [feed], polite())
    assert rest.items_stored == 7 and event_count(store) == 10


def test_a_store_made_before_the_watch_tables_is_upgraded_in_place(tmp_path: Path, site: Site) -> None:
    import duckdb

    from detente.store.schema import APP, MIGRATIONS

    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))
    for statement in MIGRATIONS[0].statements:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, ?, 'v1', now())", [APP])
    con.close()
    feed = publish(site, "/feed.xml", [1])
    with open_store(db) as store:
        assert store.schema_version == MIGRATIONS[-1].version >= 2
        assert cycle(store, [feed], polite()).items_stored == 1


def test_marking_a_batch_of_items_is_marking_each_in_turn() -> None:
    from detente.ingest.feeds import FeedItem

    feed = "https://feeds.example/harbour.xml"
    items = [FeedItem(f"k{n}", f"https://feeds.example/{n}", f"Story {n}", None, "<p>inline</p>") for n in range(5)]
    updates = [watch_state.ItemUpdate(feed, "k0", "stored", outcome="article", document_id="d0"),
               watch_state.ItemUpdate(feed, "k1", "pending", reason="http_503", detail="busy"),
               watch_state.ItemUpdate(feed, "k2", "failed", reason="http_404", detail="gone"),
               watch_state.ItemUpdate(feed, "k3", "stored", outcome="duplicate", document_id=None, attempted=False)]
    twice = [*updates, watch_state.ItemUpdate(feed, "k1", "stored", outcome="article", document_id="d1")]
    columns = "item_key, status, outcome, reason, detail, document_id, attempts, run_id, inline_html IS NULL"

    def marked(batch: list[watch_state.ItemUpdate], *, one_by_one: bool) -> list[tuple[Any, ...]]:
        with open_store(":memory:") as fresh, fresh.writer() as writer:
            watch_state.add_items(writer.con, feed, items)
            for chunk in ([[u] for u in batch] if one_by_one else [batch]):
                watch_state.mark_items(writer.con, chunk, run_id="run-1")
            return [tuple(row) for row in writer.con.execute(
                f"SELECT {columns} FROM watch_items ORDER BY item_key").fetchall()]

    for batch in (updates, twice):
        assert marked(batch, one_by_one=False) == marked(batch, one_by_one=True)
    rows = {row[0]: row for row in marked(twice, one_by_one=False)}
    assert rows["k1"][1:3] == ("stored", "article") and rows["k1"][6] == 2  # the 503 try, then stored
    assert rows["k0"][7] == "run-1" and rows["k0"][8] and not rows["k2"][8]  # stored items drop their inline page
    assert rows["k3"][6] == 0 and rows["k4"][1] == "pending"
