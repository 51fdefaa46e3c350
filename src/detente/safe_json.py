"""JSON from untrusted bytes (corpus lines, request bodies, cursors) without a way to crash the reader.

``json.loads`` recurses once per nesting level, so ``'[' * 100000`` raises ``RecursionError``,
which is not a ``ValueError`` and escapes every ``except ValueError`` around a parse: one such
line used to abort a whole multi-document run. ``load_json`` turns it into ``JSONTooDeep``, a
``ValueError`` like every other reason the text is not usable JSON.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import JSONTooDeep

__all__ = ["JSONTooDeep", "load_json"]


def load_json(raw: bytes | bytearray | str) -> Any:
    """``json.loads(raw)``; raises ``json.JSONDecodeError``, ``UnicodeDecodeError`` or ``JSONTooDeep``
    (all ``ValueError``) for input that is not usable JSON."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise JSONTooDeep("the JSON is nested too deeply (more than about 1,000 levels of [ or {)") from None
