"""What the command line shows: help without type noise and with one way of naming arguments,
and progress that counts documents as they are read (coding results come a batch at a time),
while what a command prints on stdout still goes to stdout when stderr shows the bar."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import typer.main
from rich.console import Console

from detente.cli import app, main
from tests.store_support import marker

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_type_for_flags_and_names_arguments_alike(command: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    shown = capsys.readouterr().out
    assert "<bool>" not in shown
    usage = next(line for line in shown.splitlines() if "Usage:" in line)
    arguments = re.findall(r"[{\[]([^}\]]+)[}\]]", usage.split("[OPTIONS]", 1)[-1])
    assert all(a == a.upper() for a in arguments), usage


def test_the_top_level_help_has_no_bool_either(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "<bool>" not in capsys.readouterr().out


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal that records every frame the progress bar draws."""
    import detente.cli._common as common
    import detente.cli.code_cmd as code_cmd
    import detente.cli.store_cmd as store_cmd

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=160, color_system=None)
    for module in (common, store_cmd, code_cmd):
        monkeypatch.setattr(module, "err", console)
    return buffer


def _pages(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for k in range(n):
        (folder / f"p{k}.txt").write_text(
            f"Report number {k} on the talks between the two countries.\n"
            f"The US accused Russia {marker('USAGOV', 'ACCUSE', 'RUSGOV', f'2024-03-0{k + 1}')}.\n",
            encoding="utf-8")
    return folder


def test_ingest_progress_counts_documents_as_they_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str], fake_coder: str) -> None:
    frames = _terminal(monkeypatch)
    monkeypatch.setenv("DETENTE_FAKE_CODER_DELAY", "0.4")
    folder = _pages(tmp_path, 3)  # fewer than one batch (32): results only come at the end
    code = main(["ingest", str(folder), "--db", str(tmp_path / "p.duckdb")])
    assert code == 0, capsys.readouterr().err
    drawn = frames.getvalue()
    assert "3 read" in drawn and "0 documents done" in drawn, drawn[-500:]


def test_code_progress_counts_documents_as_they_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], fake_coder: str) -> None:
    frames = _terminal(monkeypatch)
    monkeypatch.setenv("DETENTE_FAKE_CODER_DELAY", "0.4")
    assert main(["code", str(_pages(tmp_path, 3)), "--jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    drawn = frames.getvalue()
    assert "3 read" in drawn and "0 done" in drawn, drawn[-500:]
