"""The dashboard's pages and their JSON twins, escaping of untrusted text, evidence highlighting,
and the read cache (no model, no network, no browser: see test_browser.py for the real browser)."""

from __future__ import annotations

import itertools
import re
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.model import Actor
from detente.store import Store, open_store
from detente.web import create_app
from detente.web.cache import ReadCache
from detente.web.highlight import segment_text
from detente.web.security import host_name, safe_href
from tests.store_support import article_for, make_event
from tests.web.test_api import build_web_store

with warnings.catch_warnings():
    # Starlette now prefers its own fork of httpx for the test client; httpx itself works the same here.
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "detente" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"

PAYLOADS = ('<script>window.__pwned = 1; document.title = "pwned"</script>',
            '<img src=x onerror="window.__pwned = 2">',
            '<a href="javascript:window.__pwned=3">click</a>',
            '"><svg onload=alert(4)>',
            "{{ 7 * 7 }} {% if 1 %}jinja{% endif %}")
HOSTILE_TEXT = ("Hostile state media wrote " + PAYLOADS[0] + " about the talks.\n"
                "Officials replied " + PAYLOADS[1] + " and " + PAYLOADS[2] + ".\n"
                "Then came " + PAYLOADS[3] + " and " + PAYLOADS[4] + ".")


def add_hostile_article(store: Store) -> dict[str, Any]:
    """An article whose text, title, URL, actor text and rule carry script payloads."""
    doc, article = article_for(HOSTILE_TEXT, doc_id='<script>alert("doc")</script>', url="javascript:window.__pwned=5",
                               published=date(2024, 2, 26))
    from dataclasses import replace

    article = replace(article, title='Talks <script>window.__pwned=6</script> "end"', author="<b>bold</b> & co",
                      site="<i>site</i>")
    lines = article.text.split("\n")
    events, offset = [], 0
    for index, line in enumerate(lines):
        event = make_event("RUSMED", "ACCUSE", "USAGOV", date(2024, 2, 26), article_id=article.id, index=index,
                           sentence=line, span=(offset, offset + len(line)), doc_id=doc.doc_id, url=article.url)
        event = replace(event, source=Actor("RUSMED", "RUS", "MED", text='<img src=x onerror="window.__pwned=7">'),
                        rule='rule <script>window.__pwned=8</script> fired')
        events.append(event)
        offset += len(line) + 1
    store.add(article, events, document=doc)
    return {"article": article, "events": events}


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[TestClient, dict[str, Any]]]:
    with open_store(":memory:") as store:
        planted = build_web_store(store)
        planted["hostile"] = add_hostile_article(store)
        with TestClient(create_app(store)) as client:
            yield client, planted


