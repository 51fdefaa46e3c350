"""The trigger lexicon: verbs and event nouns -> CAMEO codes (and so PLOVER type and mode).

Three tab-separated files in ``coding/data`` (``#`` comments allowed, a header row first), keyed by
spaCy lemmas as ``en_core_web_sm`` produces them ("expelled" -> "expel", "talks" -> "talk"):

``verbs.tsv``: ``lemma particle prep object cameo target note``
    ``particle`` must be present ("pull" + "out"); ``prep`` must govern an argument ("call" + "on");
    ``object`` is a pipe list of lemmas, one of which must be the direct object (or, with ``prep``,
    that preposition's object); multiword items ("tear gas", "martial law") name a head with its
    modifiers. ``object`` may instead be ``!a|b|c``: any object *except* these (a generic sense
    that must not fire on "released a statement"); see ``VerbEntry.excluded``. ``target`` is a pipe
    list in preference order of ``dobj``, ``dative`` or ``prep:<p>``; "" leaves it to the coder.
    One lemma may have several rows; the most specific match wins.
``nouns.tsv``: ``lemma cameo target note``
    Event nouns; multiword nouns are written with spaces ("air strike", "cease fire" for the
    hyphenated "cease-fire", which spaCy splits) and are also filed under their head lemma.
``support_verbs.tsv``: ``lemma role note``
    ``support`` verbs let their object noun carry the event ("imposed sanctions"); ``reversal``
    verbs undo it ("lifted sanctions"). A phrasal verb is keyed "verb particle" ("call off").

Loading validates every row: known CAMEO code (``ontology``), well-formed lemmas and targets,
no duplicate or conflicting rows. A bad row raises ``DataFileError`` naming file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from .ontology import DataFileError, Ontology, get_ontology

__all__ = [
    "NOUNS_FILE",
    "SUPPORT_FILE",
    "SUPPORT_ROLES",
    "VERBS_FILE",
    "Lexicon",
    "NounEntry",
    "VerbEntry",
    "build_lexicon",
    "load_lexicon",
    "load_lexicon_from",
]

VERBS_FILE = "verbs.tsv"
NOUNS_FILE = "nouns.tsv"
SUPPORT_FILE = "support_verbs.tsv"
SUPPORT_ROLES = frozenset({"support", "reversal", "received"})

_WORD = re.compile(r"^[a-z]+$")
_VERB = re.compile(r"^[a-z]+(-[a-z]+)?$")  # "test-fire": a hyphenated compound verb
_PHRASE = re.compile(r"^[a-z]+( [a-z]+)*$")
_TARGET = re.compile(r"^(dobj|dative|prep:[a-z]+)$")


@dataclass(frozen=True)
class VerbEntry:
    """One sense of a verb. Empty ``particle``/``prep``/``objects`` mean "no constraint"."""

    lemma: str
    particle: str
    prep: str
    objects: frozenset[str]
    cameo: str
    target: tuple[str, ...]
    note: str
    excluded: frozenset[str] = frozenset()  # a generic sense that must not fire on these objects

    @property
    def specificity(self) -> int:
        """How much this row asks for: a row that asks more is preferred when several match."""
        return 2 * bool(self.particle) + 2 * bool(self.prep) + 3 * bool(self.objects)

    def accepts_object(self, lemma: str | None, modifiers: Iterable[str] = (), of_object: str = "") -> bool:
        """Whether an object (its head lemma and the lemmas of its modifiers) fits this sense.

        Multiword items match a head with all the item's other words among the modifiers
        ("rubber bullet" matches head "bullet" with modifier "rubber"); an item "X of Y" matches
        head X whose "of" phrase is Y ("state of emergency"; pass Y as ``of_object``). For a verb
        with an open complement and no object ("declined to comment"), pass the complement's lemma.
        """
        head = (lemma or "").lower()
        mods = {m.lower() for m in modifiers}
        if head and head in self.excluded:
            return False
        if not self.objects:
            return True
        of_phrase = f"{head} of {of_object.lower()}" if of_object else ""
        for item in self.objects:
            if of_phrase and item == of_phrase:
                return True
            *words, last = item.split(" ")
            if last == head and all(w in mods for w in words):
                return True
        return False


@dataclass(frozen=True)
class NounEntry:
    """An event noun; ``lemma`` is the full phrase for multiword nouns ("air strike")."""

    lemma: str
    cameo: str
    target: tuple[str, ...]
    note: str

    @property
    def head(self) -> str:
        return self.lemma.rsplit(" ", 1)[-1]


@dataclass(frozen=True)
class Lexicon:
    verbs: Mapping[str, tuple[VerbEntry, ...]]  # by lemma
    nouns: Mapping[str, tuple[NounEntry, ...]]  # by lemma; multiword nouns also by their head lemma
    support_verbs: Mapping[str, str]  # lemma (or "verb particle") -> support | reversal

    def verb_entries(self, lemma: str) -> tuple[VerbEntry, ...]:
        return self.verbs.get(lemma.lower(), ())

    def noun_entries(self, lemma: str) -> tuple[NounEntry, ...]:
        return self.nouns.get(lemma.lower(), ())


def _rows(text: str, source: str, columns: tuple[str, ...]) -> Iterable[tuple[int, list[str]]]:
    """(line number, cells) of a TSV file whose first data line is the header ``columns``."""
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            if tuple(cells) != columns:
                raise DataFileError(source, number, f"the header must be the columns {' '.join(columns)} "
                                                    "separated by tabs")
            header_seen = True
            continue
        if len(cells) > len(columns):
            raise DataFileError(source, number,
                                f"{len(cells)} tab-separated cells, at most {len(columns)} expected")
        yield number, cells + [""] * (len(columns) - len(cells))
    if not header_seen:
        raise DataFileError(source, None, f"no header row ({' '.join(columns)})")


def _pipe(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()] if cell else []


def _check_code(code: str, ontology: Ontology, source: str, line: int) -> None:
    if code not in ontology.codes:
        raise DataFileError(source, line, f"CAMEO code {code!r} is not in the ontology "
                                          "(codes are strings such as '163' or '0871'; CAMEO 01 is not an event)")


def _targets(cell: str, source: str, line: int) -> tuple[str, ...]:
    forms = _pipe(cell)
    for form in forms:
        if not _TARGET.match(form):
            raise DataFileError(source, line, f"unknown target form {form!r} (use dobj, dative or prep:<word>)")
    return tuple(forms)


def parse_verbs(text: str, ontology: Ontology, source: str = VERBS_FILE) -> list[VerbEntry]:
    entries: list[VerbEntry] = []
    seen: dict[tuple[str, str, str, frozenset[str], frozenset[str]], int] = {}
    object_rows: dict[tuple[str, str, str, str], int] = {}
    for number, (lemma, particle, prep, obj, cameo, target, note) in _rows(
            text, source, ("lemma", "particle", "prep", "object", "cameo", "target", "note")):
        if not _VERB.match(lemma):
            raise DataFileError(source, number, f"verb lemma {lemma!r} must be one lowercase word "
                                                "(or two joined by a hyphen)")
        for name, value in (("particle", particle), ("prep", prep)):
            if value and not _WORD.match(value):
                raise DataFileError(source, number, f"{name} {value!r} must be one lowercase word")
        excluded: frozenset[str] = frozenset()
        objects: frozenset[str] = frozenset()
        if obj.startswith("!"):
            excluded = frozenset(_pipe(obj[1:]))
            items = excluded
        else:
            objects = frozenset(_pipe(obj))
            items = objects
        for item in items:
            if not _PHRASE.match(item):
                raise DataFileError(source, number, f"object {item!r} must be lowercase lemmas separated by spaces")
        if obj.startswith("!") and not excluded:
            raise DataFileError(source, number, "'!' must be followed by the objects to exclude")
        _check_code(cameo, ontology, source, number)
        key = (lemma, particle, prep, objects, excluded)
        if key in seen:
            raise DataFileError(source, number, f"duplicate row for {lemma!r} (first at line {seen[key]})")
        seen[key] = number
        # one object may not point the same verb frame at two codes
        for item in objects:
            frame = (lemma, particle, prep, item)
            if frame in object_rows:
                frame_text = " ".join(w for w in (lemma, particle, prep) if w)
                raise DataFileError(source, number, f"object {item!r} of {frame_text!r} is already coded at line "
                                                    f"{object_rows[frame]}")
            object_rows[frame] = number
        entries.append(VerbEntry(lemma=lemma, particle=particle, prep=prep, objects=objects, cameo=cameo,
                                 target=_targets(target, source, number), note=note, excluded=excluded))
    return entries


def parse_nouns(text: str, ontology: Ontology, source: str = NOUNS_FILE) -> list[NounEntry]:
    entries: list[NounEntry] = []
    seen: dict[tuple[str, str], int] = {}
    for number, (lemma, cameo, target, note) in _rows(text, source, ("lemma", "cameo", "target", "note")):
        if not _PHRASE.match(lemma):
            raise DataFileError(source, number, f"noun lemma {lemma!r} must be lowercase lemmas separated by spaces")
        _check_code(cameo, ontology, source, number)
        if (lemma, cameo) in seen:
            raise DataFileError(source, number, f"duplicate row for {lemma!r} {cameo} "
                                                f"(first at line {seen[(lemma, cameo)]})")
        seen[(lemma, cameo)] = number
        entries.append(NounEntry(lemma=lemma, cameo=cameo, target=_targets(target, source, number), note=note))
    return entries


def parse_support_verbs(text: str, source: str = SUPPORT_FILE) -> dict[str, str]:
    roles: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, (lemma, role, _note) in _rows(text, source, ("lemma", "role", "note")):
        if not _PHRASE.match(lemma) or lemma.count(" ") > 1:
            raise DataFileError(source, number, f"lemma {lemma!r} must be a verb lemma, or 'verb particle'")
        if role not in SUPPORT_ROLES:
            raise DataFileError(source, number, f"role {role!r} is not one of {', '.join(sorted(SUPPORT_ROLES))}")
        if lemma in roles:
            raise DataFileError(source, number, f"{lemma!r} is listed twice (first at line {lines[lemma]})")
        roles[lemma] = role
        lines[lemma] = number
    return roles


def build_lexicon(verbs: str, nouns: str, support_verbs: str, ontology: Ontology | None = None) -> Lexicon:
    """A lexicon from the three files' texts, validated against ``ontology`` (default: the packaged one)."""
    onto = ontology or get_ontology()
    by_verb: dict[str, list[VerbEntry]] = {}
    for v in parse_verbs(verbs, onto):
        by_verb.setdefault(v.lemma, []).append(v)
    by_noun: dict[str, list[NounEntry]] = {}
    for n in parse_nouns(nouns, onto):
        by_noun.setdefault(n.lemma, []).append(n)
        if " " in n.lemma:
            by_noun.setdefault(n.head, []).append(n)
    return Lexicon(
        verbs=MappingProxyType({k: tuple(v) for k, v in by_verb.items()}),
        nouns=MappingProxyType({k: tuple(v) for k, v in by_noun.items()}),
        support_verbs=MappingProxyType(parse_support_verbs(support_verbs)),
    )


def _read(directory: Path | None, name: str) -> str:
    if directory is not None:
        return (directory / name).read_text(encoding="utf-8")
    return resources.files("detente.coding").joinpath("data", name).read_text(encoding="utf-8")


def load_lexicon_from(directory: Path) -> Lexicon:
    """Read and validate the three lexicon files in ``directory`` (not cached)."""
    return build_lexicon(_read(directory, VERBS_FILE), _read(directory, NOUNS_FILE), _read(directory, SUPPORT_FILE))


@cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, read and validated once per process."""
    return build_lexicon(_read(None, VERBS_FILE), _read(None, NOUNS_FILE), _read(None, SUPPORT_FILE))
