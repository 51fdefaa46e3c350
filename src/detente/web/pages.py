"""The dashboard: server-rendered pages, each with a JSON twin at the same path plus ``.json``.

    /                     overview        /index.json
    /dyads/{a}/{b}        dyad page       /dyads/{a}/{b}.json
    /articles/{id}        article page    /articles/{id}.json
    /events/{id}          one event       /events/{id}.json
    /search?...           search          /search.json?...
    /map?...              map of events   /map.json?...

Every table on a page downloads as CSV from the same path plus ``.csv`` with ``?table=`` its
name (``/dyads/USA/RUS.csv?table=series``, ``/map.csv?table=places``); a search's CSV holds
every matching event, not only the page shown (up to 10,000).

Both forms of a page call the same builder in ``views.py``; the HTML form renders its
result through a template, the twin returns it. Twins are registered first, so that
``/dyads/USA/RUS.json`` is never read as a dyad with ``RUS.json`` in it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..analysis.codes import validate_dyad_key
from . import views
from .deps import cached, render_page, state_of
from .security import HTTPError

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Builder = Callable[[Request], dict[str, Any]]


def _json_url(request: Request, json_path: str) -> str:
    query = urlencode(list(request.query_params.multi_items()))
    return json_path + (f"?{query}" if query else "")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A cell safe to open in a spreadsheet: text from news pages that starts like a formula
    ("=HYPERLINK(...)") gets a leading apostrophe, as OWASP advises; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def csv_response(header: list[str], rows: list[list[Any]], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _add_page(path: str, json_path: str, template: str, build: Builder, *, csv_path: str | None = None,
              kind: str | None = None, csv_build: Builder | None = None) -> None:
    def as_json(request: Request) -> Response:
        return JSONResponse(build(request))

    def as_csv(request: Request) -> Response:
        assert kind is not None
        table = request.query_params.get("table") or None
        header, rows = views.page_table(kind, (csv_build or build)(request), table)
        name = "-".join(["detente", kind, *(re.sub(r"[^A-Za-z0-9]+", "", str(v))[:40]
                                            for v in request.path_params.values()), table or "table"])
        return csv_response(header, rows, f"{name}.csv")

    def as_html(request: Request) -> Response:
        params = {k: quote(str(v), safe="") for k, v in request.path_params.items()}
        twin = json_path.format(**params)
        page = build(request)
        if csv_path:
            query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("table", "cursor")])
            page = {**page, "csv_base": csv_path.format(**params) + "?" + (f"{query}&" if query else "") + "table="}
        return render_page(request, template, page, json_url=_json_url(request, twin))

    router.add_api_route(json_path, as_json, methods=["GET"], name=f"{template}-json")
    if csv_path:
        router.add_api_route(csv_path, as_csv, methods=["GET"], name=f"{template}-csv")
    router.add_api_route(path, as_html, methods=["GET"], name=template)


def _overview(request: Request) -> dict[str, Any]:
    store = state_of(request).store
    return cached(request, ("overview",), lambda: views.overview_page(store))


def _dyad(request: Request) -> dict[str, Any]:
    store = state_of(request).store
    a, b = request.path_params["a"].upper(), request.path_params["b"].upper()
    q = request.query_params
    freq, since, until = q.get("freq") or "W", q.get("since") or None, q.get("until") or None
    return cached(request, ("dyad-page", a, b, freq.upper(), since, until),
                  lambda: views.dyad_page(store, a, b, freq=freq, since=since, until=until))


def _article(request: Request) -> dict[str, Any]:
    article_id = request.path_params["article_id"]
    data = views.article_page(state_of(request).store, article_id)
    if data is None:
        raise HTTPError(404, f"there is no article with id '{article_id[:100]}'",
                        "follow an article link from an event; ids are long hexadecimal strings")
    return data


def _event(request: Request) -> dict[str, Any]:
    event_id = request.path_params["event_id"]
    data = views.event_page(state_of(request).store, event_id)
    if data is None:
        raise HTTPError(404, f"there is no event with id '{event_id[:100]}'", "search for events at /search")
    return data


def _map(request: Request) -> dict[str, Any]:
    store = state_of(request).store
    q = request.query_params
    key = ("map", *(q.get(name, "") for name in ("a", "b", "since", "until", "modality")))
    return cached(request, key, lambda: views.map_page(store, q))


def _search(request: Request) -> dict[str, Any]:
    q = request.query_params
    return views.search_page(state_of(request).store, q, cursor=q.get("cursor"))


def _search_all(request: Request) -> dict[str, Any]:
    return views.search_csv_page(state_of(request).store, request.query_params)


_add_page("/", "/index.json", "overview.html", _overview, csv_path="/index.csv", kind="overview")
_add_page("/dyads/{a}/{b}", "/dyads/{a}/{b}.json", "dyad.html", _dyad, csv_path="/dyads/{a}/{b}.csv", kind="dyad")
_add_page("/articles/{article_id}", "/articles/{article_id}.json", "article.html", _article,
          csv_path="/articles/{article_id}.csv", kind="article")
_add_page("/events/{event_id}", "/events/{event_id}.json", "event.html", _event)
_add_page("/search", "/search.json", "search.html", _search, csv_path="/search.csv", kind="search",
          csv_build=_search_all)
_add_page("/map", "/map.json", "map.html", _map, csv_path="/map.csv", kind="map")


@router.get("/dyad", name="dyad-form")
def dyad_form(request: Request) -> Response:
    """The overview's "open a dyad" form lands here and goes on to the dyad's page."""
    a = validate_dyad_key(request.query_params.get("a", ""), what="first actor code")
    b = validate_dyad_key(request.query_params.get("b", ""), what="second actor code")
    return RedirectResponse(f"/dyads/{a}/{b}", status_code=303)
