"""Where an event happened: the place its sentence names for it, else the dateline's city.

An article is read once (``ArticlePlaces``). A sentence's place mentions are the named places in
locative positions: the object of a locative preposition ("in Khartoum", "near the border town
of Rafah", "off the coast of Luzon", "at the Qahira Hotel"), the place a visit goes to
("visited Beijing", "a visit to the capital, Port Louis"), a place naming an event or a court
("the Singapore summit", "a Phnom Penh court"), and "there" (the place of the sentence
before). An event takes the place that modifies its trigger, one of the trigger's heads or one
of their arguments ("stormed a hotel in the Somali city of Beledweyne"); else the first place of
its sentence; else, for a quote that runs on, the place of the sentence before; else the
dateline's city ("KYIV, March 3 -"); else none.

Names are resolved offline against GeoNames (``detente.coding.geonames``) and detente's actor
tables (country names and forms such as "the U.K.", regions, capitals, seats of government such
as the White House, placed at their country's capital). A name several places share is
decided by what the sentence says ("Paris, Texas", "the Somali city of"), by whether the
article names a US state, by the countries of the article and of the event's actors, and by
population: Paris, Texas only when the article is about Texas.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..actors.tables import get_tables
from ..actors.text import form_parts
from ..nlp import ParsedText, Token
from .cues import cue
from .geonames import City, Gazetteer, get_gazetteer
from .when import find_dateline

__all__ = ["GEO_PRECISIONS", "ArticlePlaces", "Place", "PlaceMention", "resolve_place"]

GEO_PRECISIONS = ("city", "admin1", "country")

LOCATIVE_PREPS = cue("where.locative_preps")
MOTION_WORDS = cue("where.motion_words")
PLACE_NOUNS = cue("where.place_nouns")
FACILITY_NOUNS = cue("where.facility_nouns")
EVENT_NOUNS = cue("where.event_nouns")
UNNAMED_PLACES = cue("where.unnamed_places")
_CALENDAR_WORDS = cue("where.calendar_words")
REGION_SUFFIXES = cue("where.region_suffixes")
WORLD_REGIONS = cue("where.world_regions")
_GLUE = frozenset({"-", "'", "’", "e", "el", "al", "de", "du", "la", "le", "d'", "ul"})
_NOT_NAME = frozenset({",", ".", ";", ":", "(", ")", "'s", "’s", "\"", "“", "”"})
_STATE_RE: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: ``text`` as written; ``country`` ISO3; ``admin1`` as ``CC.code`` (GeoNames:
    ``US.TX``); a point; ``precision`` city, admin1 or country (None when the name is not in the
    gazetteer: a hotel, a market, known only by its words); the GeoNames id; and where it came
    from (``sentence``, ``previous`` sentence, ``dateline``)."""

    text: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    geonames_id: int | None = None
    source: str = "sentence"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    sentence: int
    start: int
    end: int
    text: str
    anchor: int  # the token the place modifies (a verb, or a noun such as "hotel" or "summit")
    qualifier: str = ""  # "Texas" in "Paris, Texas"
    country_hint: str = ""  # ISO3 from "the Somali city of"
    facility: bool = False  # a named building or site, which GeoNames does not hold
    there: bool = False  # the word "there"
    capital: bool = False  # "the capital", "the Ukrainian capital": the capital of country_hint (or the dateline's)
    unnamed: bool = False  # "outside the parliament": a place named by no proper noun
    modifier: bool = False  # a name before an event noun ("Kabul bombing", "US strikes")
    called: bool = False  # a name the text itself calls a place ("the town of L'Estere"), known to GeoNames or not


# --- resolving one name ----------------------------------------------------------------------


def _table_entries(text: str) -> tuple[object, ...]:
    parts = form_parts(text)[0]
    if parts and parts[0] == "the":
        parts = parts[1:]
    return get_tables().index.get(parts, ())


@lru_cache(maxsize=8192)
def _country_words(text: str) -> str:
    """The country a name or adjective means ("Kenya", "Somali", "the U.K."), or ""."""
    for e in _table_entries(text):
        kind = getattr(e, "kind", "")
        if (kind == "country" and getattr(e, "form", "") != "region") or kind == "demonym":
            return str(getattr(e, "country", ""))
    return ""


