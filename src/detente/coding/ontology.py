"""The event ontology: CAMEO codes with their PLOVER type and mode, Goldstein weight and quad class.

Everything here is read from data files in ``coding/data`` at first use (and cached):

- ``cameo2plover.txt``: the official CAMEO -> PLOVER 2021 crosswalk (OEDA, CC BY-SA 4.0), kept
  as published and parsed here. Its oddities are handled, not edited away: root ``08`` is listed
  twice (CONCEDE and RETREAT), ``175`` twice, several codes sit under another root's heading
  (``175``/``201`` under 18, ``191``/``192`` under 17) and some types cross roots (``163`` and
  ``191``/``192`` are COERCE, ``1712`` is ASSAULT), mode fields carry stray spaces, and one mode
  field holds a context word (``175: ASSAULT, pro_autocracy , military``).
- ``cameo_extra.tsv``: CAMEO 02 (Appeal), which the crosswalk lacks; PLOVER folds it into REQUEST.
- ``goldstein.tsv``: the Goldstein weight of every CAMEO code (GDELT's ``CAMEO.goldsteinscale.txt``).
- ``plover_types.tsv``: the 16 PLOVER types, their quad class and generic CAMEO code.

CAMEO 01 (public statements) is not a PLOVER event, so ``cameo_info("010")`` raises KeyError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import DataFileError
from ..model import PLOVER_TYPES, QUAD_CLASS_OF_TYPE

__all__ = [
    "CameoInfo",
    "DataFileError",
    "Ontology",
    "cameo_codes",
    "cameo_info",
    "default_cameo",
    "get_ontology",
    "load_ontology",
    "plover_modes",
    "plover_types",
    "quad_class_of_root",
]

CROSSWALK_FILE = "cameo2plover.txt"
EXTRA_FILE = "cameo_extra.tsv"
GOLDSTEIN_FILE = "goldstein.tsv"
TYPES_FILE = "plover_types.tsv"

_CODE = re.compile(r"^\d{2,4}$")
_EDITOR_NOTE = re.compile(r"\s{2,}\d{2}\.\d{2}\.\d{2}:.*$")
_CROSSWALK_ROW = re.compile(r"^(?P<code>\d{2,4})\s*:\s*(?P<body>.*)$")


@dataclass(frozen=True)
class CameoInfo:
    """One CAMEO code as PLOVER sees it. ``mode`` is "" when the crosswalk gives none."""

    code: str
    plover_type: str
    mode: str
    goldstein: float
    quad_class: int
    description: str
    contexts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ontology:
    """The loaded tables; use the module functions, which share one cached instance."""

    codes: Mapping[str, CameoInfo]
    defaults: Mapping[str, str]  # PLOVER type -> generic CAMEO code
    modes: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def info(self, code: str) -> CameoInfo:
        """Exact code, else its base (3 digits), else its root (2 digits); KeyError otherwise."""
        code = str(code).strip()
        if not _CODE.match(code):
            raise KeyError(f"not a CAMEO code: {code!r}")
        for candidate in (code, code[:3], code[:2]):
            found = self.codes.get(candidate)
            if found is not None:
                return found
        raise KeyError(f"unknown CAMEO code {code!r} (CAMEO 01 and unknown roots have no PLOVER type)")


def quad_class_of_root(code: str) -> int:
    """GDELT's quad class by CAMEO root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    root = int(code[:2])
    if 1 <= root <= 5:
        return 1
    if 6 <= root <= 8:
        return 2
    if 9 <= root <= 13:
        return 3
    if 14 <= root <= 20:
        return 4
    raise KeyError(f"CAMEO root {code[:2]!r} is outside 01-20")


