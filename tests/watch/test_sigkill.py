"""A watcher killed with SIGKILL mid-cycle and started again stores every item exactly once.

``detente watch --once`` runs in a subprocess against a local site (three feeds, one of them
carrying syndicated copies, too-short pages and the pages that raise an alert), with the fake
coder slowed down per document so the kill lands while batches are being committed. The
restarted watcher must reach exactly the store of one uninterrupted run, and the webhook and
the JSONL file must have each alert once.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from detente.cli import main
from detente.store import open_store
from tests.conftest import ROOT
from tests.store_support import kill_mid_run, store_state
from tests.watch.support import START, Entry, Site, escalation_pages, rss, serve_site, story

ACTORS = ("USAGOV", "RUSGOV", "UKRMIL", "CHNGOV", "IGONATO", "FRAGOV")
TYPES = ("CONSULT", "ACCUSE", "AID", "AGREE", "REJECT")
PER_FEED = 40

pytestmark = pytest.mark.usefixtures("fake_coder")


def _publish(site: Site) -> list[str]:
    from datetime import timedelta

    feeds = []
    for f in range(3):
        entries = []
        for i in range(PER_FEED):
            n = f * 100 + i
            path = f"/f{f}/story/{i}"
            if i % 13 == 7:
                page = "short"  # rejected by the extractor: too_short
            elif i % 9 == 4:  # a syndicated copy of the previous story: other boilerplate, same text
                prev = n - 1
                page = "# Other site header\n" + story(prev, (ACTORS[prev % 6], TYPES[prev % 5],
                                                              ACTORS[(prev + 1) % 6], START + timedelta(prev % 9)))
            else:
                page = story(n, (ACTORS[n % 6], TYPES[n % 5], ACTORS[(n + 1) % 6], START + timedelta(n % 9)),
                             (ACTORS[(n + 2) % 6], TYPES[(n + 1) % 5], ACTORS[(n + 3) % 6], START + timedelta(n % 7)))
            entries.append(Entry(f"f{f}-{i}", site.add(path, page), f"Story {n}"))
        if f == 2:
            history, spike = escalation_pages()
            entries.append(Entry("history", site.add("/f2/history", history), "History"))
            entries.append(Entry("spike", site.add("/f2/spike", spike), "Spike"))
        feeds.append(site.add(f"/feed{f}.xml", rss(entries), content_type="application/rss+xml", etag=f'"f{f}"'))
    return feeds


def _argv(feeds: Path, db: Path, site: Site, jsonl: Path, *, webhook: bool = True) -> list[str]:
    argv = ["watch", str(feeds), "--db", str(db), "--once", "--allow-private", "--host-delay", "0",
            "--batch-size", "4", "--alerts-jsonl", str(jsonl)]
    return [*argv, "--webhook", site.url("/hook")] if webhook else argv


@pytest.mark.slow
def test_sigkill_mid_cycle_then_restart_loses_and_repeats_nothing(tmp_path: Path) -> None:
    with serve_site() as site:
        feeds = _publish(site)
        listing = tmp_path / "feeds.txt"
        listing.write_text("# three feeds\n" + "\n".join(feeds) + "\n")
        total_items = 3 * PER_FEED + 2
        db, jsonl, trace = tmp_path / "killed.duckdb", tmp_path / "alerts.jsonl", tmp_path / "trace.txt"
        # killed once the first feed is done and the second one is being stored
        status = kill_mid_run(_argv(listing, db, site, jsonl), cwd=ROOT, trace=trace, after_lines=PER_FEED + 10,
                              delay=0.02, what="watcher")
        assert status == -signal.SIGKILL

        with open_store(db, read_only=True) as store:
            counts = {r["status"]: r["n"] for r in store.query(
                "SELECT status, count(*) AS n FROM watch_items GROUP BY status")}
            stored_items = counts.get("stored", 0)
            assert 0 < stored_items < total_items
            # Every item marked stored has its document; no document lacks its item.
            assert store.scalar("""SELECT count(*) FROM watch_items w WHERE w.status = 'stored'
                                   AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = w.document_id)""") == 0
            assert store.scalar("""SELECT count(*) FROM documents d WHERE NOT EXISTS
                                   (SELECT 1 FROM watch_items w WHERE w.document_id = d.id)""") == 0
        assert not jsonl.exists() and site.accepted == []  # killed before the alerts

        site.post_statuses = [500, 500]  # and the receiver is having a bad moment when we come back
        assert main(_argv(listing, db, site, jsonl)) == 0
        assert main(_argv(listing, db, site, jsonl)) == 0  # a second cycle changes nothing

        full_db, full_jsonl = tmp_path / "full.duckdb", tmp_path / "full.jsonl"
        assert main(_argv(listing, full_db, site, full_jsonl, webhook=False)) == 0

    with open_store(db, read_only=True) as resumed, open_store(full_db, read_only=True) as full:
        assert store_state(resumed) == store_state(full)
        assert resumed.stats().events == full.stats().events > 0
        assert resumed.stats().syndicated_copies == full.stats().syndicated_copies > 0
        assert resumed.stats().rejected_documents == full.stats().rejected_documents > 0
        items = "SELECT feed_url, item_key, status, outcome, document_id FROM watch_items ORDER BY feed_url, item_key"
        assert resumed.query(items) == full.query(items)
        assert resumed.scalar("SELECT count(*) FROM watch_items WHERE status = 'stored'") == total_items
        assert [r["status"] for r in resumed.runs()] == ["interrupted", "finished"]
    alert_ids = [json.loads(line)["id"] for line in jsonl.read_text().splitlines()]
    assert len(alert_ids) == 1 and alert_ids == [json.loads(line)["id"] for line in full_jsonl.read_text().splitlines()]
    assert [json.loads(body)["id"] for body in site.accepted] == alert_ids  # exactly once, after two 500s
