"""The actor resolver: gazetteer hits in token spans, and the actors an argument phrase denotes.

    resolver = get_resolver()
    resolver.mentions(tokens, start, end)          # every hit, longest first, in text order
    resolver.resolve(tokens, start, end, on=day)   # the actor(s) of an argument phrase
    resolver.person_actor("Putin", date(2021, 4, 15))
    resolver.lookup("Senior Hungarian and Romanian officials")
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from ..model import Actor
from ..nlp import Token
from .people import PersonReading, read_person
from .phrase import Piece, read_phrase
from .tables import Entry, Office, Tables, get_tables
from .text import fold, token_parts, tokenize

__all__ = ["ActorResolver", "Mention", "get_resolver"]

# A country named with one of these before it ("pro-Russian") or after it ("Iranian-backed")
# is an affiliation, not the actor's own country.
AFFILIATION_BEFORE = frozenset({"pro", "anti", "non"})
AFFILIATION_AFTER = frozenset({
    "backed", "sponsored", "supported", "funded", "allied", "aligned", "trained", "armed", "born",
    "based", "controlled", "held", "occupied", "administered", "brokered", "mediated", "made", "built",
    "bound", "linked", "affiliated", "friendly", "leaning", "inspired", "style", "owned", "run",
    "installed", "appointed", "imposed", "annexed",
})
POSSESSIVE_MARKS = frozenset({"'s", "'", "’s", "’", "'S"})

# kind, country, sector, name, confidence, offices
_HitReading = tuple[str, str, str, str, float, tuple[Office, ...]]

_BASE_CONFIDENCE = {
    "country": 0.95, "capital": 0.85, "seat": 0.95, "igo": 0.95, "ngo": 0.95, "group": 0.9,
    "demonym": 0.9, "person": 0.8, "title": 0.9, "sector": 0.85,
}


class Mention(NamedTuple):
    """One gazetteer hit: tokens[start:end] of kind country, demonym, capital, seat, igo, ngo,
    group, person, title or sector.

    ``country``/``sector``/``name`` are the hit's own reading (for a person: the country when
    all their offices are in one, sector left empty; the offices are in ``offices`` and are
    resolved by date in ``resolve``/``person_actor``). ``affiliation`` holds "pro", "backed"
    ... when the country is a sponsor or sympathy, not the actor's own ("pro-Russian",
    "Iranian-backed"); ``possessive`` marks a following "'s". ``entries`` are the table rows
    the hit may mean (several for a time-bound group such as the Taliban); ``form`` says how a
    country was named (name, region, adjective, people). A named tuple: immutable and cheap.
    """

    start: int
    end: int
    kind: str
    country: str
    sector: str
    name: str
    text: str
    confidence: float
    offices: tuple[Office, ...] = ()
    affiliation: str = ""
    possessive: bool = False
    entries: tuple[Entry, ...] = ()
    form: str = ""


class ActorResolver:
    """Reads actors from token spans with the tables in ``detente/actors/data``.

    The tables are read on first use (thread-safe); the resolver itself holds no mutable
    state, so one instance serves every thread.
    """

    def __init__(self, tables: Tables | None = None) -> None:
        self._tables = tables
        # Per-hit readings; a plain dict is safe to share (a race only computes a value twice).
        self._readings: dict[int, tuple[tuple[Entry, ...], _HitReading]] = {}

    @property
    def tables(self) -> Tables:
        if self._tables is None:
            self._tables = get_tables()
        return self._tables

    # -- hits ------------------------------------------------------------------------------

    def mentions(self, tokens: Sequence[Token], start: int, end: int) -> list[Mention]:
        """Every gazetteer hit in tokens[start:end]: longest match first, non-overlapping, in order."""
        tables = self.tables
        index, prefixes, starts = tables.index, tables.prefixes, tables.max_len
        stop = min(end, len(tokens))
        folded: list[str] = []
        shapes: list[int] = []
        owner: list[int] = []
        for i in range(max(0, start), stop):
            parts, part_shapes = token_parts(tokens[i].text)
            folded.extend(parts)
            shapes.extend(part_shapes)
            owner.extend([i] * len(parts))
        out: list[Mention] = []
        n = len(folded)
        p = 0
        taken = start  # the first token no hit has used yet
        while p < n:
            found = _longest_at(index, prefixes, starts, folded, shapes, p)
            if found is not None and folded[p] == "the" and p + 1 < n:
                # "the United Nations Security Council": a form that begins with the article must
                # not hide a longer one that begins after it.
                later = _longest_at(index, prefixes, starts, folded, shapes, p + 1)
                if later is not None and later[0] + 1 > found[0]:
                    p += 1
                    found = later
            if found is None and tokens[owner[p]].lemma not in ("", folded[p]):
                found = self._match_lemma(tokens, owner, folded, p)
            if found is None:
                p += 1
                continue
            length, entries = found
            last_token = owner[p + length - 1]
            if entries[0].kind == "group" and owner[p] == last_token and _ends_a_name(tokens, owner[p], taken):
                p += 1  # "Foreign Minister Therese Kayikwamba Wagner": a surname, not the Wagner Group
                continue
            taken = last_token + 1
            if entries[0].kind != "block":
                out.append(self._mention(tokens, folded, owner, p, length, entries, stop))
            p += length
            while p < n and owner[p] == last_token:  # never start a hit inside a token already used
                p += 1
        return out

    def _match_lemma(self, tokens: Sequence[Token], owner: list[int], folded: list[str],
                     p: int) -> tuple[int, tuple[Entry, ...]] | None:
        """A one-token sector word or title by its lemma ("militias" -> "militia")."""
        token = tokens[owner[p]]
        lemma = token.lemma
        if not lemma or lemma == token.text or lemma == token.text.lower() or (
                p + 1 < len(owner) and owner[p + 1] == owner[p]):
            return None
        folded_lemma = fold(lemma)
        if folded_lemma == folded[p]:
            return None
        entries = self.tables.index.get((folded_lemma,))
        if entries and entries[0].kind in ("title", "sector") and all(e.rules == (0,) for e in entries):
            return 1, entries
        return None

    def _mention(self, tokens: Sequence[Token], folded: list[str], owner: list[int], p: int, length: int,
                 entries: tuple[Entry, ...], limit: int) -> Mention:
        first, stop = owner[p], owner[p + length - 1] + 1
        kind, country, sector, name, confidence, offices = self._reading_of(entries)
        lead = entries[0]
        text = "".join(t.text + t.ws for t in tokens[first:stop]).strip()
        affiliation = ""
        before = folded[p - 1] if p > 0 else ""
        if kind in ("title", "sector"):
            if before in AFFILIATION_BEFORE:
                affiliation = before  # "anti-government protesters": not a government
        elif kind in ("country", "demonym", "capital"):
            after = folded[p + length] if p + length < len(folded) else ""
            if before in AFFILIATION_BEFORE:
                affiliation = before
            elif after in AFFILIATION_AFTER and _hyphen_joined(tokens, owner, p + length - 1):
                affiliation = after
        possessive = stop < limit and tokens[stop].text in POSSESSIVE_MARKS
        return Mention(start=first, end=stop, kind=kind, country=country, sector=sector, name=name, text=text,
                       confidence=confidence, offices=offices, affiliation=affiliation,
                       possessive=possessive, entries=entries, form=lead.form)

    def _reading_of(self, entries: tuple[Entry, ...]) -> _HitReading:
        """What a hit says by itself, before context (memoised per set of entries)."""
        cached = self._readings.get(id(entries))
        if cached is not None and cached[0] is entries:
            return cached[1]
        lead = entries[0]
        kind = lead.kind
        confidence = _BASE_CONFIDENCE.get(kind, 0.8)
        offices: tuple[Office, ...] = ()
        country, sector, name = lead.country, lead.sector, lead.name
        if kind == "person":
            people = {e.name for e in entries}
            offices = tuple(sorted((o for person in people for o in self.tables.persons[person]),
                                   key=lambda o: o.start))
            homes = {o.country for o in offices}
            country = homes.pop() if len(homes) == 1 else ""
            sector = ""
            name = lead.name if len(people) == 1 else ""
            if len(people) > 1:
                confidence *= 0.8
        elif len(entries) > 1:
            latest = max(entries, key=lambda e: (e.end is None, e.end or e.start or date.min))
            country, sector, name = latest.country, latest.sector, latest.name
            if len({e.country for e in entries}) > 1:
                confidence *= 0.7
        if "weak" in lead.flags:
            confidence *= 0.7
        reading = (kind, country, sector, name, round(confidence, 3), offices)
        self._readings[id(entries)] = (entries, reading)  # keyed by identity: hashing entries is slow
        return reading

    # -- actors ----------------------------------------------------------------------------

    def resolve(self, tokens: Sequence[Token], start: int, end: int, *, on: date | None = None,
                head: int | None = None) -> list[Actor]:
        """The actor(s) the argument phrase tokens[start:end] denotes (see ``detente.actors.phrase``)."""
        return [actor for actor, _ in self.resolve_scored(tokens, start, end, on=on, head=head)]

    def resolve_scored(self, tokens: Sequence[Token], start: int, end: int, *, on: date | None = None,
                       head: int | None = None) -> list[tuple[Actor, float]]:
        """Like ``resolve``, with a confidence in [0, 1] for each actor."""
        pieces = [_piece(m) for m in self.mentions(tokens, start, end)]
        return read_phrase(tokens, start, min(end, len(tokens)), pieces, on=on, head=head,
                           read_person=self._read_person, igo_name=self._igo_name)

    def person_actor(self, name: str, on: date | None) -> Actor | None:
        """The actor a named person is on ``on``: their state's GOV (or their office's sector)
        while in office, ELI after, the bare country before; None when unknown or ambiguous."""
        tokens = tokenize(name)
        people = [m for m in self.mentions(tokens, 0, len(tokens)) if m.kind == "person"]
        if not people:
            return None
        reading = self._read_person(people[0].offices, on, "")
        if reading is None:
            return None
        if reading.country == "IGO":
            return Actor(code=f"IGO{reading.org}", country="IGO", sector="", text=name,
                         name=self._igo_name(reading.org))
        return Actor(code=f"{reading.country}{reading.sector}", country=reading.country, sector=reading.sector,
                     text=name, name=reading.person)

    def lookup(self, text: str, *, on: date | None = None) -> list[Actor]:
        """Resolve a whole text as one phrase (a convenience for tests and tools)."""
        tokens = tokenize(text)
        return self.resolve(tokens, 0, len(tokens), on=on)

    def country_name(self, code: str) -> str:
        """The display name of an ISO3 code ("RUS" -> "Russia"), or of an IGO/NGO code suffix."""
        country = self.tables.countries.get(code.upper())
        if country is not None:
            return country.name
        for prefix in ("IGO", "NGO"):
            if code.upper().startswith(prefix) and code[3:] in self.tables.igo_names:
                return self.tables.igo_names[code[3:]]
        return code

    def _read_person(self, offices: Sequence[Office], on: date | None, hint: str) -> PersonReading | None:
        return read_person(offices, on, country_hint=hint)

    def _igo_name(self, code: str) -> str:
        return self.tables.igo_names.get(code, code)


def _longest_at(index: dict[tuple[str, ...], tuple[Entry, ...]], prefixes: frozenset[tuple[str, ...]],
                starts: dict[str, int], folded: list[str], shapes: list[int],
                p: int) -> tuple[int, tuple[Entry, ...]] | None:
    """The longest form (in parts) that starts at part ``p`` and whose spelling rules hold."""
    if folded[p] not in starts:
        return None
    found: tuple[int, tuple[Entry, ...]] | None = None
    n = len(folded)
    key: tuple[str, ...] = (folded[p],)
    q = p + 1
    while True:
        entries = index.get(key)
        if entries is not None:
            accepted = _case_filter(entries, shapes, p)
            if accepted:
                found = (q - p, accepted)
        if q >= n or key not in prefixes:
            return found
        key = (*key, folded[q])
        q += 1


def _case_filter(entries: tuple[Entry, ...], shapes: list[int], p: int) -> tuple[Entry, ...]:
    """The entries whose spelling rules the text at parts p... satisfies."""
    if len(entries) == 1:
        rules = entries[0].rules
        if len(rules) == 1:
            return entries if rules[0] <= shapes[p] else ()
    ok = [e for e in entries if all(rule <= shapes[p + k] for k, rule in enumerate(e.rules))]
    return entries if len(ok) == len(entries) else tuple(ok)


def _hyphen_joined(tokens: Sequence[Token], owner: list[int], q: int) -> bool:
    """Whether part ``q`` and the next part are joined by a hyphen ("Iranian-backed")."""
    if q + 1 >= len(owner):
        return False
    i, j = owner[q], owner[q + 1]
    if i == j:
        return True  # one token holding both parts
    return j == i + 2 and tokens[i + 1].text in {"-", "–", "—"} and not tokens[i].ws and not tokens[i + 1].ws


def _piece(m: Mention) -> Piece:
    flags = m.entries[0].flags if m.entries else frozenset()
    return Piece(start=m.start, end=m.end, kind=m.kind, country=m.country, sector=m.sector, name=m.name,
                 form=m.form, flags=flags, entries=m.entries, offices=m.offices, affiliation=m.affiliation,
                 possessive=m.possessive)


_lock = threading.Lock()
_resolver: ActorResolver | None = None


def get_resolver() -> ActorResolver:
    """The process-wide resolver (its tables are read lazily, on first use)."""
    global _resolver
    if _resolver is None:
        with _lock:
            if _resolver is None:
                _resolver = ActorResolver()
    return _resolver


def _ends_a_name(tokens: Sequence[Token], i: int, taken: int) -> bool:
    """Whether the one-word group name at token ``i`` ends a person's name: right after a capitalised
    proper noun that no table knows ("Therese Kayikwamba Wagner"); ``taken`` is the first token no
    earlier hit used (never before the phrase's start)."""
    j = i - 1
    if j < taken:
        return False
    prev = tokens[j]
    return prev.pos == "PROPN" and prev.text[:1].isupper() and tokens[i].pos == "PROPN"
