"""The REST API and the dashboard: thin layers over ``detente.analysis`` (needs the ``web`` extra).

    create_app(store, token=None, coder=None, fetcher_factory=None, max_body=10 MB, allowed_hosts=None) -> FastAPI

``detente serve`` opens the store once and runs ``create_app(store)`` on uvicorn. Pages:
``/`` (overview), ``/dyads/{a}/{b}``, ``/articles/{id}``, ``/events/{id}``, ``/search``, each
with a JSON twin at the same path plus ``.json``; the API is under ``/api/v1`` (OpenAPI at
``/docs``). Modules: ``app`` (wiring, errors), ``api``, ``pages`` + ``views`` (page data),
``writes`` (POST /documents), ``security`` (headers, body limit, token), ``highlight``.
"""

from __future__ import annotations

from .app import create_app
from .security import MAX_BODY_BYTES

__all__ = ["MAX_BODY_BYTES", "create_app"]
