"""Imports inside functions: each import of detente made in a function body says why in a
``# late: <why>`` comment (an optional extra, a cost paid only when used, a cycle), so the import
graph that ``lint-imports`` checks against the layers in pyproject.toml is the one a reader sees
at the top of each module."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"

# Late imports not yet explained (none today): an entry goes once its import has moved up or says why.
NOT_YET_SAID: frozenset[tuple[str, str]] = frozenset()


def _imports_detente(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "detente"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "detente" for alias in node.names)
    return False


def unexplained_late_imports(source: str) -> list[tuple[int, str]]:
    """(line, statement) of each import of detente inside a function with no ``# late:`` comment."""
    lines = source.splitlines()
    found = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if not _imports_detente(node):
                continue
            assert node.end_lineno is not None
            text = "\n".join(lines[node.lineno - 1:node.end_lineno])
            if "# late:" not in text:
                statement = " ".join(text.split("#")[0].split())
                found.append((node.lineno, statement))
    return sorted(set(found))


def test_the_check_finds_an_unexplained_import_inside_a_function() -> None:
    source = ("import os\n"
              "from .errors import BadOption\n"
              "def run():\n"
              "    import json\n"
              "    import detente.store\n"
              "    from ..web import create_app  # late: the optional web extra\n"
              "    from .pipeline import (\n"
              "        parse_date,\n"
              "    )\n"
              "    class Inner:\n"
              "        def go(self):\n"
              "            from . import nlp\n")
    assert unexplained_late_imports(source) == [(5, "import detente.store"),
                                                (7, "from .pipeline import ( parse_date, )"),
                                                (12, "from . import nlp")]
    assert unexplained_late_imports("from . import nlp\ndef f():\n    return nlp\n") == []


def test_every_import_of_detente_inside_a_function_says_why() -> None:
    unexplained = set()
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        for line, statement in unexplained_late_imports(path.read_text(encoding="utf-8")):
            if (name, statement) not in NOT_YET_SAID:
                unexplained.add(f"{name}:{line}: {statement}")
    assert not unexplained, ("move these imports to the top of their module, or say why not in a "
                             "'# late: <why>' comment: " + "; ".join(sorted(unexplained)))
