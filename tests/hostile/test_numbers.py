"""Reproduction 6 of issue 15, and its kin: numbers no calendar, clock or process table can hold.

``window=99999999999999d`` overflowed ``timedelta`` (500 from the API, "unexpected
OverflowError ... report it" from the CLI); a huge ``--interval`` overflowed the watcher's
wait, a huge ``--workers`` or ``--batch-size`` a C integer. Each is now a 400 / exit 2 with a
line saying what to give instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.cli import main
from tests.hostile.web_support import client

HUGE = "99999999999999"


@pytest.mark.parametrize("window", [f"{HUGE}d", f"{HUGE}w", "9" * 5000 + "d", "3651d"])
def test_the_api_refuses_a_window_longer_than_ten_years(window: str) -> None:
    with client() as http:
        for params in ({"window": window}, {"window": window, "a": "USA", "b": "RUS"}):
            answer = http.get("/api/v1/reciprocity", params=params)
            assert answer.status_code == 400, answer.text
            assert "longer than 3650 days" in answer.json()["error"]


def test_a_ten_year_window_is_still_accepted() -> None:
    with client() as http:
        assert http.get("/api/v1/reciprocity", params={"window": "3650d"}).status_code == 200


@pytest.mark.parametrize("argv, words", [
    (["reciprocity", "USA", "RUS", "--window", f"{HUGE}d"], "longer than 3650 days"),
    (["watch", "FEEDS", "--interval", f"{HUGE}d"], "longer than a year"),
    (["watch", "FEEDS", "--once", "--host-delay", f"{HUGE}h"], "longer than a year"),
    (["watch", "FEEDS", "--once", "--max-attempts", HUGE * 2], "--max-attempts"),
    (["serve", "--watch", "FEEDS", "--watch-interval", f"{HUGE}d", "--port", "0"], "longer than a year"),
    (["batch", "PAGE", "--out", "shards", "--workers", HUGE], "--workers"),
    (["batch", "PAGE", "--out", "shards", "--batch-size", HUGE * 2], "--batch-size"),
    (["batch", "PAGE", "--out", "shards", "--shard-size", HUGE * 2], "--shard-size"),
    (["ingest", "PAGE", "--batch-size", HUGE * 2], "--batch-size"),
])
def test_the_cli_refuses_huge_numbers_with_exit_2(argv: list[str], words: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "FEEDS").write_text("https://news.example/feed.xml\n")
    (tmp_path / "PAGE").write_text("a page")
    db = ["--db", str(tmp_path / "x.duckdb")] if argv[0] in ("reciprocity", "watch", "serve", "ingest") else []
    assert main([*argv, *db]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    assert "unexpected" not in lines[0]
    assert not (tmp_path / "x.duckdb").exists() and not (tmp_path / "shards").exists()


@pytest.mark.parametrize("value", ["abc", "1e9", "9" * 5000])
def test_a_setting_from_the_environment_that_is_no_number_is_exit_2(value: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Lithuania expelled two Russian diplomats on Tuesday, the ministry said.")
    monkeypatch.setenv("DETENTE_MAX_BYTES", value)
    assert main(["extract", str(page)]) == 2
    err = capsys.readouterr().err
    assert "DETENTE_MAX_BYTES" in err and "not a whole number" in err and "unexpected" not in err
