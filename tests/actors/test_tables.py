"""The actor tables are complete and consistent (no model, no network)."""

from __future__ import annotations

import csv
import itertools
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.actors.tables import OFFICE_RANK, get_tables, plural_forms
from detente.actors.text import case_accepts, case_rule, fold, form_parts, tokenize

DATA = Path(str(resources.files("detente.actors").joinpath("data")))
SECTORS = {"GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "BUS", "MED", "CVL", "EDU", "HLH", "REF",
           "LAB", "SPY", "ELI", "NGO", "REL", "AGR", "CRM", ""}
G20 = ("ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS", "SAU",
       "ZAF", "TUR", "GBR", "USA")
NEWSWORTHY = ("UKR", "ISR", "IRN", "PRK", "TWN", "PAK", "SYR", "AFG", "IRQ", "EGY", "ETH", "SDN", "VEN", "QAT",
              "PSE", "LBN", "YEM", "POL", "BLR", "HUN", "SRB", "XKX", "GRC", "MLI", "NER", "NGA", "DZA", "MAR")
MULTI_HOLDER_OFFICES = {"official", "speaker", "spokesman", "military_spokesman"}


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    return get_tables()


def test_every_iso3_code_is_present_once(tables) -> None:  # type: ignore[no-untyped-def]
    codes = [row["iso3"] for row in rows("countries.csv")]
    assert len(codes) == len(set(codes))
    assert {c.alpha_3 for c in pycountry.countries} <= set(codes)
    assert {"XKX", "PSE", "TWN", "ESH"} <= set(tables.countries)


def test_namibia_survives_the_pandas_na_trap(tables) -> None:  # type: ignore[no-untyped-def]
    assert tables.countries["NAM"].iso2 == "NA"
    assert tables.countries["NAM"].name == "Namibia"
    assert [e.country for e in tables.index[("namibia",)]] == ["NAM"]


def test_no_code_is_its_own_name(tables) -> None:  # type: ignore[no-untyped-def]
    for iso3, country in tables.countries.items():
        assert country.name and country.name != iso3, iso3
        assert country.name.upper() != iso3


def test_every_country_has_a_name_hit(tables) -> None:  # type: ignore[no-untyped-def]
    named = {e.country for entries in tables.index.values() for e in entries if e.kind == "country"}
    assert set(tables.countries) <= named


def test_hand_tables_name_known_countries(tables) -> None:  # type: ignore[no-untyped-def]
    known = set(tables.countries)
    for name, column in (("country_words.csv", "iso3"), ("capitals.csv", "iso3"), ("places.csv", "iso3"),
                         ("seats.csv", "iso3")):
        for row in rows(name):
            assert row[column] in known, (name, row)
    for row in rows("groups.csv"):
        assert row["iso3"] in known or row["iso3"] in ("", "IMG"), row  # IMG: CAMEO's transnational armed groups
        assert row["sector"] in SECTORS, row


def test_country_names_are_unambiguous(tables) -> None:  # type: ignore[no-untyped-def]
    for parts, entries in tables.index.items():
        names = {e.country for e in entries if e.kind == "country"}
        assert len(names) <= 1, (parts, names)


def test_every_sovereign_state_has_a_capital() -> None:
    with_capital = {row["iso3"] for row in rows("capitals.csv")}
    un_members = {r["iso3"] for r in rows("countries.csv")} & {
        c.alpha_3 for c in pycountry.countries if not getattr(c, "common_name", "").startswith("Taiwan")}
    sovereign = {row["ISO3"] for row in _coco_rows() if row.get("UNmember")} & un_members
    assert sovereign - with_capital == set()
    assert {"XKX", "PSE", "TWN", "VAT"} <= with_capital


def _coco_rows() -> list[dict[str, str]]:
    import country_converter

    path = Path(country_converter.__file__).with_name("country_data.tsv")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_igo_codes_are_unique_and_named() -> None:
    codes = Counter(row["code"] for row in rows("igos.csv"))
    assert not [c for c, n in codes.items() if n > 1]
    assert {"UNO", "EU", "NATO", "AU", "ECOWAS", "IAEA", "WHO", "APEC", "ASEAN", "OPEC", "GCC", "ICRC", "HRW",
            "AMNESTY", "MSF"} <= set(codes)
    for row in rows("igos.csv"):
        assert row["kind"] in ("igo", "ngo") and row["name"] and row["forms"], row


