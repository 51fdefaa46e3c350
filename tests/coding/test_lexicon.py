"""The trigger lexicon: loading, validation, coverage of CAMEO roots, sample senses, spaCy lemmas."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from detente.coding.lexicon import (
    NOUNS_FILE,
    SUPPORT_FILE,
    VERBS_FILE,
    Lexicon,
    VerbEntry,
    build_lexicon,
    load_lexicon,
    load_lexicon_from,
)
from detente.coding.ontology import DataFileError, cameo_info
from tests.conftest import ROOT

VERB_HEADER = "lemma\tparticle\tprep\tobject\tcameo\ttarget\tnote\n"
NOUN_HEADER = "lemma\tcameo\ttarget\tnote\n"
SUPPORT_HEADER = "lemma\trole\tnote\n"


def _data(name: str) -> str:
    return resources.files("detente.coding").joinpath("data", name).read_text(encoding="utf-8")


def _sense(lex: Lexicon, lemma: str, *, particle: str = "", prep: str = "", obj: str | None = None,
           mods: tuple[str, ...] = ()) -> VerbEntry | None:
    """The most specific entry that fits, as a coder would choose it."""
    fits = [e for e in lex.verb_entries(lemma)
            if e.particle == particle and e.prep in ("", prep) and (not e.prep or e.prep == prep)
            and e.accepts_object(obj, mods)]
    return max(fits, key=lambda e: e.specificity, default=None)


def _code(lex: Lexicon, lemma: str, **kw: object) -> str | None:
    entry = _sense(lex, lemma, **kw)  # type: ignore[arg-type]
    return entry.cameo if entry else None


def test_the_packaged_lexicon_is_large_and_loads_once() -> None:
    lex = load_lexicon()
    assert load_lexicon() is lex
    verb_rows = sum(len(v) for v in lex.verbs.values())
    noun_rows = len({(e.lemma, e.cameo) for entries in lex.nouns.values() for e in entries})
    assert verb_rows > 1000
    assert noun_rows > 400
    assert len(lex.support_verbs) > 80


def test_every_cameo_root_from_02_to_20_has_verb_rows() -> None:
    lex = load_lexicon()
    roots = {e.cameo[:2] for entries in lex.verbs.values() for e in entries}
    assert {f"{r:02d}" for r in range(2, 21)} <= roots


def test_every_code_is_known_and_every_type_has_verbs() -> None:
    lex = load_lexicon()
    types = set()
    for entries in lex.verbs.values():
        for e in entries:
            types.add(cameo_info(e.cameo).plover_type)
            assert cameo_info(e.cameo).code == e.cameo
    assert len(types) == 16


@pytest.mark.parametrize(("lemma", "kw", "code"), [
    # intent, request, rejection, threat, accusation verbs the coder relies on
    ("agree", {}, "030"), ("offer", {}, "030"), ("pledge", {}, "030"), ("promise", {}, "030"),
    ("propose", {}, "030"), ("vow", {}, "030"), ("willing", {}, "030"),
    ("agree", {"prep": "to", "obj": "ceasefire"}, "0356"),
    ("urge", {}, "020"), ("call", {"prep": "on"}, "020"), ("ask", {"obj": "russia"}, "020"),
    ("demand", {}, "100"), ("press", {"obj": "iran"}, "100"), ("demand", {"obj": "release"}, "1053"),
    ("refuse", {}, "120"), ("reject", {}, "120"), ("veto", {}, "129"),
    ("reject", {"obj": "talk"}, "125"), ("dismiss", {"obj": "accusation"}, "120"),
    ("deny", {"obj": "entry"}, "1245"),
    ("threaten", {}, "130"), ("warn", {}, "130"), ("vow", {"obj": "revenge"}, "138"),
    ("threaten", {"obj": "sanction"}, "1312"),
    ("accuse", {}, "112"), ("condemn", {}, "111"), ("criticise", {}, "111"), ("criticize", {}, "111"),
    ("denounce", {}, "111"), ("blame", {}, "112"), ("slam", {}, "111"),
    ("accuse", {"prep": "of", "obj": "espionage"}, "1125"),
    ("summon", {"obj": "ambassador"}, "114"),
    # the brief's object-specific senses
    ("impose", {"obj": "sanction"}, "163"), ("impose", {"obj": "curfew"}, "1723"),
    ("impose", {"obj": "law", "mods": ("martial",)}, "1724"),
    ("hold", {"obj": "talk"}, "040"), ("sign", {"obj": "agreement"}, "057"),
    ("lift", {"obj": "sanction"}, "085"), ("ease", {"obj": "curfew"}, "0813"),
    ("launch", {"obj": "attack"}, "190"), ("launch", {"obj": "airstrike"}, "195"),
    ("fire", {"obj": "missile"}, "195"), ("fire", {"obj": "gas", "mods": ("tear",)}, "175"),
    ("fire", {"obj": "bullet", "mods": ("rubber",)}, "175"), ("fire", {"obj": "bullet"}, "193"),
    ("stage", {"obj": "protest"}, "141"), ("stage", {"obj": "strike", "mods": ("hunger",)}, "142"),
    ("hit", {"prep": "with", "obj": "sanction"}, "163"),
    ("strike", {"particle": "back", "prep": "with", "obj": "tariff"}, "163"),
    ("retaliate", {"prep": "with", "obj": "sanction"}, "163"), ("retaliate", {}, "190"),
    ("vow", {"obj": "pressure"}, "1312"), ("pledge", {"obj": "pressure"}, "1312"),
    ("expel", {"obj": "diplomat"}, "166"), ("expel", {"obj": "journalist"}, "174"), ("expel", {}, "174"),
    ("halt", {"obj": "negotiation"}, "164"), ("suspend", {"obj": "aid"}, "162"),
    ("strike", {"obj": "deal"}, "030"), ("strike", {"obj": "target"}, "190"), ("strike", {"prep": "for"}, "143"),
    ("meet", {}, "040"), ("visit", {}, "042"), ("host", {}, "043"), ("talk", {"prep": "with"}, "040"),
    ("attack", {}, "190"), ("crack", {"particle": "down", "prep": "on", "obj": "protester"}, "175"),
    ("pull", {"particle": "out"}, "0874"), ("release", {"obj": "hostage"}, "0841"),
    ("arrest", {}, "173"), ("deport", {}, "174"), ("shell", {}, "194"), ("declare", {"obj": "ceasefire"}, "0871"),
])
def test_sample_senses(lemma: str, kw: dict[str, object], code: str) -> None:
    assert _code(load_lexicon(), lemma, **kw) == code


def test_ambiguous_verbs_stay_conservative() -> None:
    lex = load_lexicon()
    assert _code(lex, "fire", obj="minister") is None  # firing a minister is no event
    assert _code(lex, "talk") is None  # only with an actor after with/to
    assert _code(lex, "hold", obj="election") is None
    assert _code(lex, "release", obj="statement") is None  # the generic row excludes it
    assert _code(lex, "decline", obj="comment") is None
    assert _code(lex, "strike", obj="balance") is None
    assert _code(lex, "fight", obj="corruption") is None
    assert _code(lex, "meet", obj="deadline") is None
    assert _code(lex, "sign", obj="bill") is None


def test_nouns_multiword_and_sense_order() -> None:
    lex = load_lexicon()
    strikes = lex.noun_entries("strike")
    assert strikes[0].lemma in ("strike", "hunger strike")
    assert [e.cameo for e in strikes if e.lemma == "strike"] == ["190", "143"]  # military first, labour next
    assert {e.lemma for e in strikes} >= {"air strike", "hunger strike", "general strike"}
    assert lex.noun_entries("air strike")[0].cameo == "195"
    assert lex.noun_entries("cease fire")[0].cameo == "0871"
    for lemma, code in (("expulsion", "166"), ("talk", "040"), ("ceasefire", "0871"), ("sanction", "163"),
                        ("airstrike", "195"), ("crackdown", "175"), ("arrest", "173"), ("release", "0841"),
                        ("withdrawal", "0874"), ("deployment", "154"), ("appeal", "020"), ("threat", "130"),
                        ("accusation", "112"), ("visit", "042"), ("protest", "141"), ("agreement", "030")):
        first_single = next(e for e in lex.noun_entries(lemma) if " " not in e.lemma)
        assert first_single.cameo == code, lemma
    assert "prep:on" in lex.noun_entries("attack")[0].target


def test_support_and_reversal_verbs() -> None:
    roles = load_lexicon().support_verbs
    for lemma in ("announce", "impose", "launch", "hold", "conduct", "stage", "issue", "lodge", "declare", "wage"):
        assert roles[lemma] == "support", lemma
    for lemma in ("lift", "ease", "end", "suspend", "halt", "cancel", "revoke", "call off", "postpone", "foil"):
        assert roles[lemma] == "reversal", lemma
    assert "condemn" not in roles  # an event of its own, not a reversal


def test_load_from_a_directory(tmp_path: Path) -> None:
    for name in (VERBS_FILE, NOUNS_FILE, SUPPORT_FILE):
        (tmp_path / name).write_text(_data(name), encoding="utf-8")
    copy = load_lexicon_from(tmp_path)
    assert copy.verbs.keys() == load_lexicon().verbs.keys()
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize(("verbs", "expected"), [
    ("impose\t\t\tsanction\t999\t\tx\n", "verbs.tsv:3: CAMEO code '999'"),
    ("impose\t\t\tsanction\t010\t\tx\n", "CAMEO 01 is not an event"),
    ("Impose\t\t\t\t163\t\tx\n", "one lowercase word"),
    ("pull out\t\t\t\t0874\t\tx\n", "one lowercase word"),
    ("-fire\t\t\t\t150\t\tx\n", "two joined by a hyphen"),
    ("test--fire\t\t\t\t150\t\tx\n", "two joined by a hyphen"),
    ("impose\t\t\tSanction\t163\t\tx\n", "object 'Sanction'"),
    ("impose\t\t\tsanction\t163\tobject\tx\n", "unknown target form 'object'"),
    ("impose\t\t\tsanction\t163\t\tx\nimpose\t\t\tsanction\t163\t\ty\n", "duplicate row"),
    ("impose\t\t\tsanction|curfew\t163\t\tx\nimpose\t\t\tcurfew\t1723\t\ty\n", "already coded at line 3"),
    ("impose\t\t\t!\t163\t\tx\n", "'!' must be followed"),
    ("impose\t\t\tsanction\t163\t\tx\textra\n", "at most 7 expected"),
])
def test_bad_verb_rows_name_file_and_line(verbs: str, expected: str) -> None:
    text = "# comment\n" + VERB_HEADER + verbs
    with pytest.raises(DataFileError) as err:
        build_lexicon(text, NOUN_HEADER, SUPPORT_HEADER)
    assert expected in str(err.value)


def test_bad_headers_nouns_and_support_rows() -> None:
    with pytest.raises(DataFileError, match="header"):
        build_lexicon("lemma\tcameo\n", NOUN_HEADER, SUPPORT_HEADER)
    with pytest.raises(DataFileError, match="no header row"):
        build_lexicon("# only a comment\n", NOUN_HEADER, SUPPORT_HEADER)
    with pytest.raises(DataFileError, match=r"nouns.tsv:3: duplicate"):
        build_lexicon(VERB_HEADER, NOUN_HEADER + "talk\t040\t\tx\ntalk\t040\t\ty\n", SUPPORT_HEADER)
    with pytest.raises(DataFileError, match="noun lemma"):
        build_lexicon(VERB_HEADER, NOUN_HEADER + "air-strike\t195\t\tx\n", SUPPORT_HEADER)
    with pytest.raises(DataFileError, match="role 'helper'"):
        build_lexicon(VERB_HEADER, NOUN_HEADER, SUPPORT_HEADER + "announce\thelper\t\n")
    with pytest.raises(DataFileError, match="listed twice"):
        build_lexicon(VERB_HEADER, NOUN_HEADER, SUPPORT_HEADER + "lift\treversal\t\nlift\tsupport\t\n")


def test_a_small_valid_lexicon() -> None:
    lex = build_lexicon(
        VERB_HEADER + "release\t\t\t!statement|report\t0841\tdobj\tx\nrelease\t\t\thostage\t0841\tdobj\ty\n",
        NOUN_HEADER + "air strike\t195\tprep:on|prep:against\tx\nstrike\t190\t\tx\n",
        SUPPORT_HEADER + "call off\treversal\t\nlaunch\tsupport\t\n",
    )
    generic, specific = lex.verb_entries("Release")
    assert generic.excluded == {"statement", "report"} and not generic.objects
    assert generic.accepts_object("hostage") and not generic.accepts_object("statement")
    assert specific.specificity > generic.specificity
    assert [e.lemma for e in lex.noun_entries("strike")] == ["air strike", "strike"]
    assert lex.noun_entries("air strike")[0].target == ("prep:on", "prep:against")
    assert lex.support_verbs["call off"] == "reversal"


def test_an_of_phrase_object_matches_its_head_and_complement() -> None:
    lex = build_lexicon(VERB_HEADER + "lift\t\t\tstate of emergency|curfew\t0814\t\tx\n", NOUN_HEADER, SUPPORT_HEADER)
    (entry,) = lex.verb_entries("lift")
    assert entry.accepts_object("state", (), "emergency") and entry.accepts_object("curfew")
    assert not entry.accepts_object("state") and not entry.accepts_object("state", (), "war")


def _coverage_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lexicon_coverage", ROOT / "scripts" / "lexicon_coverage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_coverage_script_reads_gsr_markup() -> None:
    cov = _coverage_module()
    markup = ("The (SRC: United Nations) (EVT: has sent} 21 (SRC: personnel) (LOC:to (TAR: Bosnia)) "
              "(EVT: to investigate) the feasibility; (EVT: attempt to assassinate) "
              "(EVT: thwarted (LOC: in (SRC: X)) in May")
    assert cov.evt_phrases(markup) == ["has sent", "to investigate", "attempt to assassinate", "thwarted in X"]
    text = "Sudan has offered to hand over to Egypt three of its citizens"
    assert cov.locate(text, ["offered to hand over"]) == [(10, 30)]
    assert cov.gold_type("FIGHT") == "ASSAULT" and cov.gold_type("DEMAND") == "REQUEST"


@pytest.mark.slow
def test_lexicon_keys_are_spacy_lemmas() -> None:
    """Inflected news words lemmatise to keys the lexicon has; every key is its own lemma."""
    from detente.nlp import parse, parse_many

    lex = load_lexicon()
    parsed = parse("Russia expelled ten diplomats and threatened Kyiv. The two sides held talks after airstrikes. "
                   "The EU imposed sanctions. Britain criticised Iran and the US criticized China. "
                   "Police detained protesters and fired tear gas. Rebels freed hostages and shelled the town. "
                   "Troops withdrew. Crowds staged demonstrations. Officials summoned the ambassador. "
                   "Rebels waged war.")
    lemmas = {t.text.lower(): t.lemma.lower() for t in parsed.tokens}
    for word in ("expelled", "threatened", "held", "imposed", "criticised", "criticized", "detained",
                 "fired", "freed", "shelled", "withdrew", "staged", "summoned", "waged"):
        assert lex.verb_entries(lemmas[word]), word
    for word in ("diplomats", "talks", "airstrikes", "sanctions", "protesters", "demonstrations", "hostages"):
        assert lex.noun_entries(lemmas[word]) or any(
            lemmas[word] in e.objects for entries in lex.verbs.values() for e in entries), word

    # spaCy maps some inflected forms to non-words ("staged" -> "stag"); the lexicon repeats the
    # real verb's senses under those lemmas and says so in the note: check the form gives the lemma.
    quirks: dict[str, str] = {}
    for lemma, entries in lex.verbs.items():
        m = re.search(r"spaCy lemmatises '(\w+)' as '(\w+)'", entries[0].note)
        if m and m.group(2) == lemma:
            quirks[lemma] = m.group(1)
    assert {"stag", "wag"} <= set(quirks)
    for lemma, doc in zip(quirks, parse_many([f"Officials {form} it on Monday." for form in quirks.values()]),
                          strict=True):
        assert doc.tokens[1].lemma.lower() == lemma, (lemma, doc.tokens[1].lemma)

    adjectives = {"willing", "ready", "prepared", "eager", "guilty"}
    hyphenated = sorted(v for v in lex.verbs if "-" in v)  # "test-fire": split by the tokenizer
    verbs = sorted(set(lex.verbs) - adjectives - set(quirks) - set(hyphenated))
    for lemma, doc in zip(verbs, parse_many([f"They will {v} them." for v in verbs], batch_size=128), strict=True):
        assert doc.tokens[2].lemma.lower() == lemma, (lemma, doc.tokens[2].lemma)
    assert hyphenated
    for lemma, doc in zip(hyphenated, parse_many([f"They will {v} them." for v in hyphenated]), strict=True):
        first, last = lemma.split("-")
        assert (doc.tokens[2].lower, doc.tokens[3].text, doc.tokens[4].lemma.lower()) == (first, "-", last), lemma
    for lemma, doc in zip(sorted(adjectives), parse_many([f"They are {a} to go." for a in sorted(adjectives)]),
                          strict=True):
        assert doc.tokens[2].lemma.lower() == lemma, (lemma, doc.tokens[2].lemma)

    words: set[str] = set()
    for entries in lex.nouns.values():
        for n in entries:
            words.update(n.lemma.split())
    for entries in lex.verbs.values():
        for v in entries:
            for item in v.objects | v.excluded:
                words.update(item.split())
    ordered = sorted(words)
    for word, doc in zip(ordered, parse_many([f"The {w} was there." for w in ordered], batch_size=128), strict=True):
        assert doc.tokens[1].lemma.lower() == word, (word, doc.tokens[1].lemma)
