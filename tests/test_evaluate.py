"""Scoring against gold, on small hand-made gold and predictions (invented sentences, no model):
the headline figures, each error by its PLOVER class, the per-type table, agreement with the
shared independent scorer, and the ``detente eval`` report (table, --json, --errors-out)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import detente.pipeline.gold as gold_run
from detente.cli import main
from detente.evaluate import MISSED_CLASSES, WRONG_CLASSES, load_gold, reliability, score_events
from tests.conftest import shared_path

RECALL = "Chile recalled its ambassador from Peru on Monday."
ACCUSE = "Peru accused Chile of spying on its navy."
URGE = "Bolivia urged Chile to reopen the border crossing."
AID = "Argentina sent medical aid to Bolivia."
NOT_CLOSED = "Ecuador did not close its border with Peru."
MATCH = "Uruguay hosted a friendly football match."
EXPEL = "Venezuela expelled two Colombian diplomats."
FREEZE = "Colombia froze the assets of Venezuelan officials."
TEXT = "\n".join(["Andean neighbours trade barbs", RECALL, ACCUSE, URGE, AID, NOT_CLOSED, MATCH, EXPEL, FREEZE])


def gold_event(sentence: str, source: str, type_: str, target: str | None, **extra: Any) -> dict[str, Any]:
    return {"sentence": sentence, "source": source, "target": target, "type": type_, "negated": False,
            "hypothetical": False} | extra


GOLD = {"id": "andes1", "published": "2024-03-05", "raw_text": TEXT, "boilerplate_lines": [], "events": [
    gold_event(RECALL, "CHL:GOV", "SANCTION", "PER:GOV", date="2024-03-04", location="Lima"),
    gold_event(ACCUSE, "PER:GOV", "ACCUSE", "CHL:GOV"),
    gold_event(URGE, "BOL:GOV", "REQUEST", "CHL:GOV"),
    gold_event(AID, "ARG:GOV", "AID", "BOL:GOV"),
    gold_event(NOT_CLOSED, "ECU:GOV", "SANCTION", "PER:GOV", negated=True),
    gold_event(EXPEL, "VEN:GOV", "SANCTION", "COL:GOV"),
    gold_event(FREEZE, "COL:GOV", "SANCTION", "VEN:GOV"),
]}


def produced(sentence: str, source: str, type_: str, target: str | None, **extra: Any) -> dict[str, Any]:
    return {"doc_id": "andes1", "sentence": sentence, "type": type_, "source": {"code": source + "GOV",
            "country": source}, "target": {"code": target + "GOV", "country": target} if target else None,
            "negated": False, "hypothetical": False, "future": False} | extra


PREDICTIONS = [
    produced(RECALL, "CHL", "SANCTION", "PER", date="2024-03-04", place={"text": "Lima"}),  # right
    produced(ACCUSE, "CHL", "ACCUSE", "PER"),  # the roles swapped: the gold misses its source
    produced(URGE, "BOL", "REQUEST", "ARG"),  # the wrong target
    produced(AID, "ARG", "SUPPORT", "BOL"),  # the wrong type
    produced(NOT_CLOSED, "ECU", "SANCTION", "PER"),  # the gold says it did not happen
    produced(MATCH, "URY", "CONSULT", None),  # nothing in the gold there
    produced(EXPEL, "VEN", "SANCTION", "COL", future=True),  # flagged: not counted as produced
    produced(EXPEL, "VEN", "SANCTION", "COL", reported=True),  # flagged: not counted as produced
    produced(FREEZE, "COL", "COERCE", "VEN"),  # right only when SANCTION and COERCE count as one
]


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "andes.jsonl"
    path.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    return path


def test_headline_figures(gold_file: Path) -> None:
    score = score_events(load_gold(gold_file), PREDICTIONS)
    assert (score.gold_events, score.produced_events) == (6, 7)  # flagged gold and flagged output left out
    assert (score.precision, score.recall, score.f1) == (0.143, 0.167, 0.154)
    assert score.type_recall == 0.5  # RECALL, ACCUSE, URGE got an event of their type
    assert score.lenient_f1 == 0.308
    assert score.modality_errors == 1
    assert (score.date_accuracy, score.dated_matches) == (1.0, 1)
    assert (score.place_accuracy, score.placed_matches) == (1.0, 1)


def test_each_error_has_its_plover_class(gold_file: Path) -> None:
    score = score_events(load_gold(gold_file), PREDICTIONS)
    assert score.missed == {"no_trigger": 1, "wrong_type": 2, "wrong_source": 1, "wrong_target": 1}
    assert score.wrong == {"modality": 1, "spurious": 1, "wrong_type": 2, "wrong_actors": 2}
    by_sentence = {(c.kind, c.sentence): c.error_class for c in score.errors}
    assert by_sentence == {
        ("missed", ACCUSE): "wrong_source", ("missed", URGE): "wrong_target", ("missed", AID): "wrong_type",
        ("missed", EXPEL): "no_trigger", ("missed", FREEZE): "wrong_type",
        ("wrong", ACCUSE): "wrong_actors", ("wrong", URGE): "wrong_actors", ("wrong", AID): "wrong_type",
        ("wrong", NOT_CLOSED): "modality", ("wrong", MATCH): "spurious", ("wrong", FREEZE): "wrong_type",
    }
    missed_aid = next(c for c in score.errors if c.kind == "missed" and c.sentence == AID)
    assert missed_aid.to_dict() == {"kind": "missed", "class": "wrong_type", "doc_id": "andes1", "type": "AID",
                                    "source": "ARG", "target": "BOL", "sentence": AID}


def test_every_error_is_counted_once(gold_file: Path) -> None:
    docs = load_gold(gold_file)
    score = score_events(docs, PREDICTIONS)
    assert (score.matched_gold, score.matched_produced) == (1, 1)
    assert sum(score.missed.values()) == score.gold_events - score.matched_gold
    assert sum(score.wrong.values()) == score.produced_events - score.matched_produced
    assert set(score.missed) == set(MISSED_CLASSES) and set(score.wrong) == set(WRONG_CLASSES)
    nothing = score_events(docs, [])
    assert nothing.missed == {"no_trigger": 6, "wrong_type": 0, "wrong_source": 0, "wrong_target": 0}
    assert sum(nothing.wrong.values()) == 0


def test_per_type_rows_carry_the_classes(gold_file: Path) -> None:
    rows = score_events(load_gold(gold_file), PREDICTIONS).per_type
    assert rows["SANCTION"]["gold"] == 3 and rows["SANCTION"]["produced"] == 2
    assert rows["SANCTION"]["missed"] == {"no_trigger": 1, "wrong_type": 1, "wrong_source": 0, "wrong_target": 0}
    assert rows["SANCTION"]["wrong"]["modality"] == 1
    assert rows["CONSULT"]["wrong"]["spurious"] == 1 and rows["CONSULT"]["gold"] == 0
    assert rows["ACCUSE"]["missed"]["wrong_source"] == 1 and rows["ACCUSE"]["wrong"]["wrong_actors"] == 1
    for row in rows.values():
        assert sum(row["missed"].values()) <= row["gold"] and sum(row["wrong"].values()) <= row["produced"]


def test_gsr_records_are_scored_by_class_too(tmp_path: Path) -> None:
    gsr = tmp_path / "gsr.json"
    gsr.write_text(json.dumps([
        {"id": "DOC", "event": "DOCUMENT", "comment": "about the file"},
        {"id": "R1", "event": "DISAPPROVE", "text": ACCUSE, "date": "2001-01-01",
         "source": [{"code": "PER", "sector": "GOV"}], "target": [{"code": "CHL"}]},
        {"id": "R2", "event": "FIGHT", "text": EXPEL, "source": [{"code": "VEN"}], "target": [{"code": "COL"}]},
    ]), encoding="utf-8")
    docs = load_gold(gsr)
    assert [d.events[0].type for d in docs] == ["ACCUSE", "ASSAULT"]  # old labels read as PLOVER
    preds = [{"doc_id": "R1", "sentence": ACCUSE, "type": "ACCUSE", "source": {"country": "PER"},
              "target": {"country": "CHL"}}]
    score = score_events(docs, preds)
    assert (score.f1, score.missed["no_trigger"], sum(score.wrong.values())) == (0.667, 1, 0)


def _shared_score() -> ModuleType:
    path = shared_path("tools", "score.py")
    spec = importlib.util.spec_from_file_location("shared_score_for_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shared_scorer_agrees_on_every_headline_figure(gold_file: Path) -> None:
    shared = _shared_score()
    docs = shared.load_gold(str(gold_file))
    strict, lenient = shared.score(docs, PREDICTIONS), shared.score(docs, PREDICTIONS, lenient=True)
    ours = score_events(load_gold(gold_file), PREDICTIONS)
    assert (ours.precision, ours.recall, ours.f1, ours.type_recall) == (
        strict["precision"], strict["recall"], strict["f1"], strict["type_recall"])
    assert (ours.gold_events, ours.produced_events, ours.modality_errors) == (
        strict["gold_events"], strict["pred_events"], strict["modality_errors"])
    assert ours.lenient_f1 == lenient["f1"]
    assert (ours.date_accuracy, ours.place_accuracy) == (strict["date_accuracy"], strict["place_accuracy"])


def test_reliability_bins_and_calibration_error() -> None:
    # 0.85: 4 events, 3 right (0.75 observed); 0.3: 2 events, 1 right (0.5 observed)
    judged = [(0.85, True), (0.85, True), (0.85, True), (0.85, False), (0.3, True), (0.3, False)]
    rows, ece = reliability(judged)
    by_low = {row["low"]: row for row in rows}
    assert by_low[0.8] == {"low": 0.8, "high": 0.9, "events": 4, "mean_confidence": 0.85, "precision": 0.75}
    assert by_low[0.2]["events"] == 2 and by_low[0.2]["precision"] == 0.5
    assert by_low[0.5]["events"] == 0 and by_low[0.5]["precision"] is None
    # (4 * |0.75 - 0.85| + 2 * |0.5 - 0.3|) / 6 = (0.4 + 0.4) / 6
    assert ece == pytest.approx(0.133, abs=1e-3)
    assert reliability([(1.0, True)])[0][-1]["events"] == 1  # the last bin is closed
    assert reliability([]) == (reliability([])[0], None)


def test_the_score_says_how_far_confidence_can_be_trusted(gold_file: Path) -> None:
    rated = [dict(p, confidence=0.9 if p["type"] == "SANCTION" else 0.55) for p in PREDICTIONS]
    score = score_events(load_gold(gold_file), rated)
    # counted: RECALL (0.9, right), FREEZE is COERCE (0.55, wrong), NOT_CLOSED (0.9, wrong), three more at 0.55
    assert score.at_08 == 2 and score.precision_at_08 == 0.5
    assert sum(row["events"] for row in score.reliability) == score.produced_events
    assert score.ece is not None and 0.0 <= score.ece <= 1.0
    assert score.to_dict()["precision_at_0.8"] == 0.5


# --- detente eval ------------------------------------------------------------------------------

@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """``detente eval`` scores these predictions instead of running the coder."""
    monkeypatch.setattr(gold_run, "_code_gold", lambda docs: iter(PREDICTIONS))


@pytest.mark.usefixtures("no_model")
def test_eval_prints_the_error_classes(gold_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(gold_file)]) == 0
    shown = capsys.readouterr().out
    assert "F1 0.154" in shown and "lenient F1 0.308" in shown and "type recall 0.500" in shown
    assert "errors by PLOVER class" in shown
    for label in ("no trigger", "wrong source", "wrong target", "spurious", "wrong actors", "modality"):
        assert label in shown
    assert "gold events missed, per type" in shown and "produced events wrong, per type" in shown
    assert "expected calibration error" in shown


@pytest.mark.usefixtures("no_model")
def test_eval_json_and_errors_out(gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    errors = tmp_path / "errors.jsonl"
    assert main(["eval", str(gold_file), "--json", "--errors-out", str(errors)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["missed"] == {"no_trigger": 1, "wrong_type": 2, "wrong_source": 1, "wrong_target": 1}
    assert report["wrong"] == {"modality": 1, "spurious": 1, "wrong_type": 2, "wrong_actors": 2}
    assert report["per_type"]["SANCTION"]["missed"]["no_trigger"] == 1
    cases = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert len(cases) == 11 and {c["kind"] for c in cases} == {"missed", "wrong"}
    assert {"kind": "wrong", "class": "spurious", "doc_id": "andes1", "type": "CONSULT", "source": "URY",
            "target": None, "sentence": MATCH} in cases


def test_eval_never_reads_markup_from_the_gold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    odd = dict(GOLD, events=[gold_event(RECALL, "CHL:GOV", "[red]SANCTION", "PER:GOV")])
    path = tmp_path / "[bold]odd.jsonl"
    path.write_text(json.dumps(odd) + "\n", encoding="utf-8")
    monkeypatch.setattr(gold_run, "_code_gold", lambda docs: iter([]))
    assert main(["eval", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "[red]SANCTION" in shown and "[bold]odd.jsonl" in shown


def test_eval_of_a_file_that_is_not_gold_is_a_one_line_error(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('["not", "an", "article"]\n', encoding="utf-8")
    assert main(["eval", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "is not a gold file" in err and "Traceback" not in err
    assert main(["eval", str(tmp_path / "missing.jsonl")]) != 0
    assert "no gold file" in capsys.readouterr().err

