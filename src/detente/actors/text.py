"""Text normalisation for gazetteer matching, and a regex tokenizer that needs no model.

Matching works on *parts*: each token's text folded to lower case without diacritics, with
curly apostrophes made straight and dots dropped ("U.S." -> "us", "Élysée" -> "elysee"), and
split at hyphens and slashes ("U.N.-backed" -> "un", "backed"), so that "al-Qaeda",
"al Qaeda" and spaCy's three tokens "al", "-", "Qaeda" all give the parts ("al", "qaeda").
Every part also keeps a *case rule* taken from how the data file spells it: an acronym
("US", "WHO") only matches upper-case text, a capitalised word ("Turkey", "Kremlin") only
matches text that is not all lower case, and a lower-case word ("army") matches any case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ..nlp import Token

__all__ = [
    "ANY",
    "CAP",
    "UPPER",
    "case_accepts",
    "case_rule",
    "case_shape",
    "fold",
    "form_parts",
    "split_parts",
    "token_parts",
    "tokenize",
]

# Letters that NFKD does not decompose but that readers treat as their plain twins.
_TRANSLIT = str.maketrans({
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-",
})

_PART_SPLIT = re.compile(r"[-/]+")

ANY, CAP, UPPER = 0, 1, 2


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no diacritics, straight apostrophes, plain hyphens, dots removed."""
    text = text.translate(_TRANSLIT)
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.casefold().replace(".", "")


@lru_cache(maxsize=65536)
def split_parts(text: str) -> tuple[tuple[str, str], ...]:
    """A token's (folded part, original part) pairs; hyphens, slashes and bare dots vanish."""
    raw = text.translate(_TRANSLIT)
    out: list[tuple[str, str]] = []
    for piece in _PART_SPLIT.split(raw):
        folded = fold(piece)
        if folded and folded != "'":
            out.append((folded, piece))
    return tuple(out)


@lru_cache(maxsize=65536)
def token_parts(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A token's folded parts and the case shape of each (one cached call per token text)."""
    pairs = split_parts(text)
    return tuple(f for f, _ in pairs), tuple(case_shape(o) for _, o in pairs)


def case_rule(part: str) -> int:
    """How a data form's part constrains the case of the text it matches."""
    letters = [ch for ch in part if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return UPPER
    if letters and letters[0].isupper():
        return CAP
    return ANY


@lru_cache(maxsize=65536)
def case_shape(original: str) -> int:
    """The strongest case rule a piece of text satisfies: UPPER, CAP (some capital) or ANY."""
    letters = [ch for ch in original if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return UPPER if len(letters) >= 2 or len(original) == 1 else CAP
    return CAP if any(ch.isupper() for ch in letters) else ANY


def case_accepts(rule: int, original: str) -> bool:
    """Whether text spelled ``original`` satisfies a data form's case rule."""
    return rule <= case_shape(original)


# Abbreviations whose dot belongs to the word (so "Gen. Avril" stays two tokens, as in spaCy).
_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Brig|Sgt|Capt|Cpt|Adm|Cmdr|Rep|Sen|Gov|Pres|Prof|Rev|St|Jr|Sr|"
    r"No|Nos|Sept|Sep|Oct|Nov|Dec|Jan|Feb|Aug|Mt|Ft|vs|etc|Inc|Ltd|Co|Corp)\."
)
_TOKEN_RE = re.compile(
    rf"""
    (?:[A-Za-z]\.){{2,}}                       # U.S. U.N. D.P.R.K.
    | {_ABBREV}
    | [’']s\b                                  # possessive 's
    | \d+(?:[.,/:]\d+)*%?                      # numbers, dates, times
    | [^\W\d_](?:[^\W_]|[’'](?=[^\W\d_]{{2,}}|[^\W\d_]\b)(?![sS]\b))*  # words, d'Orsay, Qa'ida
    | -+ | —|–
    | \S                                       # any other single character
    """,
    re.VERBOSE,
)


def _spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _TOKEN_RE.finditer(text):
        yield match.start(), match.end()


def tokenize(text: str, *, first_index: int = 0, offset: int = 0, sent: int = 0) -> tuple[Token, ...]:
    """Tokens built from text alone: lemma is the lower-cased text, parse fields are blank.

    Hyphens and possessive "'s" become tokens of their own, as spaCy makes them, so that
    tokens from this function and from ``detente.nlp`` match the gazetteer the same way.
    """
    spans = list(_spans(text))
    tokens: list[Token] = []
    for n, (start, end) in enumerate(spans):
        next_start = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        i = first_index + n
        word = text[start:end]
        tokens.append(Token(
            i=i, text=word, lemma=word.lower(), pos="", tag="", dep="", head=i,
            idx=offset + start, ws=text[end:next_start], sent=sent,
        ))
    return tuple(tokens)


def form_parts(form: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The folded parts of a data form and the case rule of each part."""
    parts: list[str] = []
    rules: list[int] = []
    for token in tokenize(form):
        for folded, original in split_parts(token.text):
            parts.append(folded)
            rules.append(case_rule(original))
    return tuple(parts), tuple(rules)
