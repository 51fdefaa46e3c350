"""Model files shipped with detente (the scorer, the proposer, the line model): read, check, load once.

Each is a JSON file of numbers in a package's ``data/`` folder (never a pickle) with a ``format``
name. ``ModelFile`` reads one (the packaged file, or a path given for tests and training folds),
checks that it is JSON of that format and hands the data to the model's own ``from_dict``; every
failure is a ``ModelError`` that names the file and says what to do (reinstall, or the script
that rebuilds it), never a traceback. ``get()`` loads the packaged model once per process,
under a lock; ``set()`` puts another in its place (``None`` goes back to the packaged one).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from .errors import ModelError

__all__ = ["ModelFile", "damaged"]

M = TypeVar("M")


def damaged(source: str, problem: str | BaseException, hint: str) -> ModelError:
    """The error for a model file that is JSON of the right format but not a usable model."""
    if isinstance(problem, BaseException):
        problem = f"{problem.__class__.__name__}: {problem}"
    return ModelError(f"{source} is damaged ({problem})", hint)


class ModelFile(Generic[M]):
    """One kind of model file: ``what`` names it in errors ("scorer model"), ``fmt`` is its format
    name, ``parse(data, source)`` turns its checked JSON object into the model.

    Its readers: ``from_data`` checks parsed JSON (a clear ModelError when it is not a model),
    ``load`` reads a file (the packaged one by default), ``get`` gives the packaged model loaded
    once per process, ``set`` swaps in another (a training fold's; None: the packaged one)."""

    def __init__(self, package: str, filename: str, *, what: str, fmt: str,
                 parse: Callable[[dict[str, Any], str], M], script: str) -> None:
        self.package = package
        self.filename = filename
        self.what = what
        self.fmt = fmt
        self.hint = f"reinstall detente, or rebuild it with: .venv/bin/python {script}"
        self._parse = parse
        self._lock = threading.Lock()
        self._cached: M | None = None

    def from_data(self, data: Any, source: str | None = None) -> M:
        """The model of a file's parsed JSON; a ``ModelError`` when it is not of this format."""
        source = source or self.filename
        if not isinstance(data, dict) or data.get("format") != self.fmt:
            raise ModelError(f"{source} is not a detente {self.what} (format '{self.fmt}' expected)", self.hint)
        return self._parse(data, source)

    def load(self, path: str | Path | None = None) -> M:
        """Read and check a model file: the packaged one by default."""
        try:
            if path is None:
                text = resources.files(self.package).joinpath("data", self.filename).read_text(encoding="utf-8")
                source = f"{self.package.replace('.', '/')}/data/{self.filename}"
            else:
                text = Path(path).read_text(encoding="utf-8")
                source = str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelError(f"the {self.what} {path or self.filename} cannot be read ({exc})", self.hint) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelError(f"{source} is damaged (not JSON: {exc.msg} at line {exc.lineno})", self.hint) from exc
        except RecursionError as exc:
            raise ModelError(f"{source} is damaged (not JSON: nested too deeply)", self.hint) from exc
        return self.from_data(data, source)

    def get(self) -> M:
        """The packaged model, loaded once per process."""
        cached = self._cached
        if cached is None:
            with self._lock:
                if self._cached is None:
                    self._cached = self.load()
                cached = self._cached
        return cached

    def set(self, model: M | None) -> None:
        """Use ``model`` in this process (cross-validation folds, tests); None goes back to the packaged one."""
        with self._lock:
            self._cached = model
