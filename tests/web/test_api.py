"""REST API v1 on a small store of events built by hand (no model, no network): every endpoint,
the write endpoint's token rules, the body limit, the SSRF guard, unknown ids and the error format."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from detente.errors import Reason
from detente.ingest import InMemoryFetcher
from detente.store import Store, open_store
from detente.web import MAX_BODY_BYTES, create_app
from tests.store_support import CODER, add_events, article_for, make_event, marker

with warnings.catch_warnings():
    # Starlette now prefers its own fork of httpx for the test client; httpx itself works the same here.
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token-for-tests"
MONDAY = date(2024, 1, 1)


def week(n: int, day: int = 0) -> date:
    return MONDAY + timedelta(days=7 * n + day)


MULTI_TEXT = ("The United States expelled ten Russian diplomats on Thursday.\n"
              "In response, Russia summoned the US ambassador and promised retaliatory measures.\n"
              "Analysts said the two capitals remained far apart.")


def build_web_store(store: Store) -> dict[str, Any]:
    """A store with a USA-RUS quarrel that flares up in its last week, a calm CHN-USA dyad, a
    flagged event, and one article with three events, two of them on overlapping spans."""
    planted = []
    for n in range(8):  # a low, steady quarrel
        planted += add_events(store, [("USAGOV", "ACCUSE", "RUSGOV", week(n, 1)),
                                      ("RUSGOV", "ACCUSE", "USAGOV", week(n, 3))])
    # The flare-up, answered tit for tat.
    planted += add_events(store, [("USAGOV", "SANCTION", "RUSGOV", week(8, 0)),
                                  ("RUSMIL", "ASSAULT", "USAMIL", week(8, 1)),
                                  ("USAMIL", "ASSAULT", "RUSMIL", week(8, 2)),
                                  ("RUSMIL", "COERCE", "USAGOV", week(8, 2))])
    calm = add_events(store, [("CHNGOV", "CONSULT", "USAGOV", week(2)), ("USAGOV", "AGREE", "CHNGOV", week(3))])
    flagged = add_events(store, [("RUSGOV", "ASSAULT", "USAGOV", week(7))], hypothetical=True)
    doc, article = article_for(MULTI_TEXT, doc_id="multi", url="https://news.example/multi",
                               published=week(8, 3))
    lines = article.text.split("\n")
    first_end = len(lines[0])
    second_start = first_end + 1
    events = [
        make_event("USAGOV", "SANCTION", "RUSGOV", week(8, 3), article_id=article.id, index=0, sentence=lines[0],
                   span=(0, first_end), doc_id="multi", url=article.url, mode="expel"),
        make_event("RUSGOV", "CONSULT", "USAGOV", week(8, 3), article_id=article.id, index=1, sentence=lines[1],
                   span=(second_start, second_start + len(lines[1])), doc_id="multi", url=article.url),
        make_event("RUSGOV", "THREATEN", "USAGOV", week(8, 3), article_id=article.id, index=1, sentence=lines[1],
                   span=(second_start + 13, second_start + len(lines[1])), doc_id="multi", url=article.url),
    ]
    store.add(article, events, document=doc)
    return {"planted": planted, "calm": calm, "flagged": flagged, "article": article, "article_events": events}


@pytest.fixture(scope="module")
def web_store() -> Iterator[tuple[Store, dict[str, Any]]]:
    with open_store(":memory:") as store:
        yield store, build_web_store(store)


@pytest.fixture(scope="module")
def client(web_store: tuple[Store, dict[str, Any]]) -> Iterator[TestClient]:
    with TestClient(create_app(web_store[0])) as test_client:
        yield test_client


def assert_error(response: Any, status: int, *words: str) -> dict[str, Any]:
    """An error answer: the status, JSON ``{"error", "hint"}``, the words in the message, no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"error", "hint"} and body["error"] and body["hint"]
    for word in words:
        assert word in body["error"], body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return dict(body)


