"""Checking what users type: actor codes, event types, date ranges, frequencies, windows.

Every check raises ``BadOption`` (exit 2) with a hint, before any store is opened, so a
typo never creates or changes a database file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..errors import BadOption
from ..model import PLOVER_TYPES

__all__ = [
    "CAMEO_ROOTS",
    "FREQS",
    "MODALITIES",
    "QUAD_NAMES",
    "ActorFilter",
    "actor_filter",
    "check_date_range",
    "country_name",
    "date_range_sql",
    "known_countries",
    "parse_cameo_roots",
    "parse_event_types",
    "parse_freq",
    "parse_min_confidence",
    "parse_quad_classes",
    "parse_window",
    "validate_dyad_key",
    "validate_event_type",
]

FREQS = ("D", "W", "M")
MODALITIES = ("any", "real", "flagged", "negated", "hypothetical", "future", "reported", "historical")
# Sector blocks an actor code may carry after its country (CAMEO's actor types).
SECTORS = frozenset({
    "GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "BUS", "MED", "CVL", "EDU", "HLH", "REF", "LAB", "SPY",
    "ELI", "NGO", "IGO", "CRM", "REL", "AGR", "UAF", "INS", "SEP", "RAD", "MOD", "PTY", "DEV", "ENV", "HRI",
    "MNC", "IMG", "SET", "UNO",
})
# Used by detente's actor tables though not (or not yet) assigned by ISO.
_EXTRA_COUNTRIES = frozenset({"XKX", "IMG"})  # IMG: CAMEO's international militarized groups
_INTERNATIONAL = re.compile(r"(IGO|NGO)[A-Z]{2,16}")
_COUNTRY_HINT = "use ISO 3166-1 alpha-3 country codes such as USA or RUS, or international bodies such as IGONATO"


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """Country codes users may give. The one place to switch to the actor tables later."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | _EXTRA_COUNTRIES


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    """The short English name of a country code ("" when unknown)."""
    import pycountry

    if code == "XKX":
        return "Kosovo"
    if code == "IMG":
        return "International militarized group"
    country = pycountry.countries.get(alpha_3=code)
    return str(getattr(country, "common_name", None) or country.name) if country else ""


def validate_dyad_key(value: str, *, what: str = "country code") -> str:
    """A dyad key: a country code (``RUS``) or an international body's code (``IGONATO``)."""
    code = (value or "").strip().upper()
    if code in known_countries() or _INTERNATIONAL.fullmatch(code):
        return code
    raise BadOption(f"unknown {what} '{value}'", _COUNTRY_HINT)


@dataclass(frozen=True)
class ActorFilter:
    """How a user's actor code selects events: by dyad key, by country, or by full actor code."""

    column: str  # "key", "country" or "code"
    value: str


def actor_filter(value: str, *, what: str = "source") -> ActorFilter:
    """``USA`` (a country), ``IGONATO`` (a body), ``IGO`` (all bodies) or ``USAGOV`` (country + sectors)."""
    code = (value or "").strip().upper()
    if code in ("IGO", "NGO"):
        return ActorFilter("country", code)
    if code in known_countries() or _INTERNATIONAL.fullmatch(code):
        return ActorFilter("key", code)
    country, rest = code[:3], code[3:]
    blocks = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    if country in known_countries() and rest and len(rest) % 3 == 0 and all(b in SECTORS for b in blocks):
        return ActorFilter("code", code)
    raise BadOption(f"unknown {what} actor code '{value}'", _COUNTRY_HINT + ", optionally with sectors (USAGOV)")


def validate_event_type(value: str) -> str:
    kind = (value or "").strip().upper()
    if kind not in PLOVER_TYPES:
        raise BadOption(f"unknown event type '{value}'", "use a PLOVER type: " + ", ".join(PLOVER_TYPES))
    return kind


# GDELT's quad classes, by number and by name (and the two halves of the scale).
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_QUAD_WORDS = {
    **{name.replace(" ", "-"): (q,) for q, name in QUAD_NAMES.items()},
    **{name.replace(" ", "_"): (q,) for q, name in QUAD_NAMES.items()},
    "cooperation": (1, 2), "conflict": (3, 4), "verbal": (1, 3), "material": (2, 4),
}
# CAMEO's twenty root codes (the first two digits of an event code), with their names.
CAMEO_ROOTS = {
    "01": "make public statement", "02": "appeal", "03": "express intent to cooperate", "04": "consult",
    "05": "engage in diplomatic cooperation", "06": "engage in material cooperation", "07": "provide aid",
    "08": "yield", "09": "investigate", "10": "demand", "11": "disapprove", "12": "reject", "13": "threaten",
    "14": "protest", "15": "exhibit force posture", "16": "reduce relations", "17": "coerce", "18": "assault",
    "19": "fight", "20": "use unconventional mass violence",
}


