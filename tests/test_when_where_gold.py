"""Event dates and places on the VOA gold (real model, slow): floors, and the shared scorer agrees."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from detente.evaluate import evaluate, load_gold

from .conftest import shared_path

pytestmark = pytest.mark.slow
FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text())


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