def _city_place(text: str, city: City, gaz: Gazetteer, precision: str = "city") -> Place:
    country = gaz.countries.get(city.iso2)
    return Place(text=text, country=country.iso3 if country else None,
                 admin1=f"{city.iso2}.{city.admin1}" if city.admin1 else None, lat=round(city.lat, 5),
                 lon=round(city.lon, 5), precision=precision, geonames_id=city.geonames_id)


def _country_place(text: str, iso3: str, gaz: Gazetteer) -> Place:
    country = gaz.country(iso3)
    if country is None:
        return Place(text=text, country=iso3, precision="country")
    return Place(text=text, country=iso3, lat=round(country.lat, 5), lon=round(country.lon, 5),
                 precision="country", geonames_id=country.geonames_id)


def _best_city(cities: Iterable[City], gaz: Gazetteer, *, countries: frozenset[str], actors: frozenset[str],
               states: frozenset[str], only: str = "", state: str = "") -> City | None:
    best: City | None = None
    best_score = -1e9
    for c in cities:
        country = gaz.countries.get(c.iso2)
        iso3 = country.iso3 if country else ""
        if only and iso3 != only:
            continue
        if state and not (c.iso2 == "US" and c.admin1 == state):
            continue
        score = math.log10(c.population + 10) + (1.5 if c.by_main_name else 0.0)
        score += 2.0 if iso3 in countries else 0.0
        score += 1.0 if iso3 in actors else 0.0
        score += 4.0 if c.iso2 == "US" and c.admin1 in states else 0.0
        if score > best_score:
            best, best_score = c, score
    return best


def resolve_place(text: str, *, qualifier: str = "", country_hint: str = "",
                  countries: frozenset[str] = frozenset(), actors: frozenset[str] = frozenset(),
                  states: frozenset[str] = frozenset(), gazetteer: Gazetteer | None = None) -> Place | None:
    """Resolve a place name against GeoNames and the actor tables, or None when it is none.

    ``qualifier`` is what the text adds after a comma ("Texas", "Kenya"); ``country_hint`` a country
    the sentence gives it; ``countries`` the article's countries and ``actors`` the event actors'
    (ISO3); ``states`` the US states (GeoNames codes) the article names."""
    gaz = gazetteer or get_gazetteer()
    name = re.sub(r"^(?:the|The)\s+", "", text.strip())
    if not name:
        return None
    if name.lower() in WORLD_REGIONS:
        return Place(text=name)
    only, state = country_hint, ""
    if qualifier:
        states_named = [r for r in gaz.find_regions(qualifier) if r.iso2 == "US"]
        if states_named:
            only, state = "USA", states_named[0].admin1
        else:
            only = _country_words(qualifier) or only
    kinds: dict[str, list[object]] = {}
    for e in _table_entries(name):
        kinds.setdefault(str(getattr(e, "kind", "")), []).append(e)
    cities = gaz.find_cities(name)
    regions = gaz.find_regions(name)
    for e in kinds.get("country", []):
        if getattr(e, "form", "") in ("name",):
            iso3 = str(getattr(e, "country", ""))
            if any(r.iso2 == "US" for r in regions) and "USA" in countries and iso3 not in countries:  # Georgia
                break
            return _country_place(name, iso3, gaz)
    if regions and not (only and only != "USA" and regions[0].iso2 == "US"):
        r = regions[0]
        country = gaz.countries.get(r.iso2)
        return Place(text=name, country=country.iso3 if country else None,
                     admin1=f"{r.iso2}.{r.admin1}" if r.admin1 else None, lat=round(r.lat, 5), lon=round(r.lon, 5),
                     precision="admin1", geonames_id=r.geonames_id or None)
    for e in kinds.get("capital", []):
        where = str(getattr(e, "location", "") or getattr(e, "country", ""))
        named = _best_city(cities, gaz, only=only, state=state, countries=countries, actors=actors, states=states)
        if named is not None and named.iso2 == "US" and (named.admin1 in states or named.admin1 == state):
            return _city_place(name, named, gaz)  # Paris in an article about Texas
        city = _best_city(cities, gaz, only=where, countries=countries, actors=actors, states=states)
        if city is not None:
            return _city_place(name, city, gaz)
    for e in kinds.get("seat", []):
        iso3 = str(getattr(e, "country", ""))
        capital = gaz.capital_of(iso3)
        if capital is not None:
            return _city_place(name, capital, gaz)
    region_of = next((str(getattr(e, "country", "")) for e in kinds.get("country", [])
                      if getattr(e, "form", "") == "region"), "")
    if region_of:
        city = _best_city(cities, gaz, only=region_of, countries=countries, actors=actors, states=states)
        return _city_place(name, city, gaz) if city is not None else _country_place(name, region_of, gaz)
    if kinds.get("igo") or kinds.get("ngo") or kinds.get("group") or kinds.get("person") or kinds.get("block"):
        return None  # an organisation or a person, not a place
    city = _best_city(cities, gaz, only=only, state=state, countries=countries, actors=actors, states=states)
    if city is not None:
        return _city_place(name, city, gaz)
    words = name.split()
    last = words[-1].lower() if len(words) > 1 else ""
    if last in REGION_SUFFIXES or last in EVENT_NOUNS:
        inner = resolve_place(" ".join(words[:-1]), qualifier=qualifier, country_hint=country_hint,
                              countries=countries, actors=actors, states=states, gazetteer=gaz)
        if inner is not None and last in EVENT_NOUNS:
            return inner  # "the Hanoi Summit": the place is Hanoi
        if inner is not None:
            precision = "admin1" if inner.precision == "city" else inner.precision
            return Place(name, inner.country, inner.admin1, inner.lat, inner.lon, precision, inner.geonames_id)
    return None


