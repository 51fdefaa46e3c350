"""Bad input through the real CLI: a non-zero exit and exactly one ``error:`` line on stderr, no traceback.

Rejections made by the sources layer (missing path, too large, unsafe or dead URL) are
tested with a trip-wire in place of the extractor, which proves they are refused before
extraction; those that need the extractor (empty, random bytes, broken HTML, bad encoding)
skip until ``detente.extract`` has landed. A page in another language is not bad input: it
is extracted (tests/extract/test_languages.py). A few run as a subprocess of
``.venv/bin/detente`` to cover the console script itself.
"""

from __future__ import annotations

import random
import socket
import subprocess
from pathlib import Path

import pytest

from detente.cli import main
from detente.ingest import files as files_module
from detente.pipeline import stages
from tests.cli.test_extract_cmd import needs_extractor
from tests.conftest import ROOT

DETENTE = ROOT / ".venv" / "bin" / "detente"


def _assert_one_error_line(code: int, err: str) -> str:
    assert code != 0
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    return lines[0]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["extract", *args])
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def _subprocess(*args: str) -> tuple[int, str]:
    result = subprocess.run([str(DETENTE), "extract", *args], capture_output=True, text=True, timeout=120)
    assert result.stdout == ""
    return result.returncode, result.stderr


@pytest.fixture
def tripwire_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stands in for the extractor and fails the test if a document reaches it."""

    def extract_document(doc: object, **kwargs: object) -> None:
        raise AssertionError(f"{getattr(doc, 'doc_id', doc)} reached the extractor")

    monkeypatch.setattr(stages, "extract_document", extract_document)


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def _sparse_file(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---- refused by the sources layer ---------------------------------------------------------------


def test_missing_path(tripwire_extractor: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, str(tmp_path / "nowhere.html"))
    line = _assert_one_error_line(code, err)
    assert code == 2 and f"{tmp_path / 'nowhere.html'}: not_found" in line and "check the path" in line


def test_fifty_megabyte_file_is_too_large_without_being_read(tripwire_extractor: None, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    big = _sparse_file(tmp_path / "big.html", 50 * 1024 * 1024)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(files_module, "open", no_open, raising=False)
    code, err = _run(capsys, str(big))
    line = _assert_one_error_line(code, err)
    assert code == 2 and "too_large" in line and "50 MB" in line and "DETENTE_MAX_BYTES" in line


def test_metadata_url_is_refused_before_any_connection(tripwire_extractor: None, no_connections: None,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "http://169.254.169.254/")
    line = _assert_one_error_line(code, err)
    assert code == 2 and "unsafe_url" in line and "link-local" in line and "--allow-private" in line


def test_url_with_nothing_listening(tripwire_extractor: None, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}/story.html"
    code, err = _run(capsys, url, "--allow-private")
    line = _assert_one_error_line(code, err)
    assert code == 1 and line.startswith(f"error: {url}: fetch_failed (could not connect to 127.0.0.1")


def test_unsupported_file_type(tripwire_extractor: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "scan.pdf"
    doc.write_bytes(b"%PDF-1.7\n")
    code, err = _run(capsys, str(doc))
    assert code == 2 and "unsupported" in _assert_one_error_line(code, err)


# ---- rejected by the extractor ------------------------------------------------------------------

_EXTRACTOR_CASES = {
    "empty": ("empty.txt", b""),
    "random bytes": ("noise.html", random.Random(20).randbytes(20_000)),
    "broken html": ("broken.html", b"<html><div><span></div>"),
    "invalid encoding": ("mangled.txt", b"The foreign minister\x81 said on\x8d Tuesday\x90 that\x9d talks "
                                        b"\x81\x8d\x8f would\x90\x9d resume \xc3\x28 in\xa0\xa1 Geneva \xe2\x28"
                                        b"\xa1 next\xf0\x28\x8c\xbc week.\x81\x8d\x90\x9d\n" * 20),
}
_EXPECTED_REASON = {"empty": "empty", "random bytes": "unreadable", "broken html": "no_text",
                    "invalid encoding": "bad_encoding"}


@needs_extractor
@pytest.mark.parametrize("case", list(_EXTRACTOR_CASES))
def test_bad_content(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name, content = _EXTRACTOR_CASES[case]
    path = tmp_path / name
    path.write_bytes(content)
    code, err = _run(capsys, str(path))
    line = _assert_one_error_line(code, err)
    assert code == 2
    assert line.startswith(f"error: {path.name}: {_EXPECTED_REASON[case]}"), line


# ---- the console script itself ------------------------------------------------------------------


@needs_extractor
@pytest.mark.parametrize("case", ["missing", "empty", "random bytes", "too large"])
def test_console_script(case: str, tmp_path: Path) -> None:
    if case == "missing":
        path = tmp_path / "missing.txt"
    elif case == "too large":
        path = _sparse_file(tmp_path / "big.txt", 50 * 1024 * 1024)
    else:
        name, content = _EXTRACTOR_CASES[case]
        path = tmp_path / name
        path.write_bytes(content)
    code, err = _subprocess(str(path))
    assert code == 2
    _assert_one_error_line(code, err)


@pytest.mark.parametrize("command", [["extract"], ["code"], ["ingest", "--db", "DB"]])
def test_a_folder_with_nothing_to_read_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         command: list[str]) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "README.md").write_text("notes about this folder\n")
    args = [str(tmp_path / "db.duckdb") if a == "DB" else a for a in command]
    code = main([*args, str(folder)])
    captured = capsys.readouterr()
    line = _assert_one_error_line(code, captured.err)
    assert code == 2 and line.startswith(f"error: no documents found in {folder} - give .html")
