"""Printing untrusted text (article sentences, actor surface text, paths) safely on a terminal.

``plain`` is ``detente.safe_text.safe_one_line``, the one sanitiser; ``cell`` wraps it for Rich."""

from __future__ import annotations

from rich.text import Text

from ..safe_text import safe_one_line as plain

__all__ = ["cell", "plain"]


def cell(value: object, style: str = "") -> Text:
    """A Rich cell that never interprets markup in ``value``."""
    return Text(plain(value), style=style)
