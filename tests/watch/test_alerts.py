"""Alert sinks: each alert reaches the log, a JSONL file and a webhook exactly once, through retries,
a receiver that answers 500, later cycles, restarts and a crash in the middle of a delivery."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.errors import FetchError, UnsafeURL
from detente.ingest import SafeFetcher
from detente.model import Alert
from detente.store import Store, open_store
from detente.watch import (
    DeliveryFailed,
    GuardedPoster,
    JsonlSink,
    LogSink,
    PoliteFetcher,
    RetryPolicy,
    WatchOptions,
    WebhookSink,
    deliver_alerts,
    run_cycle,
)
from detente.watch import state as watch_state
from tests.store_support import CODER
from tests.watch.support import Entry, Site, escalation_pages, rss, serve_site

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, factor=2.0)
OPTIONS = WatchOptions(host_delay=0.0, batch_size=8, retry=FAST_RETRY)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as s:
        yield s


def escalating_feed(site: Site) -> str:
    history, spike = escalation_pages()
    entries = [Entry("history", site.add("/story/history", history), "Weeks of accusations"),
               Entry("spike", site.add("/story/spike", spike), "A day of attacks")]
    return site.add("/feed.xml", rss(entries), content_type="application/rss+xml", etag='"1"')


def sinks_for(site: Site, jsonl: Path) -> list[Any]:
    return [LogSink(), JsonlSink(jsonl), WebhookSink(site.url("/hook"), GuardedPoster(allow_private=True))]


def watch_once(store: Any, feed: str, sinks: list[Any], **kwargs: Any) -> Any:
    fetcher = PoliteFetcher(SafeFetcher(allow_private=True, fetch_timeout=5.0), min_delay=0.0)
    return run_cycle(store, [feed], fetcher=fetcher, sinks=sinks, options=OPTIONS, coder=CODER, **kwargs)


def jsonl_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()] if path.exists() else []


def test_webhook_gets_each_alert_once_after_answering_500_twice(site: Site, tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    feed = escalating_feed(site)
    site.post_statuses = [500, 500]
    jsonl = tmp_path / "alerts.jsonl"
    db = tmp_path / "w.duckdb"
    waits: list[float] = []
    with open_store(db) as store, caplog.at_level(logging.INFO, logger="detente.watch"):
        report = watch_once(store, feed, sinks_for(site, jsonl), sleep=waits.append)
        assert report.alerts == 1 and report.deliveries.new_alerts == 1
        webhook = f"webhook:{site.url('/hook')}"
        assert report.deliveries.delivered == {"log": 1, f"jsonl:{jsonl.resolve()}": 1, webhook: 1}
        # A second cycle recomputes the same alert and sends it nowhere again.
        again = watch_once(store, feed, sinks_for(site, jsonl))
        assert again.alerts == 1 and again.deliveries.delivered == {}
        delivery = store.query("SELECT status, attempts FROM watch_deliveries WHERE sink = ?", [webhook])
        assert delivery == [{"status": "delivered", "attempts": 3}]
    assert waits == [0.01, 0.02]  # exponential backoff between the three attempts
    with open_store(db) as store:  # and after a restart
        watch_once(store, feed, sinks_for(site, jsonl))
    posts = site.posts()
    assert len(posts) == 3 and len(site.accepted) == 1
    alert = json.loads(site.accepted[0])
    assert (alert["source"], alert["target"], alert["period"]) == ("USA", "RUS", "2024-03-22")
    assert alert["events"] and alert["reason"].startswith("USA -> RUS")
    assert {p.body for p in posts} == {site.accepted[0]}  # every retry sent the same bytes
    assert {p.headers["idempotency-key"] for p in posts} == {alert["id"]}
    assert all(p.headers["content-type"] == "application/json" for p in posts)
    assert jsonl_ids(jsonl) == [alert["id"]]
    assert caplog.text.count(f"alert {alert['id']}: 2024-03-22 USA -> RUS") == 1  # the log sink, once
    assert "HTTP 500 (attempt 1; again in 0.01 s)" in caplog.text


def test_a_webhook_down_for_a_whole_cycle_gets_the_alert_next_cycle(store: Store, site: Site, tmp_path: Path) -> None:
    feed = escalating_feed(site)
    site.post_statuses = [503] * FAST_RETRY.attempts
    hook = WebhookSink(site.url("/hook"), GuardedPoster(allow_private=True))
    first = watch_once(store, feed, [hook], sleep=lambda s: None)
    assert first.deliveries.deferred == {hook.name: 1} and site.accepted == []
    row = store.query("SELECT status, attempts, last_error FROM watch_deliveries")[0]
    assert row["status"] == "pending" and row["attempts"] == 4 and "HTTP 503" in row["last_error"]
    second = watch_once(store, feed, [hook], sleep=lambda s: None)
    assert second.deliveries.delivered == {hook.name: 1}
    watch_once(store, feed, [hook], sleep=lambda s: None)
    assert len(site.accepted) == 1 and len(site.posts()) == 5


def test_a_permanent_refusal_is_logged_and_not_retried(store: Store, site: Site,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    feed = escalating_feed(site)
    site.post_statuses = [400]
    hook = WebhookSink(site.url("/hook"), GuardedPoster(allow_private=True))
    with caplog.at_level(logging.WARNING, logger="detente.watch"):
        report = watch_once(store, feed, [hook])
        assert report.deliveries.failed == {hook.name: 1}
        watch_once(store, feed, [hook])
        assert store.query("SELECT status FROM watch_deliveries") == [{"status": "failed"}]
    assert len(site.posts()) == 1
    assert "answered HTTP 400 (gave up after 1 attempts)" in caplog.text


def test_the_webhook_goes_through_the_ssrf_guard(store: Store, site: Site) -> None:
    feed = escalating_feed(site)
    guarded = WebhookSink(site.url("/hook"), GuardedPoster(allow_private=False))
    report = watch_once(store, feed, [guarded])
    assert report.deliveries.failed == {guarded.name: 1}
    assert "loopback" in store.scalar("SELECT last_error FROM watch_deliveries")
    assert site.posts() == []
    with pytest.raises(UnsafeURL):
        GuardedPoster().post("http://169.254.169.254/hook", b"{}", {})


class _CrashAfterWrite(JsonlSink):
    """Writes the line, then the process 'dies' before the delivery is recorded."""

    def send(self, alert_id: str, body: bytes) -> None:
        super().send(alert_id, body)
        raise KeyboardInterrupt


def test_a_crash_between_writing_and_recording_does_not_write_twice(site: Site, tmp_path: Path) -> None:
    feed = escalating_feed(site)
    jsonl, db = tmp_path / "alerts.jsonl", tmp_path / "w.duckdb"
    with open_store(db) as store, pytest.raises(KeyboardInterrupt):
        watch_once(store, feed, [_CrashAfterWrite(jsonl)])
    with open_store(db) as store:
        assert store.query("SELECT status FROM watch_deliveries") == [{"status": "sending"}]
        report = watch_once(store, feed, [JsonlSink(jsonl)])
        assert report.deliveries.delivered == {JsonlSink(jsonl).name: 1}
        assert store.query("SELECT status FROM watch_deliveries") == [{"status": "delivered"}]
    assert len(jsonl_ids(jsonl)) == 1


class _FlakySink:
    """An in-memory sink that fails as scripted: 'ok', 'transient' or 'permanent' per attempt."""

    name = "flaky"

    def __init__(self, script: list[str]) -> None:
        self.script = list(script)
        self.received: list[str] = []

    def send(self, alert_id: str, body: bytes) -> None:
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "transient":
            raise DeliveryFailed("busy")
        if outcome == "permanent":
            raise DeliveryFailed("no", permanent=True)
        if outcome == "bug":
            raise RuntimeError("a bug in a sink")
        self.received.append(alert_id)

    def already_has(self, alert_id: str) -> bool:
        return alert_id in self.received


def _alert(n: int) -> Alert:
    return Alert(id=f"alert-{n}", source="USA", target="RUS", period=date(2024, 1, 1 + n), freq="D",
                 detectors=("threshold",), escalation_index=3.0, threshold=2.0, conflict=9.0, baseline=1.0,
                 reason="test", events=())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(st.sampled_from(["ok", "transient", "transient", "permanent", "bug"]), max_size=12),
       alerts=st.integers(min_value=1, max_value=4))
def test_property_no_alert_is_delivered_twice_and_none_is_lost(script: list[str], alerts: int) -> None:
    sink = _FlakySink(script)
    policy = RetryPolicy(attempts=2, base_delay=0.0, give_up_after=6)
    found = [_alert(n) for n in range(alerts)]
    with open_store(":memory:") as store:
        for _ in range(20):  # cycles, until nothing is left to send
            deliver_alerts(store, found, [sink], retry=policy, sleep=lambda s: None)
            if not watch_state.deliveries_to_send(store, sink.name, max_attempts=policy.give_up_after):
                break
        statuses = {r["alert_id"]: r["status"] for r in store.query("SELECT alert_id, status FROM watch_deliveries")}
    assert len(sink.received) == len(set(sink.received))  # never twice
    for alert in found:
        if alert.id in sink.received:
            assert statuses[alert.id] == "delivered"
        else:  # lost only by a permanent refusal or too many attempts, and then marked failed
            assert statuses[alert.id] == "failed"


def test_a_sink_that_raises_anything_is_logged_not_fatal(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    sink = _FlakySink(["bug"])
    with caplog.at_level(logging.WARNING, logger="detente.watch"):
        report = deliver_alerts(store, [_alert(1)], [sink], retry=RetryPolicy(attempts=2, base_delay=0.0))
        assert report.delivered == {"flaky": 1}
    assert "RuntimeError: a bug in a sink" in caplog.text


def test_guarded_poster_reports_a_dead_receiver_as_a_fetch_error() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError):
        GuardedPoster(allow_private=True, timeout=1.0).post(f"http://127.0.0.1:{port}/", b"{}", {})


def test_delivery_state_lists_what_went_where(store: Store, site: Site, tmp_path: Path) -> None:
    feed = escalating_feed(site)
    watch_once(store, feed, [LogSink()])
    assert len(watch_state.alert_payloads(store, "log")) == 1
