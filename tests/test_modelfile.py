"""The shared loader of packaged model files: every failure a ModelError naming the file and the
fix, the packaged model loaded once per process, and set() to put another in its place."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from detente import modelfile
from detente.coding import proposer, scorer
from detente.errors import DetenteError, ModelError
from detente.extract import linemodel
from detente.modelfile import ModelFile, damaged


def _counting(calls: list[str]) -> ModelFile[tuple[str, float]]:
    def parse(data: dict[str, Any], source: str) -> tuple[str, float]:
        calls.append(source)
        try:
            return str(data["name"]), float(data["weight"])
        except (KeyError, TypeError, ValueError) as exc:
            raise damaged(source, exc, "retrain it") from exc

    return ModelFile("detente.coding", "toy.json", what="toy model", fmt="detente.toy", parse=parse,
                     script="scripts/train_toy.py")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "toy.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_parsed_with_its_path_as_source(tmp_path: Path) -> None:
    calls: list[str] = []
    toy = _counting(calls)
    path = _write(tmp_path, '{"format": "detente.toy", "name": "t", "weight": 2}')
    assert toy.load(path) == ("t", 2.0)
    assert calls == [str(path)]


@pytest.mark.parametrize(("text", "problem"), [
    ("{not json", "is damaged (not JSON: "),
    ("", "is damaged (not JSON: "),
    ("[" * 100_000 + "]" * 100_000, "is damaged (not JSON"),
    ("[1, 2]", "is not a detente toy model (format 'detente.toy' expected)"),
    ('{"format": "detente.other"}', "is not a detente toy model"),
    ('{"format": "detente.toy", "name": "t"}', "is damaged (KeyError: 'weight')"),
])
def test_a_bad_file_is_a_model_error_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ModelError) as caught:
        _counting([]).load(path)
    assert caught.value.message.startswith(str(path)) and problem in caught.value.message
    assert isinstance(caught.value, DetenteError)


def test_a_missing_or_unreadable_file_says_which_and_how_to_rebuild_it(tmp_path: Path) -> None:
    toy = _counting([])
    with pytest.raises(ModelError, match=r"the toy model .*nowhere\.json cannot be read") as caught:
        toy.load(tmp_path / "nowhere.json")
    assert caught.value.hint == "reinstall detente, or rebuild it with: .venv/bin/python scripts/train_toy.py"
    (tmp_path / "latin1.json").write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(ModelError, match="cannot be read"):
        toy.load(tmp_path / "latin1.json")
    with pytest.raises(ModelError, match=r"the toy model toy\.json cannot be read"):
        toy.get()  # there is no packaged toy.json


def test_the_packaged_model_is_loaded_once_and_set_replaces_it(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    calls: list[str] = []
    toy = _counting(calls)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "toy.json").write_text('{"format": "detente.toy", "name": "p", "weight": 1}',
                                                encoding="utf-8")
    monkeypatch.setattr(modelfile.resources, "files", lambda package: tmp_path)
    results: list[tuple[str, float]] = []
    threads = [threading.Thread(target=lambda: results.append(toy.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [("p", 1.0)] * 8 and calls == ["detente/coding/data/toy.json"]
    toy.set(("fold", 0.5))
    assert toy.get() == ("fold", 0.5)
    toy.set(None)
    assert toy.get() == ("p", 1.0) and len(calls) == 2


def test_the_three_model_kinds_share_the_loader() -> None:
    for module, getter in ((scorer, scorer.get_scorer), (proposer, proposer.get_proposer),
                           (linemodel, linemodel.get_line_model)):
        assert isinstance(module._FILE, ModelFile)
        assert getter() is module._FILE.get()
