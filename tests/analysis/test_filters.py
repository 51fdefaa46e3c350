"""Filters everywhere: confidence, quad class, CAMEO root, PLOVER types and real/flagged, on the
library, ``events``, ``export``, ``code``, the API and the dashboard, with CSV from every table."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from detente.analysis import query_events
from detente.cli import main
from detente.errors import BadOption
from detente.store import Store, open_store
from detente.web import create_app
from tests.store_support import add_events, marker
from tests.web.test_api import assert_error

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

PLAN = [  # (source, type, target, day, confidence)
    ("USAGOV", "ACCUSE", "RUSGOV", date(2024, 3, 1), 0.95),      # 11, quad 3
    ("RUSGOV", "THREATEN", "USAGOV", date(2024, 3, 2), 0.55),    # 13, quad 3
    ("RUSMIL", "ASSAULT", "UKRMIL", date(2024, 3, 3), 0.9),      # 19, quad 4
    ("USAGOV", "SANCTION", "RUSGOV", date(2024, 3, 4), 0.7),     # 16, quad 4
    ("CHNGOV", "CONSULT", "USAGOV", date(2024, 3, 5), 0.85),     # 04, quad 1
    ("IGOUNO", "AID", "UKR", date(2024, 3, 6), 0.6),             # 07, quad 2
]


def _fill(store: Store) -> dict[str, Any]:
    events = []
    for src, kind, tgt, day, confidence in PLAN:
        events += add_events(store, [(src, kind, tgt, day)], confidence=confidence)
    flagged = add_events(store, [("RUSMIL", "ASSAULT", "USAMIL", date(2024, 3, 7))], hypothetical=True,
                         confidence=0.99)
    formula = add_events(store, [("USAGOV", "ACCUSE", "CHNGOV", date(2024, 3, 8))], confidence=0.8)
    return {"events": events, "flagged": flagged, "formula": formula}


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store(":memory:") as s:
        _fill(s)
        yield s


def _types(page: Any) -> list[str]:
    return sorted(e.type for e in page.events)


def test_library_filters(store: Store) -> None:
    assert _types(query_events(store, min_confidence=0.85)) == ["ACCUSE", "ASSAULT", "ASSAULT", "CONSULT"]
    assert _types(query_events(store, min_confidence=0.85, modality="real")) == ["ACCUSE", "ASSAULT", "CONSULT"]
    assert _types(query_events(store, quad_class="4", modality="real")) == ["ASSAULT", "SANCTION"]
    assert _types(query_events(store, quad_class="conflict", modality="real")) == \
        ["ACCUSE", "ACCUSE", "ASSAULT", "SANCTION", "THREATEN"]
    assert _types(query_events(store, quad_class=[1, 2])) == ["AID", "CONSULT"]
    assert _types(query_events(store, quad_class="material-cooperation")) == ["AID"]
    assert _types(query_events(store, cameo_root="19")) == ["ASSAULT", "ASSAULT"]
    assert _types(query_events(store, cameo_root="4,7")) == ["AID", "CONSULT"]
    assert _types(query_events(store, type="threaten,sanction")) == ["SANCTION", "THREATEN"]
    assert _types(query_events(store, modality="flagged")) == ["ASSAULT"]
    assert _types(query_events(store, source="USA", quad_class="3", min_confidence=0.9)) == ["ACCUSE"]
    for bad in ({"min_confidence": 1.5}, {"min_confidence": "high"}, {"quad_class": "5"},
                {"quad_class": "war"}, {"cameo_root": "21"}, {"cameo_root": "x"}, {"type": "ACCUSE,WAR"}):
        with pytest.raises(BadOption):
            query_events(store, **bad)  # type: ignore[arg-type]


def _db(tmp_path: Path) -> str:
    db = tmp_path / "f.duckdb"
    with open_store(db) as s:
        _fill(s)
    return str(db)


def test_events_and_export_commands_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path)
    assert main(["events", "--db", db, "--json", "--min-confidence", "0.85", "--quad", "conflict",
                 "--modality", "real"]) == 0
    got = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(e["type"] for e in got) == ["ACCUSE", "ASSAULT"]
    assert main(["events", "--db", db, "--json", "--cameo-root", "19", "--modality", "flagged"]) == 0
    assert [json.loads(line)["hypothetical"] for line in capsys.readouterr().out.splitlines()] == [True]
    out = tmp_path / "conflict.csv"
    assert main(["export", "--db", db, "--format", "csv", "--out", str(out), "--quad", "3,4",
                 "--min-confidence", "0.7", "--type", "ACCUSE,SANCTION,ASSAULT"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(r["type"] for r in rows) == ["ACCUSE", "ACCUSE", "ASSAULT", "ASSAULT", "SANCTION"]
    capsys.readouterr()
    for args, words in ((["--min-confidence", "2"], "outside 0 to 1"), (["--quad", "9"], "quad class"),
                        (["--cameo-root", "99"], "CAMEO root")):
        assert main(["events", "--db", db, *args]) == 2
        assert words in capsys.readouterr().err
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "x.csv"), "--quad", "x"]) == 2
    assert not (tmp_path / "x.csv").exists()


def test_code_command_min_confidence(tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_coder: str) -> None:
    page = tmp_path / "story.txt"
    page.write_text("The story of the day, told in two sentences for the test.\n"
                    f"The US accused Russia {marker('USAGOV', 'ACCUSE', 'RUSGOV', '2024-03-01')}.\n"
                    f"Russia threatened the US {marker('RUSGOV', 'THREATEN', 'USAGOV', '2024-03-02')}.\n")
    assert main(["code", str(page), "--jsonl"]) == 0
    every = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(every) == 2 and {e["confidence"] for e in every} == {0.8}
    assert main(["code", str(page), "--jsonl", "--min-confidence", "0.81"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["code", str(page), "--jsonl", "--min-confidence", "0.8"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["code", str(page), "--min-confidence", "-1"]) == 2


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


def test_api_filters(client: TestClient) -> None:
    def types(query: str) -> list[str]:
        response = client.get("/api/v1/events?" + query)
        assert response.status_code == 200, response.text
        return sorted(e["type"] for e in response.json()["events"])

    assert types("min_confidence=0.85&modality=real") == ["ACCUSE", "ASSAULT", "CONSULT"]
    assert types("quad_class=conflict&cameo_root=16,19&modality=real") == ["ASSAULT", "SANCTION"]
    assert types("type=AID,CONSULT") == ["AID", "CONSULT"]
    assert_error(client.get("/api/v1/events?min_confidence=3"), 400, "min_confidence")
    assert_error(client.get("/api/v1/events?quad_class=7"), 400, "quad class")
    assert_error(client.get("/api/v1/events?cameo_root=00"), 400, "CAMEO root")
    schema = client.get("/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert {"min_confidence", "quad_class", "cameo_root", "type", "modality"} <= names


def _csv(client: TestClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_dashboard_search_filters_and_csv_of_every_table(client: TestClient) -> None:
    html = client.get("/search?quad_class=4&min_confidence=0.8&modality=real").text
    assert 'name="min_confidence"' in html and 'name="quad_class"' in html and 'name="cameo_root"' in html
    data = client.get("/search.json?quad_class=4&min_confidence=0.8&modality=real").json()
    assert [e["type"] for e in data["events"]] == ["ASSAULT"]
    assert 'href="/search.csv?quad_class=4&amp;min_confidence=0.8&amp;modality=real"' in html
    rows = _csv(client, "/search.csv?quad_class=4&min_confidence=0.8&modality=real")
    assert [r["type"] for r in rows] == ["ASSAULT"] and rows[0]["cameo"] == "190"
    # a search's CSV holds every match, not only the page shown
    assert len(_csv(client, "/search.csv?limit=2")) == len(PLAN) + 2

    overview = client.get("/").text
    for table in ("most_escalating", "most_active", "alerts", "chains"):
        assert f'href="/index.csv?table={table}"' in overview
    active = _csv(client, "/index.csv?table=most_active")
    assert {"source", "target", "events"} <= set(active[0]) and len(active) >= 3

    dyad = client.get("/dyads/USA/RUS?freq=D").text
    for table in ("totals", "series", "events", "chains"):
        assert f'href="/dyads/USA/RUS.csv?freq=D&amp;table={table}"' in dyad
    series = _csv(client, "/dyads/USA/RUS.csv?freq=D&table=series")
    assert {r["direction"] for r in series} == {"USA->RUS", "RUS->USA"}
    assert sum(int(r["events"]) for r in series) == 3
    totals = _csv(client, "/dyads/USA/RUS.csv?freq=D&table=totals")
    assert [(r["source"], r["events"]) for r in totals] == [("USA", "2"), ("RUS", "1")]
    bad = client.get("/dyads/USA/RUS.csv?table=nope")
    assert bad.status_code == 400 and "no table" in bad.text


def test_csv_downloads_cannot_carry_spreadsheet_formulas() -> None:
    from detente.web.pages import csv_response

    response = csv_response(["a", "b", "c"], [["=HYPERLINK(\"http://evil\")", -7.0, "-12"], ["+1 cmd", "@x", "ok"]],
                            "t.csv")
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[1] == ["'=HYPERLINK(\"http://evil\")", "-7.0", "-12"]
    assert rows[2] == ["'+1 cmd", "'@x", "ok"]