# --- finding place mentions in a parse -------------------------------------------------------


def _children(parsed: ParsedText, i: int, *deps: str) -> list[int]:
    return [k for k in parsed.children[i] if not deps or parsed.tokens[k].dep in deps]


def _name_span(tokens: Sequence[Token], head: int, lo: int, hi: int, *, keep_nouns: bool) -> tuple[int, int]:
    """The words of the name headed by ``head``: its capitalised compounds to the left (and, for a
    facility, its noun compounds: "Mvog-Ada chicken market"), with hyphen- or apostrophe-glued pieces."""
    s = head
    while s - 1 >= lo:
        t = tokens[s - 1]
        if t.text in _NOT_NAME:
            break
        glued = t.ws == "" or tokens[s].text in ("-",) or t.text in ("-",)
        inside = s <= t.head <= head
        if glued and (t.text[:1].isupper() or t.text.lower() in _GLUE or t.text in ("-", "'", "’")):
            s -= 1
            continue
        if inside and t.dep in ("compound", "nmod", "amod") and (
                t.pos == "PROPN" or (keep_nouns and t.pos == "NOUN") or (t.text[:1].isupper() and t.pos != "ADJ")):
            s -= 1
            continue
        break
    e = head + 1
    while e < hi and tokens[e - 1].ws == "" and tokens[e].text not in _NOT_NAME and (
            tokens[e].text[:1].isupper() or tokens[e].text.lower() in _GLUE or tokens[e].text in ("-",)):
        e += 1
    while s < head and tokens[s].text in ("-", "'", "’"):
        s += 1
    return s, e


def _anchor(tokens: Sequence[Token], i: int) -> int:
    cur = i
    for _ in range(6):
        h = tokens[cur].head
        if h == cur:
            return cur
        if tokens[h].pos == "ADP" or tokens[h].dep in ("prep", "pcomp") or tokens[cur].dep in ("appos", "conj"):
            cur = h
            continue
        return h
    return cur


def _text(parsed: ParsedText, s: int, e: int) -> str:
    return parsed.text[parsed.tokens[s].idx:parsed.tokens[e - 1].end_idx]


def find_place_mentions(parsed: ParsedText, sentence: int) -> list[PlaceMention]:
    """The named places of a sentence in locative positions, in order."""
    tokens = parsed.tokens
    sent = parsed.sentences[sentence]
    out: list[PlaceMention] = []
    seen: set[int] = set()
    for i in range(sent.start, sent.end):
        t = tokens[i]
        low = t.lower
        if low == "there" and t.dep == "advmod":
            out.append(PlaceMention(sentence, i, i + 1, t.text, t.head, there=True))
            continue
        target: int | None = None
        anchor = i
        if t.dep == "pobj":
            prep = tokens[t.head]
            if prep.lower not in LOCATIVE_PREPS:
                continue
            if prep.lower in ("to", "from", "on", "towards", "toward", "into", "over"):
                gov = tokens[prep.head]
                if gov.lemma.lower() not in MOTION_WORDS and prep.lower not in ("into", "over"):
                    continue
            target, anchor = i, _anchor(tokens, i)
        elif t.dep == "dobj" and tokens[t.head].lemma.lower() in ("visit", "tour"):
            target, anchor = i, t.head
        elif t.dep == "compound" and t.pos == "PROPN" and tokens[t.head].lemma.lower() in EVENT_NOUNS \
                and tokens[t.head].pos == "NOUN":
            if i + 1 < len(tokens) and tokens[i + 1].dep == "compound" and tokens[i + 1].head == t.head:
                continue  # the last word of the compound name stands for the whole name
            target, anchor = i, t.head
        if target is None or target in seen:
            continue
        found = _mention_at(parsed, sentence, target, anchor)
        if found is not None and t.dep == "compound":
            found = replace(found, modifier=True)
        if found is not None:
            seen.add(target)
            out.append(found)
            # "the U.K. and Germany", "between the towns of Bocaranga and Bazoum": the first name
    return out


