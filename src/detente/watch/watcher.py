"""One watch cycle, and the loop around it.

A cycle, for each feed in the list:

1. poll it with a conditional request (``If-None-Match`` / ``If-Modified-Since`` from the
   saved cursor); a 304 costs one request and no parsing;
2. list the items not seen before as ``pending`` and save the new cursor, in one
   transaction;
3. store the feed's pending items: fetch each page (robots.txt and the per-host delay
   apply), hand the pages to the coder a batch at a time, and store each batch in one
   transaction that also marks its items ``stored``. A page that fails is logged with its
   reason and tried again next cycle, up to ``max_attempts`` fetches; a permanent refusal
   (robots.txt, unsafe URL, 404, too large) is not retried.

Then alerts are recomputed over the store and sent to the sinks (``sinks.py``).

Because the cursor and the new items are saved together, and an item becomes ``stored``
only with its article, a watcher killed at any moment and started again finishes the
work without losing an item or storing one twice. A failing feed (timeout, malformed,
HTTP error) is logged and the other feeds go on.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

from ..analysis import find_alerts
from ..analysis.series import latest_period, resolve_freq
from ..errors import BadOption, DetenteError, DocumentRejected, FetchError, Reason, StoreError, UnsafeURL
from ..ingest.feeds import FeedItem, ParsedFeed, inline_document, parse_feed, read_feed_list
from ..ingest.reasons import safe_one_line
from ..ingest.urls import document_from_url
from ..model import Article, Document, DocumentRecord, Rejected
from ..pipeline import CodeFn, WriteLoop, get_coder
from ..settings import get_setting
from ..store import AddResult, Store, StoreWriter
from . import state
from .polite import HeaderFetcher
from .sinks import AlertSink, DeliveryReport, RetryPolicy, deliver_alerts

__all__ = [
    "CycleReport",
    "FeedPoll",
    "FeedReport",
    "FeedSource",
    "WatchOptions",
    "parse_duration",
    "poll_feed",
    "run_cycle",
    "stop_on_signals",
    "watch_loop",
]

log = logging.getLogger("detente.watch")

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+xml;q=0.9, "
               "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")
# Reasons a later attempt cannot change: the item is given up at once.
_PERMANENT = frozenset({Reason.ROBOTS_DISALLOWED, Reason.UNSAFE_URL, Reason.TOO_LARGE})
_TRANSIENT_HTTP = frozenset({408, 425, 429})
ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class WatchOptions:
    """How a watcher behaves (the CLI's options; see ``detente watch --help``).

    ``host_delay``: seconds between two requests to one host (a robots.txt Crawl-delay may
    raise it); ``max_attempts``: fetches of one item page before giving up;
    ``batch_size``: documents coded and stored per transaction (default: the ``batch_size``
    setting); ``freq``/``threshold``: as for ``detente alerts``; ``progress_every``: items
    between two progress lines in the log.
    """

    host_delay: float = 1.0
    max_attempts: int = 3
    batch_size: int | None = None
    freq: str = "auto"
    threshold: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    progress_every: int = 100


@dataclass(frozen=True)
class FeedPoll:
    """The answer to one poll: ``changed`` (with the parsed feed), ``not_modified`` or ``failed``."""

    url: str
    status: str
    feed: ParsedFeed | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None
    detail: str = ""


@dataclass
class FeedReport:
    """What a cycle did with one feed."""

    url: str
    status: str = ""
    reason: str | None = None
    detail: str = ""
    new_items: int = 0
    stored: Counter[str] = field(default_factory=Counter)  # by outcome: new, near_duplicate, duplicate, rejected
    skipped: Counter[str] = field(default_factory=Counter)  # stored but not coded, by reason (not_english)
    retry_later: int = 0
    gave_up: int = 0
    events_stored: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "status": self.status, "reason": self.reason, "detail": self.detail,
                "new_items": self.new_items, "stored": dict(sorted(self.stored.items())),
                "skipped": dict(sorted(self.skipped.items())),
                "retry_later": self.retry_later, "gave_up": self.gave_up, "events_stored": self.events_stored}


@dataclass
class CycleReport:
    """What one cycle did: per feed, the run that stored its articles, and the alert deliveries."""

    feeds: list[FeedReport] = field(default_factory=list)
    run_id: str | None = None
    deliveries: DeliveryReport = field(default_factory=DeliveryReport)
    alerts: int = 0
    seconds: float = 0.0
    stopped: bool = False

    @property
    def items_stored(self) -> int:
        return sum(sum(f.stored.values()) for f in self.feeds)

    @property
    def events_stored(self) -> int:
        return sum(f.events_stored for f in self.feeds)

    @property
    def items_skipped(self) -> int:
        return sum(sum(f.skipped.values()) for f in self.feeds)

    @property
    def feeds_failed(self) -> int:
        return sum(f.status == "failed" for f in self.feeds)

    def to_dict(self) -> dict[str, Any]:
        return {"feeds": [f.to_dict() for f in self.feeds], "run_id": self.run_id,
                "items_new": sum(f.new_items for f in self.feeds), "items_stored": self.items_stored,
                "items_skipped": self.items_skipped, "events_stored": self.events_stored,
                "feeds_failed": self.feeds_failed, "alerts": self.alerts,
                "deliveries": self.deliveries.to_dict(), "seconds": round(self.seconds, 3),
                "stopped": self.stopped}


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)
_SECONDS_PER_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
# Longest interval or delay: a year (a longer wait overflows the clock of threading's waits).
MAX_DURATION = 365 * 86400.0


def parse_duration(value: str | float, *, what: str = "--interval") -> float:
    """Seconds from ``15m``, ``30s``, ``1.5h``, ``2d``, ``250ms`` or a bare number of seconds."""
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(value)
        if not match:
            raise BadOption(f"{what} {value!r} is not a duration", "write e.g. 30s, 15m, 1h or 1d")
        seconds = float(match.group(1)) * _SECONDS_PER_UNIT[(match.group(2) or "s").lower()]
    if seconds < 0 or seconds != seconds or seconds == float("inf"):
        raise BadOption(f"{what} {value!r} is not a duration", "write e.g. 30s, 15m, 1h or 1d")
    if seconds > MAX_DURATION:
        raise BadOption(f"{what} {str(value)[:40]!r} is longer than a year", "give at most 365d")
    return seconds


# ---- polling -------------------------------------------------------------------------------------

def poll_feed(fetcher: HeaderFetcher, cursor: state.FeedCursor) -> FeedPoll:
    """Fetch one feed conditionally and parse it; every failure is a ``failed`` poll with a reason."""
    url = cursor.url
    headers = {"Accept": FEED_ACCEPT}
    if cursor.etag:
        headers["If-None-Match"] = cursor.etag
    if cursor.last_modified:
        headers["If-Modified-Since"] = cursor.last_modified
    try:
        page = fetcher.fetch(url, headers=headers)
    except UnsafeURL as exc:
        return FeedPoll(url, "failed", reason=Reason.UNSAFE_URL, detail=exc.message)
    except DocumentRejected as exc:
        return FeedPoll(url, "failed", reason=exc.reason, detail=exc.message)
    except FetchError as exc:
        return FeedPoll(url, "failed", reason=Reason.FETCH_FAILED, detail=exc.message)
    if page.status == 304:
        return FeedPoll(url, "not_modified")
    if not page.ok:
        return FeedPoll(url, "failed", reason=f"http_{page.status}", detail=f"{url} answered HTTP {page.status}")
    parsed = parse_feed(page.content, url=page.final_url, content_type=page.headers.get("content-type", ""))
    if not parsed.ok:
        return FeedPoll(url, "failed", feed=parsed, reason=parsed.reason, detail=parsed.detail)
    return FeedPoll(url, "changed", feed=parsed, etag=page.headers.get("etag"),
                    last_modified=page.headers.get("last-modified"))


# ---- storing a feed's pending items --------------------------------------------------------------

def _item_failure(item: state.PendingItem, rejected: Rejected, max_attempts: int) -> state.ItemUpdate:
    reason = rejected.reason
    status_code = int(reason[5:]) if reason.startswith("http_") and reason[5:].isdigit() else 0
    permanent = reason in _PERMANENT or (400 <= status_code < 500 and status_code not in _TRANSIENT_HTTP)
    gave_up = permanent or item.attempts + 1 >= max_attempts
    where = safe_one_line(item.link or item.key)
    detail = safe_one_line(rejected.detail)
    if gave_up:
        log.warning("item %s of %s: %s (%s) - gave up after %d attempts", where, safe_one_line(item.feed_url),
                    reason, detail, item.attempts + 1)
    else:
        log.warning("item %s of %s: %s (%s) - tried again next cycle (attempt %d of %d)", where,
                    safe_one_line(item.feed_url), reason, detail, item.attempts + 1, max_attempts)
    return state.ItemUpdate(item.feed_url, item.key, "failed" if gave_up else "pending", reason=reason,
                            detail=rejected.detail[:1000])


def _item_document(store: Store, item: state.PendingItem, fetcher: HeaderFetcher) -> Document | Rejected:
    if item.link is None:
        inline = state.inline_html(store, item.feed_url, item.key)
        return inline_document(item.as_feed_item(inline), feed_url=item.feed_url)
    got = document_from_url(item.link, fetcher)
    if isinstance(got, Rejected):
        return got
    # The feed's date and title are hints the extractor prefers to what it finds in the page.
    return replace(got, kind="feed", published=item.published, title=item.title)


class _FeedStorer:
    """Fetches, codes and stores one feed's pending items through the pipeline's write loop, a
    transaction per batch that also marks the batch's feed items stored."""

    def __init__(self, store: Store, feed_url: str, fetcher: HeaderFetcher, code: CodeFn, options: WatchOptions,
                 report: FeedReport, run: Callable[[], str], on_progress: ProgressFn | None,
                 should_stop: Callable[[], bool]) -> None:
        self.store, self.feed_url, self.fetcher, self.code = store, feed_url, fetcher, code
        self.options, self.report, self.on_progress = options, report, on_progress
        self.should_stop = should_stop
        self.batch_size = int(options.batch_size or get_setting("batch_size"))
        self.unflushed: list[state.ItemUpdate] = []  # fetch failures and known pages, saved with the next batch
        self.waiting: dict[str, list[state.PendingItem]] = {}  # document id -> items whose page it is
        self.done = 0
        self.total = 0
        # A run is started only when a batch holds a coded page.
        self.loop = WriteLoop(store, batch_size=self.batch_size, run_id=lambda need: run() if need else None,
                              in_batch=self._mark_items, on_batch=self._report, has_work=lambda: bool(self.unflushed))
        self.marked: list[state.ItemUpdate] = []  # the batch in hand's item updates, reported once committed

    def run_all(self) -> None:
        self.total = state.count_pending(self.store, self.feed_url, max_attempts=self.options.max_attempts)
        if not self.total:
            return
        log.info("feed %s: %d items to store", safe_one_line(self.feed_url), self.total)
        self.loop.write(self.code(self._fresh_documents(), batch_size=self.batch_size, published=None))

    def _fresh_documents(self) -> Iterator[Document]:
        for item in state.pending_items(self.store, self.feed_url, max_attempts=self.options.max_attempts):
            if self.should_stop():
                return
            got = _item_document(self.store, item, self.fetcher)
            if isinstance(got, Rejected):
                self.unflushed.append(_item_failure(item, got, self.options.max_attempts))
                continue
            if got.id in self.waiting:  # two items, one page: stored once, both marked
                self.waiting[got.id].append(item)
                continue
            if self.store.has_document(got.id):
                self.unflushed.append(state.ItemUpdate(item.feed_url, item.key, "stored", outcome="duplicate",
                                                       document_id=got.id))
                continue
            self.waiting[got.id] = [item]
            self.loop.documents[got.id] = DocumentRecord.of(got)
            yield got

    def _mark_items(self, writer: StoreWriter, run_id: str | None,
                    done: list[tuple[Article | Rejected, AddResult]]) -> Counter[str]:
        """Inside the batch's transaction: its feed items marked, and what they add to the run's counters."""
        updates = list(self.unflushed)
        deltas: Counter[str] = Counter()
        for item, result in done:
            if result.skipped:
                log.info("feed %s: skipped: %s: %s (%s; stored without events)", safe_one_line(self.feed_url),
                         safe_one_line(item.doc_id), result.skipped, result.detail)
            deltas["documents_seen"] += 1
            for pending in self.waiting.pop(item.document_id, []):
                updates.append(state.ItemUpdate(pending.feed_url, pending.key, "stored", outcome=result.status,
                                                reason=result.reason, detail=result.detail or None,
                                                document_id=result.document_id))
        state.mark_items(writer.con, updates, run_id=run_id)
        if run_id:
            known = sum(u.outcome == "duplicate" for u in self.unflushed)
            deltas["duplicates"] += known
            deltas["documents_seen"] += known
        self.unflushed.clear()
        self.marked = updates
        return deltas

    def _report(self, results: list[AddResult]) -> None:
        """After a batch committed: the report tells what is durably stored."""
        updates, self.marked = self.marked, []
        for update in updates:
            if update.status == "stored":
                self.report.stored[update.outcome or "new"] += 1
            elif update.status == "failed":
                self.report.gave_up += 1
            else:
                self.report.retry_later += 1
        self.report.events_stored += sum(r.events_added for r in results)
        self.report.skipped.update(r.skipped for r in results if r.skipped)
        before, self.done = self.done, self.done + len(updates)
        if self.on_progress:
            self.on_progress(self.feed_url, self.done, self.total)
        every = max(self.options.progress_every, 1)
        if self.done // every > before // every or self.done == self.total:
            log.info("feed %s: %d/%d items done", safe_one_line(self.feed_url), self.done, self.total)


# ---- a cycle -------------------------------------------------------------------------------------

def _poll_and_list(store: Store, fetcher: HeaderFetcher, url: str, report: FeedReport) -> None:
    poll = poll_feed(fetcher, state.feed_cursor(store, url))
    report.status, report.reason, report.detail = poll.status, poll.reason, poll.detail
    with store.writer() as writer:
        if poll.status == "changed" and poll.feed is not None:
            items: Sequence[FeedItem] = poll.feed.items
            report.new_items = state.add_items(writer.con, url, items)
            state.record_feed_poll(writer.con, url, status="changed", etag=poll.etag,
                                   last_modified=poll.last_modified, title=poll.feed.title,
                                   detail=poll.feed.warning)
        elif poll.status == "not_modified":
            state.record_feed_poll(writer.con, url, status="not_modified")
        else:
            state.record_feed_failure(writer.con, url, reason=poll.reason or "error", detail=poll.detail)
    where = safe_one_line(url)
    if poll.status == "changed" and poll.feed is not None:
        if poll.feed.warning:
            log.warning("feed %s: %s", where, safe_one_line(poll.feed.warning))
        log.info("feed %s: %d items listed, %d new", where, len(poll.feed.items), report.new_items)
    elif poll.status == "not_modified":
        log.info("feed %s: not modified since the last poll", where)
    else:
        log.warning("feed %s: %s (%s) - the other feeds go on; it is polled again next cycle", where,
                    poll.reason, safe_one_line(poll.detail))


def run_cycle(store: Store, feeds: Sequence[str], *, fetcher: HeaderFetcher, sinks: Sequence[AlertSink] = (),
              options: WatchOptions | None = None, coder: str | None = None,
              on_progress: ProgressFn | None = None, should_stop: Callable[[], bool] = lambda: False,
              sleep: Callable[[float], None] = time.sleep) -> CycleReport:
    """Poll every feed, store its new items, then recompute alerts and deliver them (see the module docstring).

    ``fetcher`` should be a ``PoliteFetcher`` kept across cycles (its robots.txt cache and
    per-host clock live there). ``coder`` names the registered coder (default: the
    ``coder`` setting). ``should_stop`` is checked between items: the batch in hand
    is stored, and the cycle ends early (``stopped``).
    """
    options = options or WatchOptions()
    _, code = get_coder(coder)
    started = time.monotonic()
    report = CycleReport()

    def run() -> str:
        if report.run_id is None:
            report.run_id = store.start_run("watch", " ".join(feeds))
        return report.run_id

    status = "failed"
    try:
        for url in feeds:
            if should_stop():
                break
            feed_report = FeedReport(url)
            report.feeds.append(feed_report)
            try:
                _poll_and_list(store, fetcher, url, feed_report)
                _FeedStorer(store, url, fetcher, code, options, feed_report, run, on_progress, should_stop).run_all()
            except (StoreError, KeyboardInterrupt):
                raise
            except Exception as exc:  # one feed's bug or bad data never stops the others
                log.exception("feed %s: unexpected %s: %s - the other feeds go on", safe_one_line(url),
                              type(exc).__name__, safe_one_line(str(exc)))
                feed_report.status, feed_report.reason, feed_report.detail = "failed", "error", str(exc)
        report.stopped = should_stop()
        if not report.stopped and sinks:
            report.alerts, report.deliveries = _alerts_round(store, sinks, options, sleep, should_stop)
        status = "interrupted" if report.stopped else "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        if report.run_id is not None:
            store.finish_run(report.run_id, status)
        report.seconds = time.monotonic() - started
    return report


def _alerts_round(store: Store, sinks: Sequence[AlertSink], options: WatchOptions,
                  sleep: Callable[[float], None], should_stop: Callable[[], bool]) -> tuple[int, DeliveryReport]:
    """Alerts of every period since the last round's latest one (the latest only, the first time)."""
    try:
        freq = resolve_freq(store, options.freq)
        key = f"alerts_checked_through:{freq}"
        since_text = state.get_value(store, key)
        since = date.fromisoformat(since_text) if since_text else None
        alerts = find_alerts(store, since=since, freq=freq, threshold=options.threshold)
        last = latest_period(store, freq)
    except DetenteError as exc:
        log.error("alerts not computed: %s", exc.one_line())
        return 0, DeliveryReport()
    deliveries = deliver_alerts(store, alerts, sinks, retry=options.retry, sleep=sleep, should_stop=should_stop)
    if last is not None:
        with store.writer() as writer:
            state.set_value(writer.con, key, last.isoformat())
    return len(alerts), deliveries


# ---- the loop ------------------------------------------------------------------------------------

FeedSource = Sequence[str] | str | Path


def _feed_list(feeds: FeedSource, previous: Sequence[str]) -> list[str]:
    """The feeds to poll: a list as given, or a file re-read every cycle (a bad edit keeps the old list)."""
    if not isinstance(feeds, str | Path):
        return list(feeds)
    try:
        return read_feed_list(feeds)
    except DetenteError as exc:
        if not previous:
            raise
        log.error("feed list not re-read: %s; polling the previous %d feeds", exc.one_line(), len(previous))
        return list(previous)


def watch_loop(store: Store, feeds: FeedSource, *, fetcher: HeaderFetcher, interval: float,
               once: bool = False, stop: threading.Event | None = None,
               on_cycle: Callable[[CycleReport], None] | None = None, **cycle_options: Any) -> int:
    """Run cycles every ``interval`` seconds (measured from the start of one to the next) until
    ``stop`` is set, or one cycle with ``once``; returns how many cycles ran. A cycle that fails
    unexpectedly is logged and the loop goes on (with ``once`` the error is raised)."""
    stop = stop or threading.Event()
    cycles = 0
    current: list[str] = []
    while not stop.is_set():
        started = time.monotonic()
        try:
            current = _feed_list(feeds, current)
            report = run_cycle(store, current, fetcher=fetcher, should_stop=stop.is_set, **cycle_options)
        except (KeyboardInterrupt, StoreError):
            raise
        except Exception as exc:
            if once:
                raise
            log.exception("watch cycle failed: %s: %s - trying again in %.0f s", type(exc).__name__,
                          safe_one_line(str(exc)), interval)
        else:
            if on_cycle:
                on_cycle(report)
        cycles += 1
        if once:
            break
        stop.wait(max(interval - (time.monotonic() - started), 0.0))
    return cycles


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """While inside: SIGINT and SIGTERM set ``stop`` (the cycle stores what it has and ends);
    a second signal interrupts at once. Only in the main thread (elsewhere it does nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.warning("%s received: finishing the batch in hand, then stopping (again to stop at once)",
                    signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
