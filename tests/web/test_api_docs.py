"""/docs and /openapi.json tell the truth: every read endpoint documents its answer's schema, bad
input is documented as the 400 the API answers (never FastAPI's default 422), and the real answers
validate against the documented schemas."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from detente.store import Store, open_store
from detente.web import create_app
from detente.web import schemas as s
from tests.web.test_api import build_web_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[TestClient, dict[str, Any], Store]]:
    with open_store(":memory:") as store:
        planted = build_web_store(store)
        with TestClient(create_app(store)) as client:
            yield client, planted, store


def test_the_schema_documents_answers_and_real_error_statuses(site: tuple[TestClient, dict[str, Any], Store]) -> None:
    client, _, _ = site
    schema = client.get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if path != "/api/v1/documents":
                assert "422" not in responses, (method, path)
            ok = responses.get("200") or responses.get("201")
            assert "$ref" in str(ok), (method, path)
            if path.startswith("/api/") and method == "get":
                assert "#/components/schemas/ErrorBody" in str(responses["400"]), path
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "ErrorBody" in schema["components"]["schemas"]


def test_real_answers_match_the_documented_schemas(site: tuple[TestClient, dict[str, Any], Store]) -> None:
    client, planted, _ = site
    event_id, article_id = planted["planted"][0].id, planted["article"].id
    checks = [
        ("/api/v1/events?limit=5", s.EventPage),
        (f"/api/v1/events/{event_id}", s.EventAnswer),
        (f"/api/v1/articles/{article_id}", s.ArticleAnswer),
        ("/api/v1/dyads", s.DyadRanking),
        ("/api/v1/dyads/USA/RUS", s.DyadReportAnswer),
        ("/api/v1/dyads/USA/RUS/series", s.SeriesAnswer),
        ("/api/v1/reciprocity?a=USA&b=RUS", s.ChainList),
        ("/api/v1/alerts?since=2024-01-01&freq=W", s.AlertList),
        ("/healthz", s.Health),
    ]
    for path, model in checks:
        response = client.get(path)
        assert response.status_code == 200, path
        model.model_validate(response.json())
    assert client.get("/api/v1/reciprocity?a=USA&b=RUS").json()["chains"], "there are chains to check"
    bad = client.get("/api/v1/events?limit=0")
    assert bad.status_code == 400
    s.ErrorBody.model_validate(bad.json())
