"""A feed of 1,000 items is processed with progress shown, in bounded memory.

Pages are streamed: at most one batch of pages is held at a time, so Python's peak memory
(tracemalloc) during the cycle stays far below the total size of the pages stored.
"""

from __future__ import annotations

import logging
import random
import time
import tracemalloc

import pytest

from detente.ingest import SafeFetcher
from detente.store import open_store
from detente.watch import PoliteFetcher, RetryPolicy, WatchOptions, run_cycle
from detente.watch import state as watch_state
from tests.store_support import CODER
from tests.watch.support import START, Entry, rss, serve_site, story

ITEMS = 1000
PAGE_PADDING = 40_000  # characters of filler per page: 1,000 pages are about 40 MB


_WORDS = ("minister", "talks", "border", "trade", "sanctions", "envoy", "summit", "troops", "ceasefire", "aid",
          "embassy", "vote", "council", "pipeline", "harbour", "statement", "delegation", "treaty", "grain", "port")


def _chrome_lines() -> list[str]:
    rng = random.Random(0)
    return ["# <li><a href='/section/" + "/".join(rng.choice(_WORDS) for _ in range(6)) + "'>menu</a></li>"
            for _ in range(1200)]


_CHROME = _chrome_lines()


def _page(n: int) -> str:
    """A page as sites serve them: a short story (with one event) inside much navigation and markup
    (the fake extractor drops lines starting with '#'), about PAGE_PADDING characters in all; each
    page's navigation is the shared menu lines from a point of its own."""
    rng = random.Random(n)
    body = [" ".join(rng.choice(_WORDS) for _ in range(14)) + f" ({n}.{k})." for k in range(12)]
    chrome = []
    size = 0
    start = rng.randrange(len(_CHROME))
    while size < PAGE_PADDING:
        line = _CHROME[(start + len(chrome)) % len(_CHROME)]
        chrome.append(line)
        size += len(line) + 1
    return "\n".join([story(n, ("USAGOV", "CONSULT", "FRAGOV", START)), *body, *chrome])


@pytest.mark.slow  # about 40 s: the store spends some 20 ms per article (MinHash, lookups), traced by tracemalloc
def test_a_feed_of_1000_items_streams_with_progress(caplog: pytest.LogCaptureFixture) -> None:
    with serve_site() as site:
        entries = []
        for n in range(ITEMS):
            entries.append(Entry(f"item-{n}", site.add(f"/story/{n}", _page(n)), f"Story {n}"))
        feed = site.add("/big.xml", rss(entries), content_type="application/rss+xml")
        # A small feed first, so the modules a cycle loads (pyarrow, pandas, MinHash tables) are not
        # counted as memory the big cycle holds.
        warm_up = site.add("/small.xml", rss([Entry("w", site.add("/story/w", _page(ITEMS)), "Warm-up")]),
                           content_type="application/rss+xml")
        total_bytes = sum(len(r.body) for r in site.routes.values())
        progress: list[tuple[int, int]] = []
        fetcher = PoliteFetcher(SafeFetcher(allow_private=True), min_delay=0.0)
        options = WatchOptions(host_delay=0.0, batch_size=16, retry=RetryPolicy(base_delay=0.0))
        with open_store(":memory:") as store, caplog.at_level(logging.INFO, logger="detente.watch"):
            run_cycle(store, [warm_up], fetcher=fetcher, options=options, coder=CODER)
            started = time.monotonic()
            tracemalloc.start()
            try:
                report = run_cycle(store, [feed], fetcher=fetcher, options=options, coder=CODER,
                                   on_progress=lambda url, done, total: progress.append((done, total)))
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            seconds = time.monotonic() - started
            assert report.feeds[0].new_items == ITEMS and report.items_stored == ITEMS
            assert watch_state.item_counts(store, feed) == {"stored": ITEMS}
            assert store.scalar("SELECT count(*) FROM articles") == ITEMS + 1
    # Progress: the callback climbs to 1000/1000 a batch at a time, and the log shows it every 100 items.
    assert progress[-1] == (ITEMS, ITEMS) and len(progress) == ITEMS // 16 + 1
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    lines = [r.getMessage() for r in caplog.records if "big.xml" in r.getMessage() and "items done" in r.getMessage()]
    assert len(lines) == 10 and lines[-1].endswith(f"{ITEMS}/{ITEMS} items done")
    # Bounded memory: the peak is a small fraction of what went through (about 40 MB of pages).
    assert total_bytes > 35_000_000
    assert peak < total_bytes / 5, f"peak {peak / 1e6:.1f} MB for {total_bytes / 1e6:.1f} MB of pages"
    print(f"\n1000 items, {total_bytes / 1e6:.1f} MB of pages: {seconds:.1f} s, tracemalloc peak {peak / 1e6:.1f} MB")
