"""From the gazetteer hits in an argument phrase to the actor(s) it denotes.

A phrase is read left to right into *segments* (its coordinated parts) and, inside each,
into *roles* set by the preposition in force:

    main    the phrase itself: "Chinese foreign ministry spokesman Zhao Lijian"
    comp    an of/from-complement: "the foreign ministers of Sudan, Egypt and Ethiopia"
    loc     a location: "protesters in Tehran" (gives a country only as a fallback)
    host    after to/for: "US Ambassador to Russia" (the host is never the actor)
    other   anything else (against, with, after an acl verb ...): ignored

Then, per segment: the head is the last sector word or title; a *generic* head (leader,
official, spokesman) takes its sector from the nearest modifier that has one ("military
leaders" -> MIL, "Kremlin spokesman" -> GOV), and a military head gives way to a rebel,
opposition, police or intelligence modifier ("rebel forces" -> REB, "government forces" ->
MIL). The country comes from a place in the phrase, else a named group or seat, else the
person's office on the date, else the complement, else (for non-diplomatic heads) the
location. Coordinated place-only parts share the last part's head ("Hungarian and Romanian
officials" -> HUNGOV, ROUGOV).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from ..model import Actor
from ..nlp import Token
from .people import PersonReading
from .tables import Entry, Office
from .text import fold

__all__ = ["Piece", "read_phrase"]

COORDINATORS = frozenset({"and", "or", "&", "nor", "plus"})
MULTIWORD_COORDINATORS: tuple[tuple[str, ...], ...] = (
    ("as", "well", "as"), ("along", "with"), ("together", "with"), ("and", "also"),
)
PREPOSITION_ROLES: dict[str, str] = {
    "of": "comp", "from": "comp", "including": "comp", "among": "comp",
    "in": "loc", "at": "loc", "near": "loc", "outside": "loc", "inside": "loc", "across": "loc",
    "along": "loc", "within": "loc", "around": "loc", "throughout": "loc", "on": "loc", "into": "loc",
    "to": "host", "for": "host",
    "against": "other", "with": "other", "about": "other", "toward": "other", "towards": "other",
    "by": "other", "between": "other", "amid": "other", "after": "other", "before": "other",
    "during": "other", "since": "other", "under": "other", "than": "other", "like": "other",
    "via": "other", "without": "other", "despite": "other", "behind": "other", "over": "other",
    "onto": "other", "upon": "other", "per": "other",
}
CLAUSE_WORDS = frozenset({"who", "which", "whose", "whom", "where"})
FORMER_WORDS = frozenset({
    "former", "ex", "ousted", "deposed", "exiled", "late", "onetime", "erstwhile", "toppled",
    "overthrown", "retired", "disgraced",
})
MANY_WORDS = frozenset({"both", "two", "three", "four", "each", "all", "several", "various", "many", "other"})
# Words that neither name an actor nor make the phrase's head something else.
FUNCTION_WORDS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my",
    "your", "whose", "some", "any", "no", "one", "mr", "mrs", "ms", "dr", "sir", "dame", "lord",
    "lady", "sheikh", "prince", "princess", "mullah", "ayatollah", "new", "senior", "top", "junior",
    "chief", "deputy", "acting", "interim", "then", "current", "incumbent", "outgoing", "incoming",
    "newly", "elected", "appointed", "ruling", "ethnic", "local", "regional", "provincial", "state",
    "national", "federal", "powerful", "influential", "veteran", "hardline", "hardliner", "moderate",
    "conservative", "liberal", "leftist", "rightwing", "right", "left", "wing", "radical", "islamist",
    "islamic", "muslim", "christian", "jewish", "sunni", "shia", "shiite", "kurdish", "arab", "western",
    "foreign", "several", "unnamed", "anonymous", "unidentified", "high", "level", "ranking",
    "government", "'", "s", "said", "says", "also", "too", "himself", "herself", "itself", "themselves",
    "own", "same", "such", "very", "more", "most", "other", "others", "alleged", "so", "called",
    "self", "declared", "armed", "heavily", "well", "hundreds", "thousands", "dozens", "tens",
    "millions", "of", "few", "main", "key", "leading", "prominent", "pro", "anti",
    # particles inside names: "Fazl-ur-Rehman", "bin Salman", "de la Fuente", "von der Leyen"
    "bin", "ibn", "al", "el", "ul", "ur", "ud", "de", "del", "da", "dos", "das", "van", "von", "der", "le",
    "la", "abu", "abd", "bint", "ben", "di", "du",
})
# Nouns that name others by their relation to the possessor: "Ukraine's allies" are not Ukraine.
RELATIONAL_NOUNS = frozenset({
    "ally", "allies", "partner", "partners", "neighbour", "neighbours", "neighbor", "neighbors", "enemy",
    "enemies", "rival", "rivals", "adversary", "adversaries", "foe", "foes", "backer", "backers", "proxy",
    "proxies", "client", "clients", "patron", "patrons", "opponent", "opponents", "critic", "critics",
})
# Relational nouns that, after an alliance or union, name its members: "NATO allies", "EU partners".
MEMBER_NOUNS = frozenset({"ally", "allies", "partner", "partners"})
# Nouns for an actor's posts and units: "guerrilla camps", "army positions" stand for the guerrillas
# and the army when attacked or shelled, where "military equipment" or "the military coup" do not.
FACILITY_NOUNS = frozenset({
    "camp", "camps", "base", "bases", "position", "positions", "post", "posts", "outpost", "outposts",
    "hideout", "hideouts", "stronghold", "strongholds", "headquarters", "barracks", "garrison", "garrisons",
    "checkpoint", "checkpoints", "convoy", "convoys", "patrol", "patrols", "unit", "units", "compound",
    "compounds", "hideaway", "hideaways", "encampment", "encampments", "bunker", "bunkers", "trench",
    "trenches", "redoubt", "redoubts",
})
ORG_KINDS = frozenset({"igo", "ngo", "group", "seat"})
PLACE_KINDS = frozenset({"country", "demonym", "capital"})
# The sectors of a state (government, military, legislature, judiciary, police, intelligence): a former
# holder is an elite (ELI); repression by one of them with no one named is aimed at its own people
# (coding.rules.actors). The one definition.
STATE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
# A military head gives way to these modifiers ("rebel forces", "police forces").
OVERRIDES_MIL = frozenset({"REB", "OPP", "COP", "SPY", "CRM"})


class Piece(NamedTuple):
    """What ``read_phrase`` needs to know about one gazetteer hit."""

    start: int
    end: int
    kind: str
    country: str
    sector: str
    name: str
    form: str
    flags: frozenset[str]
    entries: tuple[Entry, ...]
    offices: tuple[Office, ...]
    affiliation: str
    possessive: bool


@dataclass
class _Segment:
    items: list[tuple[str, Piece]] = field(default_factory=list)
    first: int = -1
    last: int = -1
    role: str = "main"  # the role in force at the end of the segment
    separator: str = ""
    former: bool = False
    many: bool = False
    ethnic: bool = False  # "ethnic Serb": a people, not a nationality
    unknown_head: bool = False  # a content word follows the last main hit
    relational: bool = False  # that word names others by relation ("allies", "neighbours")
    members: bool = False  # that word names a body's members ("NATO allies", "EU partners")
    facility: bool = False  # that word is the actor's post or unit ("camps", "positions")
    shared_head: list[Piece] = field(default_factory=list)

    def touch(self, i: int) -> None:
        if self.first < 0:
            self.first = i
        self.last = i

    def main(self) -> list[Piece]:
        return [p for role, p in self.items if role == "main"]

    def role_pieces(self, role: str) -> list[Piece]:
        return [p for r, p in self.items if r == role]

    def is_place_only(self) -> bool:
        main = self.main()
        return bool(main) and all(_is_place(p) for p in main) and not self.unknown_head


def _is_place(p: Piece) -> bool:
    return p.kind in PLACE_KINDS and not p.affiliation and "place_only" not in p.flags


def _is_generic(p: Piece) -> bool:
    return "generic" in p.flags or not p.sector


def _entry_on(p: Piece, on: date | None) -> Entry:
    """A time-bound row (the Taliban before and after 2021-08-15) valid on ``on``."""
    if len(p.entries) == 1:
        return p.entries[0]
    if on is not None:
        valid = [e for e in p.entries if e.valid_on(on)]
        if valid:
            return valid[0]
    return max(p.entries, key=lambda e: (e.end is None, (e.end or e.start or date.min)))


def _split_segments(tokens: Sequence[Token], start: int, end: int, pieces: Sequence[Piece],
                    head: int | None) -> list[_Segment]:
    by_start = {p.start: p for p in pieces}
    ends = {p.end for p in pieces}
    covered = {i for p in pieces for i in range(p.start, p.end)}
    segments = [_Segment()]
    role = "main"
    i = start
    while i < end:
        piece = by_start.get(i)
        segment = segments[-1]
        if piece is not None:
            # "a spokeswoman for the United Nations" works for it; "an envoy to Russia" is hosted.
            piece_role = "comp" if role == "host" and piece.kind in ORG_KINDS else role
            segment.items.append((piece_role, piece))
            segment.touch(piece.end - 1)
            if role == "main":
                segment.unknown_head = segment.relational = segment.members = segment.facility = False
            i = piece.end
            continue
        token = tokens[i]
        word = fold(token.text)
        if word in CLAUSE_WORDS or (token.dep == "relcl" and i > start):
            break
        multi = next((m for m in MULTIWORD_COORDINATORS
                      if tuple(fold(t.text) for t in tokens[i:i + len(m)]) == m), None)
        if multi or word in COORDINATORS or word in {",", ";"}:
            separator = " ".join(multi) if multi else word
            if segment.items or segment.first >= 0:
                segments.append(_Segment(separator=separator))
            elif separator not in {",", ";"}:
                segment.separator = separator  # ", and Ethiopia": the coordinator names the list
            role = "main"
            i += len(multi) if multi else 1
            continue
        if word in PREPOSITION_ROLES and token.pos in ("", "ADP", "SCONJ"):
            role = PREPOSITION_ROLES[word]
            segment.role = role
        elif (token.dep == "acl" and i > start) or (
                not token.pos and i in ends and word.endswith(("ing", "ed")) and len(word) > 4):
            # "refugees fleeing the war", "Palestinians living in ...": a participle after the
            # head opens a modifier (spaCy's acl; without a parse, an -ing/-ed word after a hit).
            role = "other"
            segment.role = role
        elif role == "main":
            if word in FORMER_WORDS:
                segment.former = True
            elif word == "ethnic":
                segment.ethnic = True
            elif word in MANY_WORDS:
                segment.many = True
            elif word.isalpha() and word not in FUNCTION_WORDS and _common_noun(token):
                segment.unknown_head = True
                segment.relational = word in RELATIONAL_NOUNS
                segment.members = word in MEMBER_NOUNS
                segment.facility = word in FACILITY_NOUNS
            segment.touch(i)
        else:
            segment.touch(i)
        i += 1
    if head is not None and start <= head < end and head not in covered and tokens[head].pos == "NOUN":
        # A parsed head that no hit covers: the phrase is about that thing, not an actor.
        for segment in segments:
            if segment.first <= head <= segment.last:
                segment.unknown_head = fold(tokens[head].text) not in FUNCTION_WORDS
                segment.facility = fold(tokens[head].text) in FACILITY_NOUNS
    return [s for s in segments if s.items or s.first >= 0]


def _common_noun(token: Token) -> bool:
    """A word that can head a non-actor phrase ("coup", "equipment"), not a name or modifier."""
    if token.pos:
        return token.pos == "NOUN"
    return token.text[:1].islower()  # without a parse, capitalised words are names


def _merge(segments: list[_Segment]) -> list[_Segment]:
    if len(segments) <= 1:
        return segments
    has_coordinator = any(s.separator not in {",", ";"} for s in segments[1:])
    if not has_coordinator and not all(s.is_place_only() or _single_org(s) for s in segments):
        # "Sergei Lavrov, Russia's foreign minister": commas without "and" are appositions.
        merged = segments[0]
        for s in segments[1:]:
            merged.items.extend(("main" if r == "main" else r, p) for r, p in s.items)
            merged.former |= s.former
            merged.ethnic |= s.ethnic
            merged.last = max(merged.last, s.last)
            merged.role = s.role
        return [merged]
    out: list[_Segment] = [segments[0]]
    for s in segments[1:]:
        prev = out[-1]
        if prev.role != "main" and s.is_place_only():
            # "the foreign ministers of Sudan, Egypt and Ethiopia": the list continues the complement.
            prev.items.extend((prev.role, p) for _, p in s.items)
            prev.last = s.last
            continue
        out.append(s)
    _share_heads(out)
    return out


def _single_org(s: _Segment) -> bool:
    main = s.main()
    return len(main) == 1 and main[0].kind in ORG_KINDS and not s.unknown_head


def _share_heads(segments: list[_Segment]) -> None:
    """"Senior Hungarian and Romanian officials": place-only parts borrow the last part's head."""
    last = segments[-1].main()
    if len(segments) < 2 or not last or not _is_place(last[0]):
        return
    heads = [p for p in last if p.kind in ("title", "sector")]
    if not heads or any(p.kind == "person" for p in last):
        return
    for s in segments[:-1]:
        if s.is_place_only():
            s.shared_head = heads