def _mention_at(parsed: ParsedText, sentence: int, i: int, anchor: int) -> PlaceMention | None:
    tokens = parsed.tokens
    sent = parsed.sentences[sentence]
    t = tokens[i]
    hint = ""
    for k in _children(parsed, i, "amod", "compound"):
        if tokens[k].pos in ("ADJ", "PROPN") and k < i:
            hint = _country_words(tokens[k].text) or hint
    head = i
    facility = called = False
    if t.tag in ("NNP", "NNPS") or t.pos == "PROPN":
        if t.lemma.lower() in FACILITY_NOUNS and t.lower not in ("house",):
            facility = True
    elif t.lemma.lower() in PLACE_NOUNS or t.lemma.lower() in FACILITY_NOUNS:
        named = [k for k in _children(parsed, i, "appos") if tokens[k].pos == "PROPN"]
        if not named:
            for p in _children(parsed, i, "prep"):
                if tokens[p].lower == "of":
                    named += [k for k in _children(parsed, p, "pobj") if tokens[k].pos == "PROPN"]
        if not named and i + 1 < sent.end and tokens[i + 1].pos == "PROPN" and tokens[i + 1].text[:1].isupper() \
                and t.lemma.lower() in PLACE_NOUNS:
            named = [i + 1]  # "the Mozambican capital Maputo", parsed as two phrases
        # "a U.S. military base": a country's name before a facility is not the facility's name
        compounds = [k for k in _children(parsed, i, "compound")
                     if tokens[k].pos == "PROPN" and not _country_words(tokens[k].text)]
        if named:
            head = named[0]
            called = t.lemma.lower() in PLACE_NOUNS
        elif compounds and t.lemma.lower() in FACILITY_NOUNS:
            head, facility = i, True
        elif compounds:
            head = compounds[-1]
        else:
            poss = [k for k in _children(parsed, i, "poss") if tokens[k].pos == "PROPN"]
            if not poss:
                return _unnamed(parsed, sentence, i, anchor, hint)
            head = poss[0]
    else:
        return _unnamed(parsed, sentence, i, anchor, hint)
    if tokens[head].lower in _CALENDAR_WORDS:
        return None
    s, e = _name_span(tokens, head, sent.start, sent.end, keep_nouns=facility)
    if facility and tokens[head].pos != "PROPN" and not any(tokens[k].pos == "PROPN" for k in range(s, e)):
        return None
    qualifier = ""
    if e + 1 < sent.end and tokens[e].text == ",":
        for k in _children(parsed, head, "appos", "npadvmod", "conj"):
            if k > e and tokens[k].pos == "PROPN":
                qs, qe = _name_span(tokens, k, e + 1, sent.end, keep_nouns=False)
                qualifier = _text(parsed, qs, qe)
                break
    return PlaceMention(sentence, s, e, _text(parsed, s, e), anchor, qualifier, hint, facility, called=called)


def _unnamed(parsed: ParsedText, sentence: int, i: int, anchor: int, hint: str) -> PlaceMention | None:
    """An unnamed place ("outside the parliament", "in the Ukrainian capital"): its words without the
    determiner; a capital is resolved from the country its adjective names, or the dateline's."""
    tokens = parsed.tokens
    lemma = tokens[i].lemma.lower()
    if lemma not in UNNAMED_PLACES:
        return None
    s = i
    while s - 1 >= parsed.sentences[sentence].start and tokens[s - 1].head == i and tokens[s - 1].dep in (
            "amod", "compound", "nmod"):
        s -= 1
    return PlaceMention(sentence, s, i + 1, _text(parsed, s, i + 1), anchor, "", hint, facility=True,
                        capital=lemma == "capital", unnamed=True)


