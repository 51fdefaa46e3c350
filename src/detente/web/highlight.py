"""Cutting an article body into segments, each covered by the same set of event spans.

The article page shows the body with every event's evidence span highlighted. Spans may
overlap (several events read from one sentence), so the body is cut at every span edge
and each piece carries the ids of the events that cover it. Templates render each piece's
text through autoescaping: the markup around a piece is ours, the text inside it never is.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Segment", "segment_text"]


@dataclass(frozen=True)
class Segment:
    """A run of body text and the events (ids, in span order) whose evidence covers all of it."""

    start: int
    end: int
    text: str
    events: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "events": list(self.events)}


def _clamped(spans: Iterable[tuple[str, int, int]], length: int) -> list[tuple[str, int, int]]:
    """Spans cut to the body; empty or reversed spans (a damaged record) are left out."""
    kept = []
    for event_id, start, end in spans:
        lo, hi = max(0, int(start)), min(length, int(end))
        if lo < hi:
            kept.append((event_id, lo, hi))
    return kept


def segment_text(text: str, spans: Sequence[tuple[str, int, int]]) -> list[Segment]:
    """``text`` as consecutive segments: joined, they give ``text`` back exactly; a segment
    lists every span (event id, start, end) that covers it, and only those."""
    valid = _clamped(spans, len(text))
    cuts = sorted({0, len(text), *(s for _, s, _ in valid), *(e for _, _, e in valid)})
    segments: list[Segment] = []
    for lo, hi in itertools.pairwise(cuts):
        covering = tuple(dict.fromkeys(eid for eid, s, e in valid if s <= lo and hi <= e))
        if segments and segments[-1].events == covering:
            last = segments[-1]
            segments[-1] = Segment(last.start, hi, text[last.start:hi], covering)
        else:
            segments.append(Segment(lo, hi, text[lo:hi], covering))
    return segments
