"""Title Case headlines are parsed in sentence case, and the parse gives the original back."""

from __future__ import annotations

from datetime import date

from detente.coding import code_parsed, text_for_parsing
from detente.coding.headline import restore_case, sentence_case
from detente.model import Article
from tests.parses import frozen_parse

BODY = "\nThe navy seized the boat early on Monday, officials said. The boat's crew of six was detained."


def test_words_the_body_writes_in_lower_case_are_lowered_names_and_acronyms_kept() -> None:
    text = "Chilean Navy Seizes Peruvian Fishing Boat Off Arica, UN Says" + BODY
    cased = sentence_case(text, lambda word: word == "say")
    assert cased.split("\n")[0] == "Chilean navy seizes Peruvian Fishing boat off Arica, UN says"
    assert len(cased) == len(text) and cased.endswith(BODY)  # case only: every offset holds
    # the lexicon's event words are lowered even when the body does not use them
    assert sentence_case("Chile Expels Two Peruvian Diplomats" + BODY,
                         lambda word: word == "expel").startswith("Chile expels Two Peruvian")


def test_a_line_in_sentence_case_or_too_short_is_left_alone() -> None:
    for text in ("Chile's navy seized a Peruvian boat off Arica" + BODY, "Boat Seized" + BODY,
                 "One line only, No Body Follows It At All"):
        assert sentence_case(text) == text


def test_a_body_that_capitalises_a_word_mid_sentence_keeps_it_capitalised() -> None:
    body = "\nThe Navy said the boat was seized. A navy spokesman said it was the Navy's third seizure."
    assert sentence_case("Chilean Navy Seizes Peruvian Boat" + body).startswith("Chilean Navy seizes")


def test_the_coder_parses_the_headline_in_sentence_case_and_quotes_it_as_written() -> None:
    title = "Chilean Navy Seizes Peruvian Fishing Boat Off Arica"
    article = Article(id="art", doc_id="doc", document_id="doc", text=BODY.strip(), title=title,
                      published=date(2024, 3, 6))
    text = text_for_parsing(article)
    assert text.startswith("Chilean navy seizes")
    parsed = frozen_parse(text)
    restored = restore_case(parsed, title + BODY)
    assert restored.text == title + BODY and restored.sentences[0].text == title
    assert [t.text for t in restored.tokens[:3]] == ["Chilean", "Navy", "Seizes"]
    assert [t.lemma for t in restored.tokens[1:3]] == [t.lemma for t in parsed.tokens[1:3]]  # the parse is kept
    headline = [e for e in code_parsed(article, parsed) if e.sentence == title and e.type == "COERCE"]
    assert [(e.source.country, e.mode, e.target.country if e.target else None) for e in headline] == [
        ("CHL", "seize", "PER")]
    assert headline[0].span == (0, len(title)) and "'Seizes'" in headline[0].rule


def _headline_events(title: str, body: str) -> list[tuple[str, str, str | None]]:
    article = Article(id="art", doc_id="doc", document_id="doc", text=body, title=title, published=date(2024, 3, 6))
    events = code_parsed(article, frozen_parse(text_for_parsing(article)))
    return [(e.type, e.source.code, e.target.code if e.target else None) for e in events
            if e.sentence == title and e.is_real]


PASSIVE_BODY = "ACCRA, Ghana (AP) - Officials said on Wednesday that the events took place in the capital."


def test_a_headline_passive_without_its_auxiliary_is_done_to_its_subject() -> None:
    # the parser reads "Ghana opposition leaders arrested" as the leaders arresting someone
    assert _headline_events("Ghana opposition leaders arrested", PASSIVE_BODY) == [("COERCE", "GHAGOV", "GHAOPP")]
    # a participle on the headline's only noun phrase, with the one who did it named by "by"
    assert _headline_events("Togolese fishermen freed by Ghana", PASSIVE_BODY) == [("RETREAT", "GHAGOV", "TGOAGR")]
    # an active headline keeps its doer, and a verb with no object of its act is left alone
    assert ("SANCTION", "GHAGOV", "TGOGOV") in _headline_events("Ghana expels Togolese diplomats", PASSIVE_BODY)
    assert not any(e[2] == "GHAGOV" for e in _headline_events("Ghana warns Togo of reprisals", PASSIVE_BODY))



def test_a_headline_verb_whose_bare_noun_phrases_the_parser_hung_on_it_gets_them_back() -> None:
    # the parser hangs "Mali" on "expels" as an adjective and "ambassador" as an adverbial noun
    assert ("SANCTION", "MLIGOV", "FRAGOV") in _headline_events("Mali expels French ambassador", PASSIVE_BODY)
    # "junta" a compound of the verb: the subject alone is put back
    assert ("SANCTION", "MLIGOV", "FRAGOV") in _headline_events("Mali junta expels French ambassador", PASSIVE_BODY)


def _reparsed(title: str, body: str) -> tuple[Article, object, object]:
    from detente.coding.coder import _event_verb
    from detente.coding.headline import headline_verb

    article = Article(id="a", doc_id="d", document_id="d", text=body, title=title, published=date(2024, 5, 6))
    parsed = frozen_parse(text_for_parsing(article))
    return article, parsed, headline_verb(parsed, frozen_parse, _event_verb)


def test_a_headline_verb_read_as_a_noun_is_parsed_again_in_the_past_tense() -> None:
    # "releases" read as a plural subject, "detained" as the verb: parsed again as "released"
    article, before, after = _reparsed("Gabon releases detained Cameroonian fishermen",
                                       "The fishermen were freed on Monday.")
    assert after is not before
    verb = after.tokens[1]  # type: ignore[attr-defined]
    assert (verb.text, verb.pos, verb.dep, verb.lemma, verb.tag) == ("releases", "VERB", "ROOT", "release", "VBZ")
    assert after.tokens[0].dep == "nsubj" and after.text == before.text  # type: ignore[attr-defined]
    events = [e for e in code_parsed(article, after) if e.sentence_index == -1 and e.is_real]  # type: ignore[arg-type]
    assert [(e.source.country, e.type, e.target.country if e.target else None) for e in events] == [
        ("GAB", "RETREAT", "CMR")]  # the headline's own act (sentence -1), no detention besides
    assert any(e.sentence_index == -1 and e.type == "COERCE"
               for e in code_parsed(article, before))  # type: ignore[arg-type]  # "detained" read as the verb


def test_a_headline_noun_that_is_no_verb_is_left_as_parsed() -> None:
    # a noun before a colon, and a verb the parser already read: nothing is parsed again
    for title, body in (("Senegal sanctions: what we know", "The measures took effect."),
                        ("Ghana pleads with neighbours to reopen border", "The talks continue.")):
        _, before, after = _reparsed(title, body)
        assert after is before


def test_the_past_tense_of_regular_doubled_and_irregular_verbs() -> None:
    from detente.coding.headline import past_tense

    assert [past_tense(v) for v in ("release", "ban", "rally", "expel", "hold", "visit", "seize", "strike")] == [
        "released", "banned", "rallied", "expelled", "held", "visited", "seized", "struck"]
