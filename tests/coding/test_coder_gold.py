"""The accuracy gate and the seed page, with the real model (slow). Floors live in eval_floors.json.

Also checks that `detente eval` and the shared independent scorer agree on the same output,
that the Python API and the CLI produce the same events, and that coding streams.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import detente
from detente.evaluate import load_gold, score_events
from detente.pipeline.gold import evaluate
from tests.conftest import ROOT, shared_path

pytestmark = pytest.mark.slow
FLOORS = json.loads((Path(__file__).parents[1] / "eval_floors.json").read_text())
DETENTE = str(ROOT / ".venv" / "bin" / "detente") if (ROOT / ".venv" / "bin" / "detente").exists() else "detente"


def _shared_module(name: str) -> ModuleType:
    path = shared_path("tools", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"shared_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


@pytest.fixture(scope="module", params=["PLOVER_GSR_CAMEO.json", "dev_articles.jsonl"])
def gold_run(request: pytest.FixtureRequest) -> tuple[str, Path, object, list[dict]]:  # type: ignore[type-arg]
    path = shared_path("gold", request.param)
    score, produced = evaluate(path)
    return request.param, path, score, produced


def test_accuracy_floors(gold_run) -> None:  # type: ignore[no-untyped-def]
    name, _, score, _ = gold_run
    floors = FLOORS[name]
    assert score.f1 >= floors["f1"], score.to_dict()
    assert score.type_recall >= floors["type_recall"], score.to_dict()
    assert score.precision >= floors["precision"] and score.recall >= floors["recall"], score.to_dict()
    assert score.modality_errors <= floors["modality_errors"], score.to_dict()


def test_independent_scorer_agrees(gold_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, path, score, produced = gold_run
    shared = _shared_module("score")
    docs = shared.load_gold(str(path))
    theirs, lenient = shared.score(docs, produced), shared.score(docs, produced, lenient=True)
    assert theirs["f1"] == pytest.approx(score.f1, abs=0.002)
    assert theirs["precision"] == pytest.approx(score.precision, abs=0.002)
    assert theirs["recall"] == pytest.approx(score.recall, abs=0.002)
    assert theirs["type_recall"] == pytest.approx(score.type_recall, abs=0.002)
    assert lenient["f1"] == pytest.approx(score.lenient_f1, abs=0.002)
    assert (theirs["gold_events"], theirs["pred_events"]) == (score.gold_events, score.produced_events)
    assert theirs["modality_errors"] == score.modality_errors
    # every error is counted once, in one PLOVER class
    assert sum(score.missed.values()) == score.gold_events - score.matched_gold
    assert sum(score.wrong.values()) == score.produced_events - score.matched_produced


def test_per_type_table_and_confusions(gold_run) -> None:  # type: ignore[no-untyped-def]
    _, _, score, _ = gold_run
    assert sum(int(r["gold"]) for r in score.per_type.values()) == score.gold_events
    assert all(0 <= r["f1"] <= 1 for r in score.per_type.values())


def test_seed_events_through_the_cli(tmp_path: Path) -> None:
    seed = shared_path("seed", "biden_russia_deescalation.txt")
    expected = shared_path("seed", "expected.json")
    out = tmp_path / "events.jsonl"
    with out.open("w") as fh:
        subprocess.run([DETENTE, "code", str(seed), "--jsonl"], stdout=fh, check=True, timeout=120)
    checker = _shared_module("seed_check")
    events = checker.load_events(str(out))
    exp = json.loads(expected.read_text())
    required = sum(checker.hit(e, events) for e in exp["required"])
    stretch = sum(checker.hit(e, events) for e in exp["stretch"])
    forbidden = sum(checker.hit(e, events) for e in exp["forbidden"])
    floors = FLOORS["seed"]
    assert required >= floors["required"] and stretch >= floors["stretch"]
    assert forbidden <= floors["forbidden"]
    for ev in events:  # the contract of EVAL.md
        assert {"id", "doc_id", "article_id", "sentence", "span", "source", "target", "type", "mode", "cameo",
                "goldstein", "quad_class", "date", "negated", "hypothetical", "future", "confidence", "coder",
                "rule"} <= set(ev)


def test_python_api_matches_batched_api() -> None:
    seed = shared_path("seed", "biden_russia_deescalation.txt").read_text()
    one = detente.code(seed, published="2021-04-15")
    (_, many), = list(detente.code_many([{"id": "seed", "text": seed, "published": "2021-04-15"}]))
    assert [e.to_dict() | {"doc_id": None} for e in one] == [e.to_dict() | {"doc_id": None} for e in many]
    # each event dated from its own sentence where it gives a date, else from the publication date
    assert all(e.date is not None and e.date_source in ("sentence", "published") for e in one)
    assert all(e.date.isoformat() == "2021-04-15" for e in one if e.date and e.date_source == "published")
    assert any(e.date_source == "published" for e in one)


def test_coding_streams_its_input() -> None:
    consumed = 0

    def corpus():  # type: ignore[no-untyped-def]
        nonlocal consumed
        for i in itertools.count():
            consumed += 1
            yield {"id": f"d{i}", "text": f"Russia expelled {i % 9 + 1} Estonian diplomats on Monday."}

    first = list(itertools.islice(detente.code_many(corpus()), 5))
    assert len(first) == 5
    assert consumed < 200  # a bounded look-ahead (one batch), never the whole corpus


def test_scorer_counts_flagged_events_as_not_produced() -> None:
    docs = load_gold(shared_path("gold", "dev_articles.jsonl"))
    doc = next(d for d in docs if any(g.flagged for g in d.events))
    g = next(g for g in doc.events if g.flagged)
    ev = {"doc_id": doc.id, "sentence": g.sentence, "type": g.type, "source": {"country": g.sources[0]},
          "target": {"country": g.targets[0]} if g.targets else None, "negated": False, "hypothetical": False}
    assert score_events([doc], [ev]).modality_errors == 1
    assert score_events([doc], [ev | {"negated": True}]).modality_errors == 0
