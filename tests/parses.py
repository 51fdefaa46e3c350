"""Frozen spaCy parses for fast tests (made by scripts/freeze_parses.py; no model needed)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from detente.nlp import Entity, ParsedText, Sentence, Token

DATA = Path(__file__).parent / "data" / "parses.json"


@cache
def _all() -> dict[str, dict]:  # type: ignore[type-arg]
    return json.loads(DATA.read_text(encoding="utf-8"))["parses"]  # type: ignore[no-any-return]


def frozen_parse(text: str) -> ParsedText:
    """The frozen parse of ``text`` (which must be listed in tests/data/sentences.txt)."""
    rec = _all().get(text)
    if rec is None:
        raise KeyError(f"no frozen parse for {text!r}: add it to tests/data/sentences.txt and run "
                       "scripts/freeze_parses.py")
    tokens = tuple(Token(i=i, text=t[0], lemma=t[1], pos=t[2], tag=t[3], dep=t[4], head=t[5], idx=t[6],
                         ent_type=t[7], ent_iob=t[8], ws=t[9], sent=t[10]) for i, t in enumerate(rec["tokens"]))
    sents = tuple(Sentence(index=n, start=s[0], end=s[1], char_start=s[2], char_end=s[3], text=text[s[2]:s[3]])
                  for n, s in enumerate(rec["sentences"]))
    ents = tuple(Entity(start=e[0], end=e[1], label=e[2], text=e[3]) for e in rec["entities"])
    return ParsedText(text=text, tokens=tokens, sentences=sents, entities=ents)
