"""The coder's word lists as data: the packaged file is valid and complete, and the loader says
what is wrong with a damaged one (file and line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from detente.coding.cues import cue, load_cues, parse_cues
from detente.coding.ontology import DataFileError
from detente.errors import DetenteError

SRC = Path(__file__).resolve().parents[2] / "src" / "detente"
HEADER = "name\twords\twhat\n"


def test_every_list_the_code_asks_for_is_in_the_file_and_every_list_is_used() -> None:
    asked = {m for p in SRC.rglob("*.py") for m in re.findall(r'\bcue\("([a-z0-9_.]+)"\)', p.read_text("utf-8"))}
    held = set(load_cues())
    assert asked, "the coder asks for its word lists by name"
    assert asked == held


def test_the_lists_are_the_words_the_rules_consult() -> None:
    from detente.coding.triggers import SPEECH_VERBS

    assert SPEECH_VERBS is cue("triggers.speech_verbs") and "say" in SPEECH_VERBS
    assert all(w == w.lower() for words in load_cues().values() for w in words)


@pytest.mark.parametrize(("text", "problem"), [
    ("words\tname\twhat\n", "the header must be"),
    ("# only a comment\n", "no header row"),
    (HEADER + "Triggers.speech\tsay\tspeech\n", "must be module.list"),
    (HEADER + "a.b\tsay|tell\tspeech\na.b\tnote\tagain\n", "given twice (first at line 2)"),
    (HEADER + "a.b\tsay|say\tspeech\n", "'say' is listed twice"),
    (HEADER + "a.b\tSay\tspeech\n", "'Say' is not a lowercase word"),
    (HEADER + "a.b\tsay||tell\tspeech\n", "'' is not a lowercase word"),
    (HEADER + "a.b\t\tspeech\n", "is not a lowercase word"),
    (HEADER + "a.b\tsay\t\n", "says nothing of what it is for"),
    (HEADER + "a.b\tsay\n", "2 tab-separated cells, 3 expected"),
])
def test_a_damaged_file_is_a_clear_error_naming_its_line(text: str, problem: str) -> None:
    with pytest.raises(DataFileError) as err:
        parse_cues(text, "cues.tsv")
    assert problem in str(err.value)
    assert isinstance(err.value, DetenteError) and err.value.hint


def test_words_of_several_parts_and_other_scripts_are_words() -> None:
    lists = parse_cues(HEADER + "where.regions\tnorth america|’ll|chargé\tmixed\n")
    assert lists["where.regions"] == frozenset({"north america", "’ll", "chargé"})


def test_a_list_the_file_lacks_is_a_clear_error() -> None:
    with pytest.raises(DataFileError, match=r"has no list 'triggers\.no_such_list'"):
        cue("triggers.no_such_list")


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot be read"):
        load_cues(tmp_path / "missing.tsv")