# ---- reading ---------------------------------------------------------------------------------

def test_events_filters_and_cursor_pagination(client: TestClient, web_store: tuple[Store, dict[str, Any]]) -> None:
    _, planted = web_store
    everything = client.get("/api/v1/events", params={"limit": 1000}).json()
    total = len(everything["events"])
    assert total == len(planted["planted"]) + len(planted["calm"]) + len(planted["flagged"]) + 3
    assert everything["next_cursor"] is None and everything["next"] is None

    seen: list[str] = []
    url: str | None = "/api/v1/events?limit=4&source=USA"
    while url:
        page = client.get(url).json()
        assert len(page["events"]) <= 4
        seen += [e["id"] for e in page["events"]]
        url = page["next"]
        if url:
            assert "source=USA" in url and "cursor=" in url
    usa = [e for e in everything["events"] if e["source"]["country"] == "USA"]
    assert seen == [e["id"] for e in usa]  # every USA event once, newest first

    threats = client.get("/api/v1/events", params={"type": "THREATEN"}).json()["events"]
    assert [e["type"] for e in threats] == ["THREATEN"]
    real = client.get("/api/v1/events", params={"modality": "real", "limit": 1000}).json()["events"]
    assert len(real) == total - 1
    flagged = client.get("/api/v1/events", params={"modality": "flagged"}).json()["events"]
    assert [e["id"] for e in flagged] == [planted["flagged"][0].id] and flagged[0]["hypothetical"]
    window = client.get("/api/v1/events", params={"since": week(8).isoformat(), "until": week(8, 2).isoformat(),
                                                  "limit": 1000}).json()["events"]
    assert {e["date"] for e in window} == {week(8, d).isoformat() for d in range(3)}
    in_article = client.get("/api/v1/events", params={"article_id": planted["article"].id}).json()["events"]
    assert {e["id"] for e in in_article} == {e.id for e in planted["article_events"]}
    first = everything["events"][0]
    assert {"num_mentions", "num_sources", "num_articles", "sentence", "span", "rule", "confidence"} <= set(first)


@pytest.mark.parametrize(("params", "words"), [
    ({"source": "XYZ"}, ["unknown source actor code 'XYZ'"]),
    ({"type": "HUG"}, ["unknown event type 'HUG'"]),
    ({"since": "2024-13-01"}, ["is not a date"]),
    ({"since": "2024-03-01", "until": "2024-02-01"}, ["inverted"]),
    ({"modality": "dreamt"}, ["unknown modality"]),
    ({"cursor": "not-a-cursor"}, ["cursor"]),
    ({"limit": "0"}, ["limit"]),
    ({"limit": "1001"}, ["limit"]),
])
def test_bad_event_filters_are_400_with_a_hint(client: TestClient, params: dict[str, str], words: list[str]) -> None:
    body = assert_error(client.get("/api/v1/events", params=params), 400, *words)
    # the API's words, not the command line's: query parameters, never --options
    assert "--" not in body["error"] + body["hint"], body


def test_errors_name_query_parameters_not_command_line_options(client: TestClient) -> None:
    body = assert_error(client.get("/api/v1/events", params={"cursor": "not-a-cursor"}), 400, "cursor")
    assert body["hint"] == "start again without cursor"
    body = assert_error(client.get("/api/v1/events", params={"radius": "5"}), 400, "radius")
    assert "near=LAT,LON" in body["hint"] and "radius=KM" in body["hint"], body


def test_one_event_and_one_article(client: TestClient, web_store: tuple[Store, dict[str, Any]]) -> None:
    _, planted = web_store
    event = planted["planted"][-1]
    got = client.get(f"/api/v1/events/{event.id}").json()
    assert got["id"] == event.id and got["sentence"] == event.sentence and got["num_mentions"] == 1

    article = planted["article"]
    body = client.get(f"/api/v1/articles/{article.id}").json()
    assert body["text"] == article.text and body["url"] == "https://news.example/multi"
    assert {e["id"] for e in body["events"]} == {e.id for e in planted["article_events"]}
    for e in body["events"]:
        start, end = e["span"]
        assert body["text"][start:end] in e["sentence"] and end > start


