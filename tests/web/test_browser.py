"""The dashboard in a real browser: Playwright driving Debian's chromium against ``detente serve``'s app.

One store (the sample pages and the seed page, coded by the real model, plus an article full
of script payloads) and one server on 127.0.0.1 serve every test here. Each test saves a
screenshot of each page it opens to ``artifacts/screenshots/``. Every page is checked to
load nothing from outside 127.0.0.1 and to run no script the Content-Security-Policy refused.
Skipped when /usr/bin/chromium is missing; the seed parts skip when ../shared is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from detente.pipeline import ingest_sources
from detente.store import Store, open_store
from detente.web import create_app
from tests.conftest import EXAMPLES, ROOT, SHARED
from tests.store_support import serve_in_thread
from tests.web.test_pages import HOSTILE_TEXT, PAYLOADS, add_hostile_article

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SEED = SHARED / "seed" / "biden_russia_deescalation.txt"
# The seed page carries no date; Biden spoke about the call with Putin on 15 April 2021.
SEED_DATE = date(2021, 4, 15)
# Run before any page script: records CSP refusals, so a test can tell that nothing was blocked.
RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile});
});
"""


@pytest.fixture(scope="module")
def site_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Any]]]:
    sources = [str(EXAMPLES)] + ([str(SEED)] if SEED.exists() else [])
    path = tmp_path_factory.mktemp("browser") / "site.duckdb"
    store = open_store(path)
    summary = ingest_sources(store, sources, published=SEED_DATE)
    assert summary.new >= 10 and summary.events_stored > 50
    hostile = add_hostile_article(store)
    seed_ids = [r["id"] for r in store.query("SELECT id FROM articles WHERE doc_id LIKE '%biden_russia%'")]
    yield store, {"hostile": hostile, "seed_id": seed_ids[0] if seed_ids else None}
    store.close()


