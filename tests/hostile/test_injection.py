"""Injection through what a user controls: SQL in every filter of the API, the dashboard's twins
and the CLI, and paths that climb out of the asset folders.

Every filter reaches the store as a bound parameter or is checked against a closed list first,
so a quote or a ``--`` in a value is only ever part of that value: the answer is a 400, or a 200
that matches nothing, and the store is the same afterwards. (Markup in stored text is the
subject of tests/web/test_pages.py and the browser test.)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from detente.cli import main
from detente.store import open_store
from tests.hostile.test_fuzz import ROUTES
from tests.hostile.web_support import client
from tests.store_support import add_events

SQL = ["USA' OR '1'='1", "x'; DROP TABLE events; --", "1 OR 1=1", "USA\") UNION SELECT id FROM runs --",
       "%' --", "' || (SELECT count(*) FROM events) || '", "USA;DELETE FROM articles"]


def _answers(http: Any) -> dict[str, Any]:
    return {"events": http.get("/api/v1/events", params={"limit": 1000}).json(),
            "dyads": http.get("/api/v1/dyads").json()}


def test_sql_in_any_parameter_is_a_value_never_a_statement() -> None:
    with client() as http:
        before = _answers(http)
        assert len(before["events"]["events"]) == 14
        for template, names in ROUTES:
            for value in SQL:
                path = template.replace("{x}", "USA").replace("{y}", "RUS")
                for name in names:
                    answer = http.get(path, params={name: value})
                    assert answer.status_code in (200, 400, 404), (path, name, value, answer.status_code)
                    if answer.status_code == 200 and path in ("/api/v1/events", "/search.json") \
                            and name not in ("modality", "limit", "cursor"):
                        assert answer.json()["events"] == [], (path, name, value)  # it matched nothing
                for where in ("{x}", "{y}"):
                    if where in template:
                        climbing = template.replace(where, value.replace("/", "%2F")).replace("{x}", "USA")
                        answer = http.get(climbing.replace("{y}", "RUS"))
                        assert answer.status_code in (400, 404), (climbing, answer.status_code)
        assert _answers(http) == before


def test_sql_in_a_cli_filter_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.duckdb"
    with open_store(db) as store:
        add_events(store, [("USAGOV", "ACCUSE", "RUSGOV", date(2024, 1, 2))])
    for value in SQL:
        for option in ("--source", "--target", "--type", "--cameo-root", "--country-of-event"):
            code = main(["events", "--db", str(db), option, value, "--json"])
            out, err = capsys.readouterr()
            assert code in (0, 2) and "unexpected" not in err and "Traceback" not in err, (option, value, err)
            assert code == 2 or out.strip() == "", (option, value, out)
        assert main(["export", "--db", str(db), "--format", "jsonl", "--out", str(tmp_path / "x.jsonl"),
                     "--source", value]) == 2
    with open_store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM events") == 1


@pytest.mark.parametrize("path", ["/static/../security.py", "/static/%2e%2e/security.py", "/static/..%2Fapp.py",
                                  "/static/%2e%2e%2f%2e%2e%2fstore%2fdb.py", "/vendor/..%2F..%2Fweb%2Fapp.py",
                                  "/static//etc/passwd", "/static/%2Fetc%2Fpasswd", "/vendor/%2e%2e"])
def test_no_path_climbs_out_of_the_asset_folders(path: str) -> None:
    with client() as http:
        answer = http.get(path)
        assert answer.status_code in (400, 404), (path, answer.status_code)
        assert "import " not in answer.text and "root:" not in answer.text
