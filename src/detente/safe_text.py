"""Untrusted text (file names, corpus ids, page text, actor surface text) on one terminal line.

The one sanitiser: the CLI's tables and messages, rejection lines and the watcher's logs all
print untrusted text through ``safe_one_line``, so control characters can neither break the line
nor drive the terminal, and bidirectional controls cannot reorder what the reader sees.
"""

from __future__ import annotations

import re

__all__ = ["safe_one_line"]

# C0/C1 controls (escape sequences could drive the terminal), the left-to-right and right-to-left
# marks, and the bidi embeddings, overrides and isolates (could reorder what the reader sees).
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


def safe_one_line(value: object) -> str:
    """``value`` (``None`` is empty) on one line, with control and bidi characters shown as escapes."""
    flat = _WHITESPACE.sub(" ", "" if value is None else str(value)).strip()
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), flat)
