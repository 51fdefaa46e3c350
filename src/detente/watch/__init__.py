"""Live monitoring: follow news feeds, code new articles as they appear, deliver escalation alerts once.

    watch(store, feeds, interval=, once=, sinks=, ...) -> int        the loop (what ``detente watch`` runs)
    run_cycle(store, feeds, fetcher=, sinks=, ...) -> CycleReport    one poll-store-alert cycle
    start_watcher(store, feeds, ...) -> WatcherHandle                the loop in a thread (``serve --watch``)
    polite_fetcher(allow_private=, host_delay=) -> PoliteFetcher     SSRF guard + robots.txt + per-host delay
    LogSink(), JsonlSink(path), WebhookSink(url, GuardedPoster())    where alerts go; deliver_alerts(...)

State lives in the store (``watch_feeds``, ``watch_items``, ``watch_alerts``,
``watch_deliveries``), so a watcher stopped in any way resumes where it stood.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ingest.fetch import SafeFetcher
from ..store import Store
from .polite import HeaderFetcher, PoliteFetcher
from .sinks import (
    AlertSink,
    DeliveryFailed,
    DeliveryReport,
    GuardedPoster,
    JsonlSink,
    LogSink,
    Poster,
    RetryPolicy,
    WebhookSink,
    alert_body,
    deliver_alerts,
)
from .watcher import (
    CycleReport,
    FeedPoll,
    FeedReport,
    FeedSource,
    WatchOptions,
    parse_duration,
    poll_feed,
    run_cycle,
    stop_on_signals,
    watch_loop,
)

__all__ = [
    "AlertSink",
    "CycleReport",
    "DeliveryFailed",
    "DeliveryReport",
    "FeedPoll",
    "FeedReport",
    "GuardedPoster",
    "HeaderFetcher",
    "JsonlSink",
    "LogSink",
    "PoliteFetcher",
    "Poster",
    "RetryPolicy",
    "WatchOptions",
    "WatcherHandle",
    "WebhookSink",
    "alert_body",
    "build_sinks",
    "deliver_alerts",
    "parse_duration",
    "polite_fetcher",
    "poll_feed",
    "run_cycle",
    "start_watcher",
    "stop_on_signals",
    "watch",
    "watch_loop",
]

log = logging.getLogger("detente.watch")


def polite_fetcher(*, allow_private: bool | None = None, host_delay: float = 1.0,
                   fetch_timeout: float | None = None) -> PoliteFetcher:
    """The fetcher a watcher uses: ``SafeFetcher`` (SSRF guard on every request) behind robots.txt
    and a per-host delay."""
    return PoliteFetcher(SafeFetcher(allow_private=allow_private, fetch_timeout=fetch_timeout),
                         min_delay=host_delay)


def build_sinks(*, log_alerts: bool = True, jsonl: str | None = None, webhook: str | None = None,
                allow_private: bool = False, poster: Poster | None = None) -> list[AlertSink]:
    """The sinks the CLI options name, in delivery order: the log, a JSONL file, a webhook."""
    sinks: list[AlertSink] = []
    if log_alerts:
        sinks.append(LogSink())
    if jsonl:
        sinks.append(JsonlSink(jsonl))
    if webhook:
        sinks.append(WebhookSink(webhook, poster or GuardedPoster(allow_private=allow_private)))
    return sinks


def _close(fetcher: Any) -> None:
    inner = getattr(fetcher, "fetcher", fetcher)
    close = getattr(inner, "close", None)
    if callable(close):
        close()


def watch(store: Store, feeds: FeedSource, *, interval: float = 900.0, once: bool = False,
          sinks: Sequence[AlertSink] = (), options: WatchOptions | None = None, fetcher: HeaderFetcher | None = None,
          allow_private: bool | None = None, coder: str | None = None, stop: threading.Event | None = None,
          on_cycle: Callable[[CycleReport], None] | None = None,
          on_progress: Callable[[str, int, int], None] | None = None) -> int:
    """Watch ``feeds`` (a list of URLs, or a feed-list file re-read every cycle) until ``stop`` is set.

    Returns the number of cycles run. Without a ``fetcher`` one is built with
    ``polite_fetcher(allow_private=..., host_delay=options.host_delay)`` and closed at the end.
    """
    options = options or WatchOptions()
    own = fetcher is None
    active = fetcher or polite_fetcher(allow_private=allow_private, host_delay=options.host_delay)
    try:
        return watch_loop(store, feeds, fetcher=active, interval=interval, once=once, stop=stop, on_cycle=on_cycle,
                          sinks=sinks, options=options, coder=coder, on_progress=on_progress)
    finally:
        if own:
            _close(active)


@dataclass
class WatcherHandle:
    """A watcher running in a thread of this process; ``stop()`` ends it after the batch in hand."""

    thread: threading.Thread
    stop_event: threading.Event
    reports: list[CycleReport] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float | None = 30.0) -> bool:
        """Ask the watcher to stop and wait up to ``timeout`` seconds; True when it has stopped."""
        self.stop_event.set()
        self.thread.join(timeout)
        return not self.thread.is_alive()


def start_watcher(store: Store, feeds: FeedSource, *, interval: float = 900.0, sinks: Sequence[AlertSink] = (),
                  options: WatchOptions | None = None, fetcher: HeaderFetcher | None = None,
                  allow_private: bool | None = None, coder: str | None = None,
                  on_cycle: Callable[[CycleReport], None] | None = None) -> WatcherHandle:
    """Run ``watch`` in a daemon thread sharing ``store`` (the server's), and return its handle.

    The store's single-writer lock keeps the watcher's transactions and the server's writes
    apart; reads go through their own cursors. The handle keeps the last ten cycle reports;
    ``on_cycle`` is called (in the watcher's thread) after each cycle.
    """
    stop_event = threading.Event()
    handle: WatcherHandle

    def keep(report: CycleReport) -> None:
        handle.reports.append(report)
        del handle.reports[:-10]
        if on_cycle is not None:
            on_cycle(report)

    def body() -> None:
        try:
            watch(store, feeds, interval=interval, sinks=sinks, options=options, fetcher=fetcher,
                  allow_private=allow_private, coder=coder, stop=stop_event, on_cycle=keep)
        except BaseException as exc:  # the server goes on; its log and the handle say why the watcher ended
            handle.error = exc
            log.exception("the watcher stopped: %s", exc)

    thread = threading.Thread(target=body, name="detente-watch", daemon=True)
    handle = WatcherHandle(thread=thread, stop_event=stop_event)
    thread.start()
    return handle
