"""Every README command runs as written, in a fresh clone without ../shared.

The repository's tracked files are copied into a temporary directory whose parent holds no
``shared`` folder, and every fenced ``sh`` and ``python`` block of the README runs there, in
README order (later commands read what earlier ones wrote, as they would for a reader following
along). A command must exit 0.

Left out, by rule, are the commands that need the network or never end: ``make`` (it installs
from PyPI), ``pip``, ``curl``, anything naming an http(s) or tcp address, ``detente watch`` (it
polls feeds on the network) and ``detente serve`` / ``make serve`` (servers run until Ctrl+C;
the server tests start them). The test fails when a block holds nothing it can run, so a new
block is never skipped silently.

To keep it fast, ``detente`` commands without pipes run in this process (``> file`` and
``< file`` are honoured), so the spaCy model loads once; the others run in bash with the
project's ``.venv/bin`` first on ``PATH``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detente.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")
NETWORK = re.compile(r"^(make|pip|curl|uv)\b|https?://|tcp://|\bdetente (watch|serve)\b")


def blocks() -> list[tuple[str, int, str]]:
    """(language, line number, code) of every fenced sh/python block, in order."""
    found = []
    for match in re.finditer(r"^```(sh|python)\n(.*?)^```", README, flags=re.M | re.S):
        found.append((match.group(1), README.count("\n", 0, match.start()) + 1, match.group(2)))
    return found


def commands(code: str) -> list[str]:
    """The shell commands of a block: continuation lines joined, comments and blank lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", code)
    out = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            out.append(line)
    return out


def runnable(command: str) -> bool:
    return not NETWORK.search(command.strip())


def _in_process(command: str) -> bool:
    words = shlex.split(command, comments=True)
    return words[0] == "detente" and not ({"|", "&&", ";"} & set(words)) and "$(" not in command


def run_in_process(command: str, clone: Path) -> tuple[int, str]:
    words = shlex.split(command, comments=True)[1:]
    stdout_path = stdin_path = None
    if ">" in words:
        k = words.index(">")
        stdout_path, words = clone / words[k + 1], words[:k] + words[k + 2:]
    if "<" in words:
        k = words.index("<")
        stdin_path, words = clone / words[k + 1], words[:k] + words[k + 2:]
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    try:
        if stdin_path is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin_path.read_bytes()), encoding="utf-8")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(words)
    finally:
        sys.stdin = old_stdin
    if stdout_path is not None:
        stdout_path.write_text(out.getvalue(), encoding="utf-8")
    return code, err.getvalue()[-2000:]


def run_in_bash(command: str, clone: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DETENTE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    return done.returncode, (done.stderr or done.stdout)[-2000:]


def run_python(code: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})  # the README's own code


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracked files, as a fresh clone has them, with no ../shared beside them."""
    root = tmp_path_factory.mktemp("fresh") / "detente"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assert not (root.parent / "shared").exists()
    return root


def test_the_readme_has_commands_to_run() -> None:
    found = blocks()
    assert len(found) >= 10
    for language, line, code in found:
        if language == "sh":
            assert any(runnable(c) for c in commands(code)) or all(NETWORK.search(c) for c in commands(code)), line


def test_every_readme_command_runs_in_a_fresh_clone(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [k for k in os.environ if k.startswith("DETENTE_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(clone)
    ran = 0
    for language, line, code in blocks():
        if language == "python":
            run_python(code)
            ran += 1
            continue
        for command in commands(code):
            if not runnable(command):
                continue
            status, err = run_in_process(command, clone) if _in_process(command) else run_in_bash(command, clone)
            assert status == 0, f"README line {line}: {command}\n{err}"
            ran += 1
    assert ran >= 30
    assert not (clone.parent / "shared").exists()
