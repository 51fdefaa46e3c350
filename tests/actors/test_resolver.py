"""The actor resolver on hand-built tokens: hits, phrase structure, and leaders by date."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.actors import Mention, get_resolver
from detente.model import Actor
from tests.conftest import shared_path
from tests.tokens import parsed, span, tokens, with_parse

R = get_resolver()


def codes(text: str, on: date | None = None) -> list[str]:
    return [a.code for a in R.lookup(text, on=on)]


def one(text: str, on: date | None = None) -> Actor:
    found = R.lookup(text, on=on)
    assert len(found) == 1, (text, found)
    return found[0]


# -- leaders by date ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "on", "code"), [
    ("Putin", date(2021, 4, 15), "RUSGOV"),
    ("Putin", date(2010, 1, 1), "RUSGOV"),  # prime minister then
    ("Trump", date(2019, 6, 1), "USAGOV"),
    ("Trump", date(2022, 6, 1), "USAELI"),  # a former official: still American, not GOV
    ("Trump", date(2025, 3, 1), "USAGOV"),
    ("Trump", date(2015, 6, 1), "USA"),  # never in office before that date: not GOV
    ("Merkel", date(2015, 1, 1), "DEUGOV"),
    ("Merkel", date(2023, 1, 1), "DEUELI"),
    ("Scholz", date(2023, 1, 1), "DEUGOV"),
    ("Abe", date(2015, 1, 1), "JPNGOV"),
    ("Abe", date(2021, 1, 1), "JPNELI"),
    ("Suga", date(2021, 1, 1), "JPNGOV"),
    ("Kishida", date(2023, 1, 1), "JPNGOV"),
    ("Kishida", date(2015, 1, 1), "JPNGOV"),  # foreign minister then
    ("Boris Johnson", date(2020, 1, 1), "GBRGOV"),
    ("Truss", date(2022, 10, 1), "GBRGOV"),
    ("Sunak", date(2023, 6, 1), "GBRGOV"),
    ("Sunak", date(2024, 8, 1), "GBRELI"),
    ("Starmer", date(2024, 8, 1), "GBRGOV"),
    ("Starmer", date(2023, 8, 1), "GBR"),
    ("Kim Jong-il", date(2005, 1, 1), "PRKGOV"),
    ("Kim Jong Un", date(2005, 1, 1), "PRK"),
    ("Kim Jong-un", date(2015, 1, 1), "PRKGOV"),
    ("Kim", date(2015, 1, 1), "PRKGOV"),  # only one Kim in office then
])
def test_leaders_by_date(name: str, on: date, code: str) -> None:
    actor = R.person_actor(name, on)
    assert actor is not None and actor.code == code, (name, on, actor)


def test_ambiguous_surnames_resolve_by_date_and_full_name() -> None:
    # Kim Dae-jung (South Korea) and Kim Jong-il (North Korea) were both in office in 2000.
    assert R.person_actor("Kim", date(2000, 6, 1)) is None
    assert R.person_actor("Kim Dae-jung", date(2000, 6, 1)).code == "KORGOV"  # type: ignore[union-attr]
    assert R.person_actor("Kim Jong Il", date(2000, 6, 1)).code == "PRKGOV"  # type: ignore[union-attr]
    assert codes("South Korean President Kim", date(2000, 6, 1)) == ["KORGOV"]
    assert codes("North Korean leader Kim", date(2000, 6, 1)) == ["PRKGOV"]
    assert R.person_actor("Bush", date(2004, 1, 1)).name == "George W. Bush"  # type: ignore[union-attr]
    assert R.person_actor("Bush", date(1990, 1, 1)).name == "George H. W. Bush"  # type: ignore[union-attr]
    assert R.person_actor("Lee", date(2010, 1, 1)) is None  # Lee Myung-bak and Lee Hsien Loong
    assert codes("President Lee", date(2010, 1, 1)) == ["GOV"]  # the title stands, the country waits


def test_undated_person_uses_the_latest_office() -> None:
    assert R.person_actor("Putin", None).code == "RUSGOV"  # type: ignore[union-attr]
    assert R.person_actor("Reagan", None).code == "USAGOV"  # type: ignore[union-attr]
    scored = R.resolve_scored(tokens("Putin"), 0, 1, on=None)
    dated = R.resolve_scored(tokens("Putin"), 0, 1, on=date(2021, 4, 15))
    assert scored[0][1] < dated[0][1]


def test_people_who_moved_between_states_and_bodies() -> None:
    assert R.person_actor("Guterres", date(2000, 1, 1)).code == "PRTGOV"  # type: ignore[union-attr]
    assert R.person_actor("Guterres", date(2020, 1, 1)).code == "IGOUNO"  # type: ignore[union-attr]
    assert R.person_actor("Stoltenberg", date(2020, 1, 1)).code == "IGONATO"  # type: ignore[union-attr]
    assert R.person_actor("von der Leyen", date(2016, 1, 1)).code == "DEUGOV"  # type: ignore[union-attr]
    assert R.person_actor("Tusk", date(2016, 1, 1)).code == "IGOEU"  # type: ignore[union-attr]
    assert R.person_actor("Tusk", date(2024, 6, 1)).code == "POLGOV"  # type: ignore[union-attr]


def test_unknown_people_give_nothing() -> None:
    assert R.person_actor("John Smith", date(2020, 1, 1)) is None
    assert codes("Mr Macaire") == []


# -- titled people -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "on", "expected"), [
    ("Russia Deputy Foreign Minister Sergei Ryabkov", date(2021, 4, 15), ["RUSGOV"]),
    ("US Ambassador to Russia John Sullivan", date(2021, 4, 15), ["USAGOV"]),  # the sender, not the host
    ("the Turkish ambassador in Athens", None, ["TURGOV"]),
    ("Sudan's Foreign Minister Ibrahim Ghandour", date(2018, 4, 7), ["SDNGOV"]),
    ("Chinese foreign ministry spokesman Wang Wenbin", date(2021, 3, 1), ["CHNGOV"]),
    ("the Chief of General Staff of Armenia and Azerbaijan", None, ["ARMMIL", "AZEMIL"]),
    ("Iran's Revolutionary Guards", None, ["IRNMIL"]),
    ("Kremlin spokesman Dmitry Peskov", date(2023, 8, 1), ["RUSGOV"]),
    ("Mali's military leaders", date(2022, 1, 31), ["MLIMIL"]),
    ("Nigerian President Bola Tinubu", date(2023, 7, 30), ["NGAGOV"]),
    ("President Bouteflika", date(2010, 1, 1), ["DZAGOV"]),
    ("King Hassan of Morocco", None, ["MARGOV"]),
    ("president of Armenia", None, ["ARMGOV"]),
    ("Former Conservative prime minister Antonis Samaras", None, ["GRCELI"]),
    ("ex-President Trump", date(2025, 3, 1), ["USAELI"]),
    ("Sergei Lavrov, Russia's foreign minister", date(2021, 1, 1), ["RUSGOV"]),
    ("Hamas leader Ismail Haniyeh", date(2020, 1, 1), ["PSEREB"]),
    ("Arab League Secretary General Ahmed Aboul Gheit", None, ["IGOARL"]),
    ("Tomas Ferrer, a Vienna-based spokesman for the International Atomic Energy Agency", None, ["IGOIAEA"]),
    ("an opposition leader from Belarus, Sviatlana Tsikhanouskaya", date(2021, 10, 1), ["BLROPP"]),
    pytest.param("an ethnic Albanian leader from North Macedonia, Dritan Kelmendi", date(2021, 10, 1), ["MKDOPP"],
                 marks=pytest.mark.xfail(strict=True, reason="an ethnic community's leader is not handled in "
                                         "general: a leader the tables do not list is taken for the government")),
])
def test_titled_people(text: str, on: date | None, expected: list[str]) -> None:
    assert codes(text, on) == expected


def test_a_title_alone_waits_for_the_country() -> None:
    expected = Actor(code="GOV", country="", sector="GOV", text="the foreign minister")
    assert R.lookup("the foreign minister") == [expected]
    assert one("police").code == "COP"
    assert one("riot police").sector == "COP"
    assert one("the army").sector == "MIL"


# -- sectors, demonyms, possessives ------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Russian diplomats", ["RUSGOV"]),
    ("Iranian authorities", ["IRNGOV"]),
    ("Ghanaian authorities", ["GHAGOV"]),
    ("Filipino soldiers", ["PHLMIL"]),
    ("Israeli warplanes", ["ISRMIL"]),
    ("Emirati officials", ["AREGOV"]),
    ("Kosovar police", ["XKXCOP"]),
    ("Kosovo Albanian protesters", ["XKXCVL"]),
    ("Afghan rebel leaders", ["AFGREB"]),
    ("Sudanese rebels", ["SDNREB"]),
    ("the Turkish government", ["TURGOV"]),
    ("Serbian parliament", ["SRBLEG"]),
    ("Israel's high court", ["ISRJUD"]),
    ("Ivory Coast's Supreme Court", ["CIVJUD"]),
    ("the Russian opposition", ["RUSOPP"]),
    ("Chinese state media", ["CHNMED"]),
    ("Sudan's state news agency", ["SDNMED"]),
    ("Saudi businessman", ["SAUBUS"]),
    ("Iranian oil companies", ["IRNBUS"]),
    ("Palestinian armed groups", ["PSEREB"]),
    ("US forces", ["USAMIL"]),
    ("Russia troops", ["RUSMIL"]),
    ("Indian and Chinese military commanders", ["INDMIL", "CHNMIL"]),
    ("Senior Hungarian and Romanian officials", ["HUNGOV", "ROUGOV"]),
    ("Russians", ["RUS"]),
    ("Ghanaians", ["GHA"]),
    ("Israelis", ["ISR"]),
])
def test_country_plus_sector(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("rebel forces", ["REB"]),
    ("government forces", ["MIL"]),
    ("opposition supporters", ["OPP"]),
    ("anti-government protesters", ["CVL"]),
    ("pro-Russian separatists", ["REB"]),  # a sympathy, not the fighters' country
    ("Iranian-backed militias", ["REB"]),
    ("Russian-backed separatists in Donbas", ["UKRREB"]),
    ("the Saudi-led coalition", ["SAU"]),
    ("Russian-installed officials", ["GOV"]),
    ("Ukraine's allies", []),  # others, named by their relation to Ukraine
    ("Iran's proxies", []),
    ("NATO allies", ["IGONATO"]),  # an alliance's allies are its members, acting as the alliance
    ("EU partners", ["IGOEU"]),
    ("NATO's allies", []),  # the alliance's own allies are others
    ("U.S. allies", []),
    ("Russia's invasion", ["RUS"]),  # the possessor does the thing named
    ("Israeli army positions", ["ISRMIL"]),  # an actor's posts and units stand for the actor
    ("Kampuchean guerrilla camps", ["KHMREB"]),
    ("rebel bases", ["REB"]),
    ("Russian military equipment", ["RUS"]),  # a thing the military has is not the military
])
def test_modifiers_and_affiliations(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_possessive_and_unicode_apostrophes() -> None:
    assert codes("Sudan’s government") == codes("Sudan's government") == ["SDNGOV"]
    toks = tokens("Sudan’s Foreign Minister")
    hits = R.mentions(toks, 0, len(toks))
    assert hits[0].possessive and hits[0].country == "SDN"


def test_punctuation_and_diacritics_do_not_matter() -> None:
    assert codes("U.S. officials") == codes("US officials") == ["USAGOV"]
    assert codes("the Élysée") == codes("the Elysee") == ["FRAGOV"]
    assert codes("Türkiye") == ["TUR"]
    assert codes("al-Qaeda") == codes("al Qaeda") == codes("Al-Qaida") == ["IMGREB"]
    assert one("al-Qaeda").name == "al-Qaeda"


def test_case_keeps_common_words_out() -> None:
    assert codes("us") == []
    assert codes("who") == []
    assert codes("WHO") == ["IGOWHO"]
    assert codes("the turkey") == []
    assert codes("Turkey") == ["TUR"]


# -- coordination, complements, locations -------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Britain, France and Germany", ["GBR", "FRA", "DEU"]),
    ("Pakistan and India", ["PAK", "IND"]),
    ("Pakistan, India", ["PAK", "IND"]),  # headline lists have no "and"
    ("the defence ministers of Chile, Peru, and Bolivia", ["CHLGOV", "PERGOV", "BOLGOV"]),
    ("the US and Russian officials", ["USAGOV", "RUSGOV"]),
    ("Russian President Vladimir Putin and his Chinese counterpart Xi Jinping", ["RUSGOV", "CHNGOV"]),
    ("Israel and Hamas", ["ISR", "PSEREB"]),
    ("the EU, NATO and the UN", ["IGOEU", "IGONATO", "IGOUNO"]),
])
def test_coordination(text: str, expected: list[str]) -> None:
    assert codes(text, date(2021, 1, 1)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("protesters in Tehran", ["IRNCVL"]),
    ("rebels in Darfur", ["SDNREB"]),
    ("ethnic Albanians in south Serbia", ["SRBCVL"]),
    ("refugees fleeing the war in Syria", ["SYRREF"]),
    ("military leaders in Niger", ["NERMIL"]),
    ("a bomb in Kabul", []),
    ("the ambassador in Moscow", ["GOV"]),  # a diplomat is not placed by the host city
])
def test_locations(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize("text", ["they", "it", "the two sides", "both countries", "both sides", "the two governments",
                                  "each other", "the country"])
def test_references_left_to_the_coder(text: str) -> None:
    assert codes(text) == []


def test_numbers_with_a_concrete_head_are_actors() -> None:
    assert codes("three gunmen") == ["REB"]
    assert codes("two Israeli soldiers") == ["ISRMIL"]


# -- capitals, seats, groups, IGOs --------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Washington", ["USAGOV"]), ("Moscow", ["RUSGOV"]), ("Beijing", ["CHNGOV"]), ("Kyiv", ["UKRGOV"]),
    ("Kiev", ["UKRGOV"]), ("Tehran", ["IRNGOV"]), ("Ankara", ["TURGOV"]), ("Pyongyang", ["PRKGOV"]),
    ("Seoul", ["KORGOV"]), ("Taipei", ["TWNGOV"]), ("New Delhi", ["INDGOV"]), ("Islamabad", ["PAKGOV"]),
    ("Cairo", ["EGYGOV"]), ("Khartoum", ["SDNGOV"]), ("Addis Ababa", ["ETHGOV"]), ("Pristina", ["XKXGOV"]),
    ("Brussels", ["IGOEU"]),  # documented choice: the EU, not Belgium
    ("the Kremlin", ["RUSGOV"]), ("the White House", ["USAGOV"]), ("the Pentagon", ["USAMIL"]),
    ("Downing Street", ["GBRGOV"]), ("Whitehall", ["GBRGOV"]), ("the Elysee", ["FRAGOV"]),
    ("Zhongnanhai", ["CHNGOV"]), ("the Blue House", ["KORGOV"]), ("Foggy Bottom", ["USAGOV"]),
    ("the State Department", ["USAGOV"]), ("the Quai d'Orsay", ["FRAGOV"]), ("the Knesset", ["ISRLEG"]),
    ("the Duma", ["RUSLEG"]), ("the Majlis", ["IRNLEG"]), ("the Tehran regime", ["IRNGOV"]),
    ("Khartoum government", ["SDNGOV"]),
])
def test_capitals_and_seats(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_a_capital_as_a_location_is_its_country() -> None:
    assert codes("protesters in Brussels") == ["BELCVL"]


@pytest.mark.parametrize(("text", "on", "expected"), [
    ("the Taliban", date(2020, 1, 1), ["AFGREB"]),
    ("the Taliban", date(2021, 8, 14), ["AFGREB"]),
    ("the Taliban", date(2021, 8, 15), ["AFGGOV"]),
    ("the Taliban", date(1998, 1, 1), ["AFGGOV"]),
    ("the Taliban government", date(2023, 1, 1), ["AFGGOV"]),
    ("Hezbollah", None, ["LBNREB"]),
    ("Houthi rebels", None, ["YEMREB"]),
    ("the RSF", date(2024, 8, 1), ["SDNREB"]),
    ("the Wagner Group", None, ["RUSMIL"]),
    ("PKK", None, ["TURREB"]),
    ("the Polisario Front", None, ["ESHREB"]),
    ("Boko Haram", None, ["NGAREB"]),
    ("al-Shabaab", None, ["IMGREB"]),  # fights in Somalia and Kenya: coded as a transnational group
    ("Hayat Tahrir al-Sham", date(2020, 1, 1), ["SYRREB"]),
    ("Serb List", None, ["XKXOPP"]),
    ("ISIS", None, ["IMGREB"]),  # CAMEO's international militarized group, not any one state
    ("the Islamic State", None, ["IMGREB"]),
    # members named by their group are the group
    ("fighters from the M23", None, ["CODREB"]),
    ("militants of Hezbollah", None, ["LBNREB"]),
    ("gunmen from Boko Haram", None, ["NGAREB"]),
])
def test_groups(text: str, on: date | None, expected: list[str]) -> None:
    assert codes(text, on) == expected


@pytest.mark.parametrize(("text", "code"), [
    ("the UN", "IGOUNO"), ("the United Nations", "IGOUNO"), ("U.N.", "IGOUNO"), ("the EU", "IGOEU"),
    ("the European Commission", "IGOEU"), ("the European Parliament", "IGOEU"), ("NATO", "IGONATO"),
    ("Nato", "IGONATO"), ("the African Union", "IGOAU"), ("ECOWAS", "IGOECOWAS"),
    ("The Southern African Development Community, or SADC", "IGOSADC"), ("the IAEA", "IGOIAEA"),
    ("the International Atomic Energy Agency", "IGOIAEA"), ("the World Health Organization", "IGOWHO"),
    ("the Association of Southeast Asian Nations (ASEAN) bloc", "IGOASEAN"), ("ASEAN", "IGOASEAN"),
    ("OPEC", "IGOOPEC"), ("the Arab League", "IGOARL"), ("the Gulf Cooperation Council", "IGOGCC"),
    ("the IMF", "IGOIMF"), ("the World Bank", "IGOWB"), ("Interpol", "IGOINTERPOL"),
    ("The United Nations Security Council", "IGOUNSC"), ("the UN General Assembly", "IGOUNGA"),
    ("the International Criminal Court", "IGOICC"), ("UNHCR", "IGOUNHCR"), ("the OSCE", "IGOOSCE"),
    ("Amnesty International", "NGOAMNESTY"), ("Human Rights Watch", "NGOHRW"), ("the Red Cross", "NGOICRC"),
    ("Doctors Without Borders", "NGOMSF"),
])
def test_international_bodies(text: str, code: str) -> None:
    actor = one(text)
    assert actor.code == code
    assert actor.country in ("IGO", "NGO") and actor.name


def test_igo_with_a_sector_word() -> None:
    peacekeepers = one("UN peacekeepers")
    assert peacekeepers.country == "IGO" and peacekeepers.sector == "MIL"
    assert one("Russia's UN ambassador").code == "RUSGOV"  # a state's envoy at the UN
    assert one("NATO-member Norway").code == "NOR"


# -- the mentions API ---------------------------------------------------------------------------

def test_mentions_are_longest_first_non_overlapping_in_order() -> None:
    toks = tokens("Speaking in Moscow, Russian foreign ministry spokeswoman Maria Zakharova said both sides would "
                  "work to ease tensions with Japan and the United Nations Security Council.")
    hits = R.mentions(toks, 0, len(toks))
    assert [(h.kind, h.text) for h in hits] == [
        ("capital", "Moscow"), ("demonym", "Russian"), ("sector", "foreign ministry"), ("title", "spokeswoman"),
        ("person", "Maria Zakharova"), ("title", "sides"), ("country", "Japan"),
        ("igo", "United Nations Security Council"),
    ]
    person = hits[4]
    assert isinstance(person, Mention) and person.sector == "" and person.offices
    assert all(o.person == "Maria Zakharova" for o in person.offices)


def test_mentions_respect_the_span() -> None:
    toks = tokens("Russia and China met in Geneva.")
    assert [h.text for h in R.mentions(toks, 2, len(toks))] == ["China"]
    assert R.mentions(toks, 0, 0) == []


def test_resolve_works_on_a_span_of_a_longer_text() -> None:
    doc = parsed("Headline here.\nThe US earlier in the day announced the expulsion of 10 Russian diplomats.")
    start, end = span(doc.tokens, "10 Russian diplomats")
    assert [a.code for a in R.resolve(doc.tokens, start, end, on=date(2021, 4, 15))] == ["RUSGOV"]


def test_parse_fields_are_used_when_present() -> None:
    toks = tokens("a bomb in Kabul")
    parsed_toks = with_parse(toks, heads=[1, 1, 1, 2], deps=["det", "ROOT", "prep", "pobj"],
                             pos=["DET", "NOUN", "ADP", "PROPN"])
    assert R.resolve(parsed_toks, 0, 4, head=1) == []
    toks = tokens("Palestinians who live in Israel")
    assert [a.code for a in R.resolve(toks, 0, len(toks))] == ["PSE"]  # the relative clause is cut


def test_country_name() -> None:
    assert R.country_name("RUS") == "Russia"
    assert R.country_name("NAM") == "Namibia"
    assert R.country_name("XKX") == "Kosovo"
    assert R.country_name("IGONATO") == "NATO"
    assert R.country_name("ZZZ") == "ZZZ"


# -- properties and speed -----------------------------------------------------------------------

WORDS = ["Russia", "US", "the", "and", ",", "Foreign", "Minister", "Sergei", "Lavrov", "'s", "of", "in", "Tehran",
         "protesters", "UN", "Security", "Council", "Kim", "Jong", "-", "un", "former", "army", "pro", "backed",
         "officials", "Hamas", "two", "sides", "Brussels", "Élysée", "U.S.", "WHO", "who", "police"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.data())
def test_mentions_and_resolve_invariants(words: list[str], data: st.DataObject) -> None:
    toks = tokens(" ".join(words))
    start = data.draw(st.integers(0, len(toks)))
    end = data.draw(st.integers(start, len(toks)))
    hits = R.mentions(toks, start, end)
    for a, b in itertools.pairwise(hits):
        assert a.end <= b.start
    for h in hits:
        assert start <= h.start < h.end <= end
        assert h.kind in {"country", "demonym", "capital", "seat", "igo", "ngo", "group", "person", "title", "sector"}
        assert 0 < h.confidence <= 1
    for actor in R.resolve(toks, start, end, on=date(2020, 1, 1)):
        assert actor.code.startswith(actor.country)
        assert actor.country == "" or len(actor.country) == 3


def test_matching_costs_a_few_calls_a_token() -> None:
    """Matching is a table lookup per token, not a scan of the tables: work counted, not timed
    (measured about 25 Python calls a token; a scan would be thousands)."""
    import cProfile
    import pstats

    sentences = [json.loads(line)["raw_text"] for line in _dev_articles()][:3]
    docs = [parsed(text) for text in sentences]
    spans = [(d.tokens, s.start, s.end) for d in docs for s in d.sentences]
    R.mentions(*spans[0])
    profile = cProfile.Profile()
    profile.enable()
    for toks, s, e in spans:
        R.mentions(toks, s, e)
    profile.disable()
    tokens = sum(e - s for _, s, e in spans)
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    assert calls / tokens < 100, f"{calls / tokens:.0f} calls a token"


def _dev_articles() -> list[str]:
    return shared_path("gold", "dev_articles.jsonl").read_text(encoding="utf-8").splitlines()


def test_gold_actor_texts_floor() -> None:
    """Actor phrases of the PLOVER GSR, resolved alone: the first actor's country matches the gold.

    Many misses need the sentence (the gold places "Rwandan rebels" in Uganda), so this is a
    floor against regressions, not a score to tune. Measured 0.885 when written.
    """
    gold = json.loads(shared_path("gold", "PLOVER_GSR_CAMEO.json").read_text(encoding="utf-8"))
    total = hit = 0
    for record in gold[1:]:
        for side in ("source", "target"):
            for actor in record.get(side) or []:
                if not isinstance(actor, dict) or not actor.get("actorText") or actor.get("code") in (None, "***"):
                    continue
                want = {"JAP": "JPN", "ITL": "ITA", "NGO": "IGO"}.get(actor["code"], actor["code"])
                found = R.lookup(actor["actorText"])
                got = found[0].country if found else ""
                total += 1
                hit += ("IGO" if got in ("IGO", "NGO") else got) == want
    assert total > 600
    assert hit / total >= 0.86, hit / total


@pytest.mark.slow
def test_real_parses() -> None:
    """On spaCy's parses (pos and dep filled in), phrases resolve as they do on plain tokens."""
    from detente.nlp import parse

    cases = [
        ("Senior Hungarian and Romanian officials met on Wednesday.", "Senior Hungarian and Romanian officials",
         ["HUNGOV", "ROUGOV"]),
        ("Opposition leader Abdul-Rahman al-Kurdi rejected the offer.", "Opposition leader Abdul-Rahman al-Kurdi",
         ["OPP"]),
        ("The military coup shocked the region.", "The military coup", []),
        ("Serbs living in northern Kosovo staged a strike.", "Serbs living in northern Kosovo",
         ["XKXCVL"]),  # a people, placed where it lives
        ("Protesters in Tehran burned British flags.", "Protesters in Tehran", ["IRNCVL"]),
        ("US Ambassador to Russia John Sullivan was summoned.", "US Ambassador to Russia John Sullivan", ["USAGOV"]),
    ]
    for text, phrase, expected in cases:
        doc = parse(text)
        start, end = span(doc.tokens, phrase)
        head = next(t.i for t in doc.tokens[start:end] if not start <= t.head < end or t.head == t.i)
        got = [a.code for a in R.resolve(doc.tokens, start, end, on=date(2021, 4, 15), head=head)]
        assert got == expected, (text, got)


def test_a_generic_head_of_a_named_group_is_the_groups() -> None:
    # "the leader of Hamas" leads a rebel group, not a government
    assert codes("the leader of M23") == ["CODREB"]
    assert codes("the spokesman of JNIM") == ["MLIREB"]
    # a sector word before the generic head still gives its sector
    assert codes("the Kremlin spokesman") == ["RUSGOV"]