@pytest.mark.parametrize(("path", "what"), [
    ("/api/v1/events/0123456789abcdef01234567", "event"),
    ("/api/v1/articles/deadbeef", "article"),
])
def test_unknown_ids_are_404(client: TestClient, path: str, what: str) -> None:
    body = assert_error(client.get(path), 404, f"there is no {what} with id")
    assert "/api/v1/events" in body["hint"]


def test_unknown_paths_and_methods(client: TestClient) -> None:
    assert_error(client.get("/api/v1/nothing-here"), 404, "/api/v1/nothing-here")
    assert_error(client.delete("/api/v1/events"), 405, "DELETE")


def test_dyads_rank_the_quarrel(client: TestClient) -> None:
    body = client.get("/api/v1/dyads", params={"limit": 3}).json()
    active = [(d["source"], d["target"]) for d in body["most_active"]]
    assert set(active[:2]) == {("USA", "RUS"), ("RUS", "USA")} and len(active) == 3
    assert all(d["escalation_index"] is not None and d["escalation_index"] > 0 for d in body["most_escalating"])
    assert body["freq"] in ("D", "W", "M")
    assert_error(client.get("/api/v1/dyads", params={"freq": "hourly"}), 400, "unknown frequency")


def test_dyad_report_and_series(client: TestClient, web_store: tuple[Store, dict[str, Any]]) -> None:
    report = client.get("/api/v1/dyads/USA/RUS", params={"freq": "W"}).json()
    assert report["a"] == "USA" and report["freq"] == "W"
    assert [(d["source"], d["target"]) for d in report["directions"]] == [("USA", "RUS"), ("RUS", "USA")]

    series = client.get("/api/v1/dyads/usa/rus/series", params={"freq": "W"}).json()
    assert series["source"] == "USA" and series["target"] == "RUS" and series["freq"] == "W"
    points = series["points"]
    assert [p["period"] for p in points] == [week(n).isoformat() for n in range(len(points))]
    # A series sums to the real, dated events of its direction.
    usa_rus = client.get("/api/v1/events", params={"source": "USA", "target": "RUS", "modality": "real",
                                                   "limit": 1000}).json()["events"]
    assert sum(p["events"] for p in points) == len([e for e in usa_rus if e["date"]])
    assert points[-1]["conflict"] > points[0]["conflict"]
    assert points[-1]["escalation_index"] is not None and points[-1]["escalation_index"] > 2

    auto = client.get("/api/v1/dyads/USA/RUS/series", params={"freq": "auto"}).json()
    assert auto["freq"] == "D"  # nine weeks of data: read by day
    assert_error(client.get("/api/v1/dyads/USA/USA"), 400, "two different actors")
    assert_error(client.get("/api/v1/dyads/USA/ATLANTIS/series"), 400, "unknown country code 'ATLANTIS'")
    assert_error(client.get("/api/v1/dyads/USA/RUS/series", params={"freq": "Q"}), 400, "unknown frequency")


def test_reciprocity_pair_and_all(client: TestClient) -> None:
    pair = client.get("/api/v1/reciprocity", params={"a": "USA", "b": "RUS"}).json()["chains"]
    assert pair and all(c["kind"] in ("conflict", "cooperation") for c in pair)
    longest = max(pair, key=lambda c: c["length"])
    assert longest["kind"] == "conflict" and longest["length"] >= 8
    link = longest["links"][0]
    assert link["provocation"]["source"] != link["response"]["source"] and link["provocation"]["sentence"]
    everything = client.get("/api/v1/reciprocity", params={"limit": 50}).json()["chains"]
    assert {(c["initiator"], c["responder"]) for c in everything} >= {(c["initiator"], c["responder"]) for c in pair}
    assert_error(client.get("/api/v1/reciprocity", params={"a": "USA"}), 400, "give both a and b")
    assert_error(client.get("/api/v1/reciprocity", params={"a": "USA", "b": "RUS", "window": "soon"}), 400,
                 "cannot read the window")