def html_of(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


class _Elements(HTMLParser):
    """Every element a browser would build from a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def no_live_markup(html: str) -> None:
    """None of ``PAYLOADS`` became markup: no element or attribute that can run script, except our own files."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag not in ("img", "svg", "iframe", "object", "embed"), (tag, attrs)
        if tag == "script":
            assert re.fullmatch(r"/(static|vendor)/[\w.-]+\.js", attrs.get("src") or ""), attrs
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")), (tag, attrs)


# ---- pages and twins ---------------------------------------------------------------------------

def test_overview_and_its_twin(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, _ = site
    data = client.get("/index.json").json()
    assert {"stats", "freq", "most_active", "most_escalating", "alerts", "alerts_total", "chains"} <= set(data)
    html = html_of(client, "/")
    for dyad in data["most_active"]:
        assert f'href="/dyads/{dyad["source"]}/{dyad["target"]}"' in html
    assert data["most_active"][0]["source_name"] in ("United States", "Russian Federation", "Russia")
    assert 'href="/index.json"' in html and 'action="/dyad"' in html
    assert "Latest alerts" in html and "Most escalating dyads" in html


def test_dyad_page_chart_container_reads_the_twin(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, _ = site
    html = html_of(client, "/dyads/USA/RUS")
    twin = client.get("/dyads/USA/RUS.json").json()
    assert twin["a"] == "USA" and twin["b"] == "RUS" and twin["freq"] == "W"
    charts = re.findall(r'<div class="dyad-chart" id="chart-\d" data-src="([^"]+)" data-series="([^"]+)"', html)
    assert charts == [("/dyads/USA/RUS.json", "USA->RUS"), ("/dyads/USA/RUS.json", "RUS->USA")]
    assert set(twin["report"]["series"]) == {"USA->RUS", "RUS->USA"}
    assert twin["report"]["series"]["USA->RUS"], "the chart has points to draw"
    assert '<script src="/vendor/plotly.min.js" defer>' in html and '<script src="/static/charts.js" defer>' in html
    # The event list holds both directions, newest first, each linked to its evidence.
    dates = [e["date"] or "" for e in twin["events"]]
    assert dates == sorted(dates, reverse=True)
    assert {(e["source"]["country"], e["target"]["country"]) for e in twin["events"]} == {("USA", "RUS"),
                                                                                        ("RUS", "USA")}
    for event in twin["events"][:5]:
        assert f'href="/articles/{event["article_id"]}#ev-{event["id"]}"' in html
    assert twin["chains"] and "tit for tat" in html.lower()
    monthly = client.get("/dyads/USA/RUS.json", params={"freq": "M", "since": "2024-02-01"}).json()
    assert monthly["freq"] == "M" and all(p["period"] >= "2024-02-01" for p in monthly["report"]["series"]["USA->RUS"])


def test_a_dyad_without_events_is_an_empty_page_not_an_error(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, _ = site
    twin = client.get("/dyads/FRA/DEU.json").json()
    assert twin["events"] == [] and twin["chains"] == [] and twin["report"]["series"] == {"FRA->DEU": [],
                                                                                         "DEU->FRA": []}
    html = html_of(client, "/dyads/FRA/DEU")
    assert "no events" in html and 'id="chart-0"' in html


def test_dyad_form_redirects_and_bad_codes_get_an_html_error(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, _ = site
    moved = client.get("/dyad", params={"a": " usa", "b": "rus"}, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/dyads/USA/RUS"
    page = html_of(client, "/dyad?a=USA&b=NARNIA", status=400)
    assert "unknown second actor code" in page and "NARNIA" in page and "Traceback" not in page
    bad = html_of(client, "/dyads/USA/%3Cscript%3E", status=400)
    assert "&lt;SCRIPT&gt;" in bad and "<script>" not in bad.lower()
    twin = client.get("/dyads/USA/XXX.json")
    assert twin.status_code == 400 and twin.json()["error"].startswith("unknown country code")


def test_article_page_highlights_each_evidence_span(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, planted = site
    article = planted["article"]
    twin = client.get(f"/articles/{article.id}.json").json()
    assert "".join(s["text"] for s in twin["segments"]) == article.text
    html = html_of(client, f"/articles/{article.id}")
    marks = re.findall(r'<mark class="ev" tabindex="0" data-events="([^"]+)"><a href="#ev-(\w+)">([^<]*)</a></mark>',
                       html)
    assert len(marks) == len([s for s in twin["segments"] if s["events"]]) == 3
    sanction, consult, threaten = planted["article_events"]
    assert marks[0] == (sanction.id, sanction.id, article.text.split("\n")[0])
    # The second sentence: one event covers all of it, another only its end (overlapping spans).
    assert marks[1][0] == consult.id and marks[2][0] == f"{consult.id} {threaten.id}"
    for event in planted["article_events"]:
        card = html.split(f'id="ev-{event.id}"', 1)[1].split("</dl>", 1)[0]
        assert event.rule in card and f"{event.confidence:.2f}" in card and event.type in card
        assert event.source.code in card and (event.target.code if event.target else "none") in card
    assert 'href="https://news.example/multi"' in html


def test_event_and_search_pages(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, planted = site
    event = planted["article_events"][0]
    html = html_of(client, f"/events/{event.id}")
    assert event.sentence in html and f'href="/articles/{event.article_id}#ev-{event.id}"' in html
    assert 'href="/dyads/USA/RUS"' in html
    assert client.get(f"/events/{event.id}.json").json()["id"] == event.id
    missing = html_of(client, "/events/nope", status=404)
    assert "there is no event with id" in missing
    assert client.get("/articles/nope.json").json()["error"].startswith("there is no article")

    page = client.get("/search.json", params={"source": "USA", "target": "RUS", "type": "ACCUSE"}).json()
    assert page["filters"] == {"source": "USA", "target": "RUS", "type": "ACCUSE"}
    assert len(page["events"]) == 8 and all(e["type"] == "ACCUSE" for e in page["events"])
    for odd in ("\u00b9", "\u0665", "5\u00b2"):  # digits to str.isdigit(), not to int(): a 400, never a 500
        assert client.get("/search.json", params={"limit": odd}).status_code == 400
    first = client.get("/search.json", params={"source": "USA", "limit": "5"}).json()
    assert len(first["events"]) == 5 and "source=USA" in first["next_url"] and "limit=5" in first["next_url"]
    html = html_of(client, "/search?source=RUS&modality=flagged")
    assert "hypothetical" in html and html.count('<tr id="row-') == 1
    bad = html_of(client, "/search?since=2024-05-01&until=2024-01-01", status=400)
    assert "inverted" in bad


def test_search_pages_follow_their_cursor(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, _ = site
    seen: list[str] = []
    url: str | None = "/search?source=RUS&limit=4"
    pages = 0
    while url:
        html = html_of(client, url)
        page = client.get(url.replace("/search?", "/search.json?")).json()
        assert html.count('<tr id="row-') == len(page["events"]) <= 4
        seen += [e["id"] for e in page["events"]]
        url = page["next_url"]
        if url:
            assert f'href="{url.replace("&", "&amp;")}"' in html
        pages += 1
    every = client.get("/api/v1/events", params={"source": "RUS", "limit": 1000}).json()["events"]
    assert seen == [e["id"] for e in every] and pages == -(-len(every) // 4)


# ---- untrusted text ------------------------------------------------------------------------------

def test_hostile_article_text_is_shown_literally_and_inert(site: tuple[TestClient, dict[str, Any]]) -> None:
    client, planted = site
    hostile = planted["hostile"]["article"]
    for path in (f"/articles/{hostile.id}", "/search?source=RUS&target=USA",
                 f"/events/{planted['hostile']['events'][0].id}", "/dyads/RUS/USA"):
        html = html_of(client, path)
        no_live_markup(html)
        assert "&lt;script&gt;window.__pwned" in html or "&lt;img src=x onerror" in html, path
    article_html = html_of(client, f"/articles/{hostile.id}")
    assert "&lt;script&gt;window.__pwned = 1; document.title = &#34;pwned&#34;&lt;/script&gt;" in article_html
    assert "{{ 7 * 7 }} {% if 1 %}jinja{% endif %}" in article_html
    assert "javascript:window.__pwned=5" in article_html and "original page" not in article_html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in article_html
    twin = client.get(f"/articles/{hostile.id}.json").json()
    assert twin["text"] == hostile.text and twin["link"] is None  # JSON keeps the text as it is


def test_no_template_marks_text_safe() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, template.name
        assert "<script>" not in text and "onclick" not in text and "style=" not in text, template.name
    for script in STATIC.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "eval(" not in code, script.name


@pytest.mark.parametrize(("url", "expected"), [
    ("https://news.example/a?b=1", "https://news.example/a?b=1"),
    ("http://x.org", "http://x.org"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)", None), (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None), ("data:text/html,<script>", None), ("//evil.example/", None),
    ("/relative", None), ("https://", None), ("http://a b.org/", None), (None, None), (42, None),
])
def test_only_http_urls_become_links(url: object, expected: str | None) -> None:
    assert safe_href(url) == expected


@pytest.mark.parametrize(("header", "name"), [
    ("127.0.0.1:8000", "127.0.0.1"), ("localhost", "localhost"), ("[::1]:8000", "::1"), ("[::1]", "::1"),
    ("Evil.Example:80", "evil.example"), ("", ""),
])
def test_host_names_from_headers(header: str, name: str) -> None:
    assert host_name(header) == name


def test_host_check_refuses_other_names(store: Store, site: tuple[TestClient, dict[str, Any]]) -> None:
    app = create_app(store, allowed_hosts=("127.0.0.1", "localhost"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
        rebound = client.get("/api/v1/events", headers={"Host": "attacker.example:8000"})
        assert rebound.status_code == 400 and "does not name this server" in rebound.json()["error"]
        assert "default-src 'self'" in rebound.headers["content-security-policy"]


# ---- highlighting --------------------------------------------------------------------------------

spans = st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=50), raw=spans)
def test_segments_cover_the_text_and_exactly_their_spans(text: str, raw: list[tuple[int, int]]) -> None:
    events = [(f"e{i}", start, end) for i, (start, end) in enumerate(raw)]
    segments = segment_text(text, events)
    assert "".join(s.text for s in segments) == text
    assert all(s.text for s in segments) and all(s.end - s.start == len(s.text) for s in segments)
    for a, b in itertools.pairwise(segments):
        assert a.end == b.start and a.events != b.events  # adjacent pieces differ, else they were merged
    for event_id, start, end in events:
        lo, hi = max(0, start), min(len(text), end)
        covered = {i for s in segments if event_id in s.events for i in range(s.start, s.end)}
        assert covered == set(range(lo, hi))


def test_segments_keep_span_order_and_skip_broken_spans() -> None:
    text = "abcdefghij"
    segments = segment_text(text, [("late", 5, 9), ("early", 2, 7), ("empty", 4, 4), ("reversed", 8, 3)])
    assert [(s.text, s.events) for s in segments] == [
        ("ab", ()), ("cde", ("early",)), ("fg", ("late", "early")), ("hi", ("late",)), ("j", ())]


# ---- the read cache ------------------------------------------------------------------------------

def test_read_cache_computes_once_per_generation_even_when_asked_at_once() -> None:
    cache = ReadCache(max_entries=2)
    calls: list[str] = []
    lock = threading.Lock()

    def slow(tag: str) -> str:
        with lock:
            calls.append(tag)
        time.sleep(0.05)
        return f"result {tag}"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", 0, lambda: slow("k"))))
               for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["result k"] * 10 and calls == ["k"]
    assert cache.get("k", 1, lambda: slow("k1")) == "result k1"  # a write happened: computed again
    cache.get("a", 1, lambda: "a")
    cache.get("b", 1, lambda: "b")
    assert len(cache) == 2 and cache.get("k", 1, lambda: "again") == "again"  # least recently used left

    def failing() -> str:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get("f", 1, failing)
    assert cache.get("f", 1, lambda: "recovered") == "recovered"
