"""The web package's own imports: the routers take what they share from ``deps``, so ``app``
imports ``api`` and ``pages`` and nothing imports ``app`` back; the web reads dates through
``detente.dates``, never through ``pipeline``; only the API's writes call the pipeline (its one
write loop, the one the CLI, batch and watch store through)."""

from __future__ import annotations

import ast
from pathlib import Path

import detente.web

WEB = Path(detente.web.__file__).parent


def _web_imports() -> dict[str, set[str]]:
    """module -> the detente modules it imports (anywhere in the file, relative imports resolved)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(WEB.glob("*.py")):
        name = f"detente.web.{path.stem}" if path.stem != "__init__" else "detente.web"
        package = "detente.web"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                found.add(target)
                # "from . import api" names a module, not an attribute
                found.update(f"{target}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {t for t in found if t.startswith("detente")}
    return graph


def test_no_import_cycle_inside_the_web() -> None:
    graph = _web_imports()
    modules = set(graph)

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [t for t in graph[start] if t in modules and t != "detente.web"]
        while todo:
            mod = todo.pop()
            if mod in seen:
                continue
            seen.add(mod)
            todo.extend(t for t in graph[mod] if t in modules and t != "detente.web")
        return seen

    cycles = sorted(mod for mod in modules if mod != "detente.web" and mod in reach(mod))
    assert cycles == [], f"web modules importing themselves back: {cycles}"
    importers_of_app = sorted(mod for mod, targets in graph.items()
                              if "detente.web.app" in targets and mod != "detente.web")
    assert importers_of_app == []


def test_the_web_imports_the_pipeline_only_to_write() -> None:
    users = sorted(mod for mod, targets in _web_imports().items()
                   if any(t == "detente.pipeline" or t.startswith("detente.pipeline.") for t in targets))
    assert users == ["detente.web.writes"]
    assert "detente.pipeline.parse_date" not in _web_imports()["detente.web.writes"]

