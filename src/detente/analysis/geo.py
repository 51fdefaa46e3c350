"""Where-filters over stored events: the country an event happened in, a radius around a point, a box.

    geo = geo_filter(country_of_event="SDN")                    # events that happened in Sudan
    geo = geo_filter(near="15.55,32.53", radius="50")            # within 50 km of Khartoum
    geo = geo_filter(bbox="21.8,8.7,38.6,22.2")                  # west, south, east, north (degrees)
    query_events(store, geo=geo)

Distances are great-circle (haversine, Earth radius 6,371 km); a box whose west edge lies east
of its east edge crosses the antimeridian. Only events whose place was resolved to a point
(``lat``/``lon``) pass a radius or a box; ``country_of_event`` reads ``place_country``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import BadOption
from .codes import known_countries

__all__ = ["DEFAULT_RADIUS_KM", "EARTH_RADIUS_KM", "GeoFilter", "distance_km", "geo_filter"]

EARTH_RADIUS_KM = 6371.0
DEFAULT_RADIUS_KM = 50.0
MAX_RADIUS_KM = 20_016.0  # half the Earth's circumference: every point is within it


@dataclass(frozen=True)
class GeoFilter:
    """Where an event happened: ``country`` (ISO3), ``near`` (lat, lon) with ``radius_km``, ``bbox``
    (west, south, east, north), and ``placed`` (only events with a point at all)."""

    country: str | None = None
    near: tuple[float, float] | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    bbox: tuple[float, float, float, float] | None = None
    placed: bool = False

    def sql(self, alias: str = "e") -> tuple[list[str], list[Any]]:
        """SQL conditions over the events table (alias ``alias``) and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.country:
            clauses.append(f"{alias}.place_country = ?")
            params.append(self.country)
        if self.placed or self.near or self.bbox:
            clauses.append(f"{alias}.lat IS NOT NULL AND {alias}.lon IS NOT NULL")
        if self.near is not None:
            lat, lon = self.near
            # a cheap box first (uses no trigonometry per row), then the exact great-circle distance
            dlat = math.degrees(self.radius_km / EARTH_RADIUS_KM)
            clauses.append(f"{alias}.lat BETWEEN ? AND ?")
            params += [lat - dlat, lat + dlat]
            clauses.append(
                f"2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt(pow(sin(radians({alias}.lat - ?) / 2), 2) + "
                f"cos(radians(?)) * cos(radians({alias}.lat)) * pow(sin(radians({alias}.lon - ?) / 2), 2)))) <= ?")
            params += [lat, lat, lon, self.radius_km]
        if self.bbox is not None:
            west, south, east, north = self.bbox
            clauses.append(f"{alias}.lat BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                clauses.append(f"{alias}.lon BETWEEN ? AND ?")
                params += [west, east]
            else:  # across the antimeridian
                clauses.append(f"({alias}.lon >= ? OR {alias}.lon <= ?)")
                params += [west, east]
        return clauses, params

    def to_params(self) -> dict[str, str]:
        """The filter as the query parameters that give it back (for "next page" links)."""
        out: dict[str, str] = {}
        if self.country:
            out["country_of_event"] = self.country
        if self.near is not None:
            out["near"] = f"{self.near[0]:g},{self.near[1]:g}"
            out["radius"] = f"{self.radius_km:g}"
        if self.bbox is not None:
            out["bbox"] = ",".join(f"{v:g}" for v in self.bbox)
        return out


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    (lat1, lon1), (lat2, lon2) = a, b
    h = math.sin(math.radians(lat2 - lat1) / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(
        math.radians(lat2)) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _numbers(text: str, count: int, what: str, example: str) -> list[float]:
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise BadOption(f"{what} '{str(text)[:60]}' is not {count} numbers separated by commas",
                        f"give it as {example}")
    return values


def _latitude(value: float, what: str) -> float:
    if not -90 <= value <= 90:
        raise BadOption(f"{what} latitude {value:g} is out of range", "a latitude is from -90 to 90 degrees")
    return value


def _longitude(value: float, what: str) -> float:
    if not -180 <= value <= 180:
        raise BadOption(f"{what} longitude {value:g} is out of range", "a longitude is from -180 to 180 degrees")
    return value


def geo_filter(*, country_of_event: str | None = None, near: str | None = None, radius: str | float | None = None,
               bbox: str | None = None, placed: bool = False) -> GeoFilter | None:
    """A checked ``GeoFilter`` from user input (None when no where-filter is given); bad input raises
    ``BadOption`` with what to type instead."""
    if not (country_of_event or near or bbox or placed) and radius in (None, ""):
        return None
    country = None
    if country_of_event:
        country = country_of_event.strip().upper()
        if country not in known_countries():
            raise BadOption(f"unknown country of event '{country_of_event[:20]}'",
                            "use an ISO 3166-1 alpha-3 country code such as SDN or UKR")
    point = None
    if near:
        lat, lon = _numbers(near, 2, "--near", "LAT,LON, e.g. 15.55,32.53")
        point = (_latitude(lat, "--near"), _longitude(lon, "--near"))
    radius_km = DEFAULT_RADIUS_KM
    if radius not in (None, ""):
        if point is None:
            raise BadOption("a radius needs a point", "give --near LAT,LON with --radius KM")
        (radius_km,) = _numbers(str(radius), 1, "--radius", "a number of kilometres, e.g. 50")
        if not 0 < radius_km <= MAX_RADIUS_KM:
            raise BadOption(f"radius {radius_km:g} km is out of range", f"give from 0 to {MAX_RADIUS_KM:g} km")
    box = None
    if bbox:
        west, south, east, north = _numbers(bbox, 4, "--bbox", "WEST,SOUTH,EAST,NORTH, e.g. 21.8,8.7,38.6,22.2")
        _longitude(west, "--bbox west")
        _longitude(east, "--bbox east")
        if _latitude(south, "--bbox south") > _latitude(north, "--bbox north"):
            raise BadOption("the box's south edge is north of its north edge", "give WEST,SOUTH,EAST,NORTH")
        box = (west, south, east, north)
    return GeoFilter(country=country, near=point, radius_km=radius_km, bbox=box, placed=placed)
