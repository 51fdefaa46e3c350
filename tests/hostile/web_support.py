"""The web app over a small in-memory store, for hostile requests (no model, no network)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from detente.store import open_store
from detente.web import create_app
from tests.store_support import CODER, add_events

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

TOKEN = "hostile-suite-token"


@contextmanager
def client(*, token: str | None = None, **app_options: Any) -> Iterator[TestClient]:
    """A test client of the app over a store holding a short USA-RUS quarrel."""
    store = open_store(":memory:")
    add_events(store, [("USAGOV", "ACCUSE", "RUSGOV", date(2024, 1, day)) for day in range(1, 8)]
               + [("RUSGOV", "ACCUSE", "USAGOV", date(2024, 1, day)) for day in range(2, 9)])
    app = create_app(store, token=token, coder=CODER, **app_options)
    try:
        with TestClient(app, raise_server_exceptions=False) as http:
            yield http
    finally:
        store.close()
