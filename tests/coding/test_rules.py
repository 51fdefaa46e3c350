"""The coder's named rules: the registry, names users can give, and switching a rule off."""

from __future__ import annotations

import re
from datetime import date

import pytest

from detente.coding import code_parsed
from detente.coding.rules import RuleSet, Stage, all_rules, resolve_rule_names, rule_set
from detente.errors import BadOption
from detente.model import Article, Event
from tests.parses import frozen_parse

NAME = re.compile(r"detente\.[a-z]+\.[a-z_]+\.v\d+")
RECALL_THEN_CLOSE = "Chile recalled its envoy from Bolivia after a border dispute. Chile later closed its consulate."


def code(text: str, rules: RuleSet | None = None) -> list[Event]:
    article = Article(id="art", doc_id="doc", document_id="doc", text=text, published=date(2024, 3, 1))
    return code_parsed(article, frozen_parse(text), rules=rules)


def test_every_rule_has_a_versioned_name_a_stage_and_says_what_it_does() -> None:
    rules = all_rules()
    assert len(rules) >= 15
    names = [r.name for r in rules]
    assert len(names) == len(set(names))
    for r in rules:
        assert NAME.fullmatch(r.name), r.name
        assert isinstance(r.stage, Stage)
        assert len(r.doc) > 20 and r.doc.endswith((".", ")")), r.name


def test_rules_run_by_stage_in_a_fixed_order() -> None:
    stages = [r.stage for r in all_rules()]
    order = list(Stage)
    assert stages == sorted(stages, key=order.index)
    statements = [r.name for r in all_rules() if r.stage == Stage.STATEMENTS]
    assert statements.index("detente.statement.fold_embedded.v1") < statements.index(
        "detente.statement.stated_intent.v1")


def test_a_rule_is_named_in_full_by_family_and_rule_or_by_rule_alone() -> None:
    full = "detente.target.dyad_partner.v1"
    assert resolve_rule_names([full]) == {full}
    assert resolve_rule_names(["target.dyad_partner"]) == {full}
    assert resolve_rule_names(["dyad_partner"]) == {full}


def test_an_unknown_rule_name_says_which_names_exist() -> None:
    with pytest.raises(BadOption) as info:
        rule_set(["no_such_rule"])
    assert "is not a rule" in info.value.message
    assert "detente.target.dyad_partner.v1" in (info.value.hint or "")


def test_switching_a_rule_off_removes_exactly_what_it_adds() -> None:
    rules_only = rule_set(["decide.learned"])
    on = {(e.type, e.source.code, e.target.code if e.target else None) for e in code(RECALL_THEN_CLOSE, rules_only)}
    assert ("SANCTION", "CHLGOV", "BOLGOV") in on
    closed = [e for e in code(RECALL_THEN_CLOSE, rules_only) if "consulate" in e.sentence]
    assert [e.target.code if e.target else None for e in closed] == ["BOLGOV"]
    assert "the article's dyad" in closed[0].rule
    off = [e for e in code(RECALL_THEN_CLOSE, rule_set(["dyad_partner", "decide.learned"]))
           if "consulate" in e.sentence]
    assert off and all(e.target is None or e.target.country != "BOL" for e in off)


@pytest.mark.slow
def test_eval_ablate_reports_each_rule_switched_off(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from detente.cli import main

    gold = tmp_path / "gold.jsonl"
    events = [{"sentence": "Chile later closed its consulate.", "source": "CHL:GOV", "target": "BOL:GOV",
               "type": "SANCTION", "negated": False, "hypothetical": False}]
    gold.write_text(json.dumps({"id": "a1", "published": "2024-03-01", "raw_text": RECALL_THEN_CLOSE,
                                "events": events}) + "\n", encoding="utf-8")
    assert main(["eval", str(gold), "--ablate", "dyad_partner", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["all_rules"]["f1"] > 0
    [row] = report["ablations"]
    assert row["rule"] == "detente.target.dyad_partner.v1"
    assert row["delta_recall"] > 0
    assert main(["eval", str(gold), "--ablate", "nonsense"]) == 2
    assert "is not a rule" in capsys.readouterr().err
