"""Build ``detente.nlp`` records from text without a spaCy model, for fast tests.

    toks = tokens("US Ambassador to Russia John Sullivan was summoned.")
    start, end = span(toks, "US Ambassador to Russia John Sullivan")
    doc = parsed("Pakistan and India agreed.\\nIslamabad said so.")
    toks = with_parse(toks, heads=[...], deps=[...], pos=[...])

Tokens follow spaCy's splitting where it matters for matching (hyphens and possessive "'s"
are tokens of their own); lemma is the lower-cased text and the parse fields are blank
unless ``with_parse`` fills them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from detente.actors.text import tokenize
from detente.nlp import ParsedText, Sentence, Token

__all__ = ["parsed", "span", "tokens", "with_parse"]

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z0-9])|\s*\n\s*")


def tokens(text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` as one sentence."""
    return tokenize(text)


def parsed(text: str) -> ParsedText:
    """A ParsedText with sentences cut at line breaks and at . ! ? before a capital."""
    all_tokens: list[Token] = []
    sentences: list[Sentence] = []
    bounds: list[tuple[int, int]] = []
    last = 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((last, match.start()))
        last = match.end()
    bounds.append((last, len(text)))
    for lo, hi in bounds:
        body = text[lo:hi]
        if not body.strip():
            continue
        lo += len(body) - len(body.lstrip())
        body = body.strip()
        first = len(all_tokens)
        all_tokens.extend(tokenize(body, first_index=first, offset=lo, sent=len(sentences)))
        sentences.append(Sentence(index=len(sentences), start=first, end=len(all_tokens),
                                  char_start=lo, char_end=lo + len(body), text=body))
    return ParsedText(text=text, tokens=tuple(all_tokens), sentences=tuple(sentences))


def span(toks: Sequence[Token], phrase: str, *, occurrence: int = 0) -> tuple[int, int]:
    """The (start, end) token indexes of ``phrase`` inside ``toks`` (matched token by token)."""
    words = [t.text for t in tokenize(phrase)]
    seen = 0
    for i in range(len(toks) - len(words) + 1):
        if [t.text for t in toks[i:i + len(words)]] == words:
            if seen == occurrence:
                return toks[i].i, toks[i].i + len(words)
            seen += 1
    raise ValueError(f"{phrase!r} is not in the tokens")


def with_parse(toks: Sequence[Token], *, heads: Sequence[int] | None = None, deps: Sequence[str] | None = None,
               pos: Sequence[str] | None = None, lemmas: Sequence[str] | None = None) -> tuple[Token, ...]:
    """Copies of ``toks`` with parse fields filled in (each sequence is one value per token)."""
    out = []
    for n, tok in enumerate(toks):
        changes: dict[str, object] = {}
        if heads is not None:
            changes["head"] = heads[n]
        if deps is not None:
            changes["dep"] = deps[n]
        if pos is not None:
            changes["pos"] = pos[n]
        if lemmas is not None:
            changes["lemma"] = lemmas[n]
        out.append(dataclasses.replace(tok, **changes))  # type: ignore[arg-type]
    return tuple(out)
