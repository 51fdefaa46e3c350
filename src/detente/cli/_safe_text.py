"""Printing untrusted text (article sentences, actor surface text, paths) safely on a terminal."""

from __future__ import annotations

import re

from rich.text import Text

__all__ = ["cell", "plain"]

# C0/C1 controls (escape sequences could drive the terminal) and bidi overrides (could
# reorder what the reader sees).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def plain(value: object) -> str:
    """``value`` on one line, with control characters shown as escapes."""
    text = _SPACES.sub(" ", "" if value is None else str(value)).strip()
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell(value: object, style: str = "") -> Text:
    """A Rich cell that never interprets markup in ``value``."""
    return Text(plain(value), style=style)
