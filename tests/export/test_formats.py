"""Exports as their readers expect them: GDELT 2.0's codebook (FractionDate, known groups, actor
names), CSV that round-trips through pandas with its CSVW metadata, PLOVER JSON with eventText,
language and a null mode, and files that honour the umask."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from detente.export import export_events, metadata_path
from detente.export.gdelt import GDELT_EVENT_COLUMNS, fraction_date
from detente.model import Actor, Article
from detente.store import Store, open_store
from tests.store_support import article_for, make_event

LINES = [
    "The United Nations condemned the shelling of the port on Monday.",
    "President Donald Trump threatened new tariffs on Chinese steel.",
    "NATO agreed to send air defence systems to the region.",
    "Al-Qaeda fighters attacked an army convoy near the border.",
    "Japan and the Philippines signed a maritime agreement.",
    "Officials said the ceasefire talks in Geneva had been postponed.",
]
DATES = [date(2024, 1, 1), date(2024, 2, 29), date(2024, 7, 15), date(2024, 12, 31), date(2025, 3, 3),
         date(2025, 3, 3)]


def _sample_store() -> tuple[Store, Article]:
    """A fixed sample: an IGO, a named leader, an IGO with a CAMEO code, an armed group, two states."""
    store = open_store(":memory:")
    text = "\n".join(LINES)
    doc, article = article_for(text, doc_id="sample", url="https://news.example/sample")
    article = replace(article, language="en")
    starts = [sum(len(x) + 1 for x in LINES[:k]) for k in range(len(LINES))]
    plans = [
        (Actor("IGOUNO", "IGO", "", "The United Nations", "UN"), "ACCUSE", Actor("UKRGOV", "UKR", "GOV", "the port")),
        (Actor("USAGOV", "USA", "GOV", "President Donald Trump", "Donald Trump"), "THREATEN",
         Actor("CHNBUS", "CHN", "BUS", "Chinese steel")),
        (Actor("IGONATO", "IGO", "", "NATO", "NATO"), "AGREE", Actor("POL", "POL", "", "the region")),
        (Actor("IMGREB", "IMG", "REB", "Al-Qaeda fighters", "al-Qaeda"), "ASSAULT",
         Actor("MLIMIL", "MLI", "MIL", "an army convoy")),
        (Actor("JPNGOV", "JPN", "GOV", "Japan"), "COOPERATE", Actor("PHLGOV", "PHL", "GOV", "the Philippines")),
        (Actor("RUSGOV", "RUS", "GOV", "Officials"), "CONSULT", Actor("UKRGOV", "UKR", "GOV", "Geneva talks")),
    ]
    events = []
    for k, ((source, kind, target), line, day) in enumerate(zip(plans, LINES, DATES, strict=True)):
        event = make_event(source.code, kind, target.code, day, article_id=article.id, index=k, sentence=line,
                           span=(starts[k], starts[k] + len(line)), mode="", url=article.url)
        trigger = line.split()[2] if k != 4 else "signed"
        events.append(replace(event, source=source, target=target,
                              rule=f"verb '{trigger}' -> {kind} (CAMEO {event.cameo}); source from subject "
                                   f"[trigger '{trigger}']"))
    events[4] = replace(events[4], cameo="033", mode="")  # a code with a leading zero must keep it
    store.add(article, events, document=doc)
    return store, article


@pytest.fixture
def sample() -> Store:
    store, _ = _sample_store()
    yield store
    store.close()


def _gdelt_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", header=None, names=list(GDELT_EVENT_COLUMNS), dtype=str,
                       keep_default_na=False)


def test_gdelt_fraction_date_follows_the_codebook() -> None:
    # YYYY + (MONTH * 30 + DAY) / 365, four decimals, as GDELT writes it
    assert fraction_date(date(2024, 1, 1)) == "2024.0849"
    assert fraction_date(date(2024, 2, 29)) == "2024.2438"
    assert fraction_date(date(2021, 4, 15)) == "2021.3699"
    assert fraction_date(date(2024, 12, 31)) == "2025.0712"  # the formula runs past .9999 late in December


def test_gdelt_sample_matches_the_codebook(sample: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    assert export_events(sample, "gdelt", out) == 6
    frame = _gdelt_frame(out)
    rows = {r.SQLDATE + r.EventRootCode: r for r in frame.itertuples()}
    expected = {
        # SQLDATE+root: (FractionDate, Actor1Code, Actor1Name, Actor1CountryCode, Actor1KnownGroupCode,
        #                Actor1Type1Code, Actor2Name, Actor2KnownGroupCode)
        "2024010111": ("2024.0849", "IGOUNO", "UNITED NATIONS", "", "UNO", "IGO", "UKRAINE", ""),
        "2024022913": ("2024.2438", "USAGOV", "DONALD TRUMP", "USA", "", "GOV", "CHINA", ""),
        "2024071503": ("2024.6164", "IGONATO", "NORTH ATLANTIC TREATY ORGANIZATION", "", "NAT", "IGO", "POLAND", ""),
        "2024123119": ("2025.0712", "IMGREB", "AL QAEDA", "", "ALQ", "IMG", "MALI", ""),
        "2025030303": ("2025.2548", "JPNGOV", "JAPAN", "JPN", "", "GOV", "PHILIPPINES", ""),
        "2025030304": ("2025.2548", "RUSGOV", "RUSSIA", "RUS", "", "GOV", "UKRAINE", ""),
    }
    assert set(rows) == set(expected)
    for key, want in expected.items():
        r = rows[key]
        got = (r.FractionDate, r.Actor1Code, r.Actor1Name, r.Actor1CountryCode, r.Actor1KnownGroupCode,
               r.Actor1Type1Code, r.Actor2Name, r.Actor2KnownGroupCode)
        assert got == want, key
    # names are the actors', never the words that mentioned them
    assert not set(frame.Actor1Name) & {"THE UNITED NATIONS", "OFFICIALS", "PRESIDENT DONALD TRUMP"}
    assert rows["2025030303"].EventCode == "033"


def test_csv_round_trips_through_pandas_with_its_metadata(sample: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export_events(sample, "csv", out) == 6
    meta = json.loads(metadata_path(out).read_text(encoding="utf-8"))
    assert metadata_path(out).name == "events.csv-metadata.json"
    assert meta["@context"] == "http://www.w3.org/ns/csvw" and meta["url"] == "events.csv"
    types = {c["name"]: c["datatype"] for c in meta["tableSchema"]["columns"]}
    assert types["cameo"] == "string" and types["date"] == "date" and types["goldstein"] == "double"
    assert list(types) == pd.read_csv(out, nrows=0).columns.tolist()

    # what the README tells a pandas user to do with the metadata
    frame = pd.read_csv(out, dtype={n: "string" for n, t in types.items() if t == "string"},
                        parse_dates=[n for n, t in types.items() if t in ("date", "datetime")])
    assert sorted(frame["cameo"].tolist()) == sorted(["112", "138", "030", "190", "033", "040"])
    assert frame["goldstein"].dtype.kind == "f" and frame["quad_class"].dtype.kind == "i"
    assert frame["date"].dtype.kind == "M" and frame["negated"].dtype == bool
    assert set(frame["sentence"]) == set(LINES)
    # text is written quoted, numbers bare
    raw = out.read_text(encoding="utf-8")
    assert ',"033",' in raw and ',"IGOUNO",' in raw
    # and without either, pandas' defaults lose the zero: that is why the metadata is there
    assert 33 in set(pd.read_csv(out)["cameo"])


def test_plover_json_has_event_text_language_and_null_modes(sample: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.json"
    assert export_events(sample, "plover", out) == 6
    records = {r["text"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    trump = records[LINES[1]]
    assert trump["eventText"] == "Trump" and trump["language"] == "en" and trump["mode"] is None
    assert records[LINES[4]]["eventText"] == "signed"
    assert all(r["mode"] is None for r in records.values())
    assert {"id", "date", "actor", "recipient", "event", "mode", "context", "eventText", "text", "language",
            "publication", "url", "version", "dateCoded", "coder"} <= set(trump)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
@pytest.mark.parametrize("fmt", ["csv", "gdelt", "plover", "jsonl", "parquet"])
def test_export_files_honour_the_umask(sample: Store, tmp_path: Path, fmt: str, umask: int) -> None:
    out = tmp_path / f"events.{fmt}"
    old = os.umask(umask)
    try:
        export_events(sample, fmt, out)
    finally:
        os.umask(old)
    expected = 0o666 & ~umask
    assert stat.S_IMODE(out.stat().st_mode) == expected
    if fmt == "csv":
        assert stat.S_IMODE(metadata_path(out).stat().st_mode) == expected
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