# --- per article -----------------------------------------------------------------------------


def _us_states_named(text: str, gaz: Gazetteer) -> frozenset[str]:
    global _STATE_RE
    if _STATE_RE is None:
        names = sorted({r.name for regions in gaz.regions.values() for r in regions if r.iso2 == "US"}, key=len,
                       reverse=True)
        _STATE_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
    found = set()
    for m in _STATE_RE.finditer(text):
        for r in gaz.find_regions(m.group(1)):
            if r.iso2 == "US":
                found.add(r.admin1)
    return frozenset(found)


class ArticlePlaces:
    """The place mentions of one parsed article, found once per sentence, and the place of each event.

    ``body_start`` is where the body begins in ``parsed.text`` (after a headline line), and
    ``in_quote`` tells per token whether it is quoted speech."""

    def __init__(self, parsed: ParsedText, *, body_start: int = 0, in_quote: Sequence[bool] | None = None) -> None:
        self.parsed = parsed
        self.body_start = body_start
        self._in_quote = in_quote
        self._mentions: dict[int, list[PlaceMention]] = {}
        self._resolved: dict[tuple[str, str, str, frozenset[str], frozenset[str]], Place | None] = {}
        self._sentence_place: dict[int, Place | None] = {}
        self._gaz: Gazetteer | None = None
        self._states: frozenset[str] | None = None
        self.dateline = find_dateline(parsed.text, body_start)
        self._dateline_place: Place | bool | None = False
        self._quoted: dict[int, bool] = {}

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = get_gazetteer()
        return self._gaz

    def states(self) -> frozenset[str]:
        if self._states is None:
            self._states = _us_states_named(self.parsed.text, self.gazetteer)
        return self._states

    def mentions(self, sentence: int) -> list[PlaceMention]:
        if sentence not in self._mentions:
            self._mentions[sentence] = find_place_mentions(self.parsed, sentence)
        return self._mentions[sentence]

    def resolve(self, m: PlaceMention, countries: frozenset[str], actors: frozenset[str]) -> Place | None:
        key = (m.text, m.qualifier, m.country_hint, countries, actors)
        if key not in self._resolved:
            # the US states an article names matter only for a name a US city shares with another place
            shared = self.gazetteer.find_cities(re.sub(r"^(?:the|The)\s+", "", m.text))
            states = self.states() if len(shared) > 1 and any(c.iso2 == "US" for c in shared) else frozenset()
            self._resolved[key] = resolve_place(m.text, qualifier=m.qualifier, country_hint=m.country_hint,
                                                countries=countries, actors=actors, states=states,
                                                gazetteer=self.gazetteer)
        return self._resolved[key]

    def dateline_place(self, countries: frozenset[str]) -> Place | None:
        if self._dateline_place is False:
            place: Place | None = None
            if self.dateline is not None:
                name = self.dateline.place.title()
                place = resolve_place(name, qualifier=self.dateline.region, countries=countries,
                                      states=self.states(), gazetteer=self.gazetteer)
                if place is not None:
                    place = Place(name, place.country, place.admin1, place.lat, place.lon, place.precision,
                                  place.geonames_id, "dateline")
            self._dateline_place = place
        return self._dateline_place if isinstance(self._dateline_place, Place) else None

    def for_event(self, sentence: int, trigger: Sequence[int], *, actors: Iterable[str] = (),
                  countries: Iterable[str] = ()) -> Place | None:
        """The place of an event of ``sentence`` whose trigger words are ``trigger`` (token indexes),
        given its actors' countries and the article's countries (ISO3)."""
        actor_set = frozenset(a for a in actors if a)
        country_set = frozenset(c for c in countries if c)
        own = self._own_place(sentence, trigger, country_set, actor_set)
        if own is not None:
            return own
        carried = self._carried(sentence, country_set)
        if carried is not None:
            return carried
        if self.parsed.sentences[sentence].char_start >= self.body_start:
            return self.dateline_place(country_set)
        return None

    def _own_place(self, sentence: int, trigger: Sequence[int], countries: frozenset[str],
                   actors: frozenset[str]) -> Place | None:
        mentions = self.mentions(sentence)
        if not mentions:
            return None
        tokens = self.parsed.tokens
        chain: list[int] = []
        for start in trigger:
            cur = start
            for _ in range(40):
                if cur not in chain:
                    chain.append(cur)
                if tokens[cur].head == cur:
                    break
                cur = tokens[cur].head
        ranked: list[tuple[int, int, PlaceMention]] = []
        for n, m in enumerate(mentions):
            if m.anchor in chain or m.called:
                rank = 0  # a town the sentence names as such is where it happened, whatever it hangs on
            elif tokens[m.anchor].head in chain and tokens[m.anchor].pos in ("NOUN", "PROPN"):
                rank = 1  # "stormed a hotel in ...", "demonstrators in Khartoum"
            else:
                rank = 2
            ranked.append((rank, n, m))
        ranked.sort(key=lambda r: (r[0], r[1]))
        for _, _, m in ranked:
            if m.modifier and _country_words(m.text) in actors:
                continue  # "US strikes kill four in Yemen": the country before the act is its actor, not its place
            if m.there:
                prev = self._sentence_place_of(sentence - 1, countries) if sentence > 0 else None
                if prev is not None:
                    return Place(prev.text, prev.country, prev.admin1, prev.lat, prev.lon,
                                 prev.precision, prev.geonames_id, "previous")
                continue
            if m.capital:
                where = m.country_hint or (self.dateline_place(countries) or Place("")).country or ""
                city = self.gazetteer.capital_of(where) if where else None
                if city is not None:
                    return Place(m.text, where, f"{city.iso2}.{city.admin1}" if city.admin1 else None,
                                 round(city.lat, 5), round(city.lon, 5), "city", city.geonames_id)
                return Place(m.text)
            if m.unnamed:
                named = self._sentence_geo(sentence, m, countries, actors)
                if named is not None:
                    return named  # "a military base in Lamu County": the named place is the more specific
            place = self.resolve(m, countries, actors) if not m.unnamed else None
            if m.facility:
                geo = place or self._sentence_geo(sentence, m, countries, actors) or (
                    self.dateline_place(countries) if tokens[m.start].idx >= self.body_start else None)
                if geo is not None:
                    return Place(m.text, geo.country, geo.admin1, geo.lat, geo.lon, geo.precision, geo.geonames_id)
                return Place(m.text)
            if place is not None:
                return place
            if m.called:
                # "in the town of L'Estere, near Gonaives": the town the text names is the place, even
                # where GeoNames does not know it; its country and coordinates are the nearby place's
                geo = self._sentence_geo(sentence, m, countries, actors)
                if geo is not None:  # near it, not it: no GeoNames id of its own
                    return Place(m.text, geo.country, geo.admin1, geo.lat, geo.lon, geo.precision, None)
                return Place(m.text)
        return None

    def _sentence_geo(self, sentence: int, skip: PlaceMention, countries: frozenset[str],
                      actors: frozenset[str]) -> Place | None:
        """Where a named site lies: the other resolvable place of its sentence ("Mariscal Zavala
        prison in Guatemala City")."""
        for m in self.mentions(sentence):
            if m is skip or m.there or m.facility:
                continue
            place = self.resolve(m, countries, actors)
            if place is not None:
                return place
        return None

    def _sentence_place_of(self, sentence: int, countries: frozenset[str]) -> Place | None:
        if sentence not in self._sentence_place:
            sent = self.parsed.sentences[sentence]
            root = next((i for i in range(sent.start, sent.end) if self.parsed.tokens[i].head == i), sent.start)
            self._sentence_place[sentence] = None  # guards against a chain of "there"s
            self._sentence_place[sentence] = self._own_place(sentence, [root], countries, frozenset())
        return self._sentence_place[sentence]

    def _carried(self, sentence: int, countries: frozenset[str]) -> Place | None:
        """A quote that runs on from the sentence before happened where that one did."""
        if sentence <= 0 or self._in_quote is None:
            return None
        if sentence not in self._quoted:
            sent = self.parsed.sentences[sentence]
            quoted = sum(1 for i in range(sent.start, sent.end) if self._in_quote[i])
            self._quoted[sentence] = quoted * 2 >= (sent.end - sent.start)
        if not self._quoted[sentence]:
            return None
        prev = self._sentence_place_of(sentence - 1, countries)
        if prev is None:
            return None
        return Place(prev.text, prev.country, prev.admin1, prev.lat, prev.lon, prev.precision, prev.geonames_id,
                     "previous")
