"""REST API v1: JSON over the library's query functions (``detente.analysis``).

Filters mean what they mean in ``detente events`` (actor codes ``USA``, ``USAGOV``,
``IGONATO``; PLOVER types; ``YYYY-MM-DD`` dates; modality ``any``/``real``/``flagged``/...);
lists of events are pages with a ``next_cursor`` to pass back. Bad input is 400, unknown ids
404, and every error is ``{"error": ..., "hint": ...}``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool

from ..analysis import (
    all_reciprocity,
    dyad_report,
    dyad_series,
    find_alerts,
    get_article,
    get_event,
    query_events,
    reciprocity_chains,
    top_dyads,
)
from ..analysis.codes import validate_dyad_key
from ..analysis.geo import geo_filter
from ..analysis.series import resolve_freq
from ..dates import parse_date
from ..errors import BadOption
from ..safe_json import load_json
from .deps import cached, state_of
from .schemas import (
    ERROR_RESPONSES,
    AlertList,
    ArticleAnswer,
    ChainList,
    DyadRanking,
    DyadReportAnswer,
    EventAnswer,
    EventPage,
    PostedDocument,
    SeriesAnswer,
    error_responses,
)
from .security import HTTPError, check_bearer
from .writes import parse_document_request

__all__ = ["API_LIMIT", "router"]

router = APIRouter(prefix="/api/v1")
ID_RESPONSES = error_responses(404, 503, 500)
API_LIMIT = 1000

_SOURCE = Query(None, description="Actor that acted: a country (USA), with sectors (USAGOV), a body (IGONATO), "
                                  "or IGO/NGO for all bodies.")
_TARGET = Query(None, description="Actor acted upon (same codes).")
_SINCE = Query(None, description="On or after this date (YYYY-MM-DD).")
_UNTIL = Query(None, description="On or before this date (YYYY-MM-DD).")
_FREQ = Query("W", description="Period: D (day), W (ISO week), M (month) or auto (from the span of the data).")
_FREQ_AUTO = Query("auto", description="Period of the escalation index: D, W, M or auto (from the span of the data).")


def _json(data: Any) -> JSONResponse:
    """Records' ``to_dict()`` output is JSON-ready: rendering it directly skips FastAPI's generic
    encoder, which costs as much as the query itself on a page of a hundred events."""
    return JSONResponse(data)


def _not_found(what: str, ident: str, where: str) -> HTTPError:
    return HTTPError(404, f"there is no {what} with id '{ident[:100]}'", f"list them at {where}")


def _next_url(request: Request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    params = {k: v for k, v in request.query_params.items() if k != "cursor"}
    return f"{request.url.path}?{urlencode({**params, 'cursor': cursor})}"


@router.get("/events", tags=["events"], summary="Events, newest first, filtered and paginated",
            response_model=EventPage, responses=ERROR_RESPONSES)
def list_events(request: Request, source: str | None = _SOURCE, target: str | None = _TARGET,
                type: str | None = Query(None, description="PLOVER event type, e.g. THREATEN; several with commas "
                                                           "(THREATEN,ASSAULT)."),
                since: str | None = _SINCE, until: str | None = _UNTIL,
                modality: str = Query("any", description="any, real, flagged, negated, hypothetical, future, "
                                                         "reported or historical."),
                quad_class: str | None = Query(None, description="Quad class 1-4 (1 verbal cooperation, 2 material "
                                                                 "cooperation, 3 verbal conflict, 4 material "
                                                                 "conflict) or a name (conflict = 3,4); several "
                                                                 "with commas."),
                cameo_root: str | None = Query(None, description="CAMEO root code 01-20; several with commas."),
                min_confidence: float | None = Query(None, ge=0, le=1, description="Only events whose confidence "
                                                                                   "is at least this (0 to 1)."),
                article_id: str | None = Query(None, description="Only events reported in this article."),
                limit: int = Query(50, ge=1, le=API_LIMIT, description="Events per page."),
                cursor: str | None = Query(None, description="The next_cursor of the previous page."),
                country_of_event: str | None = Query(None, description="Only events that happened in this country "
                                                                       "(ISO3, e.g. SDN)."),
                near: str | None = Query(None, description="Only events near this point: LAT,LON."),
                radius: str | None = Query(None, description="Kilometres around `near` (default 50)."),
                bbox: str | None = Query(None, description="Only events inside WEST,SOUTH,EAST,NORTH (degrees)."),
                ) -> JSONResponse:
    geo = geo_filter(country_of_event=country_of_event or None, near=near or None, radius=radius or None,
                     bbox=bbox or None)
    page = query_events(state_of(request).store, source=source or None, target=target or None, type=type or None,
                        since=parse_date(since), until=parse_date(until), modality=modality,
                        quad_class=quad_class or None, cameo_root=cameo_root or None, min_confidence=min_confidence,
                        article_id=article_id or None, limit=limit, cursor=cursor or None, geo=geo)
    return _json({**page.to_dict(), "next": _next_url(request, page.next_cursor)})


@router.get("/events/{event_id}", tags=["events"], summary="One event with its evidence and report counts",
            response_model=EventAnswer, responses=ID_RESPONSES)
def one_event(request: Request, event_id: str) -> JSONResponse:
    item = get_event(state_of(request).store, event_id)
    if item is None:
        raise _not_found("event", event_id, "/api/v1/events")
    return _json(item.to_dict())


@router.get("/articles/{article_id}", tags=["articles"], summary="An article's body and its events with their spans",
            response_model=ArticleAnswer, responses=ID_RESPONSES)
def one_article(request: Request, article_id: str) -> JSONResponse:
    view = get_article(state_of(request).store, article_id)
    if view is None:
        raise _not_found("article", article_id, "/api/v1/events (each event names its article_id)")
    return _json(view.to_dict())


@router.get("/dyads", tags=["dyads"], summary="The most active and the most escalating directed dyads",
            response_model=DyadRanking, responses=ERROR_RESPONSES)
def list_dyads(request: Request, limit: int = Query(10, ge=1, le=API_LIMIT), since: str | None = _SINCE,
               until: str | None = _UNTIL, freq: str = _FREQ_AUTO) -> JSONResponse:
    store = state_of(request).store
    since_d, until_d = parse_date(since), parse_date(until)

    def compute() -> dict[str, Any]:
        resolved = resolve_freq(store, freq)
        active = top_dyads(store, by="events", limit=limit, since=since_d, until=until_d, freq=resolved)
        # As in ``detente summary``: only dyads standing above their own baseline are escalating.
        escalating = [d for d in top_dyads(store, by="escalation", limit=limit, since=since_d, until=until_d,
                                           freq=resolved) if d.escalating]
        return {"freq": resolved, "most_active": [d.to_dict() for d in active],
                "most_escalating": [d.to_dict() for d in escalating]}

    return _json(cached(request, ("dyads", limit, since_d, until_d, freq.strip().upper()), compute))


@router.get("/dyads/{a}/{b}", tags=["dyads"], summary="Both directions of a dyad: totals and series",
            response_model=DyadReportAnswer, responses=ERROR_RESPONSES)
def one_dyad(request: Request, a: str, b: str, freq: str = _FREQ, since: str | None = _SINCE,
             until: str | None = _UNTIL) -> JSONResponse:
    store = state_of(request).store
    since_d, until_d = parse_date(since), parse_date(until)
    key = ("dyad", a.upper(), b.upper(), freq.strip().upper(), since_d, until_d)
    return _json(cached(request, key, lambda: dyad_report(store, a, b, freq=freq, since=since_d,
                                                          until=until_d).to_dict()))


@router.get("/dyads/{a}/{b}/series", tags=["dyads"],
            summary="The directed series a -> b: per period counts, Goldstein, conflict, cooperation, escalation index",
            response_model=SeriesAnswer, responses=ERROR_RESPONSES)
def series(request: Request, a: str, b: str, freq: str = _FREQ, since: str | None = _SINCE,
           until: str | None = _UNTIL) -> JSONResponse:
    store = state_of(request).store
    since_d, until_d = parse_date(since), parse_date(until)

    def compute() -> dict[str, Any]:
        resolved = resolve_freq(store, freq)
        points = dyad_series(store, a, b, freq=resolved, since=since_d, until=until_d)
        return {"source": validate_dyad_key(a), "target": validate_dyad_key(b), "freq": resolved,
                "points": [p.to_dict() for p in points]}

    return _json(cached(request, ("series", a.upper(), b.upper(), freq.strip().upper(), since_d, until_d), compute))


@router.get("/reciprocity", tags=["dyads"], summary="Tit-for-tat and de-escalation chains",
            response_model=ChainList, responses=ERROR_RESPONSES)
def reciprocity(request: Request, a: str | None = Query(None, description="First actor (give b too)."),
                b: str | None = Query(None, description="Second actor."),
                window: str = Query("14d", description="Longest answer time: days (14d) or weeks (2w)."),
                kind: str = Query("both", description="conflict, cooperation or both."),
                since: str | None = _SINCE, until: str | None = _UNTIL,
                limit: int = Query(50, ge=1, le=API_LIMIT, description="Chains, when listing every pair.")
                ) -> JSONResponse:
    store = state_of(request).store
    since_d, until_d = parse_date(since), parse_date(until)
    if bool(a) != bool(b):
        raise BadOption("give both a and b, or neither", "e.g. /api/v1/reciprocity?a=USA&b=RUS")

    def compute() -> dict[str, Any]:
        if a and b:
            chains = reciprocity_chains(store, a, b, window=window, kind=kind, since=since_d, until=until_d)
        else:
            chains = all_reciprocity(store, window=window, kind=kind, since=since_d, until=until_d, limit=limit)
        return {"chains": [c.to_dict() for c in chains]}

    key = ("reciprocity", (a or "").upper(), (b or "").upper(), window, kind, since_d, until_d, None if a else limit)
    return _json(cached(request, key, compute))


@router.get("/alerts", tags=["alerts"], summary="Escalation alerts with the events that drove them",
            response_model=AlertList, responses=ERROR_RESPONSES)
def alerts(request: Request, since: str | None = Query(None, description="Check every period from this date "
                                                                         "(default: the latest period)."),
           freq: str = _FREQ_AUTO,
           threshold: float = Query(2.0, gt=0, description="Escalation index that raises an alert.")
           ) -> JSONResponse:
    store = state_of(request).store
    since_d = parse_date(since)
    def compute() -> dict[str, Any]:
        return {"alerts": [a.to_dict() for a in find_alerts(store, since=since_d, freq=freq, threshold=threshold)]}

    return _json(cached(request, ("alerts", since_d, freq.strip().upper(), threshold), compute))


_DOCUMENT_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "The article as plain text (or a page saved as text)."},
            "html": {"type": "string", "description": "The page's HTML."},
            "url": {"type": "string", "description": "With neither text nor html: an http(s) URL to fetch "
                                                     "(public hosts only). Otherwise: where the text came from."},
            "published": {"type": "string", "description": "YYYY-MM-DD, for pages that carry no date."},
            "id": {"type": "string", "description": "Your name for the document (default api:<hash>)."},
        },
    }}},
}


# Declares the bearer scheme in the OpenAPI schema (so /docs offers "Authorize"); the check itself is
# ``check_bearer`` below, in constant time, before the body is read.
_BEARER = HTTPBearer(auto_error=False, description="The token the server was started with (--token or DETENTE_TOKEN).")


@router.post("/documents", tags=["documents"], status_code=201, openapi_extra={"requestBody": _DOCUMENT_BODY},
             dependencies=[Security(_BEARER)],
             summary="Extract, code and store one page; returns its events", response_model=PostedDocument,
             responses={200: {"model": PostedDocument, "description": "Already stored: the stored article and events"},
                        **error_responses(400, 401, 403, 413, 422, 502, 503, 500,
                                          s400="A malformed body, or a URL the SSRF guard refuses.",
                                          s401="No or wrong bearer token.", s403="Writes are off (no --token).",
                                          s413="Body over 10 MB.",
                                          s422="No article in the document; reason says why (too_short, ...).",
                                          s502="The posted URL could not be fetched.")})
async def post_document(request: Request) -> JSONResponse:
    state = state_of(request)
    # The token is checked before the body is read, so strangers cannot make the server read 10 MB.
    if state.token is None:
        raise HTTPError(403, "writes are off: this server was started without a token",
                        "start it with detente serve --token T (or DETENTE_TOKEN=T) to accept documents")
    if not check_bearer(request.headers.get("authorization"), state.token):
        raise HTTPError(401, "a valid bearer token is required to write",
                        "send the header Authorization: Bearer <token> with the server's token",
                        headers={"WWW-Authenticate": "Bearer"})
    raw = await request.body()
    try:
        body = load_json(raw or b"null")
    except ValueError as err:  # not UTF-8, not JSON, or nested too deeply
        raise BadOption(f"the request body is not valid JSON ({err})",
                        'send {"text": "..."}, {"html": "..."} or {"url": "https://..."}') from err
    document = parse_document_request(body)
    outcome = await run_in_threadpool(state.writer.add, document)
    return JSONResponse(outcome.to_dict(), status_code=201 if outcome.status != "duplicate" else 200)
