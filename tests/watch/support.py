"""Helpers for the watch tests (no tests here): a local site serving feeds and pages that change
between polls, with ETag / Last-Modified and 304s, slow routes and robots.txt; a webhook receiver
with scripted answers; and feed builders.

Everything listens on 127.0.0.1 only, on a free port, in daemon threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from tests.store_support import marker


@dataclass
class Route:
    """What one path answers. ``etag``/``last_modified`` enable 304s; ``delay`` makes it slow."""

    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        headers = {k.lower(): v for k, v in self.headers.items()}
        with site.lock:
            site.requests.append(Request("GET", self.path, headers))
            route = site.routes.get(self.path)
        if route is None:
            self._answer(404, b"not here", "text/plain")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.etag and headers.get("if-none-match") == route.etag:
            self._answer(304, b"", None, route)
            return
        if route.last_modified and not route.etag and headers.get("if-modified-since") == route.last_modified:
            self._answer(304, b"", None, route)
            return
        self._answer(route.status, route.body, route.content_type, route)

    def do_POST(self) -> None:
        site = self.server.site
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with site.lock:
            site.requests.append(Request("POST", self.path, headers, body))
            status = site.post_statuses.pop(0) if site.post_statuses else 200
            if 200 <= status < 300:
                site.accepted.append(body)
        self._answer(status, b"{}", "application/json")

    def _answer(self, status: int, body: bytes, content_type: str | None, route: Route | None = None) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if route is not None and route.etag:
                self.send_header("ETag", route.etag)
            if route is not None and route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass


@dataclass
class Site:
    """A local web site: ``routes`` by path (change them between polls), ``requests`` as received,
    ``post_statuses`` the answers to the next POSTs (then 200), ``accepted`` the POST bodies answered 2xx."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    post_statuses: list[int] = field(default_factory=list)
    accepted: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, **kwargs: Any) -> str:
        self.routes[path] = Route(body.encode("utf-8") if isinstance(body, str) else body, **kwargs)
        return self.url(path)

    def gets(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.method == "GET" and r.path == path]

    def posts(self) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.method == "POST"]


@contextmanager
def serve_site() -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), _Handler)
    site = Site()
    server.site = site
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# ---- feeds and pages -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    guid: str | None
    link: str | None
    title: str
    published: date | None = None
    summary: str | None = None


def rss(entries: Sequence[Entry], *, title: str = "Test feed") -> str:
    items = []
    for e in entries:
        parts = [f"<title>{escape(e.title)}</title>"]
        if e.link:
            parts.append(f"<link>{escape(e.link)}</link>")
        if e.guid:
            parts.append(f'<guid isPermaLink="false">{escape(e.guid)}</guid>')
        if e.published:
            stamp = format_datetime(_utc_noon(e.published))
            parts.append(f"<pubDate>{stamp}</pubDate>")
        if e.summary:
            parts.append(f"<description>{escape(e.summary)}</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.org/</link><description>d</description>{''.join(items)}</channel></rss>")


def atom(entries: Sequence[Entry], *, title: str = "Test atom feed") -> str:
    items = []
    for e in entries:
        parts = [f"<title>{escape(e.title)}</title>", f"<id>{escape(e.guid or e.link or e.title)}</id>"]
        if e.link:
            parts.append(f'<link rel="alternate" href="{escape(e.link)}"/>')
        if e.published:
            parts.append(f"<updated>{e.published.isoformat()}T12:00:00Z</updated>")
        if e.summary:
            parts.append(f'<content type="html">{escape(e.summary)}</content>')
        items.append("<entry>" + "".join(parts) + "</entry>")
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:test</id><updated>2024-01-01T00:00:00Z</updated>"
            f"{''.join(items)}</feed>")


def _utc_noon(day: date) -> Any:
    from datetime import UTC, datetime

    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def story(n: int, *events: tuple[str, str, str, date]) -> str:
    """A page in the fake coder's format: a boilerplate line, a lead, one line per event marker."""
    lines = [f"# Site navigation {n}", f"Story {n}: officials from several capitals spoke about the crisis today."]
    for k, (src, kind, tgt, day) in enumerate(events):
        lines.append(f"Paragraph {k} of story {n} {marker(src, kind, tgt, day)}.")
    return "\n".join(lines)


START = date(2024, 3, 1)


def escalation_pages() -> tuple[str, str]:
    """Two pages that make one USA -> RUS alert: three weeks of mild accusations, then a day of assaults."""
    history = story(1, *[("USAGOV", "ACCUSE", "RUSGOV", START + timedelta(days=d)) for d in range(21)])
    spike = story(2, *[("USAGOV", "ASSAULT", "RUSGOV", START + timedelta(days=21))] * 1,
                  *[("USAMIL", "ASSAULT", "RUSMIL", START + timedelta(days=21))],
                  *[("USAGOV", "THREATEN", "RUSGOV", START + timedelta(days=21))])
    return history, spike
