"""Body lines that are not sentences: subheads, question headings, link lines, reader notices.

They stay in the article body (a reader sees them, and spans keep indexing the same text) but
are marked, so that the coder does not read events into them: "SEE MORE: Russia expels US
diplomats" is a link to another story, "What was the investigation about?" announces the
paragraphs below it, "The Times is committed to publishing a diversity of letters" is the
newspaper's own notice.

``heading_spans(lines)`` returns the character ranges, in ``"\\n".join(lines)``, of the lines
that are one of:

- a link line: a label such as "SEE MORE:", "Read more:", "RELATED:", "WATCH:" opening the line;
- a question heading: at most 14 words, ending in "?", beginning with a question word, with
  no quotation marks (a quoted question is someone speaking);
- a subhead: at most 10 words without closing punctuation, between paragraphs (the line
  after it is a longer paragraph); the body's first line is not one: under the headline it is
  the deck (standfirst), the story in one line ("Police fired tear gas to disperse protesters"),
  read like the headline;
- a reader notice: the publication addressing its readers (letters to the editor, "follow
  us on", "sign up for", "this story has been updated").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["heading_kind", "heading_spans"]

_LINK_LABEL = re.compile(
    r"^\s*(?:see (?:more|also)|read (?:more|also|next|the full story)|also read|more (?:on|from|coverage)|"
    r"related(?: (?:articles?|stories|coverage|content|news|reading))?|recommended(?: reading)?|watch(?: now)?|"
    r"listen(?: now)?|video|photos?|gallery|more|top stories|latest|don'?t miss|trending|explainer|"
    r"click here|further reading|editor'?s picks?)\s*[:|»>-]",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(?:what|why|how|who|whom|whose|when|where|which|is|are|was|were|can|could|will|would|should|does|do|did|"
    r"has|have|had)\b", re.IGNORECASE)
_QUOTES = re.compile(r"[\"“”«»]|(?:^|\s)['‘’]|['‘’](?:\s|$)")
_CLOSING = re.compile(r"[.!?:;,…\"”’')\]]\s*$")
_NOTICE = re.compile(
    r"\b(?:letters? to the editor|is committed to publishing|we(?:'|’)d like to hear what you think|"
    r"follow (?:us|the \w+(?: \w+)? section) on|sign up for (?:our|the)|subscribe to (?:our|the)|"
    r"this (?:story|article) (?:has been|was) (?:updated|corrected)|here are some tips|"
    r"email(?: us)? at [\w.]+@|send (?:us )?your (?:letters|tips)|all rights reserved)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_][\w'’.-]*")


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def heading_kind(line: str, next_line: str | None = None) -> str | None:
    """``link``, ``question``, ``subhead`` or ``notice`` when ``line`` is not a sentence, else None.

    ``next_line`` is the body line after it (a subhead introduces a longer paragraph).
    """
    text = line.strip()
    if not text:
        return None
    if _LINK_LABEL.match(text):
        return "link"
    if _NOTICE.search(text):
        return "notice"
    words = _words(text)
    if text.endswith("?") and words <= 14 and _QUESTION_START.match(text) and not _QUOTES.search(text):
        return "question"
    if (words <= 10 and not _CLOSING.search(text) and text[:1].isupper() and next_line is not None
            and _words(next_line) >= max(12, 2 * words) and _CLOSING.search(next_line.strip())):
        return "subhead"
    return None


def heading_spans(lines: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Character ranges, in ``"\\n".join(lines)``, of the lines that are not sentences."""
    spans = []
    offset = 0
    for k, line in enumerate(lines):
        following = lines[k + 1] if k + 1 < len(lines) else None
        kind = heading_kind(line, following)
        if kind is not None and not (kind == "subhead" and k == 0):  # the first line is the deck
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return tuple(spans)
