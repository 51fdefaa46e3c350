"""``detente watch``: follow feeds, code new articles into the store, deliver alerts once.

Every option is checked before the store is opened, so a typo in the feed list or an
impossible option never creates or changes a database file.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import typer

from ..errors import BadOption
from ..ingest import is_url
from ..ingest.feeds import read_feed_list
from ..settings import MAX_BATCH_SIZE, check_range, get_setting
from ..store import open_store
from ._common import err, stdout_is_terminal
from ._safe_text import plain
from .store_cmd import DB_HELP

__all__ = ["check_serve_watch", "register", "start_serve_watcher"]


def register(app: typer.Typer) -> None:
    app.command("watch")(watch_command)


class _ConsoleLog(logging.Handler):
    """Log records as plain lines on stderr through Rich, so they interleave cleanly with a progress bar."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
            line = f"{stamp} {record.levelname.lower():7} {record.getMessage()}"
            if record.exc_info and logging.getLogger("detente.watch").isEnabledFor(logging.DEBUG):
                line += "\n" + logging.Formatter().formatException(record.exc_info)
            err.print(line, markup=False, highlight=False, soft_wrap=True)
        except Exception:  # a log line must never stop the watch
            self.handleError(record)


def _configure_logging(debug: bool) -> logging.Handler:
    logger = logging.getLogger("detente.watch")
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    for existing in logger.handlers:
        if isinstance(existing, _ConsoleLog):
            return existing
    handler = _ConsoleLog()
    logger.addHandler(handler)
    return handler


def check_serve_watch(feeds: str, interval: str) -> float:
    """``detente serve --watch FEEDS --watch-interval I``: the options checked before the store is opened."""
    from ..watch import parse_duration  # late: keeps CLI start-up light

    seconds = parse_duration(interval, what="--watch-interval")
    read_feed_list(feeds)
    return seconds


def start_serve_watcher(store: Any, feeds: str, *, interval: float, on_stored: Any) -> Any:
    """The watcher ``detente serve --watch`` runs in a thread of the server: alerts go to the log,
    private hosts follow the ``allow_private`` setting, and ``on_stored()`` is called after each
    cycle that stored something (the server drops its cached pages then). Returns the handle."""
    from ..watch import LogSink, start_watcher  # late: keeps CLI start-up light

    _configure_logging(debug=bool(os.environ.get("DETENTE_DEBUG")))

    def after_cycle(report: Any) -> None:
        logging.getLogger("detente.watch").info("%s", _cycle_line(report))
        if report.items_stored:
            on_stored()

    return start_watcher(store, feeds, interval=interval, sinks=[LogSink()], on_cycle=after_cycle)


def _check_webhook(url: str | None) -> None:
    if url is not None and not is_url(url):
        raise BadOption(f"--webhook {plain(url)} is not an http(s) URL", "give e.g. https://hooks.example.org/detente")


def _check_jsonl(path: str | None) -> None:
    if path is None:
        return
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise BadOption(f"the directory of --alerts-jsonl {plain(path)} does not exist", "create it or choose another")
    if Path(path).is_dir():
        raise BadOption(f"--alerts-jsonl {plain(path)} is a directory", "give a file name")


def _cycle_line(report: Any) -> str:
    feeds = len(report.feeds)
    failed = f" ({report.feeds_failed} failed)" if report.feeds_failed else ""
    new_items = sum(f.new_items for f in report.feeds)
    retry = sum(f.retry_later for f in report.feeds)
    gave_up = sum(f.gave_up for f in report.feeds)
    delivered = sum(report.deliveries.delivered.values())
    deferred = sum(report.deliveries.deferred.values())
    by_reason: Counter[str] = Counter()
    for feed in report.feeds:
        by_reason.update(feed.skipped)
    skipped = (" (skipped: " + ", ".join(f"{r} {n}" for r, n in sorted(by_reason.items())) + ")") if by_reason else ""
    parts = [f"{feeds} feeds{failed}", f"{new_items} new items", f"{report.items_stored} stored{skipped}",
             f"{report.events_stored} events"]
    if retry or gave_up:
        parts.append(f"{retry} to retry, {gave_up} given up")
    parts.append(f"{report.alerts} alerts ({delivered} deliveries made"
                 + (f", {deferred} waiting" if deferred else "") + ")")
    return f"cycle done in {report.seconds:.1f} s: " + ", ".join(parts)