def _items(value: object) -> list[str]:
    """A comma-separated string or a sequence, as stripped non-empty items."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]
    return [p.strip() for p in parts if p.strip()]


def parse_event_types(value: object) -> tuple[str, ...]:
    """PLOVER types, one or several (``THREATEN`` or ``THREATEN,ASSAULT``)."""
    return tuple(dict.fromkeys(validate_event_type(v) for v in _items(value)))


def parse_quad_classes(value: object) -> tuple[int, ...]:
    """Quad classes 1-4, by number or name (``4``, ``3,4``, ``material-conflict``, ``conflict``)."""
    out: list[int] = []
    for item in _items(value):
        key = item.lower()
        if key in ("1", "2", "3", "4"):
            out.append(int(key))
        elif key in _QUAD_WORDS:
            out += _QUAD_WORDS[key]
        else:
            raise BadOption(f"unknown quad class '{item[:40]}'",
                            "use 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material "
                            "conflict (numbers or names, e.g. 3,4 or conflict)")
    return tuple(sorted(set(out)))


def parse_cameo_roots(value: object) -> tuple[str, ...]:
    """CAMEO root codes 01-20, one or several (``18``, ``14,18,19``; ``1`` is ``01``)."""
    out: list[str] = []
    for item in _items(value):
        code = item.zfill(2) if item.isdigit() and len(item) <= 2 else item
        if code not in CAMEO_ROOTS:
            raise BadOption(f"unknown CAMEO root code '{item[:40]}'",
                            "give root codes from 01 to 20 (e.g. 18 for assault, 14,18,19 for several)")
        out.append(code)
    return tuple(dict.fromkeys(out))


def parse_min_confidence(value: object) -> float | None:
    """A confidence threshold in [0, 1] (events below it are left out), or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise BadOption(f"minimum confidence '{str(value)[:40]}' is not a number",
                        "give a number from 0 to 1, e.g. 0.8") from exc
    if not 0.0 <= number <= 1.0:
        raise BadOption(f"minimum confidence {number:g} is outside 0 to 1", "give a number from 0 to 1, e.g. 0.8")
    return number


def check_date_range(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        raise BadOption(f"the date range is inverted: --since {since.isoformat()} is after --until "
                        f"{until.isoformat()}", "give --since on or before --until")


def date_range_sql(since: date | None, until: date | None, *,
                   column: str = "event_date") -> tuple[list[str], list[date]]:
    """SQL conditions (and their parameters) keeping ``column`` within ``[since, until]``."""
    clauses: list[str] = []
    params: list[date] = []
    if since:
        clauses.append(f"{column} >= ?")
        params.append(since)
    if until:
        clauses.append(f"{column} <= ?")
        params.append(until)
    return clauses, params


def parse_freq(value: str, *, allow_auto: bool = True) -> str:
    """``D``, ``W`` or ``M`` (also ``day``/``week``/``month``), or ``auto``: chosen from the span
    of the data by ``series.resolve_freq``."""
    text = (value or "").strip().upper()
    if text == "AUTO" and allow_auto:
        return "auto"
    if text in ("DAY", "WEEK", "MONTH"):
        text = text[0]
    if text not in FREQS:
        raise BadOption(f"unknown frequency '{value}'", "use D (day), W (week), M (month) or auto")
    return text


def parse_modality(value: str) -> str:
    mode = (value or "").strip().lower()
    if mode not in MODALITIES:
        raise BadOption(f"unknown modality '{value}'", "use one of " + ", ".join(MODALITIES))
    return mode


_WINDOW = re.compile(r"\s*(\d+)\s*([dw]?)\s*", re.IGNORECASE)
# Ten years: far longer than any answer in a tit-for-tat chain, and far inside what a date can hold.
MAX_WINDOW_DAYS = 3650


def parse_window(value: str | int | timedelta) -> timedelta:
    """``14d``, ``2w`` or a number of days, as a positive timedelta of at most ``MAX_WINDOW_DAYS``."""
    if isinstance(value, timedelta):
        days = value.days
    elif isinstance(value, int):
        days = value
    else:
        match = _WINDOW.fullmatch(value or "")
        if not match:
            raise BadOption(f"cannot read the window '{str(value)[:40]}'", "write it as days (14d) or weeks (2w)")
        digits = match.group(1).lstrip("0") or "0"
        # a number of days beyond any calendar (and beyond what int() reads) is simply too long
        days = MAX_WINDOW_DAYS + 1 if len(digits) > 7 else int(digits) * (7 if match.group(2).lower() == "w" else 1)
    if days < 1:
        raise BadOption(f"the window '{value}' is not positive", "give at least 1d")
    if days > MAX_WINDOW_DAYS:
        raise BadOption(f"the window '{str(value)[:40]}' is longer than {MAX_WINDOW_DAYS} days",
                        f"give at most {MAX_WINDOW_DAYS}d (ten years)")
    return timedelta(days=days)
