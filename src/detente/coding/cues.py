"""The coder's closed word lists ("cues"), read from ``coding/data/cues.tsv``.

Speech verbs, modality governors, weapon nouns, place nouns and the other word lists the rules
consult are data, not code: one row per list (``name``, ``words`` separated by ``|``, ``what``
it is for), validated when the file is read. A list is asked for by name (``cue("triggers.
speech_verbs")``); asking for a name the file does not hold, or a file without a list the code
asks for, is a clear ``DataFileError`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path

from .ontology import DataFileError

__all__ = ["CUES_FILE", "cue", "load_cues", "parse_cues"]

CUES_FILE = "cues.tsv"
COLUMNS = ("name", "words", "what")
_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
# a word: lowercase letters (any script), digits, apostrophes (' and ’), hyphens and dots; or a
# few words separated by single spaces ("north america")
_WORD = re.compile(r"^[^\sA-Z|]+( [^\sA-Z|]+)*$")


def parse_cues(text: str, source: str = CUES_FILE) -> dict[str, frozenset[str]]:
    """Every list of a cues file, validated: a header row, unique well-formed names, non-empty
    lists of lowercase words with no word twice, and a description for each."""
    lists: dict[str, frozenset[str]] = {}
    lines: dict[str, int] = {}
    header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header:
            if tuple(cells) != COLUMNS:
                raise DataFileError(source, number, f"the header must be the columns {' '.join(COLUMNS)} "
                                                    "separated by tabs")
            header = True
            continue
        if len(cells) != len(COLUMNS):
            raise DataFileError(source, number, f"{len(cells)} tab-separated cells, {len(COLUMNS)} expected "
                                                "(name, words, what)")
        name, words, what = cells
        if not _NAME.match(name):
            raise DataFileError(source, number, f"list name {name!r} must be module.list in lowercase")
        if name in lines:
            raise DataFileError(source, number, f"the list {name!r} is given twice (first at line {lines[name]})")
        if not what:
            raise DataFileError(source, number, f"the list {name!r} says nothing of what it is for")
        items = words.split("|")
        if not words or any(not _WORD.match(w) for w in items):
            bad = next((w for w in items if not _WORD.match(w)), "")
            raise DataFileError(source, number, f"{name}: {bad!r} is not a lowercase word "
                                                "(words are separated by |)")
        seen: set[str] = set()
        for w in items:
            if w in seen:
                raise DataFileError(source, number, f"{name}: {w!r} is listed twice")
            seen.add(w)
        lists[name] = frozenset(items)
        lines[name] = number
    if not header:
        raise DataFileError(source, None, f"no header row ({' '.join(COLUMNS)})")
    return lists


def _read(path: Path | None) -> tuple[str, str]:
    if path is not None:
        return path.read_text(encoding="utf-8"), str(path)
    text = resources.files("detente.coding").joinpath("data", CUES_FILE).read_text(encoding="utf-8")
    return text, f"detente/coding/data/{CUES_FILE}"


@cache
def load_cues(path: Path | None = None) -> Mapping[str, frozenset[str]]:
    """The lists of a cues file (the packaged one by default), read and validated once per process."""
    try:
        text, source = _read(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path or CUES_FILE), None, f"cannot be read ({exc})") from exc
    return parse_cues(text, source)


def cue(name: str) -> frozenset[str]:
    """The packaged word list ``name``; a clear error when the file does not hold it."""
    lists = load_cues()
    try:
        return lists[name]
    except KeyError:
        raise DataFileError(f"detente/coding/data/{CUES_FILE}", None,
                            f"has no list {name!r}, which the coder needs") from None
