"""Chains need evidence of response: a later date in another report, or a response cue in the
response's own sentence. An article's background sentences never chain with each other."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from detente.analysis import all_reciprocity, reciprocity_chains
from detente.analysis.reciprocity import response_marker
from detente.model import Event
from detente.store import Store
from tests.store_support import article_for, make_event


def _store_article(store: Store, doc_id: str, day: date, lines: list[tuple[str, tuple[str, str, str] | None]]
                   ) -> list[Event]:
    """One article of ``lines``; a line with (source, type, target) carries that event, dated ``day``."""
    text = "\n".join(line for line, _ in lines)
    doc, article = article_for(text, doc_id=doc_id, published=day)
    events, offset = [], 0
    for index, (line, plan) in enumerate(lines):
        if plan is not None:
            src, kind, tgt = plan
            events.append(make_event(src, kind, tgt, day, article_id=article.id, index=index, sentence=line,
                                     span=(offset, offset + len(line)), doc_id=doc_id))
        offset += len(line) + 1
    with store.writer() as writer:
        writer.add(article, events, document=doc)
    return events


def _links(chains: list[Any]) -> list[tuple[str, str, int, str]]:
    return [(lk.provocation.sentence, lk.response.sentence, lk.lag_days, lk.basis) for c in chains for lk in c.links]


@pytest.fixture
def quarrel(store: Store) -> Store:
    _store_article(store, "a", date(2024, 3, 5), [
        ("Lithuania expelled two Belarusian diplomats on Tuesday.", ("LTUGOV", "SANCTION", "BLRGOV")),
        # background: the article's date is not the date of these acts, and nothing orders them
        ("Belarus has accused Lithuania of hostility for years.", ("BLRGOV", "ACCUSE", "LTUGOV")),
        ("Lithuania has often summoned the Belarusian envoy over border incidents.", ("LTUGOV", "ACCUSE", "BLRGOV")),
        ("Minsk has threatened Vilnius with economic pressure before.", ("BLRGOV", "THREATEN", "LTUGOV")),
    ])
    _store_article(store, "b", date(2024, 3, 8), [
        ("Belarus expelled three Lithuanian diplomats in retaliation.", ("BLRGOV", "SANCTION", "LTUGOV")),
    ])
    _store_article(store, "c", date(2024, 3, 12), [
        ("Lithuania imposed sanctions on eleven Belarusian officials.", ("LTUGOV", "SANCTION", "BLRGOV")),
    ])
    _store_article(store, "d", date(2024, 3, 12), [
        ("Belarus promised countermeasures against the Lithuanian government.", ("BLRGOV", "THREATEN", "LTUGOV")),
    ])
    # Two reports of one day, neither saying it answers the other: no link.
    _store_article(store, "e", date(2024, 4, 1), [
        ("Armenia accused Azerbaijan of shelling border villages.", ("ARMGOV", "ACCUSE", "AZEGOV")),
    ])
    _store_article(store, "f", date(2024, 4, 1), [
        ("Azerbaijan accused Armenia of staging provocations.", ("AZEGOV", "ACCUSE", "ARMGOV")),
    ])
    # One article, the answer marked by "after": a link on the same day.
    _store_article(store, "g", date(2024, 4, 10), [
        ("Japan lodged a protest with China over the survey ship.", ("JPNGOV", "ACCUSE", "CHNGOV")),
        ("China summoned the Japanese ambassador after Tokyo lodged the protest.", ("CHNGOV", "ACCUSE", "JPNGOV")),
    ])
    # Cooperation step for step, on later dates.
    _store_article(store, "h", date(2024, 5, 2), [
        ("Armenia released four Azerbaijani detainees.", ("ARMGOV", "AID", "AZEGOV")),
    ])
    _store_article(store, "i", date(2024, 5, 6), [
        ("Azerbaijan handed over two Armenian soldiers.", ("AZEGOV", "AID", "ARMGOV")),
    ])
    return store


def test_planted_responses_are_found_with_their_evidence(quarrel: Store) -> None:
    chains = reciprocity_chains(quarrel, "LTU", "BLR", kind="conflict")
    assert len(chains) == 1 and chains[0].initiator == "LTU"
    assert _links(chains) == [
        ("Lithuania expelled two Belarusian diplomats on Tuesday.",
         "Belarus expelled three Lithuanian diplomats in retaliation.", 3, "marked_response"),
        ("Belarus expelled three Lithuanian diplomats in retaliation.",
         "Lithuania imposed sanctions on eleven Belarusian officials.", 4, "later_date"),
        ("Lithuania imposed sanctions on eleven Belarusian officials.",
         "Belarus promised countermeasures against the Lithuanian government.", 0, "marked_response"),
    ]
    links = chains[0].links
    assert [lk.marker for lk in links] == ["in retaliation", None, "countermeasures"]
    assert links[0].to_dict()["basis"] == "marked_response" and links[0].to_dict()["marker"] == "in retaliation"

    same_article = reciprocity_chains(quarrel, "JPN", "CHN")
    assert _links(same_article) == [("Japan lodged a protest with China over the survey ship.",
                                     "China summoned the Japanese ambassador after Tokyo lodged the protest.", 0,
                                     "marked_response")]
    assert same_article[0].links[0].marker == "after Tokyo lodged the protest"

    cooperation = reciprocity_chains(quarrel, "ARM", "AZE", kind="cooperation")
    assert _links(cooperation) == [("Armenia released four Azerbaijani detainees.",
                                    "Azerbaijan handed over two Armenian soldiers.", 4, "later_date")]


def test_background_and_same_day_reports_never_chain(quarrel: Store) -> None:
    background = {"Belarus has accused Lithuania of hostility for years.",
                  "Lithuania has often summoned the Belarusian envoy over border incidents.",
                  "Minsk has threatened Vilnius with economic pressure before."}
    every = all_reciprocity(quarrel)
    for chain in every:
        for link in chain.links:
            assert link.provocation.article_id != link.response.article_id or link.basis == "marked_response"
            assert link.response.sentence not in background
            assert not (link.provocation.sentence in background and link.response.article_id
                        == link.provocation.article_id)
            assert link.lag_days >= 1 or link.basis == "marked_response"
    assert reciprocity_chains(quarrel, "ARM", "AZE", kind="conflict") == []
    assert {(c.kind, c.initiator) for c in every} == {("conflict", "LTU"), ("conflict", "JPN"),
                                                      ("cooperation", "ARM")}


@pytest.mark.parametrize(("sentence", "other", "marker"), [
    ("Moscow said the expulsions were a response to unfriendly steps.", "USA", None),
    ("In response, Russia summoned the US ambassador.", "USA", "In response"),
    ("Russia expelled ten US diplomats in a tit-for-tat move.", "USA", "tit-for-tat"),
    ("Iran retaliated with missile strikes on the base.", "USA", "retaliated"),
    ("China imposed counter-sanctions on the lawmakers.", "USA", "counter-sanctions"),
    ("Russia expelled the diplomats after Washington expelled ten Russians.", "USA",
     "after Washington expelled ten Russians"),
    ("Serbia closed the crossing following Kosovo's decision to ban its plates.", "XKX",
     "following Kosovo's decision to ban its plates"),
    ("The minister spoke after the meeting ended late on Tuesday evening in Brussels.", "USA", None),
    ("The talks resumed after us officials arrived.", "USA", None),
    # an answer promised, threatened or denied is no mark of one
    ("Belarus warned that it would respond to any further hostile steps in a mirror manner.", "LTU", None),
    ("Moscow vowed to retaliate against the new sanctions.", "USA", None),
    ("Iran did not retaliate, officials said.", "USA", None),
    ("Tehran said it won't retaliate yet.", "USA", None),
    ("Russia will respond to the expulsions, but it responded to the sanctions at once.", "USA", "responded to"),
])
def test_response_cues(sentence: str, other: str, marker: str | None) -> None:
    assert response_marker(sentence, other) == marker