def _data_lines(text: str) -> Iterable[tuple[int, str]]:
    """(line number, line) for lines that are neither blank nor ``#`` comments."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line


def _tsv_rows(text: str, source: str, columns: tuple[str, ...]) -> Iterable[tuple[int, list[str]]]:
    """Rows of a tab-separated file with a header naming ``columns``; short rows are padded."""
    lines = iter(_data_lines(text))
    header = next(lines, None)
    if header is None or tuple(c.strip() for c in header[1].split("\t")) != columns:
        raise DataFileError(source, header[0] if header else None,
                            f"the header must be the columns {' '.join(columns)} separated by tabs")
    for number, line in lines:
        cells = [c.strip() for c in line.rstrip("\n").split("\t")]
        if len(cells) > len(columns):
            raise DataFileError(source, number, f"{len(cells)} tab-separated cells, at most {len(columns)} expected")
        yield number, cells + [""] * (len(columns) - len(cells))


@dataclass
class _Row:
    code: str
    plover_type: str
    mode: str
    contexts: tuple[str, ...]
    description: str
    source: str
    line: int


def _split_contexts(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(";") if c.strip())


def parse_crosswalk(text: str, source: str = CROSSWALK_FILE) -> tuple[dict[str, str], list[_Row]]:
    """The crosswalk's root lines (root -> types listed, first wins) and its code rows, as written."""
    roots: dict[str, str] = {}
    rows: list[_Row] = []
    for number, line in _data_lines(text):
        stripped = line.strip()
        if set(stripped) <= {"~"}:
            continue  # the file's closing rule
        m = _CROSSWALK_ROW.match(stripped)
        if m is None:
            raise DataFileError(source, number, f"expected 'CODE: TYPE, mode, context # description', got {line!r}")
        code, body = m.group("code"), m.group("body")
        body, _, description = body.partition("#")
        cells = [c.strip() for c in body.split(",")]
        if len(code) == 2 and len(cells) == 1:
            roots.setdefault(code, cells[0].upper())  # "08" is listed as CONCEDE and again as RETREAT
            continue
        if len(cells) != 3:
            raise DataFileError(source, number, f"code {code} needs TYPE, mode, context (3 fields), got {len(cells)}")
        plover_type = cells[0].upper()
        if plover_type not in QUAD_CLASS_OF_TYPE:
            raise DataFileError(source, number, f"unknown PLOVER type {cells[0]!r} for code {code}")
        # "Ease curfew  21.09.17: "ease" is no longer a mode": an editor's dated remark, not the name
        description = _EDITOR_NOTE.sub("", description).strip()
        rows.append(_Row(code, plover_type, cells[1], _split_contexts(cells[2]), description, source, number))
    return roots, rows


def parse_extra(text: str, source: str = EXTRA_FILE) -> list[_Row]:
    rows: list[_Row] = []
    for number, (code, plover_type, mode, context, description) in _tsv_rows(
            text, source, ("code", "plover_type", "mode", "context", "description")):
        if not _CODE.match(code):
            raise DataFileError(source, number, f"not a CAMEO code: {code!r}")
        if plover_type not in QUAD_CLASS_OF_TYPE:
            raise DataFileError(source, number, f"unknown PLOVER type {plover_type!r}")
        rows.append(_Row(code, plover_type, mode, _split_contexts(context), description, source, number))
    return rows


def parse_goldstein(text: str, source: str = GOLDSTEIN_FILE) -> dict[str, float]:
    weights: dict[str, float] = {}
    for number, (code, value, _note) in _tsv_rows(text, source, ("code", "goldstein", "note")):
        if not _CODE.match(code):
            raise DataFileError(source, number, f"not a CAMEO code: {code!r}")
        try:
            weight = float(value)
        except ValueError:
            raise DataFileError(source, number, f"weight {value!r} is not a number") from None
        if not -10.0 <= weight <= 10.0:
            raise DataFileError(source, number, f"weight {weight} is outside -10..+10")
        if code in weights:
            raise DataFileError(source, number, f"code {code} is listed twice")
        weights[code] = weight
    return weights


def parse_types(text: str, source: str = TYPES_FILE) -> dict[str, tuple[int, str]]:
    """PLOVER type -> (quad class, generic CAMEO code)."""
    types: dict[str, tuple[int, str]] = {}
    for number, (name, quad, default, _description) in _tsv_rows(
            text, source, ("type", "quad_class", "default_cameo", "description")):
        if name not in QUAD_CLASS_OF_TYPE:
            raise DataFileError(source, number, f"unknown PLOVER type {name!r}")
        if quad != str(QUAD_CLASS_OF_TYPE[name]):
            raise DataFileError(source, number, f"{name} is quad class {QUAD_CLASS_OF_TYPE[name]}, not {quad}")
        types[name] = (int(quad), default)
    return types