def test_sector_rows_use_known_codes() -> None:
    for row in rows("sectors.csv"):
        assert row["sector"] in SECTORS, row
        assert row["kind"] in ("sector", "title"), row
        assert set(filter(None, row["flags"].split("|"))) <= {"generic", "diplomatic", "weak", "nopl"}, row


def test_leader_rows_are_valid(tables) -> None:  # type: ignore[no-untyped-def]
    igos = {row["code"] for row in rows("igos.csv")}
    groups = {row["name"] for row in rows("groups.csv")} | {"HTS", "RSF", "Serb List"}
    for row in rows("leaders.csv"):
        assert row["country"] in tables.countries or (row["country"] == "IGO" and row["org"] in igos), row
        if row["org"] and row["country"] != "IGO":
            assert row["org"] in groups, row
        assert row["sector"] in SECTORS - {""}, row
        assert row["office"] in OFFICE_RANK or row["office"] in MULTI_HOLDER_OFFICES or row["office"].endswith(
            ("_adviser", "_minister", "_commissioner", "_general", "_secretary", "high_commissioner")), row
        assert row["start"], row
        if row["end"]:
            assert row["start"] <= row["end"], row


def test_no_two_terms_of_one_office_overlap(tables) -> None:  # type: ignore[no-untyped-def]
    terms = defaultdict(list)
    for offices in tables.persons.values():
        for o in offices:
            if o.office not in MULTI_HOLDER_OFFICES:
                terms[(o.country, o.org, o.office)].append(o)
    for key, items in terms.items():
        items.sort(key=lambda o: o.start)
        for a, b in itertools.pairwise(items):
            assert a.end is not None and a.end <= b.start, (key, a.person, a.start, a.end, b.person, b.start)


def test_g20_and_newsworthy_states_have_leaders_through_today(tables) -> None:  # type: ignore[no-untyped-def]
    current = {o.country for offices in tables.persons.values() for o in offices if o.end is None}
    required = {*G20, *NEWSWORTHY, "IGO"}
    assert required - current == set()
    eu = {o.office for offices in tables.persons.values() for o in offices if o.org == "EU"}
    assert {"commission_president", "council_president", "high_representative"} <= eu


def test_leaders_have_terms_back_to_2000(tables) -> None:  # type: ignore[no-untyped-def]
    by_country: dict[str, list] = defaultdict(list)
    for offices in tables.persons.values():
        for o in offices:
            if o.rank <= 1:
                by_country[o.country].append(o)
    for iso3 in ("USA", "RUS", "CHN", "FRA", "DEU", "GBR", "JPN", "IND", "BRA", "TUR", "ISR", "IRN"):
        assert min(o.start for o in by_country[iso3]).year <= 2000, iso3


def test_plurals() -> None:
    assert plural_forms("spokesman") == ["spokesmen"]
    assert plural_forms("militia") == ["militias"]
    assert plural_forms("paramilitary") == ["paramilitaries"]
    assert plural_forms("foreign minister") == ["foreign ministers"]
    assert plural_forms("embassy") == ["embassies"]


def test_folding_is_diacritic_and_punctuation_insensitive() -> None:
    assert fold("Élysée") == "elysee"
    assert fold("U.S.") == "us"
    assert fold("Türkiye") == "turkiye"
    assert fold("Sudan’s") == "sudan's"
    assert form_parts("al-Qaeda")[0] == form_parts("al Qaeda")[0] == ("al", "qaeda")


def test_case_rules() -> None:
    assert case_accepts(case_rule("US"), "U.S.")
    assert not case_accepts(case_rule("US"), "us")
    assert not case_accepts(case_rule("WHO"), "Who")
    assert case_accepts(case_rule("Turkey"), "TURKEY")
    assert not case_accepts(case_rule("Turkey"), "turkey")
    assert case_accepts(case_rule("army"), "Army")


@given(st.text(max_size=200))
def test_tokenize_covers_every_character(text: str) -> None:
    toks = tokenize(text)
    assert "".join(t.text + t.ws for t in toks) == text.lstrip()
    assert all(t.text and not t.text.isspace() for t in toks)
    assert [t.i for t in toks] == list(range(len(toks)))
