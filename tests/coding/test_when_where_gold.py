"""Event dates and places on the VOA gold (real model, slow): floors, and the shared scorer agrees."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from detente.evaluate import load_gold
from detente.pipeline.gold import evaluate
from tests.conftest import shared_path

pytestmark = pytest.mark.slow
FLOORS = json.loads((Path(__file__).parents[1] / "eval_floors.json").read_text())


def test_voa_train_dates_and_places_meet_the_floors_and_the_scorer_agrees() -> None:
    path = shared_path("gold", "voa_train.jsonl")
    score, produced = evaluate(path)
    floors = FLOORS["voa_train.jsonl"]
    assert score.dated_matches >= 20 and score.placed_matches >= 10, score.to_dict()
    assert score.date_accuracy is not None and score.date_accuracy >= floors["date_accuracy"], score.to_dict()
    assert score.place_accuracy is not None and score.place_accuracy >= floors["place_accuracy"], score.to_dict()
    tool = shared_path("tools", "score.py")
    spec = importlib.util.spec_from_file_location("shared_score_when_where", tool)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(tool.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(tool.parent))
    theirs = module.score(module.load_gold(str(path)), produced)
    assert (theirs["date_accuracy"], theirs["dated_matches"]) == (score.date_accuracy, score.dated_matches)
    assert (theirs["place_accuracy"], theirs["placed_matches"]) == (score.place_accuracy, score.placed_matches)
    assert len(load_gold(path)) == score.documents


def test_gdelt_export_of_the_seed_and_sample_pages_has_action_geo_for_every_placed_event(tmp_path: Path) -> None:
    """The real coder over the sample pages (and the seed page when ../shared is there), stored and
    exported as GDELT, read back with GDELT's column names: ActionGeo is filled exactly for the events
    whose place was resolved to a point, with GDELT's types, and FractionDate is GDELT's formula."""
    import pandas as pd

    from detente.export import GDELT_EVENT_COLUMNS, export_events
    from detente.pipeline import ingest_sources
    from detente.store import open_store
    from tests.conftest import EXAMPLES, SHARED

    sources = [str(EXAMPLES)]
    seed = SHARED / "seed" / "biden_russia_deescalation.txt"
    if seed.exists():
        sources.append(str(seed))
    out = tmp_path / "events.tsv"
    with open_store(tmp_path / "s.duckdb") as store:
        ingest_sources(store, sources, published=date(2021, 4, 15))
        placed = {r["id"] for r in store.query("SELECT id FROM dyad_events WHERE is_real AND lat IS NOT NULL")}
        real = store.scalar("SELECT count(*) FROM dyad_events WHERE is_real")
        assert export_events(store, "gdelt", out) == real
        from detente.export.gdelt import global_event_id

        ids = {global_event_id(i): i for i in (r["id"] for r in store.query("SELECT id FROM dyad_events"))}
    frame = pd.read_csv(out, sep="\t", header=None, names=list(GDELT_EVENT_COLUMNS), keep_default_na=False,
                        na_values=[""], dtype={"EventCode": str, "ActionGeo_ADM1Code": str, "ActionGeo_FeatureID": str,
                                               "ActionGeo_CountryCode": str, "Actor1Geo_FeatureID": str,
                                               "Actor2Geo_FeatureID": str, "Actor1Geo_ADM1Code": str,
                                               "Actor2Geo_ADM1Code": str})
    assert len(placed) >= 10, "the sample pages name places for many of their events"
    for row in frame.itertuples():
        has_geo = not pd.isna(row.ActionGeo_Type)
        assert has_geo == (ids[row.GLOBALEVENTID] in placed), row
        if has_geo:
            assert row.ActionGeo_Type in (1, 2, 3, 4, 5) and len(row.ActionGeo_CountryCode) == 2
            assert -90 <= row.ActionGeo_Lat <= 90 and -180 <= row.ActionGeo_Long <= 180
            assert row.ActionGeo_Fullname and row.ActionGeo_FeatureID
        day = date(int(str(row.SQLDATE)[:4]), int(str(row.SQLDATE)[4:6]), int(str(row.SQLDATE)[6:]))
        assert abs(row.FractionDate - round(day.year + (day.month * 30 + day.day) / 365, 4)) < 1e-6
    assert frame["ActionGeo_Lat"].dtype.kind == "f" and frame["ActionGeo_Long"].dtype.kind == "f"
