"""The learned scorer: the shipped model file, its loader, and how proposals are decided."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from detente.coding import code_parsed
from detente.coding.arguments import Found, Resolved
from detente.coding.candidates import Candidate
from detente.coding.features import Proposal
from detente.coding.modality import Modality
from detente.coding.rules.decide import select
from detente.coding.scorer import get_scorer, load_scorer, scorer_from_dict
from detente.coding.triggers import Trigger
from detente.errors import ModelError
from detente.model import Actor, Article, Event
from tests.parses import frozen_parse


def test_the_shipped_model_loads_and_is_calibrated() -> None:
    scorer = get_scorer()
    assert scorer.name.startswith("detente.scorer.v")
    assert 0.1 < scorer.threshold < 0.9
    assert "bias" in scorer.weights and len(scorer.weights) > 100
    assert set(scorer.trained_on) >= {"voa_train.jsonl", "news_train.jsonl"}
    assert "voa_valid.jsonl" not in scorer.trained_on
    p = [scorer.probability(["bias", f"type={t}"]) for t in ("ACCUSE", "ASSAULT")]
    assert all(0.0 <= x <= 1.0 for x in p)


@pytest.mark.parametrize("text, problem", [
    ("{not json", "not JSON"),
    ('{"format": "something else"}', "not a detente scorer model"),
    ('{"format": "detente.scorer", "name": "x", "weights": {}, "threshold": 0.3, '
     '"calibration": {"slope": 1, "intercept": 0}}', "damaged"),
    ('{"format": "detente.scorer", "name": "x", "weights": {"bias": 1}, "threshold": 7, '
     '"calibration": {"slope": 1, "intercept": 0}}', "damaged"),
    ('{"format": "detente.scorer", "name": "x", "weights": {"bias": 1}}', "damaged"),
    ('{"format": "detente.scorer", "name": "x", "weights": {"bias": 1}, "threshold": 0.3, '
     '"thresholds": {"article": 0.3, "sentence": 1.5}, "calibration": {"slope": 1, "intercept": 0}}', "damaged"),
    ('{"format": "detente.scorer", "name": "x", "weights": {"bias": 1}, "threshold": 0.3, '
     '"thresholds": {"paragraph": 0.3}, "calibration": {"slope": 1, "intercept": 0}}', "damaged"),
])
def test_a_corrupt_model_file_is_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "scorer.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_scorer(path)
    assert problem in info.value.message
    assert "scripts/train_coder.py" in (info.value.hint or "")


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        load_scorer(tmp_path / "nowhere.json")
    assert "cannot be read" in info.value.message


def test_single_sentences_and_articles_have_their_own_threshold() -> None:
    from detente.coding.scorer import document_kind

    assert document_kind(1) == "sentence" and document_kind(0) == "sentence" and document_kind(2) == "article"
    base = {"format": "detente.scorer", "name": "t", "threshold": 0.3,
            "calibration": {"slope": 1.0, "intercept": 0.0}, "weights": {"bias": 0.1}}
    both = scorer_from_dict(base | {"thresholds": {"article": 0.25, "sentence": 0.4}})
    assert both.threshold_for("article") == 0.25 and both.threshold_for("sentence") == 0.4
    one = scorer_from_dict(base)  # a model file with one threshold uses it for both kinds
    assert one.threshold_for("article") == one.threshold_for("sentence") == 0.3
    shipped = get_scorer()
    assert shipped.sentence_threshold is not None and 0.1 < shipped.threshold_for("sentence") < 0.9


def test_probability_follows_the_weights_through_the_calibration() -> None:
    s = scorer_from_dict({"format": "detente.scorer", "name": "t", "threshold": 0.5,
                          "calibration": {"slope": 2.0, "intercept": -1.0}, "weights": {"bias": 0.5, "good": 3.0}})
    assert s.probability(["bias"]) == pytest.approx(0.5)
    assert s.probability(["bias", "good"]) > 0.99
    assert s.probability(["bias", "unknown feature"]) == pytest.approx(0.5)


def _proposal(token: int, p: float, *, alternative: str = "", tentative: bool = False,
              negated: bool = False, target: str = "KEN") -> Proposal:
    trig = Trigger(token, "verb", "173", token, (), "test", 1, tentative=tentative)
    cand = Candidate(trig, "173", None, None, Modality(negated=negated), alternative=alternative)
    ev = Event(id=f"e{token}{alternative}{target}", article_id="a", doc_id="d", sentence_index=0, span=(0, 1),
               sentence="s", source=Actor("UGAGOV", "UGA", "GOV", "Uganda"), target=Actor(target, target, "", target),
               type="COERCE", mode="arrest", cameo="173", goldstein=-5.0, quad_class=4, date=None,
               negated=negated)
    return Proposal(ev, cand, (token, "173"), [], p)


def test_the_rules_reading_wins_when_it_reaches_the_threshold() -> None:
    own, alt = _proposal(1, 0.6), _proposal(1, 0.9, alternative="target: x", target="TZA")
    assert select([own, alt], 0.5) == [own]


def test_an_alternative_is_reported_only_when_no_reading_of_the_rules_reaches_it() -> None:
    own, alt = _proposal(1, 0.2), _proposal(1, 0.7, alternative="target: x", target="TZA")
    weak = _proposal(1, 0.4, alternative="source: y", target="RWA")
    assert select([own, alt, weak], 0.5) == [alt]
    assert select([own, weak], 0.5) == []


def test_a_tentative_trigger_is_reported_only_above_the_threshold() -> None:
    assert select([_proposal(3, 0.3, tentative=True)], 0.5) == []
    tentative = _proposal(3, 0.6, tentative=True)
    assert select([tentative], 0.5) == [tentative]


def _sense(token: int, cameo: str, p: float, *, obj: int | None = None, tentative: bool = False) -> Proposal:
    trig = Trigger(token, "verb", cameo, token, (), "test", 0 if tentative else 3, obj=obj, tentative=tentative)
    proposal = _proposal(token, p, tentative=tentative, target=f"T{cameo}")
    return Proposal(proposal.event, Candidate(trig, cameo, None, None, Modality()), (token, cameo), [], p)


def test_a_verb_a_row_matched_by_its_object_is_not_also_reported_in_its_other_senses() -> None:
    # "struck targets" (a row's object): not also "strike" a deal or go on strike
    matched, deal = _sense(4, "190", 0.4, obj=5), _sense(4, "030", 0.45, tentative=True)
    assert select([matched, deal], 0.3) == [matched]
    # with no row matched, a sense proposed on trial is judged on its own
    alone = _sense(7, "030", 0.45, tentative=True)
    assert select([alone, matched], 0.3) == [alone, matched]
    # nor is a verb that carries an event noun ("approved a loan": not also endorsing)
    loan = _sense(9, "071", 0.7)
    noun = Trigger(10, "noun", "071", 9, (), "test", 2)
    carried = Proposal(loan.event, Candidate(noun, "071", None, None, Modality()), (10, "071"), [], 0.7)
    endorse = _sense(9, "051", 0.4, tentative=True)
    assert select([carried, endorse], 0.3) == [carried]


def test_a_verb_on_trial_is_not_read_as_both_cooperation_and_conflict() -> None:
    from dataclasses import replace

    # "will join Fiji to patrol": agreeing (cooperation) is likelier, the threat (conflict) goes
    agree, threat = _sense(2, "031", 0.5, tentative=True), _sense(2, "130", 0.4, tentative=True)
    agree = replace(agree, event=replace(agree.event, type="AGREE", quad_class=1))
    threat = replace(threat, event=replace(threat.event, type="THREATEN", quad_class=3))
    assert select([agree, threat], 0.3) == [agree]
    # two conflict senses of one verb ("ordered him back to prison": a demand, a coercion) both stand
    demand = replace(threat, event=replace(threat.event, type="REQUEST", quad_class=3))
    coerce = _sense(2, "174", 0.35, tentative=True)
    assert select([demand, coerce], 0.3) == [demand, coerce]
    # the senses of different verbs are judged apart
    other = _sense(6, "130", 0.4, tentative=True)
    assert select([agree, other], 0.3) == [agree, other]


def test_flagged_events_of_the_rules_stay_flagged_whatever_their_score() -> None:
    flagged = _proposal(2, 0.01, negated=True)
    assert select([flagged], 0.5) == [flagged]
    assert select([_proposal(2, 0.9, negated=True, tentative=True)], 0.5) == []


def test_how_an_actor_was_found_is_read_as_a_small_set_of_kinds() -> None:
    kenya = (Actor(code="KENGOV", country="KEN", sector="GOV", text="Kenya"),)
    by_subject = Resolved(kenya, 0, Found.SUBJECT)
    assert by_subject.kind == "subject" and by_subject.how == "subject"
    pronoun = Resolved(kenya, 0, Found.PRONOUN, inferred=True, detail="it", via=Found.SUBJECT)
    assert pronoun.how == "subject, pronoun 'it'" and pronoun.kind == "subject"  # the path outranks the pronoun
    assert not pronoun.found(Found.PRONOUN) and pronoun.by(Found.LOCATION).how == "location"
    assert Resolved(kenya, 0, Found.PASSIVE_AGENT).kind == "passive_agent"
    assert Resolved(kenya, -1, Found.CONTEXT_SPEAKER).kind == "ctx_speaker"
    assert Resolved(kenya, -1, Found.DYAD).how == "the article's dyad"
    assert {f.kind for f in Found} >= {"subject", "pronoun", "dyad", "ctx_own", "clause"}
    assert all(f.kind for f in Found)  # every path has its class


def test_confidence_is_the_scorers_probability() -> None:
    text = "Chile recalled its envoy from Bolivia after a border dispute. Chile later closed its consulate."
    article = Article(id="art", doc_id="doc", document_id="doc", text=text, published=date(2024, 3, 1))
    events = code_parsed(article, frozen_parse(text))
    scorer = get_scorer()
    assert events
    for e in events:
        assert 0.0 <= e.confidence <= 1.0
        assert e.confidence >= round(scorer.threshold, 3) or not e.is_real


def test_the_model_file_is_valid_json_with_its_provenance() -> None:
    from importlib import resources

    data = json.loads(resources.files("detente.coding").joinpath("data", "scorer.json").read_text("utf-8"))
    assert data["cross_validation"]["folds"] == "by article"
    assert all(isinstance(v, float | int) for v in data["weights"].values())


def _gold_article(doc_id: str, text: str, events: list[tuple[str, str, str, str]]) -> dict:  # type: ignore[type-arg]
    return {"id": doc_id, "published": "2024-05-02", "raw_text": text,
            "events": [{"sentence": s, "source": a, "target": b, "type": t, "negated": False, "hypothetical": False}
                       for s, a, b, t in events]}


@pytest.mark.slow
def test_eval_folds_codes_each_fold_with_models_fitted_on_the_others(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from detente.cli import main

    lines = []
    for n, (a, b, an, bn) in enumerate([("Chile", "Peru", "CHL", "PER"), ("Ghana", "Togo", "GHA", "TGO"),
                                         ("Nepal", "Bhutan", "NPL", "BTN"), ("Kenya", "Uganda", "KEN", "UGA")]):
        text = (f"{a} expels {b} envoy\n{a} expelled the ambassador of {b} on Monday. "
                f"{b} condemned the decision and accused {a} of hostility. "
                f"The two governments later held talks in Geneva.")
        lines.append(_gold_article(f"d{n}", text, [
            (f"{a} expelled the ambassador of {b} on Monday.", f"{an}:GOV", f"{bn}:GOV", "SANCTION"),
            (f"{b} condemned the decision and accused {a} of hostility.", f"{bn}:GOV", f"{an}:GOV", "ACCUSE")]))
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert main(["eval", str(gold), "--folds", "2", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["gold_events"] == 8 and report["produced_events"] > 0
    assert "2 folds by article" in captured.err
    assert main(["eval", str(gold), "--folds", "9"]) == 2
    assert "fewer than 9 folds" in capsys.readouterr().err
    assert main(["eval", str(gold), "--train", str(gold)]) == 2
    assert "--train is used only with --folds" in capsys.readouterr().err


def test_the_proposer_alone_is_scored_per_sentence_and_per_document() -> None:
    from detente.coding.learn import SentenceExample, proposer_figures

    examples = [
        SentenceExample(("news", "a", 0), [], {"ACCUSE"}),
        SentenceExample(("news", "a", 1), [], set()),
        SentenceExample(("news", "b", 0), [], {"ASSAULT", "ACCUSE"}),
        SentenceExample(("gsr", "c", 0), [], {"AID"}),
    ]
    probs = {("news", "a", 0): {"ACCUSE": 0.9, "ASSAULT": 0.1},
             ("news", "a", 1): {"ASSAULT": 0.6},  # a wrong type, above the cut
             ("news", "b", 0): {"ACCUSE": 0.2, "ASSAULT": 0.7},
             ("gsr", "c", 0): {"AID": 0.4}}
    fig = proposer_figures(examples, probs, 0.5)
    # sentence pairs: tp ACCUSE@a0, ASSAULT@b0; fp ASSAULT@a1; fn ACCUSE@b0 -> P 2/3, R 2/3
    assert fig["news"]["sentence_precision"] == fig["news"]["sentence_recall"] == pytest.approx(0.667, abs=1e-3)
    # documents: a gold {ACCUSE} said {ACCUSE, ASSAULT}; b gold {ASSAULT, ACCUSE} said {ASSAULT}
    # ACCUSE: tp 1 (a), fn 1 (b) -> 2/3; ASSAULT: tp 1 (b), fp 1 (a) -> 2/3
    assert fig["news"]["document_macro_f1"] == pytest.approx(0.667, abs=1e-3)
    assert fig["gsr"] == {"sentence_precision": 0.0, "sentence_recall": 0.0, "sentence_f1": 0.0,
                          "document_macro_f1": 0.0}


def test_a_steep_calibration_keeps_the_threshold_inside_the_open_interval() -> None:
    from detente.coding.learn import calibrated_cut

    assert calibrated_cut(0.3, 1.0, 0.0) == pytest.approx(0.3, abs=1e-4)
    # a fold of four articles can separate right from wrong perfectly: slope in the hundreds
    for slope, intercept in ((500.0, 40.0), (500.0, -40.0), (1e6, 0.0)):
        cut = calibrated_cut(0.3, slope, intercept)
        assert 0.0 < cut < 1.0
        model = {"format": "detente.scorer", "name": "x", "weights": {"bias": 1.0}, "threshold": cut,
                 "calibration": {"slope": slope, "intercept": intercept}}
        assert scorer_from_dict(model).threshold == cut