def build_ontology(crosswalk: str, extra: str, goldstein: str, types: str) -> Ontology:
    """The ontology from the four files' texts (separate from file access so tests can feed bad data)."""
    roots, rows = parse_crosswalk(crosswalk)
    rows += parse_extra(extra)
    weights = parse_goldstein(goldstein)
    type_table = parse_types(types)

    # A word in a mode field that the crosswalk otherwise uses as a context (175's
    # "pro_autocracy") is a context, not a mode.
    context_words = {c for r in rows for c in r.contexts}
    mode_words = {r.mode for r in rows if r.mode and r.mode not in context_words}

    merged: dict[str, _Row] = {}
    for row in rows:
        if row.mode in context_words and row.mode not in mode_words:
            row.contexts = (*row.contexts, row.mode) if row.mode not in row.contexts else row.contexts
            row.mode = ""
        earlier = merged.get(row.code)
        if earlier is not None:
            # 175 is listed twice with the same type and mode; a real conflict is an error.
            if (earlier.plover_type, earlier.mode) != (row.plover_type, row.mode):
                raise DataFileError(row.source, row.line,
                                    f"code {row.code} is listed again with another type or mode "
                                    f"(first at line {earlier.line})")
            continue
        merged[row.code] = row

    # A root's own type is that of its "not specified" code (080 CONCEDE for root 08, which the
    # crosswalk lists under both CONCEDE and RETREAT); else the first type its heading names.
    for root in sorted({code[:2] for code in merged}):
        if root in merged:
            continue
        zero = merged.get(root + "0")
        plover_type = zero.plover_type if zero else roots.get(root, "")
        if not plover_type:
            raise DataFileError(CROSSWALK_FILE, None, f"root {root} has no type")
        merged[root] = _Row(root, plover_type, "", zero.contexts if zero else (),
                            zero.description if zero else "", CROSSWALK_FILE, 0)

    codes: dict[str, CameoInfo] = {}
    for code, row in sorted(merged.items()):
        if code not in weights:
            raise DataFileError(GOLDSTEIN_FILE, None, f"no Goldstein weight for CAMEO code {code} ({row.source})")
        codes[code] = CameoInfo(code=code, plover_type=row.plover_type, mode=row.mode,
                                goldstein=weights[code], quad_class=quad_class_of_root(code),
                                description=row.description, contexts=row.contexts)

    modes: dict[str, set[str]] = {t: set() for t in PLOVER_TYPES}
    for info in codes.values():
        if info.mode:
            modes[info.plover_type].add(info.mode)

    defaults: dict[str, str] = {}
    for name in PLOVER_TYPES:
        if name not in type_table:
            raise DataFileError(TYPES_FILE, None, f"PLOVER type {name} has no row")
        default = type_table[name][1]
        if codes.get(default) is None or codes[default].plover_type != name:
            raise DataFileError(TYPES_FILE, None, f"default code {default!r} of {name} is not a {name} code")
        defaults[name] = default
    return Ontology(codes=codes, defaults=defaults, modes={t: frozenset(m) for t, m in modes.items()})


def _read(directory: Path | None, name: str) -> str:
    if directory is not None:
        return (directory / name).read_text(encoding="utf-8")
    return resources.files("detente.coding").joinpath("data", name).read_text(encoding="utf-8")


def load_ontology(directory: Path | None = None) -> Ontology:
    """Read the four tables from ``directory`` (default: the packaged ``coding/data``)."""
    return build_ontology(_read(directory, CROSSWALK_FILE), _read(directory, EXTRA_FILE),
                          _read(directory, GOLDSTEIN_FILE), _read(directory, TYPES_FILE))


@cache
def get_ontology() -> Ontology:
    """The packaged ontology, loaded once per process."""
    return load_ontology()


_ontology = get_ontology


def cameo_info(code: str) -> CameoInfo:
    """The PLOVER view of a CAMEO code: exact, else its 3-digit base, else its root; KeyError if unknown."""
    return _ontology().info(code)


def cameo_codes() -> tuple[str, ...]:
    """Every CAMEO code the ontology knows (roots included), sorted."""
    return tuple(_ontology().codes)


def plover_types() -> tuple[str, ...]:
    """The 16 PLOVER types, in quad-class order."""
    found = {info.plover_type for info in _ontology().codes.values()}
    return tuple(t for t in PLOVER_TYPES if t in found)


def plover_modes(plover_type: str) -> frozenset[str]:
    """The modes the crosswalk gives for a PLOVER type (KeyError for an unknown type)."""
    return _ontology().modes[plover_type]


def default_cameo(plover_type: str) -> str:
    """The generic CAMEO code for a PLOVER type (AGREE -> "030", REQUEST -> "100" ...)."""
    return _ontology().defaults[plover_type]
