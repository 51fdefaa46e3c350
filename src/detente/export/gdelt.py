"""The GDELT 2.0 event table: 61 tab-separated columns in GDELT's published order, no header.

Actor names follow GDELT's codebook: a leader's or organisation's formal name (DONALD TRUMP,
UNITED NATIONS), else the country's name; IGOs, NGOs and armed groups that CAMEO knows carry
their known-group code (``data/known_groups.tsv``). Geography: ActionGeo_* is where the event
happened (``Event.place``): Type 1 for a country, 2 a US state, 3 a US city, 4 a city elsewhere,
5 a region elsewhere; the country and ADM1 codes in FIPS 10-4 as GDELT writes them; FeatureID the
GeoNames id. Actor1Geo/Actor2Geo are where the actor was: the event's place when it lies in the
actor's country, else the actor's country (Type 1); empty for international bodies. Fields
detente does not produce (ethnic and religion codes, ADM2, tone) are left empty (AvgTone is 0,
as GDELT allows when tone is not computed). GLOBALEVENTID must be an integer: it is the first 60
bits of sha256(event id), so the same event always gets the same number. Only real events belong
in this table by default: GDELT has no field that could say "negated" or "hypothetical".
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources

from ..analysis.codes import country_name
from ..analysis.queries import StoredEvent
from ..model import Actor, Event

__all__ = ["GDELT_EVENT_COLUMNS", "action_geo", "actor_geo", "actor_name", "fraction_date", "gdelt_row",
           "global_event_id", "known_group_code"]

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


def fraction_date(day: date) -> str:
    """GDELT's FractionDate: YYYY + (MONTH * 30 + DAY) / 365, four decimals (the codebook's formula,
    which runs past .9999 late in December, as GDELT's own files do)."""
    return f"{day.year + (day.month * 30 + day.day) / 365:.4f}"


@lru_cache(maxsize=1)
def known_groups() -> dict[str, tuple[str, str]]:
    """key -> (CAMEO known-group code, formal name), from ``data/known_groups.tsv`` (its header says whence)."""
    text = resources.files("detente.export").joinpath("data", "known_groups.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    assert header == ["key", "known_group", "name"], header
    return {key: (group, name) for key, group, name in body}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """The usual English name of each country (the first name in the actor tables: "Russia", "South Korea")."""
    names: dict[str, str] = {}
    data = resources.files("detente.actors").joinpath("data", "country_words.csv")
    with data.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            first = (row.get("names") or "").split("|")[0].strip()
            if first:
                names[row["iso3"]] = first
    return names


def gdelt_name(text: str) -> str:
    """A name as GDELT writes it: upper case, plain ASCII letters ("RECEP TAYYIP ERDOGAN")."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()
    return " ".join(plain.upper().split())


def actor_name(actor: Actor, country: str) -> str:
    """Actor1Name as GDELT's codebook defines it: a leader's or organisation's formal name
    (DONALD TRUMP, UNITED NATIONS), else the country's name (UNITED STATES); never the words
    that mentioned the actor ("THE US")."""
    if actor.country in ("IGO", "NGO") and actor.code[3:] in known_groups():
        return known_groups()[actor.code[3:]][1]
    if actor.name:
        group = known_groups().get(f"group:{actor.name}")
        return group[1] if group else gdelt_name(actor.name)
    if country:
        return gdelt_name(_country_names().get(country) or country_name(country))
    return gdelt_name(actor.text or "")


def known_group_code(actor: Actor) -> str:
    """Actor1KnownGroupCode: the CAMEO code of a known IGO, NGO or armed group (UNO, NAT, ALQ), else empty."""
    if actor.country in ("IGO", "NGO"):
        return known_groups().get(actor.code[3:], ("", ""))[0]
    if actor.name:
        return known_groups().get(f"group:{actor.name}", ("", ""))[0]
    return ""


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
    return [clean(code), clean(actor_name(actor, country)), country, known_group_code(actor), "", "", "",
            *(clean(t) for t in types)]


def _country_geo(iso3: str) -> tuple[str, str, float, float, int] | None:
    """(FIPS code, name, lat, lon, GeoNames id) of a country, from the gazetteer."""
    from ..coding.geonames import get_gazetteer  # late: loads the coder package (~0.3 s); only GDELT places need it

    country = get_gazetteer().country(iso3)
    if country is None:
        return None
    return country.fips, country.name, country.lat, country.lon, country.geonames_id


def _coord(value: float) -> str:
    return f"{value:.4f}"


def action_geo(event: Event) -> list[str]:
    """The eight ActionGeo_* fields of an event (empty when its place was not resolved to a point)."""
    if event.lat is None or event.lon is None or not event.place_country or event.geo_precision is None:
        return [""] * len(_GEO_FIELDS)
    country = _country_geo(event.place_country)
    if country is None:
        return [""] * len(_GEO_FIELDS)
    fips, name, _, _, _ = country
    us = event.place_country == "USA"
    kind = {"country": 1, "admin1": 2 if us else 5, "city": 3 if us else 4}.get(event.geo_precision, 0)
    if not kind:
        return [""] * len(_GEO_FIELDS)
    admin = (event.place_admin1 or "").partition(".")[2]
    adm1 = fips + admin if admin and kind != 1 else fips
    fullname = name if kind == 1 else f"{event.place}, {name}"
    feature = str(event.geonames_id) if event.geonames_id else (fips if kind == 1 else "")
    return [str(kind), clean(fullname), fips, clean(adm1), "", _coord(event.lat), _coord(event.lon), feature]


def actor_geo(event: Event, actor: Actor | None) -> list[str]:
    """Where an actor was: the event's place when it lies in the actor's country, else its country."""
    if actor is None or len(actor.country) != 3 or actor.country in ("IGO", "NGO", "IMG"):
        return [""] * len(_GEO_FIELDS)
    if event.place_country == actor.country:
        place = action_geo(event)
        if place[0]:
            return place
    country = _country_geo(actor.country)
    if country is None:
        return [""] * len(_GEO_FIELDS)
    fips, name, lat, lon, gid = country
    return ["1", clean(name), fips, fips, "", _coord(lat), _coord(lon), str(gid)]


def gdelt_row(item: StoredEvent) -> list[str]:
    event = item.event
    day = event.date or (item.stored_at.date() if item.stored_at else None)
    code = event_code(event.cameo)
    row = [
        str(global_event_id(event.id)),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        fraction_date(day) if day else "",
        *_actor_fields(event.source),
        *_actor_fields(event.target),
        "1" if item.is_root else "0",
        code, code[:3], code[:2],
        str(event.quad_class) if event.quad_class else "",
        f"{event.goldstein:.1f}",
        str(max(item.num_mentions, 1)), str(max(item.num_sources, 1)), str(max(item.num_articles, 1)),
        "0",
        *actor_geo(event, event.source),
        *actor_geo(event, event.target),
        *action_geo(event),
        item.stored_at.strftime("%Y%m%d%H%M%S") if item.stored_at else "",
        clean(event.url),
    ]
    assert len(row) == len(GDELT_EVENT_COLUMNS)
    return row
