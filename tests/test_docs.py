"""The README stays true: every command is documented and every documented command exists,
every option a command section shows exists, and the event JSON shown is the real shape."""

from __future__ import annotations

import json
import re
from typing import Any

import typer.main

from detente.cli import app
from detente.model import Actor, Event
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_a_readme_section_and_back() -> None:
    documented = set(re.findall(r"^### detente (\w+)", README, flags=re.M))
    real = set(_commands())
    assert real <= documented, f"undocumented commands: {sorted(real - documented)}"
    assert documented <= real, f"README documents missing commands: {sorted(documented - real)}"


def test_options_shown_in_readme_exist() -> None:
    commands = _commands()
    for name, cmd in commands.items():
        section = re.search(rf"^### detente {name}\n(.*?)(?=^##)", README, flags=re.M | re.S)
        assert section, name
        shown = set(re.findall(rf"detente {name} [^\n`]*", section.group(1)))
        known = {opt for p in cmd.params for opt in getattr(p, "opts", [])}
        for line in shown:
            for opt in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line):
                assert opt in known | {"--help", "--debug"}, f"{name}: README shows unknown option {opt}"


def test_readme_event_json_is_the_event_contract() -> None:
    block = README.split("### detente code", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    shown = json.loads(re.sub(r'"([0-9a-f]+)\.\.\."', r'"\1"', block))
    real = Event(id="x", article_id="a", doc_id="d", sentence_index=0, span=(0, 1), sentence="s",
                 source=Actor("USAGOV", "USA", "GOV", "US"), target=None, type="SANCTION", mode="expel",
                 cameo="166", goldstein=-7.0, quad_class=4, date=None).to_dict()
    assert set(shown) <= set(real), set(shown) - set(real)
    assert {k for k in real if k != "url"} <= set(shown), {k for k in real if k != "url"} - set(shown)