@dataclass(frozen=True, slots=True)
class _Reading:
    actor: Actor
    confidence: float


def read_phrase(
    tokens: Sequence[Token], start: int, end: int, pieces: Sequence[Piece], *, on: date | None,
    head: int | None, read_person: Callable[[Sequence[Office], date | None, str], PersonReading | None],
    igo_name: Callable[[str], str],
) -> list[tuple[Actor, float]]:
    """The actors an argument phrase denotes, each with a confidence in [0, 1]."""
    segments = _merge(_split_segments(tokens, start, end, pieces, head))
    out: list[tuple[Actor, float]] = []
    seen: set[tuple[str, str | None]] = set()
    for segment in segments:
        text = "".join(t.text + t.ws for t in tokens[segment.first:segment.last + 1]).strip()
        for reading in _read_segment(segment, text, on, read_person, igo_name):
            if segment.former and reading.actor.country == "IGO":
                continue  # "former NATO Secretary General X" no longer speaks for NATO, nor for a state
            key = (reading.actor.code, reading.actor.name)
            if key not in seen:
                seen.add(key)
                out.append((reading.actor, reading.confidence))
    return out


def _head_sector(items: Sequence[Piece], on: date | None) -> tuple[str, Piece | None]:
    """The sector of a head among sector words, titles and named bodies (in text order)."""
    heads = [p for p in items if p.kind in ("title", "sector")]
    if not heads:
        return "", None
    head = heads[-1]
    modifiers = [p for p in items if p.start < head.start]
    mod_sectors = [_sector_of(p, on) for p in reversed(modifiers)]
    mod_sectors = [s for s in mod_sectors if s]
    if _is_generic(head):
        return (mod_sectors[0] if mod_sectors else head.sector), head
    if head.sector == "MIL":
        override = next((s for s in mod_sectors if s in OVERRIDES_MIL), None)
        if override:
            return override, head
    return head.sector, head


