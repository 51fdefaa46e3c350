"""The command modules, in the order their commands appear in ``detente --help``.

Each module has a ``register(app)`` function that adds its commands to the Typer app.
"""

from __future__ import annotations

import importlib
from types import ModuleType

_NAMES: tuple[str, ...] = ("extract_cmd", "code_cmd", "store_cmd", "analysis_cmd", "batch_cmd", "serve_cmd",
                           "watch_cmd")

MODULES: tuple[ModuleType, ...] = tuple(importlib.import_module(f"{__package__}.{n}") for n in _NAMES)
