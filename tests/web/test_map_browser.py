"""The map of events in Chromium with every non-local request blocked: it draws its points offline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from detente.store import open_store
from detente.web import create_app
from tests.analysis.test_geo import TEXT, _events
from tests.store_support import article_for, serve_in_thread
from tests.web.test_browser import Visit, browser  # noqa: F401  (the module's chromium fixture)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def map_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("map") / "map.duckdb"
    with open_store(path) as store:
        doc, article = article_for(TEXT, doc_id="map", published=date(2025, 3, 10))
        store.add(article, _events(article.id), document=doc)
    store = open_store(path, read_only=True)
    with serve_in_thread(create_app(store, allowed_hosts=("127.0.0.1", "localhost"))) as url:
        yield url
    store.close()


def test_the_map_draws_points_with_no_network(browser: Any, map_server: str) -> None:  # noqa: F811
    tab = Visit(browser, map_server)
    try:
        page = tab.open("/map?modality=any")
        page.wait_for_selector("#event-map.drawn", timeout=30_000)
        assert int(page.locator("#event-map").get_attribute("data-points") or 0) == 4
        drawn = page.evaluate("""() => {
            const el = document.getElementById('event-map');
            return {traces: el.data.map(t => t.type), points: el.querySelectorAll('.scattergeo .point').length,
                    land: el.querySelectorAll('.layer.land path, .land').length};
        }""")
        assert set(drawn["traces"]) == {"scattergeo"} and drawn["points"] >= 4
        assert drawn["land"] >= 1  # the outlines came from /static/topojson, not from a CDN
        tab.shoot("map")
        tab.check_clean()  # nothing was requested from outside 127.0.0.1
    finally:
        tab.close()
