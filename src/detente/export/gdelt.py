"""The GDELT 2.0 event table: 61 tab-separated columns in GDELT's published order, no header.

Fields detente does not produce (ethnic and religion codes, geography, tone) are left
empty (AvgTone is 0, as GDELT allows when tone is not computed). GLOBALEVENTID must be an
integer: it is the first 60 bits of sha256(event id), so the same event always gets the
same number. Only real events belong in this table by default: GDELT has no field that
could say "negated" or "hypothetical".
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from ..analysis.codes import country_name
from ..analysis.queries import StoredEvent
from ..model import Actor

__all__ = ["GDELT_EVENT_COLUMNS", "gdelt_row", "global_event_id"]

_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
                 "Type1Code", "Type2Code", "Type3Code")
_GEO_FIELDS = ("Type", "Fullname", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_EVENT_COLUMNS) == 61

_UNSAFE = re.compile(r"[\t\r\n\x00-\x1f\x7f]+")


def clean(value: object) -> str:
    """A field that can never break the row: no tabs, newlines or control characters."""
    return _UNSAFE.sub(" ", "" if value is None else str(value)).strip()


def global_event_id(event_id: str) -> int:
    return int(hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:15], 16)


def event_code(cameo: str) -> str:
    """CAMEO as GDELT writes it: a zero-padded string of 3 or 4 digits ("010", "0871")."""
    code = (cameo or "").strip()
    if not code.isdigit():
        return ""
    if len(code) < 3:
        code = code.zfill(2) + "0"
    return code


def _fraction_date(day: date) -> str:
    return f"{day.year + min(day.timetuple().tm_yday - 1, 364) / 365:.4f}"


def _actor_fields(actor: Actor | None) -> list[str]:
    if actor is None:
        return [""] * len(_ACTOR_FIELDS)
    code = actor.code or ""
    international = actor.country in ("IGO", "NGO", "IMG")  # IMG: a transnational armed group, no country
    if international:
        country, types = "", [actor.country] + ([actor.sector] if actor.country == "IMG" and actor.sector else [])
    else:
        country = actor.country if len(actor.country) == 3 else ""
        rest = code[len(country):] if country and code.startswith(country) else ""
        types = [rest[i:i + 3] for i in range(0, len(rest), 3)] or ([actor.sector] if actor.sector else [])
    types = ([*types, "", "", ""])[:3]
    # GDELT names the actor, not the words that mentioned it ("UNITED STATES", not "THE US").
    name = (actor.name or (country_name(country) if country else "") or actor.text or "").upper()
    return [clean(code), clean(name), country, "", "", "", "", *(clean(t) for t in types)]


def gdelt_row(item: StoredEvent) -> list[str]:
    event = item.event
    day = event.date or (item.stored_at.date() if item.stored_at else None)
    code = event_code(event.cameo)
    row = [
        str(global_event_id(event.id)),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        _fraction_date(day) if day else "",
        *_actor_fields(event.source),
        *_actor_fields(event.target),
        "1" if item.is_root else "0",
        code, code[:3], code[:2],
        str(event.quad_class) if event.quad_class else "",
        f"{event.goldstein:.1f}",
        str(max(item.num_mentions, 1)), str(max(item.num_sources, 1)), str(max(item.num_articles, 1)),
        "0",
        *([""] * (3 * len(_GEO_FIELDS))),
        item.stored_at.strftime("%Y%m%d%H%M%S") if item.stored_at else "",
        clean(event.url),
    ]
    assert len(row) == len(GDELT_EVENT_COLUMNS)
    return row
