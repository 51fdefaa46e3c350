"""Who a named person is on a given date: a state's GOV while in office, its ELI after.

A person's terms come from ``data/leaders.csv``. Several people can share a surface form
("Kim", "Lee", "Bush"); the date, a country named next to the person, and seniority of
office choose between them, and a choice between different countries that the evidence
cannot settle is refused (None) rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .tables import Office

__all__ = ["PersonReading", "read_person"]

# Confidence of a reading by how it was reached.
IN_OFFICE = 0.9
IN_OFFICE_SHARED_NAME = 0.75
FORMER = 0.7
UNDATED = 0.6
NOT_YET = 0.5


@dataclass(frozen=True, slots=True)
class PersonReading:
    """A person read on a date: the office that places them (if any) and how."""

    person: str
    country: str  # ISO3, "IGO", or "" when only an IGO post is known and it has ended
    org: str
    sector: str
    confidence: float
    office: Office | None


def _by_person(offices: Iterable[Office]) -> dict[str, list[Office]]:
    out: dict[str, list[Office]] = {}
    for office in offices:
        out.setdefault(office.person, []).append(office)
    return out


def _home(office: Office) -> str:
    return f"{office.country}:{office.org}" if office.country == "IGO" else office.country


def read_person(offices: Sequence[Office], on: date | None, *, country_hint: str = "") -> PersonReading | None:
    """Place the person behind ``offices`` (all terms of every candidate) on ``on``."""
    if not offices:
        return None
    if country_hint:
        hinted = [o for o in offices if o.country == country_hint]
        if hinted:
            hinted_people = {o.person for o in hinted}
            offices = [o for o in offices if o.person in hinted_people]
    people = _by_person(offices)
    shared = len(people) > 1
    if on is None:
        return _latest(offices, shared)
    current = [o for o in offices if o.covers(on)]
    if current:
        if len({_home(o) for o in current}) > 1 and not country_hint:
            return None
        best = min(current, key=lambda o: (o.rank, -o.start.toordinal()))
        confidence = IN_OFFICE_SHARED_NAME if len({o.person for o in current}) > 1 else IN_OFFICE
        return PersonReading(best.person, best.country, best.org, best.sector, confidence, best)
    ended = [o for o in offices if o.end is not None and o.end <= on]
    if ended:
        return _former(ended, people)
    # Only offices that begin after `on`: the person is known, but did not hold office yet.
    first = min(offices, key=lambda o: o.start)
    if len({_home(o) for o in offices}) > 1 and shared:
        return None
    country = first.country if first.country != "IGO" else ""
    return PersonReading(first.person, country, "", "", NOT_YET, None)


def _latest(offices: Sequence[Office], shared: bool) -> PersonReading:
    """No date: the most recent office counts, with a lower confidence."""
    def recency(o: Office) -> tuple[int, int, int]:
        return (1 if o.end is None else 0, (o.end or o.start).toordinal(), -o.rank)

    best = max(offices, key=recency)
    confidence = UNDATED * (0.9 if shared else 1.0)
    return PersonReading(best.person, best.country, best.org, best.sector, confidence, best)


def _former(ended: list[Office], people: dict[str, list[Office]]) -> PersonReading | None:
    """Out of office on the date: a former official (ELI) of the state they served last."""
    last_by_person = {p: max((o for o in ended if o.person == p), key=lambda o: o.end or o.start)
                      for p in {o.person for o in ended}}
    # A former head of an international body is placed by their last national office, if any.
    homes: dict[str, Office] = {}
    for person, last in last_by_person.items():
        national = [o for o in people[person] if o.country != "IGO" and o in ended]
        homes[person] = max(national, key=lambda o: o.end or o.start) if national else last
    if len({o.country for o in homes.values()}) > 1:
        return None
    person, office = max(homes.items(), key=lambda kv: kv[1].end or kv[1].start)
    country = office.country if office.country != "IGO" else ""
    return PersonReading(person, country, "", "ELI", FORMER, office)