@pytest.fixture(scope="module")
def server(site_store: tuple[Store, dict[str, Any]]) -> Iterator[str]:
    with serve_in_thread(create_app(site_store[0], allowed_hosts=("127.0.0.1", "localhost"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium); browser tests need Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """One browser tab on the test server, with what it tried to load elsewhere and what CSP refused."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page.add_init_script(RECORDER)
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console.append(f"{self.page.url}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shoot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 5000
        return target

    def check_clean(self) -> None:
        """Nothing loaded from elsewhere, no script or style refused, no error in the console, no dialog."""
        # a test that skipped before opening a page leaves a blank tab with no recorder: nothing to report
        violations = self.page.evaluate("window.__csp") or []
        assert violations == [], violations
        assert self.outside == [] and self.dialogs == [] and self.errors == [] and self.console == [], \
            (self.outside, self.dialogs, self.errors, self.console)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Visit]:
    tab = Visit(browser, server)
    yield tab
    tab.check_clean()
    tab.close()


def _dyad(site: dict[str, Any]) -> tuple[str, str]:
    return ("USA", "RUS") if site["seed_id"] else ("LTU", "BLR")


def test_overview_click_through_to_the_dyad_chart(visit: Visit, site_store: tuple[Store, dict[str, Any]]) -> None:
    a, b = _dyad(site_store[1])
    page = visit.open("/")
    assert page.title().startswith("Overview")
    assert page.locator("#active table.dyads tbody tr").count() >= 5
    visit.shoot("overview")

    page.locator(f'#active a.dyad[href="/dyads/{a}/{b}"]').click()
    page.wait_for_url(f"**/dyads/{a}/{b}")
    page.wait_for_selector("#chart-0.drawn", timeout=30_000)
    page.wait_for_selector("#chart-1.drawn", timeout=30_000)
    chart = page.locator("#chart-0")
    assert int(chart.get_attribute("data-points") or 0) >= 1
    # Plotly drew the bars, the Goldstein line and the index line from the twin's series.
    drawn = page.evaluate("""() => {
        const el = document.getElementById('chart-0');
        return {traces: el.data.map(t => t.name), bars: el.querySelectorAll('.barlayer .point').length,
                lines: el.querySelectorAll('.scatterlayer .trace').length,
                conflict: el.data[1].y.filter(v => v < 0).length, cooperation: el.data[0].y.filter(v => v > 0).length};
    }""")
    assert drawn["traces"] == ["cooperation", "conflict", "Goldstein sum", "escalation index"]
    assert drawn["bars"] >= 1 and drawn["lines"] == 2
    assert drawn["conflict"] + drawn["cooperation"] >= 1
    twin = page.evaluate(f"fetch('/dyads/{a}/{b}.json').then(r => r.json())")
    points = twin["report"]["series"][f"{a}->{b}"]
    assert drawn["conflict"] == len([p for p in points if p["conflict"] > 0])
    assert page.locator("#events table.events tbody tr").count() >= 3
    visit.shoot(f"dyad-{a}-{b}")


def test_seed_article_shows_its_evidence_spans(visit: Visit, site_store: tuple[Store, dict[str, Any]]) -> None:
    seed_id = site_store[1]["seed_id"]
    if seed_id is None:
        pytest.skip("../shared/seed is not available")
    page = visit.open("/dyads/USA/RUS")
    page.locator(f'#events td.sentence a[href^="/articles/{seed_id}#"]').first.click()
    page.wait_for_url(f"**/articles/{seed_id}*")
    assert "Biden" in page.title()

    twin = page.evaluate(f"fetch('/articles/{seed_id}.json').then(r => r.json())")
    marks = page.locator("#article-text mark.ev")
    assert marks.count() == len([s for s in twin["segments"] if s["events"]]) >= 5
    expulsion = marks.filter(has_text="expulsion of 10 Russian diplomats")
    assert expulsion.count() == 1
    colour = expulsion.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")

    expulsion.hover()
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    shown = popover.inner_text()
    assert "USAGOV" in shown and "rule" in shown and "confidence" in shown and "RUS" in shown
    assert any(t in shown for t in ("SANCTION", "COERCE"))
    expulsion.click()
    assert popover.get_attribute("data-pinned") == "1"
    visit.shoot("article-seed")


def test_hostile_article_renders_inert(visit: Visit, site_store: tuple[Store, dict[str, Any]]) -> None:
    hostile = site_store[1]["hostile"]
    article_id, event_id = hostile["article"].id, hostile["events"][0].id
    for name, path in (("xss-article", f"/articles/{article_id}"), ("xss-search", "/search?source=RUS&target=USA"),
                       ("xss-event", f"/events/{event_id}"), ("xss-dyad", "/dyads/RUS/USA")):
        page = visit.open(path)
        if name == "xss-article":
            text = page.locator("#article-text").inner_text()
            assert text == HOSTILE_TEXT  # every payload shown literally, nothing lost
            assert page.title().startswith('Talks <script>window.__pwned=6</script> "end"')
            for mark in page.locator("#article-text mark.ev").all():
                mark.hover()
                mark.click()
                shown = page.locator("#popover").inner_text()
                assert '<img src=x onerror="window.__pwned=7">' in shown and "<script>window.__pwned=8" in shown
                page.keyboard.press("Escape")
        else:
            body = page.locator("main").inner_text()
            assert any(payload in body for payload in PAYLOADS), name
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        assert page.title() != "pwned"  # the first payload would have set it
        injected = 'a[href^="javascript:" i], [onerror], [onload], main img, main iframe, main svg:not(.dyad-chart svg)'
        assert page.locator(injected).count() == 0, name
        visit.shoot(name)
    assert visit.dialogs == []


def test_search_and_api_docs(visit: Visit) -> None:
    page = visit.open("/search")
    page.fill('input[name="source"]', "LTU")
    page.select_option('select[name="type"]', "SANCTION")
    page.click('form.search button[type="submit"]')
    page.wait_for_url("**/search?*source=LTU*")
    rows = page.locator("table.events tbody tr")
    assert rows.count() >= 1
    assert all("SANCTION" in cells for cells in rows.locator("td:nth-child(3)").all_inner_texts())
    visit.shoot("search")

    docs = visit.open("/docs")
    docs.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    paths = docs.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/v1/events", "/api/v1/documents", "/api/v1/alerts"} <= {p.replace("\u200b", "") for p in paths}
    visit.shoot("docs")


def test_no_page_logs_a_console_error(visit: Visit, site_store: tuple[Store, dict[str, Any]]) -> None:
    """Every dashboard page, charts drawn and the explorer loaded: no console error, no CSP refusal."""
    store, site = site_store
    a, b = _dyad(site)
    article = store.query("SELECT id FROM articles ORDER BY id LIMIT 1")[0]["id"]
    event = store.query("SELECT id FROM events ORDER BY id LIMIT 1")[0]["id"]
    pages = ["/", f"/dyads/{a}/{b}", f"/dyads/{a}/{b}?freq=D", f"/dyads/{a}/{b}?freq=M", f"/articles/{article}",
             f"/events/{event}", "/search", "/search?quad_class=conflict&min_confidence=0.5&modality=real", "/map",
             "/docs"]
    for path in pages:
        page = visit.open(path)
        if path.startswith("/dyads/"):
            page.wait_for_selector("#chart-0.drawn", timeout=30_000)
            ticks = page.evaluate("[...document.querySelectorAll('#chart-0 .xtick text')].map(t => t.textContent)")
            assert ticks and not any(":" in t for t in ticks), ticks  # whole days, never "12:00"
            right = page.evaluate("[...document.querySelectorAll('#chart-0 .y2tick text')].map(t => t.textContent)")
            assert all(len(t.replace("\u2212", "-").lstrip("-").split(".")[-1]) <= 1 or "." not in t for t in right), \
                right  # "1.5", never "1.651"
            # the threshold line is drawn behind the bars, not across them
            shapes = page.evaluate("[...document.querySelectorAll('#chart-0 .layer-below .shapelayer path')].length")
            over = page.evaluate("[...document.querySelectorAll('#chart-0 .layer-above .shapelayer path')].length")
            assert shapes >= 1 and over == 0, (shapes, over)
        if path == "/docs":
            page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__csp") or []
        assert violations == [] and visit.console == [] and visit.errors == [], (path, violations, visit.console)