def test_alerts_name_the_flare_up_with_its_evidence(client: TestClient) -> None:
    alerts = client.get("/api/v1/alerts", params={"since": week(0).isoformat(), "freq": "W"}).json()["alerts"]
    flare = [a for a in alerts if a["period"] == week(8).isoformat()]
    assert {(a["source"], a["target"]) for a in flare} == {("USA", "RUS"), ("RUS", "USA")}
    for alert in flare:
        assert "threshold" in alert["detectors"] and alert["escalation_index"] >= 2
        assert alert["events"] and all(e["goldstein"] < 0 for e in alert["events"])
    latest = client.get("/api/v1/alerts").json()["alerts"]
    assert all(a["period"] == latest[0]["period"] for a in latest)
    assert_error(client.get("/api/v1/alerts", params={"threshold": "-1"}), 400, "threshold")


def test_healthz_docs_and_openapi(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["events"] > 20 and health["writes"] is False
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) >= {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/articles/{article_id}",
                                    "/api/v1/dyads", "/api/v1/dyads/{a}/{b}/series", "/api/v1/reciprocity",
                                    "/api/v1/alerts", "/api/v1/documents", "/healthz"}
    post = schema["paths"]["/api/v1/documents"]["post"]
    assert post["security"] and "HTTPBearer" in schema["components"]["securitySchemes"]
    assert set(post["requestBody"]["content"]["application/json"]["schema"]["properties"]) == {
        "text", "html", "url", "published", "id"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and 'id="swagger-ui"' in docs.text
    # Everything the docs page loads comes from this server.
    assert "http://" not in docs.text.replace("http://127.0.0.1", "") and "https://" not in docs.text
    for asset in ("/vendor/swagger-ui-bundle.js", "/vendor/swagger-ui.css", "/static/docs.js"):
        assert asset in docs.text
        assert client.get(asset).status_code == 200
    plotly = client.get("/vendor/plotly.min.js")
    assert plotly.status_code == 200 and plotly.headers["content-type"].startswith("text/javascript")
    for name in ("evil.js", "..%2F..%2Fsecurity.py", "..%2Fstatic%2Fdashboard.js"):
        missing = client.get(f"/vendor/{name}")
        assert missing.status_code == 404 and "import" not in missing.text


# ---- safety of every answer ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/events", "/", "/static/dashboard.js", "/api/v1/events/nope", "/nope"])
def test_security_headers_on_every_answer(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_cors_is_off(client: TestClient) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    simple = client.get("/api/v1/events", headers=origin)
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers
    preflight = client.options("/api/v1/documents", headers={**origin, "Access-Control-Request-Method": "POST",
                                                             "Access-Control-Request-Headers": "authorization"})
    assert not any(h.startswith("access-control-") for h in preflight.headers)


def test_unexpected_failures_are_json_without_a_traceback(web_store: tuple[Store, dict[str, Any]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import detente.web.api as api

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(api, "get_event", broken)
    with TestClient(create_app(web_store[0]), raise_server_exceptions=False) as failing:
        response = failing.get("/api/v1/events/abc")
    body = assert_error(response, 500, "internal error")
    assert "secret" not in response.text and "passwd" not in response.text
    assert "report" in body["hint"]
    assert "default-src 'self'" in response.headers["content-security-policy"]


# ---- writing ---------------------------------------------------------------------------------

@pytest.fixture
def writable(store: Store) -> Iterator[tuple[TestClient, Store, InMemoryFetcher]]:
    """A fresh store whose app accepts writes with ``TOKEN``, codes with the fake coder and fetches from a dict."""
    fetcher = InMemoryFetcher()
    app = create_app(store, token=TOKEN, coder=CODER, fetcher_factory=lambda: fetcher)
    with TestClient(app) as test_client:
        yield test_client, store, fetcher


AUTH = {"Authorization": f"Bearer {TOKEN}"}
STORY = ("Washington expelled Russian diplomats on Monday. " + marker("USAGOV", "SANCTION", "RUSGOV", "2024-05-06")
         + "\nMoscow answered with a threat the next day. " + marker("RUSGOV", "THREATEN", "USAGOV", "2024-05-07"))


def test_writes_are_off_without_a_configured_token(client: TestClient) -> None:
    body = assert_error(client.post("/api/v1/documents", json={"text": STORY}), 403, "writes are off")
    assert "--token" in body["hint"]
    # Even with a header: there is no token to match.
    assert_error(client.post("/api/v1/documents", json={"text": STORY}, headers=AUTH), 403, "writes are off")


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer", f"Bearer {TOKEN}x",
                                    f"bearer {TOKEN[:-1]}"])
def test_a_missing_or_wrong_token_is_401(writable: tuple[TestClient, Store, InMemoryFetcher],
                                         header: str | None) -> None:
    test_client, store, _ = writable
    headers = {"Authorization": header} if header is not None else {}
    response = test_client.post("/api/v1/documents", json={"text": STORY}, headers=headers)
    assert_error(response, 401, "bearer token")
    assert response.headers["www-authenticate"] == "Bearer"
    assert store.stats().documents == 0


def test_post_text_stores_and_returns_its_events(writable: tuple[TestClient, Store, InMemoryFetcher]) -> None:
    test_client, store, _ = writable
    before = test_client.get("/api/v1/dyads").json()
    assert before["most_active"] == []

    response = test_client.post("/api/v1/documents", json={"text": STORY, "id": "story-1"},
                                headers={"Authorization": f"bearer {TOKEN}"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "new" and body["article"]["doc_id"] == "story-1"
    assert sorted((e["source"]["code"], e["type"], e["target"]["code"]) for e in body["events"]) == [
        ("RUSGOV", "THREATEN", "USAGOV"), ("USAGOV", "SANCTION", "RUSGOV")]
    assert store.stats().events == 2
    # Reads see the write at once (cached rankings are dropped when the store changes).
    after = test_client.get("/api/v1/dyads").json()
    assert {(d["source"], d["target"]) for d in after["most_active"]} == {("USA", "RUS"), ("RUS", "USA")}
    stored = test_client.get(f"/api/v1/articles/{body['article_id']}").json()
    assert {e["id"] for e in stored["events"]} == {e["id"] for e in body["events"]}

    again = test_client.post("/api/v1/documents", json={"text": STORY, "id": "story-1"}, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert {e["id"] for e in again.json()["events"]} == {e["id"] for e in body["events"]}
    assert store.stats().events == 2


def test_post_html_and_published_date(writable: tuple[TestClient, Store, InMemoryFetcher]) -> None:
    test_client, _, _ = writable
    html = f"<html><body><p>{STORY}</p></body></html>"
    response = test_client.post("/api/v1/documents", json={"html": html, "published": "2024-05-08"}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["article"]["published"] == "2024-05-08"


def test_post_url_fetches_through_the_fetcher(writable: tuple[TestClient, Store, InMemoryFetcher]) -> None:
    test_client, _, fetcher = writable
    fetcher.add("https://news.example/story", STORY.encode())
    response = test_client.post("/api/v1/documents", json={"url": "https://news.example/story"}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert fetcher.requested == ["https://news.example/story"]
    assert response.json()["article"]["url"] == "https://news.example/story"
    assert len(response.json()["events"]) == 2
    missing = test_client.post("/api/v1/documents", json={"url": "https://news.example/gone"}, headers=AUTH)
    assert_error(missing, 502, "could not connect")


@pytest.mark.parametrize(("url", "risk"), [
    ("http://127.0.0.1:8000/api/v1/events", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://10.1.2.3/internal", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:192.168.1.1]/", "private"),
])
def test_private_urls_are_refused_before_any_connection(store: Store, web_store: tuple[Store, dict[str, Any]], url: str,
                                                        risk: str) -> None:
    # The real SSRF-guarded fetcher: the address is checked before anything is sent.
    with TestClient(create_app(store, token=TOKEN)) as guarded:
        response = guarded.post("/api/v1/documents", json={"url": url}, headers=AUTH)
        body = assert_error(response, 400, "refused to fetch", risk)
        assert "public" in body["hint"]
        assert store.stats().documents == 0


@pytest.mark.parametrize(("payload", "words"), [
    ("not json", ["not valid JSON"]),
    ("[1, 2]", ["not a JSON object"]),
    ("{}", ["no document"]),
    ('{"text": "a", "html": "<p>b</p>"}', ["either text or html"]),
    ('{"text": "hello", "colour": "red"}', ["unknown field(s) colour"]),
    ('{"text": 42}', ["must be a string"]),
    ('{"url": "ftp://example.org/x"}', ["not an http(s) URL"]),
    ('{"text": "some text here", "published": "yesterday"}', ["is not a date"]),
])
def test_bad_write_requests_are_400(writable: tuple[TestClient, Store, InMemoryFetcher], payload: str,
                                    words: list[str]) -> None:
    test_client, store, _ = writable
    response = test_client.post("/api/v1/documents", content=payload.encode(),
                                headers={**AUTH, "Content-Type": "application/json"})
    assert_error(response, 400, *words)
    assert store.stats().documents == 0


def test_a_document_without_an_article_is_422(writable: tuple[TestClient, Store, InMemoryFetcher]) -> None:
    test_client, _, _ = writable
    body = assert_error(test_client.post("/api/v1/documents", json={"text": "# only boilerplate\nhi"}, headers=AUTH),
                        422, "not stored", "too_short")
    assert body["reason"] == "too_short"
    assert body["hint"] == Reason.TOO_SHORT.hint  # the hint of the reason, not one for every rejection
    again = test_client.post("/api/v1/documents", json={"text": "# only boilerplate\nhi"}, headers=AUTH)
    assert assert_error(again, 422) == body  # posted again: the same answer, nothing stored


def test_bodies_over_the_limit_are_413(writable: tuple[TestClient, Store, InMemoryFetcher]) -> None:
    test_client, store, _ = writable
    big = json.dumps({"text": "x" * MAX_BODY_BYTES}).encode()
    assert len(big) > MAX_BODY_BYTES
    body = assert_error(test_client.post("/api/v1/documents", content=big,
                                         headers={**AUTH, "Content-Type": "application/json"}), 413, "10 MB")
    assert "smaller" in body["hint"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted as the body streams in
        yield b'{"text": "'
        for _ in range(11):
            yield b"y" * (1024 * 1024)
        yield b'"}'

    streamed = test_client.post("/api/v1/documents", content=chunks(),
                                headers={**AUTH, "Content-Type": "application/json"})
    assert_error(streamed, 413, "10 MB")
    # A body just under the limit is read (and here refused for what it says, not for its size).
    fine = test_client.post("/api/v1/documents", content=b"x" * (MAX_BODY_BYTES - 1), headers=AUTH)
    assert_error(fine, 400, "not valid JSON")
    assert store.stats().documents == 0


def test_the_limit_applies_before_the_token_check_reads_nothing(web_store: tuple[Store, dict[str, Any]]) -> None:
    with TestClient(create_app(web_store[0], token=TOKEN, max_body=1000)) as small:
        declared = small.post("/api/v1/documents", content=b"z" * 5000, headers={"Content-Type": "application/json"})
        assert_error(declared, 413, "1000 bytes")
        unauthorised = small.post("/api/v1/documents", content=b"z" * 500)
        assert_error(unauthorised, 401)
