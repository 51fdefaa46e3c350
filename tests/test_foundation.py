"""The error tree, settings and public names are documented and behave as documented."""

from __future__ import annotations

import re

import detente
from detente import errors
from detente.cli import main
from detente.model import Actor, Event, normalise_body
from detente.settings import SETTINGS, get_setting
from tests.conftest import ROOT


def test_every_error_is_in_the_docstring_tree() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        assert re.search(rf"\b{name}\b", doc), name


def test_input_errors_exit_2_others_exit_1() -> None:
    assert errors.SourceNotFound("x").exit_code == 2
    assert errors.UnsafeURL("x").exit_code == 2
    assert errors.FetchError("x").exit_code == 1
    assert errors.StoreCorrupt("x").exit_code == 1


def test_one_line_has_message_and_hint() -> None:
    err = errors.SourceNotFound("no such file: a\nb", "check the path")
    assert err.one_line() == "no such file: a b - check the path"


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name


def test_settings_read_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DETENTE_MAX_BYTES", "123")
    assert get_setting("max_bytes") == 123
    assert get_setting("max_bytes", 5) == 5
    monkeypatch.setenv("DETENTE_ALLOW_PRIVATE", "yes")
    assert get_setting("allow_private") is True


def test_public_names_exist() -> None:
    for name in detente.__all__:
        assert hasattr(detente, name), name


def test_event_round_trips_through_dict() -> None:
    ev = Event(id="e1", article_id="a1", doc_id="d1", sentence_index=0, span=(0, 10), sentence="x",
               source=Actor("USAGOV", "USA", "GOV", "The US"), target=None, type="SANCTION", mode="expel",
               cameo="166", goldstein=-7.0, quad_class=4, date=None, confidence=0.8, coder="t", rule="r")
    assert Event.from_dict(ev.to_dict()) == ev


def test_an_actors_canonical_name_survives_the_round_trip() -> None:
    named = Actor("RUSGOV", "RUS", "GOV", "the Kremlin's spokesman", name="Dmitry Peskov")
    ev = Event(id="e2", article_id="a1", doc_id="d1", sentence_index=0, span=(0, 10), sentence="x",
               source=named, target=Actor("UKR", "UKR"), type="ACCUSE", mode="", cameo="112", goldstein=-2.0,
               quad_class=3, date=None)
    back = Event.from_dict(ev.to_dict())
    assert back == ev and back.source.name == "Dmitry Peskov" and back.target is not None
    assert back.target.name is None and ev.to_dict()["target"]["name"] is None


def test_normalise_body_collapses_whitespace() -> None:
    assert normalise_body("  a   b \n\n c ") == "a b\nc"


def test_cli_version(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--version"]) == 0
    assert detente.__version__ in capsys.readouterr().out
