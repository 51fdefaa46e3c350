"""PoliteFetcher: robots.txt per host (RFC 9309 answers), Crawl-delay, and the per-host delay,
with the in-memory fetcher and a fake clock (no network, no real waiting)."""

from __future__ import annotations

import pytest

from detente.errors import BadOption, DocumentRejected, FetchError
from detente.ingest import InMemoryFetcher
from detente.watch import PoliteFetcher, parse_duration
from detente.watch.polite import host_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def polite(fetcher: InMemoryFetcher, clock: FakeClock, delay: float = 2.0) -> PoliteFetcher:
    return PoliteFetcher(fetcher, min_delay=delay, clock=clock, sleep=clock.sleep, robots_ttl=3600)


def test_requests_to_one_host_are_spaced_and_other_hosts_are_not_held_up() -> None:
    fetcher, clock = InMemoryFetcher(), FakeClock()
    for url in ("https://a.example/1", "https://a.example/2", "https://a.example/3", "https://b.example/1"):
        fetcher.add(url, b"page")
    fetcher.add("https://a.example/robots.txt", b"", status=404)
    fetcher.add("https://b.example/robots.txt", b"", status=404)
    p = polite(fetcher, clock)
    p.fetch("https://a.example/1")  # robots.txt at once, then the page 2 s after it (t = 102)
    p.fetch("https://b.example/1")  # another host: its robots.txt at once, its page 2 s later (t = 104)
    clock.now += 0.5
    p.fetch("https://a.example/2")  # 2.5 s since a.example's last request: no wait (t = 104.5)
    clock.now += 0.5
    p.fetch("https://a.example/3")  # 0.5 s since: waits the other 1.5 s
    assert fetcher.requested == ["https://a.example/robots.txt", "https://a.example/1", "https://b.example/robots.txt",
                                 "https://b.example/1", "https://a.example/2", "https://a.example/3"]
    assert clock.slept == [2.0, 2.0, 1.5]
    assert p.waited == pytest.approx(5.5)


def test_crawl_delay_raises_the_spacing_up_to_a_cap() -> None:
    fetcher, clock = InMemoryFetcher(), FakeClock()
    fetcher.add("https://a.example/robots.txt", b"User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    fetcher.add("https://b.example/robots.txt", b"User-agent: *\nCrawl-delay: 86400\n", content_type="text/plain")
    p = polite(fetcher, clock, delay=1.0)
    p.check_allowed("https://a.example/x")
    p.check_allowed("https://b.example/x")
    assert p.delay_for("https://a.example/x") == 5.0
    assert p.delay_for("https://b.example/x") == 60.0  # a site cannot stall the watcher for a day


def test_robots_rules_for_our_agent_and_for_everyone() -> None:
    fetcher, clock = InMemoryFetcher(), FakeClock()
    fetcher.add("https://a.example/robots.txt",
                b"User-agent: detente\nDisallow: /no-bots/\n\nUser-agent: *\nDisallow: /\n", content_type="text/plain")
    p = polite(fetcher, clock)
    p.check_allowed("https://a.example/news/1")
    with pytest.raises(DocumentRejected) as refused:
        p.check_allowed("https://a.example/no-bots/1")
    assert refused.value.reason == "robots_disallowed"
    assert fetcher.requested.count("https://a.example/robots.txt") == 1
    clock.now += 7200  # past the cache's lifetime: read again
    p.check_allowed("https://a.example/news/2")
    assert fetcher.requested.count("https://a.example/robots.txt") == 2


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (401, True), (403, True), (500, False), (503, False)])
def test_robots_status_follows_rfc_9309(status: int, allowed: bool) -> None:
    fetcher, clock = InMemoryFetcher(), FakeClock()
    fetcher.add("https://a.example/robots.txt", b"whatever", status=status)
    fetcher.add("https://a.example/page", b"page")
    p = polite(fetcher, clock)
    if allowed:
        assert p.fetch("https://a.example/page").ok
    else:
        with pytest.raises(DocumentRejected) as refused:
            p.fetch("https://a.example/page")
        assert refused.value.reason == "robots_unavailable"
        assert "https://a.example/page" not in fetcher.requested


def test_an_unreachable_robots_txt_is_asked_again_soon() -> None:
    fetcher, clock = InMemoryFetcher(), FakeClock()
    fetcher.routes["https://a.example/robots.txt"] = FetchError("connection refused")
    p = polite(fetcher, clock)
    with pytest.raises(DocumentRejected):
        p.check_allowed("https://a.example/page")
    fetcher.add("https://a.example/robots.txt", b"", status=404)
    clock.now += 60
    with pytest.raises(DocumentRejected):  # still cached as unavailable
        p.check_allowed("https://a.example/page")
    clock.now += 300
    p.check_allowed("https://a.example/page")


def test_headers_pass_through_and_hosts_are_told_apart_by_scheme_and_port() -> None:
    fetcher, clock = InMemoryFetcher(), FakeClock()
    fetcher.add("http://a.example/robots.txt", b"", status=404)
    fetcher.add("http://a.example/feed", b"<rss/>")
    p = polite(fetcher, clock)
    p.fetch("http://a.example/feed", headers={"If-None-Match": '"v1"'})
    assert fetcher.request_headers[-1] == {"If-None-Match": '"v1"'}
    assert host_key("http://A.example/x") == "http://a.example:80"
    assert host_key("https://a.example:8443/x") == "https://a.example:8443"


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900.0), ("30s", 30.0), ("1.5h", 5400.0), ("2d", 172800.0),
                                               ("250ms", 0.25), ("90", 90.0), (" 1H ", 3600.0)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5m", "5 minutes", "1e3", "nan"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(BadOption):
        parse_duration(text)