def _sector_of(p: Piece, on: date | None) -> str:
    if p.kind in ("title", "sector"):
        return "" if "generic" in p.flags and p.sector == "GOV" else p.sector
    if p.kind in ("group", "seat"):
        return _entry_on(p, on).sector
    return ""


def _actor(country: str, sector: str, text: str, name: str | None = None, igo: str = "") -> Actor:
    code = f"{country}{igo}" if country in ("IGO", "NGO") else f"{country}{sector}"
    return Actor(code=code, country=country, sector=sector, text=text, name=name)


def _read_segment(
    seg: _Segment, text: str, on: date | None,
    read_person: Callable[[Sequence[Office], date | None, str], PersonReading | None],
    igo_name: Callable[[str], str],
) -> list[_Reading]:
    main = seg.main() + seg.shared_head
    comp = seg.role_pieces("comp")
    loc = seg.role_pieces("loc")
    places = [p for p in main if _is_place(p)]
    orgs = [p for p in main if p.kind in ORG_KINDS]
    persons = [p for p in main if p.kind == "person"] or [
        p for p in seg.role_pieces("host") + comp if p.kind == "person"]
    items = sorted((p for p in main if (p.kind in ("title", "sector") and not p.affiliation) or p.kind in ORG_KINDS),
                   key=lambda p: p.start)
    titles = [p for p in items if p.kind in ("title", "sector")]
    if not places and not orgs and not persons and all(_is_generic(p) for p in titles):
        # "leader of the opposition", "the head of the IAEA", "members of parliament"
        comp_items = [p for p in comp if p.kind in ("title", "sector") or p.kind in ORG_KINDS]
        if comp_items:
            items = items + comp_items
            orgs = [p for p in comp if p.kind in ORG_KINDS]
            comp = [p for p in comp if p not in comp_items]
    if seg.unknown_head and seg.relational and not (seg.members and any(
            p.kind == "igo" and not p.possessive for p in orgs)):
        # "Ukraine's allies", "Iran's proxies": others, named by their relation; but "NATO allies",
        # "EU partners" are the body's members, acting as the body
        return []
    sector, head = _head_sector(items, on)
    confidence = 0.9
    if seg.unknown_head:
        confidence = 0.5
        if head is not None and not head.possessive and not seg.facility:
            # "the military coup", "Russian military equipment": the sector word modifies a thing.
            sector, head = "", None
            if not places and not orgs and not persons:
                return []

    place_country = places[0].country if places else ""
    reading: PersonReading | None = None
    if persons:
        reading = read_person(persons[0].offices, on, place_country if place_country not in ("IGO", "") else "")

    # 1. A named group or state body is the actor; a place only fills a missing country.
    named = [p for p in orgs if p.kind in ("group", "seat")]
    if named:
        entry = _entry_on(named[-1], on)
        country = entry.country or place_country
        if not sector or (head is not None and _is_generic(head) and entry.sector and not any(
                p.kind in ("title", "sector") and p.start < head.start for p in items)):
            # "the leader of Hamas" leads Hamas: a generic head with no sector word before it is its
            # group's ("a Houthi health ministry spokesman" speaks for the ministry)
            sector = entry.sector
        name = reading.person if reading is not None else entry.name
        return [_Reading(_actor(country, _former(seg, sector), text, name), confidence)]

    # 2. A place in the phrase itself gives the country ("Russia's UN ambassador" is Russia's).
    if places:
        first = places[0]
        if first.country in ("IGO", "NGO"):  # Brussels read as the EU
            return [_Reading(_actor(first.country, "", text, igo_name(first.name), first.name), 0.7)]
        if first.kind == "demonym" and (seg.ethnic or (first.form == "people" and not head)):
            # "ethnic Albanians in south Serbia", "an ethnic Serb leader from Kosovo": a people is
            # placed where it lives (or by the known person's office), not by its nation-state.
            where = next((p for p in comp + loc if _is_place(p)), None)
            if reading is not None and reading.country not in ("", "IGO"):
                person_sector = reading.sector if head is None or _is_generic(head) else sector
                return [_Reading(_actor(reading.country, _former(seg, person_sector, True), text,
                                        reading.person), 0.75)]
            if where is not None:
                return [_Reading(_actor(where.country, sector or "CVL", text), 0.7)]
            if seg.ethnic:
                # An ethnicity is not a nationality: the coder places them by the sentence.
                return [_Reading(_actor("", sector or "CVL", text), 0.5)]
        if not sector and first.kind == "capital" and not seg.unknown_head:
            sector = "GOV"
        if reading is not None and reading.country == first.country and (
                not sector or (head is not None and _is_generic(head) and reading.sector != "ELI")):
            sector = reading.sector
        person_name = reading.person if reading is not None else None
        return [_Reading(_actor(first.country, _former(seg, sector, bool(persons)), text, person_name), confidence)]

    # 3. An international body.
    bodies = [p for p in orgs if p.kind in ("igo", "ngo")]
    if bodies:
        body = bodies[-1]
        body_sector = sector if sector and sector != "GOV" and head is not None and not _is_generic(head) else ""
        body_sector = body_sector or body.sector
        return [_Reading(_actor(body.country, body_sector, text, igo_name(body.name), body.name), confidence)]

    # 4. A person known to the tables.
    if reading is not None:
        if reading.country == "IGO":
            return [_Reading(_actor("IGO", "", text, igo_name(reading.org), reading.org), reading.confidence)]
        person_sector = sector if head is not None else reading.sector
        if head is not None and reading.sector not in ("GOV", "ELI", ""):
            person_sector = reading.sector  # "Hamas leader Haniyeh" stays REB
        return [_Reading(_actor(reading.country, _former(seg, person_sector, True), text, reading.person),
                         min(confidence, reading.confidence + 0.05))]

    # 4b. Members named by their group: "fighters from the M23", "militants of Hamas" are the group.
    comp_groups = [p for p in comp if p.kind == "group"]
    if comp_groups and head is not None and not seg.unknown_head:
        entry = _entry_on(comp_groups[-1], on)
        return [_Reading(_actor(entry.country, _former(seg, entry.sector or sector), text, entry.name), 0.8)]

    if seg.many and (head is None or _is_generic(head) or "weak" in head.flags or sector == "GOV"):
        return []  # "the two sides", "both governments": the coder resolves those
    if head is not None and "weak" in head.flags:
        return []  # "the state", "people", "sources" say nothing alone

    # 5. The complement names the country, one actor per country named.
    comp_places = [p for p in comp if _is_place(p)]
    if comp_places and (sector or head is not None):
        out = []
        for p in comp_places:
            if p.country in ("IGO", "NGO"):
                out.append(_Reading(_actor(p.country, "", text, igo_name(p.name), p.name), 0.7))
            else:
                out.append(_Reading(_actor(p.country, _former(seg, sector), text), 0.85))
        return out

    # 6. A location, for heads that live where they act (not diplomats: "the ambassador in Athens").
    loc_places = [p for p in loc if p.kind in PLACE_KINDS and not p.affiliation]
    if loc_places and head is not None and "diplomatic" not in head.flags and sector:
        where = loc_places[0]
        country = where.entries[0].location or where.country if where.kind == "capital" else where.country
        if country not in ("IGO", "NGO", ""):
            return [_Reading(_actor(country, _former(seg, sector), text), 0.7)]

    # 7. A sector word or title alone: the coder fills the country from context.
    if sector and head is not None:
        return [_Reading(_actor("", _former(seg, sector), text), 0.6)]
    return []


def _former(seg: _Segment, sector: str, person: bool = False) -> str:
    if seg.former and (sector in STATE_SECTORS or person):
        return "ELI"
    return sector
