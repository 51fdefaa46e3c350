"""Fetching as a good citizen: robots.txt obeyed, one host not hammered, conditional requests passed on.

``PoliteFetcher`` wraps any fetcher that takes extra request headers (``SafeFetcher`` does,
so the SSRF guard stays on every request: feeds, pages and robots.txt alike) and adds:

- robots.txt, read once per host (scheme, host and port) through the same fetcher and
  cached for ``robots_ttl`` seconds, parsed by ``urllib.robotparser``. Following RFC 9309:
  a robots.txt answering 4xx means no rules (everything allowed); 5xx or a network failure
  means the host cannot be judged, so nothing is fetched from it this time (the failure is
  cached only briefly); a redirect is followed like any fetch. A disallowed URL raises
  ``DocumentRejected`` with reason ``robots_disallowed`` (``robots_unavailable`` for the
  5xx case), which ``document_from_url`` turns into a ``Rejected`` value.
- a per-host minimum delay between the starts of two requests (``min_delay`` seconds, or
  the site's ``Crawl-delay`` when larger, capped at ``max_crawl_delay``).

The clock and the sleep are I/O edges a test replaces.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import DocumentRejected, FetchError, Reason, UnsafeURL
from ..ingest.fetch import USER_AGENT, FetchedPage

__all__ = ["HeaderFetcher", "PoliteFetcher", "host_key"]

# Cached failure of robots.txt: short, so a host that was briefly down is asked again soon.
_ROBOTS_RETRY_AFTER = 300.0


class HeaderFetcher(Protocol):
    """A ``Fetcher`` that can add request headers (``SafeFetcher`` and ``InMemoryFetcher`` can)."""

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchedPage: ...


def host_key(url: str) -> str:
    """``scheme://host:port`` of a URL: the unit robots.txt and the rate limit apply to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    host = (parts.hostname or "").lower()
    return f"{scheme}://{host}:{port}"


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: no rules (allow all)
    expires: float
    unavailable: str = ""  # why the host cannot be judged (5xx / network); empty when rules are known


class PoliteFetcher:
    """A ``HeaderFetcher`` that obeys robots.txt and spaces requests to each host."""

    def __init__(self, fetcher: HeaderFetcher, *, min_delay: float = 1.0, user_agent: str = USER_AGENT,
                 robots_ttl: float = 86400.0, max_crawl_delay: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if min_delay < 0:
            raise ValueError("min_delay must not be negative")
        self.fetcher = fetcher
        self.min_delay = min_delay
        self.user_agent = user_agent
        self.robots_ttl = robots_ttl
        self.max_crawl_delay = max_crawl_delay
        self._clock = clock
        self._sleep = sleep
        self._robots: dict[str, _Robots] = {}
        self._last_request: dict[str, float] = {}
        self._lock = threading.Lock()
        self.waited = 0.0  # seconds spent waiting for hosts (a figure for reports)

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchedPage:
        """Fetch ``url`` if robots.txt allows it, after waiting for its host's turn."""
        try:
            host_key(url)
        except ValueError as exc:  # a feed's link with a port or an IPv6 host that cannot be read
            raise UnsafeURL(f"refused to fetch {url[:200]!r}: not a valid URL ({exc})",
                            "check the feed's link") from None
        self.check_allowed(url)
        return self._fetch_spaced(url, headers)

    def check_allowed(self, url: str) -> None:
        """Raise ``DocumentRejected`` (``robots_disallowed`` / ``robots_unavailable``) unless ``url`` may be fetched."""
        robots = self._robots_for(url)
        if robots.unavailable:
            raise DocumentRejected(f"robots.txt of {host_key(url)} cannot be read ({robots.unavailable}), so "
                                   f"nothing is fetched from that host for now", reason=Reason.ROBOTS_UNAVAILABLE,
                                   hint=Reason.ROBOTS_UNAVAILABLE.hint)
        if robots.parser is not None and not robots.parser.can_fetch(self.user_agent, url):
            raise DocumentRejected(f"robots.txt of {host_key(url)} disallows {url} for {self.user_agent}",
                                   reason=Reason.ROBOTS_DISALLOWED, hint=Reason.ROBOTS_DISALLOWED.hint)

    def delay_for(self, url: str) -> float:
        """The spacing applied to ``url``'s host: ``min_delay``, or its Crawl-delay when larger."""
        robots = self._robots.get(host_key(url))
        delay = self.min_delay
        if robots is not None and robots.parser is not None:
            crawl_delay = robots.parser.crawl_delay(self.user_agent)
            if crawl_delay is not None:
                delay = max(delay, min(float(crawl_delay), self.max_crawl_delay))
        return delay

    def _fetch_spaced(self, url: str, headers: Mapping[str, str] | None) -> FetchedPage:
        host = host_key(url)
        delay = self.delay_for(url)
        with self._lock:
            last = self._last_request.get(host)
            now = self._clock()
            wait = 0.0 if last is None else last + delay - now
            # Claim the slot before sleeping, so a second thread queues behind this request.
            self._last_request[host] = now + max(wait, 0.0)
        if wait > 0:
            self.waited += wait
            self._sleep(wait)
        return self.fetcher.fetch(url, headers=headers)

    def _robots_for(self, url: str) -> _Robots:
        host = host_key(url)
        cached = self._robots.get(host)
        if cached is not None and cached.expires > self._clock():
            return cached
        robots_url = f"{urlsplit(url).scheme.lower()}://{urlsplit(url).netloc}/robots.txt"
        try:
            page = self._fetch_spaced(robots_url, None)
        except DocumentRejected as exc:  # a robots.txt over max_bytes: RFC 9309 lets us read a prefix; we do not
            robots = _Robots(None, self._clock() + _ROBOTS_RETRY_AFTER, unavailable=exc.reason)
        except FetchError as exc:
            robots = _Robots(None, self._clock() + _ROBOTS_RETRY_AFTER, unavailable=exc.message)
        else:
            robots = self._robots_from(page)
        self._robots[host] = robots
        return robots

    def _robots_from(self, page: FetchedPage) -> _Robots:
        expires = self._clock() + self.robots_ttl
        if page.ok:
            parser = RobotFileParser()
            parser.parse(page.content.decode("utf-8", "replace").splitlines())
            return _Robots(parser, expires)
        if 400 <= page.status < 500:
            return _Robots(None, expires)
        return _Robots(None, self._clock() + _ROBOTS_RETRY_AFTER, unavailable=f"HTTP {page.status}")