def watch_command(
    feeds: str = typer.Argument(..., help="A text file of feed URLs (one a line, '#' comments) or an OPML file."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    interval: str = typer.Option("15m", "--interval", help="Time between two polls of every feed (30s, 15m, 1h)."),
    once: bool = typer.Option(False, "--once", help="Run one cycle and exit."),
    alerts_jsonl: str = typer.Option(None, "--alerts-jsonl", help="Append each alert to this JSONL file, once."),
    webhook: str = typer.Option(None, "--webhook", help="POST each alert's JSON to this URL, once (retried)."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Allow feeds, pages and the webhook on loopback/private hosts."),
    host_delay: str = typer.Option("1s", "--host-delay", help="Least time between two requests to one host."),
    max_attempts: int = typer.Option(3, "--max-attempts", help="Fetches of an item's page before giving up on it."),
    batch_size: int = typer.Option(None, "--batch-size", help="Documents per batch (one transaction each)."),
    freq: str = typer.Option("auto", "--freq", help="Alert periods: D, W, M or auto (as for detente alerts)."),
    threshold: float = typer.Option(None, "--threshold", help="Escalation index that raises an alert (default 2)."),
    as_json: bool = typer.Option(False, "--json", help="Print each cycle's report as one JSON line on stdout."),
) -> int:
    """Follow RSS/Atom feeds: code new articles into the store as they appear and deliver escalation alerts once."""
    from ..analysis.codes import parse_freq  # late: keeps CLI start-up light
    from ..watch import (  # late: keeps CLI start-up light
        RetryPolicy,
        WatchOptions,
        build_sinks,
        parse_duration,
        stop_on_signals,
        watch,
    )

    every = parse_duration(interval)
    if every < 1 and not once:
        raise BadOption(f"--interval {interval} is shorter than a second", "give e.g. 30s or 15m")
    delay = parse_duration(host_delay, what="--host-delay")
    if max_attempts < 1:
        raise BadOption(f"--max-attempts {max_attempts} is not positive", "give 1 or more")
    if batch_size is not None and batch_size < 1:
        raise BadOption(f"--batch-size {batch_size} is not positive", "give 1 or more")
    check_range("--max-attempts", max_attempts, 1, 1000)
    if batch_size is not None:
        check_range("--batch-size", batch_size, 1, MAX_BATCH_SIZE)
    if threshold is not None and not (threshold > 0 and threshold != float("inf")):
        raise BadOption(f"--threshold {threshold} is not a positive number", "give e.g. --threshold 2")
    freq = parse_freq(freq)
    _check_webhook(webhook)
    _check_jsonl(alerts_jsonl)
    listed = read_feed_list(feeds)
    import click

    context = click.get_current_context(silent=True)
    debug = bool(context and context.find_root().params.get("debug")) or bool(os.environ.get("DETENTE_DEBUG"))
    handler = _configure_logging(debug)
    options = WatchOptions(host_delay=delay, max_attempts=max_attempts, batch_size=batch_size, freq=freq,
                           threshold=threshold, retry=RetryPolicy())
    allow_private = bool(get_setting("allow_private", allow_private or None))  # the flag, else DETENTE_ALLOW_PRIVATE
    sinks = build_sinks(jsonl=alerts_jsonl, webhook=webhook, allow_private=allow_private)
    failed_everywhere = False
    try:
        with open_store(db) as store:
            logging.getLogger("detente.watch").info(
                "watching %d feeds into %s%s", len(listed), plain(store.path),
                "" if once else f", every {interval}")
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
            with Progress(*columns, console=err, transient=True, disable=not err.is_terminal,
                  redirect_stdout=stdout_is_terminal()) as bar:
                tasks: dict[str, Any] = {}

                def on_progress(feed_url: str, done: int, total: int) -> None:
                    if feed_url not in tasks:
                        tasks[feed_url] = bar.add_task(plain(feed_url)[-60:], total=total)
                    bar.update(tasks[feed_url], completed=done, total=total)

                def on_cycle(report: Any) -> None:
                    nonlocal failed_everywhere
                    for task in tasks.values():
                        bar.remove_task(task)
                    tasks.clear()
                    failed_everywhere = bool(report.feeds) and report.feeds_failed == len(report.feeds)
                    logging.getLogger("detente.watch").info("%s", _cycle_line(report))
                    if as_json:
                        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
                        sys.stdout.flush()

                with stop_on_signals(threading.Event()) as stop:
                    # The file, not the list: an edit to it is picked up at the next cycle.
                    watch(store, feeds, interval=every, once=once, sinks=sinks, options=options,
                          allow_private=allow_private, stop=stop, on_cycle=on_cycle,
                          on_progress=on_progress)
    finally:
        logging.getLogger("detente.watch").removeHandler(handler)
        for sink in sinks:
            close = getattr(getattr(sink, "poster", None), "close", None)
            if callable(close):
                close()
    return 1 if once and failed_everywhere else 0
