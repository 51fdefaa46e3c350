"""The FastAPI application: wiring of the API, the dashboard, static assets, docs and errors.

``create_app(store, ...)`` builds an app around an open ``Store``; ``detente serve`` opens
the store once, passes it here and runs the app on uvicorn. Reads take a cursor per query
(DuckDB cursors are per-thread connections to one database); writes go through
``writes.Writer`` one at a time.

Errors: API and ``.json`` paths answer ``{"error": ..., "hint": ...}`` with a fitting
status; dashboard pages answer an HTML error page with the same words. No response ever
carries a traceback (the server's log does).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .._version import __version__
from ..analysis import query_events
from ..errors import DetenteError, DocumentRejected, FetchError, InputError, StoreError
from ..ingest import Fetcher
from ..store import Store
from ..store.db import store_failure
from . import api, pages
from .cache import ReadCache
from .deps import VENDOR_FILES, ServerState, make_templates, render_page, state_of, vendor_path
from .schemas import Health
from .security import (
    MAX_BODY_BYTES,
    SECURITY_HEADERS,
    BodyLimit,
    HostCheck,
    HTTPError,
    SecurityHeaders,
    error_body,
)
from .writes import Writer

__all__ = ["create_app"]

log = logging.getLogger("detente.web")

STATIC_DIR = Path(__file__).parent / "static"


# ---- errors --------------------------------------------------------------------------------

def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or path in ("/healthz", "/openapi.json")


def _status_of(exc: DetenteError) -> int:
    if isinstance(exc, DocumentRejected):
        return 422
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, FetchError):
        return 502
    if isinstance(exc, StoreError):
        return 503
    return 500


_HINTS = {
    401: "send the header Authorization: Bearer <token> with the server's token",
    403: "this action is not allowed on this server",
    404: "check the address; the API is listed at /docs",
    405: "check the HTTP method; the API is listed at /docs",
    413: "send a smaller request",
}


def error_response(request: Request, status: int, error: str, hint: str, *,
                   headers: Mapping[str, str] | None = None, **extra: Any) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(error, hint, **extra), status_code=status, headers=headers)
    env = state_of(request).templates
    html = env.get_template("error.html").render(status=status, error=error, hint=hint, path=request.url.path,
                                                 page={}, json_url=None)
    return HTMLResponse(html, status_code=status, headers=headers)


_FLAG = re.compile(r"--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?: (?=[A-Z0-9'\"-]))?")


def as_query_words(text: str) -> str:
    """An error written for the command line, in the API's words: the option ``--min-confidence 0.5``
    is the query parameter ``min_confidence=0.5`` (and ``--cursor`` on its own is ``cursor``)."""
    def query(m: re.Match[str]) -> str:
        name = m.group(1).replace("-", "_")
        return name + ("=" if m.group(0).endswith(" ") else "")
    return _FLAG.sub(query, text)


async def _on_detente_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DetenteError)
    if isinstance(exc, DocumentRejected):
        return error_response(request, 422, exc.message, exc.hint, reason=exc.reason)
    if isinstance(exc, StoreError):
        state_of(request).record_failure(exc)
    return error_response(request, _status_of(exc), as_query_words(exc.message), as_query_words(exc.hint))


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, HTTPError):
        return error_response(request, exc.status_code, str(exc.detail), exc.hint, headers=exc.headers)
    detail = exc.detail if isinstance(exc.detail, str) else "the request failed"
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"there is nothing at {request.url.path}"
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}"
    hint = _HINTS.get(exc.status_code, "see /docs for the API")
    return error_response(request, exc.status_code, detail, hint, headers=exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for item in exc.errors()[:5]:
        where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body"))
        problems.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg", "invalid")))
    return error_response(request, 400, "; ".join(problems) or "the request is invalid",
                          "see /docs for the accepted parameters")


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    failure = store_failure(exc, state_of(request).store.path)
    if failure is not None:  # the file or the disk failed (a damaged block), not the server's code
        log.error("the store failed on %s %s: %s", request.method, request.url.path, failure.message)
        state_of(request).record_failure(failure)
        response = error_response(request, 503, failure.message, failure.hint)
    else:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        response = error_response(request, 500, f"internal error ({type(exc).__name__})",
                                  "the server log has the details; please report it")
    # This answer is sent from outside the middleware stack, so it gets its headers here.
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    return response


# ---- the app -------------------------------------------------------------------------------

def create_app(store: Store, *, token: str | None = None, coder: str | None = None,
               fetcher_factory: Callable[[], Fetcher] | None = None, max_body: int = MAX_BODY_BYTES,
               allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The detente web app over ``store``.

    ``token`` enables the write endpoint (``None``: writes are off); ``coder`` names the
    registered coder (default: the ``coder`` setting), ``fetcher_factory`` replaces the SSRF-guarded
    fetcher (for tests); ``max_body`` caps
    request bodies; ``allowed_hosts`` limits the ``Host`` header (``detente serve`` sets it
    for a loopback bind, so a web page cannot reach the API by DNS rebinding).
    """
    app = FastAPI(title="detente", version=__version__, docs_url=None, redoc_url=None,
                  description="Political events coded from news (PLOVER/CAMEO), dyads, escalation and alerts. "
                              "Errors are JSON: {\"error\": ..., \"hint\": ...}.")
    app.state.detente = ServerState(store=store, token=token or None, templates=make_templates(),
                                    writer=Writer(store, coder=coder, fetcher_factory=fetcher_factory),
                                    cache=ReadCache())
    app.add_exception_handler(DetenteError, _on_detente_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected)
    # Outermost first: headers on every answer (413s included), then the body limit.
    app.add_middleware(BodyLimit, max_body=max_body)
    if allowed_hosts:
        app.add_middleware(HostCheck, allowed=tuple(allowed_hosts))
    app.add_middleware(SecurityHeaders)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor_file(name: str) -> Response:
        path = vendor_path(name) if name in VENDOR_FILES else None
        if path is None:
            raise StarletteHTTPException(404, f"{name} is not available on this server")
        return FileResponse(path, media_type=VENDOR_FILES[name][2],
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # Browsers ask for it on every site; answering keeps a 404 out of every page's console.
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        ready = vendor_path("swagger-ui-bundle.js") is not None
        operations = [(method.upper(), path, (op.get("summary") or ""))
                      for path, item in app.openapi().get("paths", {}).items() for method, op in item.items()]
        return render_page(request, "docs.html", {"swagger": ready, "operations": operations})

    @app.get("/healthz", tags=["meta"], summary="Liveness, a real read of the store, and what the server holds",
             response_model=Health,
             responses={503: {"model": Health,
                              "description": "The store cannot be read (now, or at a request since the start)"}})
    def healthz(request: Request) -> JSONResponse:
        state = state_of(request)
        about: dict[str, Any] = {"version": __version__, "read_only": state.store.read_only,
                                 "writes": state.token is not None}
        try:
            # Real reads, never cached: the counts, and the rows the first page of events reads.
            stats = state.store.stats()
            query_events(state.store, limit=1)
        except Exception as exc:
            failure = store_failure(exc, state.store.path)
            if failure is None:
                raise
            state.record_failure(failure)
        else:
            about.update(events=stats.events, articles=stats.articles, schema_version=stats.schema_version)
        if state.failure is not None:
            return JSONResponse({"status": "failing", **error_body(state.failure.message, state.failure.hint),
                                 "since": state.failed_at, **about}, status_code=503)
        return JSONResponse({"status": "ok", **about})

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with the error answers this API really gives: a request it cannot read is
    400 ``{"error", "hint"}`` (see ``_on_validation_error``), never the 422 validation body FastAPI
    documents by default."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = FastAPI.openapi(app)
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            default = responses.get("422", {})
            if "HTTPValidationError" in str(default):
                del responses["422"]
                responses.setdefault("400", {
                    "description": "Bad input (the error names the parameter).",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
    components = schema.get("components", {}).get("schemas", {})
    if "HTTPValidationError" not in str(schema.get("paths")):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
    app.openapi_schema = schema
    return schema
