"""Coders by versioned name: detente's own is ``detente.rules.v2``; the ``coder`` setting picks one."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.cli import main
from detente.coding import CODER_NAME
from detente.errors import BadOption
from detente.model import Document
from detente.pipeline import DEFAULT_CODER, code_documents, coder_names, get_coder, ingest_documents, register_coder
from detente.settings import SETTINGS
from detente.store import open_store
from tests.store_support import CODER, fake_code_documents, marker


def test_detente_s_own_coder_is_the_default_under_the_name_its_events_carry() -> None:
    default = next(s.default for s in SETTINGS if s.name == "coder")
    assert DEFAULT_CODER == CODER_NAME == default == "detente.rules.v2"
    assert get_coder() == (CODER_NAME, code_documents)
    assert {CODER_NAME, CODER} <= set(coder_names())


def test_the_setting_picks_a_registered_coder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_CODER", CODER)
    assert get_coder() == (CODER, fake_code_documents)
    assert get_coder(CODER_NAME)[0] == CODER_NAME  # an explicit name wins over the environment


def test_an_unknown_coder_is_a_bad_option_naming_the_registered_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadOption) as caught:
        get_coder("detente.rules.v9")
    assert "detente.rules.v9" in caught.value.message and CODER_NAME in caught.value.hint
    monkeypatch.setenv("DETENTE_CODER", "tests.store_support:fake_code_documents")  # the old module:function form
    with pytest.raises(BadOption):
        get_coder()


def test_names_are_versioned_and_taken_once() -> None:
    for bad in ("rules", "detente.rules", "detente.rules.2", "Detente.rules.v1", "tests.store_support:fake.v1"):
        with pytest.raises(ValueError):
            register_coder(bad)
    with pytest.raises(ValueError):
        register_coder(CODER_NAME)(fake_code_documents)
    assert register_coder(CODER)(fake_code_documents) is fake_code_documents  # the same function again is fine


def test_a_coder_registered_in_a_test_stores_through_ingest(fake_coder: str) -> None:
    text = (f"Talks in Geneva went on all week.\n"
            f"The US met Russia {marker('USAGOV', 'CONSULT', 'RUSGOV', '2024-05-02')}.\n")
    doc = Document.from_bytes(text.encode(), doc_id="geneva.txt", kind="text")
    with open_store(":memory:") as store:
        summary = ingest_documents(store, [doc])
        assert (summary.new, summary.events_stored, summary.coder) == (1, 1, CODER)
        assert store.runs()[0]["coder"] == CODER


def test_the_cli_has_no_coder_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text("A page.\n")
    for command in (["ingest", str(page), "--db", str(tmp_path / "x.duckdb")], ["batch", str(page), "--out",
                    str(tmp_path / "out")], ["watch", str(page), "--once"]):
        assert main([*command, "--coder", CODER]) == 2
        assert "--coder" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists() and not (tmp_path / "out").exists()
