"""What the web's routers share: the server's state, the read cache and the page renderer.

``app`` builds the application and its error handlers; ``api`` (the JSON API) and ``pages``
(the dashboard) are routers that need the state of the server a request reached, its read
cache and the templates. They take those from here, never from ``app``, so that ``app``
imports the routers and nothing imports ``app`` back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from .._version import __version__
from ..errors import StoreError
from ..ingest.fetch import utc_now_iso
from ..store import Store
from .cache import ReadCache
from .writes import Writer

__all__ = [
    "VENDOR_FILES",
    "ServerState",
    "cached",
    "make_templates",
    "plotly_style_ids",
    "render_page",
    "state_of",
    "vendor_path",
]

# Third-party browser code, served from the Python packages that ship it (never a CDN).
VENDOR_FILES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "plotly.min.js": ("plotly", ("package_data", "plotly.min.js"), "text/javascript"),
    "swagger-ui-bundle.js": ("fastapi_offline", ("static", "swagger-ui-bundle.js"), "text/javascript"),
    "swagger-ui.css": ("fastapi_offline", ("static", "swagger-ui.css"), "text/css"),
}


@dataclass
class ServerState:
    """What every request handler shares."""

    store: Store
    token: str | None
    writer: Writer
    templates: Environment
    cache: ReadCache
    # The first failure of the store seen since the server started (a damaged block stays damaged):
    # /healthz answers 503 with it from then on.
    failure: StoreError | None = None
    failed_at: str | None = None

    def record_failure(self, failure: StoreError) -> None:
        if self.failure is None:
            self.failure, self.failed_at = failure, utc_now_iso()


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.detente
    return state


T = TypeVar("T")


def cached(request: Request, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from an earlier request when the store has not changed since."""
    state = state_of(request)
    return state.cache.get(key, state.writer.generation, compute)


def vendor_path(name: str) -> Path | None:
    """Where an installed package keeps one of ``VENDOR_FILES`` (None when that package is missing)."""
    package, parts, _ = VENDOR_FILES[name]
    try:
        path = Path(str(resources.files(package).joinpath(*parts)))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return ""
    try:
        return f"{float(value):.{digits}f}"
    except (TypeError, ValueError):
        return str(value)


def _flags(event: dict[str, Any]) -> list[str]:
    return [name for name in ("negated", "hypothetical", "future", "reported", "historical") if event.get(name)]


_INLINE_STYLE_GUARD = re.compile(rb'getElementById\("([0-9a-f]{64})"\)\)\{var \w=document\.createElement\("style"\)')


def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the <style> elements the installed plotly.js writes inline at load (its map CSS),
    found in its bundle. plotly writes one only when no element with that id is there, so a page
    that links a same-origin stylesheet under each id keeps plotly from writing an inline style
    the Content-Security-Policy (style-src 'self') would refuse, and the console stays clean."""
    path = vendor_path("plotly.min.js")
    if path is None:
        return ()
    try:
        return tuple(dict.fromkeys(m.decode() for m in _INLINE_STYLE_GUARD.findall(path.read_bytes())))
    except OSError:
        return ()


def make_templates() -> Environment:
    """Jinja2 with autoescaping on for every template: untrusted text is escaped wherever it appears."""
    env = Environment(loader=PackageLoader("detente.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = _fmt
    env.globals.update(flags=_flags, version=__version__, plotly_style_ids=plotly_style_ids())
    return env


def render_page(request: Request, template: str, page: dict[str, Any], *, json_url: str | None = None,
                status_code: int = 200) -> HTMLResponse:
    html = state_of(request).templates.get_template(template).render(
        page=page, json_url=json_url, path=request.url.path)
    return HTMLResponse(html, status_code=status_code)
