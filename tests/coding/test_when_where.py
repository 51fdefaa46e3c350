"""Event dates and places (detente.coding.when / where) on invented sentences, from frozen parses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from detente.coding.coder import code_parsed
from detente.coding.discourse import quote_mask
from detente.coding.when import ArticleDates, EventDate, find_dateline, parse_calendar_date, share_event_dates
from detente.coding.where import ArticlePlaces, Place, resolve_place
from detente.model import Article, Event
from tests.parses import frozen_parse
from tests.store_support import make_event

WEDNESDAY = date(2025, 3, 12)


def _verb(text: str, word: str) -> int:
    p = frozen_parse(text)
    return next(t.i for t in p.tokens if t.text == word)


def _date(text: str, trigger: str, published: date | None = WEDNESDAY, sentence: int = 0,
          future: bool = False) -> EventDate:
    p = frozen_parse(text)
    mask = quote_mask(p.text)
    dates = ArticleDates(p, published, in_quote=[mask[t.idx] for t in p.tokens])
    return dates.for_event(sentence, [_verb(text, trigger)], future=future)


def _place(text: str, trigger: str, sentence: int = 0, countries: tuple[str, ...] = ()) -> Place | None:
    p = frozen_parse(text)
    mask = quote_mask(p.text)
    places = ArticlePlaces(p, in_quote=[mask[t.idx] for t in p.tokens])
    return places.for_event(sentence, [_verb(text, trigger)], countries=countries)


# --- dates -------------------------------------------------------------------------------------


def test_a_weekday_is_the_one_on_or_before_the_article_date() -> None:
    got = _date("Algeria's foreign ministry said on Monday it had summoned the French envoy.", "said")
    assert (got.day, got.precision, got.source) == (date(2025, 3, 10), "day", "sentence")


def test_a_weekday_in_an_article_of_that_weekday_is_that_day() -> None:
    got = _date("The ministry said on Wednesday that it had expelled two diplomats.", "expelled")
    assert got.day == WEDNESDAY and got.source == "sentence"


def test_a_weekday_of_an_act_to_come_is_read_forward() -> None:
    got = _date("The foreign minister will travel to Paris on Tuesday.", "travel", published=date(2025, 3, 10),
                future=True)
    assert got.day == date(2025, 3, 11)
    # read as what was said (a stated intent, not flagged future), it is not dated after the article
    said = _date("The foreign minister will travel to Paris on Tuesday.", "travel", published=date(2025, 3, 10))
    assert said.day is not None and said.day <= date(2025, 3, 10)


def test_a_statement_is_not_dated_by_the_day_of_the_act_it_announces() -> None:
    # a day still to come dates the planned act; the statement, which has happened, takes its own
    text = "The Kenyan ministry said on Monday that duties on Ugandan sugar will rise next Friday."
    assert _date(text, "rise", future=True).day == date(2025, 3, 14)
    got = _date(text, "rise")
    assert got.day == date(2025, 3, 10) and got.source == "sentence"


def test_yesterday_is_the_day_before() -> None:
    got = _date("Yesterday, police arrested two protesters in Oran.", "arrested")
    assert (got.day, got.precision) == (date(2025, 3, 11), "day")


def test_explicit_dates_with_and_without_a_year() -> None:
    assert _date("The navy shelled the port on 12 March, the ministry said.", "shelled",
                 published=date(2025, 3, 14)).day == date(2025, 3, 12)
    got = _date("Protesters rallied in Paris on March 12, 2025.", "rallied", published=date(2025, 6, 1))
    assert (got.day, got.precision, got.historical) == (date(2025, 3, 12), "day", False)


def test_relative_spans_name_their_first_day() -> None:
    week = _date("Troops were deployed to the border last week, officials said.", "deployed")
    assert (week.day, week.precision) == (date(2025, 3, 3), "week")  # the Monday of the week before
    month = _date("The government expelled the ambassador earlier this month.", "expelled")
    assert (month.day, month.precision) == (date(2025, 3, 1), "month")


def test_the_weekend_is_its_saturday_and_the_nth_is_a_day_of_this_month_or_the_last() -> None:
    weekend = _date("Rebels shelled the airport over the weekend, the army said.", "shelled")
    assert (weekend.day, weekend.precision, weekend.source) == (date(2025, 3, 8), "week", "sentence")
    sunday = _date("Rebels shelled the airport over the weekend, the army said.", "shelled", published=date(2025, 3, 9))
    assert sunday.day == date(2025, 3, 8)  # the weekend of a Sunday article is this one
    this_month = _date("The navy seized the tanker on the 10th, officials said.", "seized")
    assert (this_month.day, this_month.precision) == (date(2025, 3, 10), "day")
    last_month = _date("The navy seized the tanker on the 20th, officials said.", "seized")
    assert last_month.day == date(2025, 2, 20)  # the 20th of March is still to come in a March 12 article
    assert _date("The navy seized the tanker on the 31st, officials said.", "seized",
                 published=date(2025, 3, 12)).day == date(2025, 3, 12)  # February has no 31st: the article's day


def test_last_december_in_a_january_article_is_the_year_before() -> None:
    got = _date("Last December, the government imposed a curfew in Khartoum.", "imposed", published=date(2025, 1, 9))
    assert (got.day, got.precision) == (date(2024, 12, 1), "month")


def test_past_years_keep_their_own_date_and_are_historical() -> None:
    got = _date("Rebels abducted the aid worker in August 2016 near the border town of Rafah.", "abducted")
    assert (got.day, got.precision, got.historical) == (date(2016, 8, 1), "month", True)
    war = _date("The two armies fought each other in the 1967 war.", "fought")
    assert (war.day, war.precision, war.historical) == (date(1967, 1, 1), "year", True)


def test_a_dateline_without_a_year_takes_the_publication_year() -> None:
    text = "KYIV, March 3 - Russian forces shelled the city overnight, the mayor said."
    got = _date(text, "shelled", published=date(2025, 3, 4))
    assert (got.day, got.source) == (date(2025, 3, 3), "dateline")
    line = find_dateline(text)
    assert line is not None and (line.place, line.date_text) == ("KYIV", "March 3")
    assert find_dateline("Russian forces shelled the city - the mayor said.") is None


def test_a_sentence_without_a_date_falls_back_to_the_publication_date() -> None:
    got = _date("Police detained a journalist in Austin, Texas.", "detained")
    assert (got.day, got.precision, got.source) == (WEDNESDAY, "day", "published")
    assert _date("Police detained a journalist in Austin, Texas.", "detained", published=None).day is None


def test_a_quote_that_runs_on_keeps_the_date_of_the_sentence_before() -> None:
    text = "\"We will not accept this,\" he told reporters in Tehran on Sunday.\n\"They must stop the attacks now.\""
    assert _date(text, "stop", sentence=1).day == date(2025, 3, 9)


def test_a_sentence_of_the_same_paragraph_naming_no_date_keeps_the_day_before_it() -> None:
    text = ("Violence has spread across central Mali. Aid groups are stretched.\n"
            "On Monday, gunmen attacked a village near Gao. They killed 12 people.\n"
            "Aid groups evacuated the wounded.")
    assert _date(text, "killed", sentence=3).day == date(2025, 3, 10)
    # a new paragraph starts a new moment: the publication date again
    assert _date(text, "evacuated", sentence=4).source == "published"
    # a sentence with a date of its own keeps it
    assert _date("On Monday, gunmen attacked a village near Gao. They struck again on Tuesday.", "struck",
                 sentence=1).day == date(2025, 3, 11)


def test_calendar_dates_near_the_turn_of_the_year() -> None:
    assert parse_calendar_date("Dec. 30", date(2025, 1, 4)) == (date(2024, 12, 30), "day")
    assert parse_calendar_date("Jan. 2", date(2024, 12, 30)) == (date(2025, 1, 2), "day")
    assert parse_calendar_date("August 2016", None) == (date(2016, 8, 1), "month")
    assert parse_calendar_date("March 3", None) is None


# --- places ------------------------------------------------------------------------------------


def test_a_locative_names_the_city_with_its_geonames_record() -> None:
    got = _place("Yesterday, police arrested two protesters in Oran.", "arrested")
    assert got is not None and (got.text, got.country, got.precision) == ("Oran", "DZA", "city")
    assert got.geonames_id and got.lat is not None and got.lon is not None and got.admin1 == "DZ.09"


def test_a_place_named_inside_a_description() -> None:
    rafah = _place("Rebels abducted the aid worker in August 2016 near the border town of Rafah.", "abducted",
                   countries=("PSE",))
    assert rafah is not None and (rafah.text, rafah.country) == ("Rafah", "PSE")
    city = _place("Gunmen attacked a market in the Nigerian city of Maiduguri on Tuesday.", "attacked")
    assert city is not None and (city.text, city.country) == ("Maiduguri", "NGA")
    summit = _place("The leaders met at the Singapore summit in June 2018.", "met")
    assert summit is not None and summit.text == "Singapore"


def test_off_the_coast_of_an_island() -> None:
    got = _place("The coast guard seized a fishing boat off the coast of Luzon in 2016.", "seized")
    assert got is not None and (got.text, got.country, got.precision) == ("Luzon", "PHL", "admin1")


def test_a_town_the_sentence_calls_one_is_the_place_even_unknown_to_geonames() -> None:
    got = _place("Soldiers killed a rebel commander in the town of Kabrousse, near Ziguinchor.", "killed")
    assert got is not None and (got.text, got.country, got.geonames_id) == ("Kabrousse", "SEN", None)
    assert got.lat is not None  # placed at the town named beside it


def test_a_qualifier_decides_between_places_of_one_name() -> None:
    got = _place("Police detained a journalist in Austin, Texas.", "detained")
    assert got is not None and (got.country, got.admin1) == ("USA", "US.TX")


def test_paris_texas_only_when_the_article_is_about_texas() -> None:
    assert resolve_place("Paris").country == "FRA"  # type: ignore[union-attr]
    assert resolve_place("Paris", countries=frozenset({"USA"}), actors=frozenset({"USA"})).country == "FRA"  # type: ignore[union-attr]
    texas = resolve_place("Paris", countries=frozenset({"USA"}), states=frozenset({"TX"}))
    assert texas is not None and (texas.country, texas.admin1) == ("USA", "US.TX")


def test_countries_regions_seats_and_non_places() -> None:
    uk = resolve_place("the U.K.")
    assert uk is not None and (uk.country, uk.precision) == ("GBR", "country") and uk.lat is not None
    house = resolve_place("the White House")
    assert house is not None and house.country == "USA" and house.precision == "city"
    assert resolve_place("United Nations") is None
    europe = resolve_place("Europe")
    assert europe is not None and europe.lat is None  # a continent: words only, no point


def test_the_dateline_city_is_the_place_when_the_sentence_names_none() -> None:
    got = _place("KYIV, March 3 - Russian forces shelled the city overnight, the mayor said.", "shelled")
    assert got is not None and (got.text, got.country, got.source) == ("Kyiv", "UKR", "dateline")


def test_no_place_when_nothing_names_one() -> None:
    assert _place("The government expelled the ambassador earlier this month.", "expelled") is None


def test_a_quote_that_runs_on_happened_where_the_sentence_before_did() -> None:
    text = "\"We will not accept this,\" he told reporters in Tehran on Sunday.\n\"They must stop the attacks now.\""
    got = _place(text, "stop", sentence=1)
    assert got is not None and got.text == "Tehran"


# --- through the coder ---------------------------------------------------------------------------


def test_coded_events_carry_date_and_place_fields() -> None:
    text = "Gunmen attacked a market in the Nigerian city of Maiduguri on Tuesday."
    article = Article(id="a1", doc_id="d1", document_id="x", text=text, published=WEDNESDAY)
    events = code_parsed(article, frozen_parse(text))
    assert events
    ev = events[0]
    assert (ev.date, ev.date_precision, ev.date_source) == (date(2025, 3, 11), "day", "sentence")
    assert (ev.place, ev.place_country, ev.geo_precision) == ("Maiduguri", "NGA", "city")
    d = ev.to_dict()
    assert d["place"] == "Maiduguri" and d["date_precision"] == "day" and d["reported"] is False
    assert type(ev).from_dict(d) == ev


def test_a_historical_event_is_dated_in_its_own_past() -> None:
    text = "Rebels abducted the aid worker in August 2016 near the border town of Rafah."
    article = Article(id="a2", doc_id="d2", document_id="y", text=text, published=WEDNESDAY)
    events = code_parsed(article, frozen_parse(text))
    assert events and all(e.date == date(2016, 8, 1) and e.historical for e in events)


@pytest.mark.parametrize("flag", ["negated", "hypothetical", "future", "reported"])
def test_reported_is_a_modality_flag_like_the_others(flag: str) -> None:
    text = "Gunmen attacked a market in the Nigerian city of Maiduguri on Tuesday."
    article = Article(id="a1", doc_id="d1", document_id="x", text=text, published=WEDNESDAY)
    ev = code_parsed(article, frozen_parse(text))[0]
    assert ev.is_real and not replace(ev, **{flag: True}).is_real


def test_the_lead_day_dates_the_storys_undated_sentences() -> None:
    text = "Officials said on Monday that troops had shelled the town.\nThe army denied any attack on civilians."
    got = _date(text, "denied", sentence=1)  # published on Wednesday: Monday's news
    assert (got.day, got.source) == (date(2025, 3, 10), "sentence")
    assert _date(text, "denied", sentence=1, published=None).day is None  # no day to count from


@pytest.mark.parametrize(("text", "actor", "place"), [
    ("UK strikes kill five in Iraq", "GBR", "Iraq"),
    ("U.S. strikes hit two towns in Somalia", "USA", "Somalia"),
])
def test_the_country_before_the_act_is_its_actor_not_its_place(text: str, actor: str, place: str) -> None:
    article = Article(id="a4", doc_id="d4", document_id="w", text=text, published=WEDNESDAY)
    events = [e for e in code_parsed(article, frozen_parse(text)) if e.source.country == actor]
    assert events and all(e.place == place for e in events)


def test_a_headline_takes_the_day_the_body_names_for_the_same_act() -> None:
    # the lead names Sunday for another act (the seizure); the headline's condemnation is Tuesday's
    text = ("Peru condemns Chile over seizure of fishing boats\n"
            "Chilean patrol boats seized three Peruvian trawlers on Sunday.\n"
            "Peru's foreign ministry on Tuesday condemned Chile over the seizure and summoned its ambassador.")
    article = Article(id="a3", doc_id="d3", document_id="z", text=text, published=WEDNESDAY)
    events = code_parsed(article, frozen_parse(text))
    accuse = [e for e in events if e.type == "ACCUSE" and e.source.country == "PER" and e.target
              and e.target.country == "CHL"]
    assert {e.sentence_index for e in accuse} >= {-1, 2} or len(accuse) >= 2
    assert all(e.date == date(2025, 3, 11) and e.date_source == "sentence" for e in accuse)
    seized = [e for e in events if "seized" in e.sentence]
    assert seized and all(e.date == date(2025, 3, 9) for e in seized)


def _day_event(*args: Any, **kwargs: Any) -> Event:
    return replace(make_event(*args, **kwargs), date_precision="day")


def test_share_event_dates_only_from_one_named_day_of_the_same_act() -> None:
    fallback = _day_event("EGYGOV", "ACCUSE", "ETHGOV", WEDNESDAY, index=0)
    told = _day_event("EGYGOV", "ACCUSE", "ETHGOV", date(2025, 3, 10), index=3)
    other_act = _day_event("EGYGOV", "REQUEST", "ETHGOV", WEDNESDAY, index=1)
    got = share_event_dates([fallback, told, other_act], {fallback.id, other_act.id}, WEDNESDAY)
    assert [e.date for e in got] == [date(2025, 3, 10), date(2025, 3, 10), WEDNESDAY]
    assert got[0].date_source == "sentence" and got[2] == other_act
    # two different days named for the act: no way to tell which, the fallback stays
    again = _day_event("EGYGOV", "ACCUSE", "ETHGOV", date(2025, 3, 11), index=4)
    assert share_event_dates([fallback, told, again], {fallback.id}, WEDNESDAY)[0] == fallback
    # a day after the article, or weeks before it, is another occasion
    later = _day_event("EGYGOV", "ACCUSE", "ETHGOV", date(2025, 3, 14), index=5)
    old = _day_event("EGYGOV", "ACCUSE", "ETHGOV", date(2025, 2, 1), index=6)
    assert share_event_dates([fallback, later], {fallback.id}, WEDNESDAY)[0] == fallback
    assert share_event_dates([fallback, old], {fallback.id}, WEDNESDAY)[0] == fallback
    # flagged events neither give nor take a day
    denied = _day_event("EGYGOV", "ACCUSE", "ETHGOV", date(2025, 3, 10), index=7, negated=True)
    assert share_event_dates([fallback, denied], {fallback.id}, WEDNESDAY)[0] == fallback
    hypothetical = _day_event("EGYGOV", "ACCUSE", "ETHGOV", WEDNESDAY, index=8, hypothetical=True)
    assert share_event_dates([hypothetical, told], {hypothetical.id}, WEDNESDAY)[0] == hypothetical


def test_a_month_and_day_further_ahead_than_two_weeks_is_last_years() -> None:
    assert parse_calendar_date("December 1", date(2024, 10, 28)) == (date(2023, 12, 1), "day")
    assert parse_calendar_date("Dec. 13", date(2019, 12, 9)) == (date(2019, 12, 13), "day")


def test_unnamed_places_and_the_capital_a_country_adjective_names() -> None:
    parliament = _place("Riot police fired tear gas outside the parliament.", "fired")
    assert parliament is not None and parliament.text == "parliament" and parliament.lat is None
    kyiv = _place("The minister spoke to reporters in the Ukrainian capital.", "spoke")
    assert kyiv is not None and (kyiv.text, kyiv.country, kyiv.precision) == ("Ukrainian capital", "UKR", "city")


def test_an_act_dated_to_a_month_takes_the_day_another_sentence_names_in_it() -> None:
    last_month = replace(make_event("GBRGOV", "CONSULT", "USAGOV", date(2025, 2, 1), index=0), date_precision="month")
    on_the_day = _day_event("GBRGOV", "CONSULT", "USAGOV", date(2025, 2, 27), index=2)
    got = share_event_dates([last_month, on_the_day], set(), WEDNESDAY)
    assert (got[0].date, got[0].date_precision) == (date(2025, 2, 27), "day")
    # a day outside the month is another occasion
    in_march = _day_event("GBRGOV", "CONSULT", "USAGOV", date(2025, 3, 3), index=3)
    assert share_event_dates([last_month, in_march], set(), WEDNESDAY)[0] == last_month
