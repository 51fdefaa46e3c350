"""The sectors of a state are defined once (actors.phrase.STATE_SECTORS) and read alike by the actor
phrases (a former office holder is an elite) and the coder's repression rule (a state's measure
aimed at no one named falls on its own people): a legislature is one of them in both."""

from __future__ import annotations

import pytest

from detente.actors import phrase
from detente.coding.rules import actors as actor_rules
from detente.pipeline import code_text


def test_one_definition() -> None:
    assert actor_rules.STATE_SECTORS is phrase.STATE_SECTORS
    assert {"GOV", "MIL", "LEG", "JUD", "COP", "SPY"} == phrase.STATE_SECTORS


@pytest.mark.slow
@pytest.mark.parametrize("doer", ["The Moldovan government", "Moldova's parliament"])
def test_a_legislatures_state_of_emergency_falls_on_its_own_people_as_a_governments_does(doer: str) -> None:
    events = code_text(f"{doer} declared a state of emergency on Tuesday.", published="2022-02-01")
    assert [(e.source.country, e.cameo, e.target.code if e.target else None) for e in events] == [
        ("MDA", "1724", "MDACVL")]
