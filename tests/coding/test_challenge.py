"""The invented challenge set (tests/data/challenge.jsonl) with the real model (slow).

One-sentence wire reports written for the project, one per common construction of the 16 PLOVER
types with other actors than any gold file, and a few short stories of a headline and three
sentences (pronouns, "the two sides", "the junta", a speaker named earlier), labelled by the VOA
conventions. It needs no
../shared and runs in every clone; its floors live in eval_floors.json. It is a development set:
the constructions its first run missed were fixed from it, so it shows what the coder reads, not
how it does on news it has not seen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.evaluate import load_gold
from detente.pipeline.gold import evaluate

pytestmark = pytest.mark.slow
CHALLENGE = Path(__file__).parents[1] / "data" / "challenge.jsonl"
FLOORS = json.loads((Path(__file__).parents[1] / "eval_floors.json").read_text())["challenge.jsonl"]


def test_the_challenge_set_covers_every_type_with_invented_sentences() -> None:
    docs = load_gold(CHALLENGE)
    types = {g.type for d in docs for g in d.events}
    assert len(types) == 16, sorted(types)
    sentences = [len(d.text.splitlines()) for d in docs]
    assert all(n <= 4 for n in sentences) and sum(n == 1 for n in sentences) >= 100  # sentences, short stories


def test_the_challenge_set_stays_above_its_floors() -> None:
    score, produced = evaluate(CHALLENGE)
    assert score.f1 >= FLOORS["f1"], score.to_dict()
    assert score.type_recall >= FLOORS["type_recall"], score.to_dict()
    assert score.precision >= FLOORS["precision"] and score.recall >= FLOORS["recall"], score.to_dict()
    assert score.modality_errors <= FLOORS["modality_errors"], score.to_dict()
    # every event says where it came from
    assert produced and all(e["rule"] and e["sentence"] for e in produced)
