"""Who did it and to whom: the source and target phrases of a trigger, resolved to actors.

Sources come from the trigger verb's subject (through coordination, control verbs, relative
and participial clauses), the ``by`` phrase of a passive, or a noun trigger's possessive and
modifiers ("Russia's expulsion of", "US sanctions"). Targets come from the places the
lexicon entry names (``dobj``, ``prep:against`` ...), then the usual ones, then any actor in
the trigger's clause. Phrases become actors through the actor resolver; pronouns, surnames,
"the two sides" and country-less titles through the article's ``Discourse``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any, cast

from ..model import Actor
from .cues import cue
from .discourse import PAIR_HEADS, PAIR_WORDS, PERSONAL, Discourse
from .modality import DECISION_NOUNS, PURPOSE_NOUNS
from .syntax import Tree
from .triggers import AUDIENCE_VERBS, MEASURE_SUBJECTS, SPEECH_VERBS, Trigger, is_passive_participle, participle_doer

__all__ = ["ArgContext", "Found", "Resolved", "find_source", "find_targets", "location_country", "resolve_head",
           "subject_head"]

OBJECT_CONTROL = cue("arguments.object_control")
COMMAND_VERBS = cue("arguments.command_verbs")
DEFAULT_TARGET_PREPS = ("against", "on", "upon", "with", "to", "toward", "towards", "at", "into", "from", "over",
                        "for", "of", "between", "onto", "across")
LOCATION_PREPS = cue("arguments.location_preps")
FOREIGN_MODIFIERS = cue("arguments.foreign_modifiers")
PLACE_NOUNS = cue("arguments.place_nouns")
BODY_HEADS = cue("arguments.body_heads")
GROUP_HEADS = cue("arguments.group_heads")
BACK_WORDS = cue("actors.back_determiners")
QUANTITY_HEADS = cue("arguments.quantity_heads")
CROWD_SIZES = cue("arguments.crowd_sizes")
ENVOY_HEADS = cue("triggers.diplomat_words")  # "his U.N. mission", "Cuba's EU ambassador"
RELATIVE_PRONOUNS = cue("arguments.relative_pronouns")


class Found(Enum):
    """How an actor was found: the syntactic path to its phrase, or how the phrase became an actor.

    The value is the wording the event's ``rule`` shows; ``kind`` the coarse class the learned
    scorer weighs (``coding.features``)."""

    # the phrase itself
    PHRASE = "phrase"
    POSSESSIVE_PRONOUN = "possessive pronoun"  # "its foreign ministry": the owner gives the country
    PRONOUN = "pronoun"  # detail: the pronoun
    DEFINITE = "definite"  # "the bloc"; detail: the head word
    PAIR = "pair"  # "the two sides"; detail: the phrase
    NAME = "name"  # a surname met earlier; detail: the name
    # the syntactic path from the trigger
    SUBJECT = "subject"
    PASSIVE_AGENT = "passive agent"
    CONTROL_OBJECT = "object of control verb"
    RELATIVE = "relative clause"
    PARTICIPLE = "participle"
    POSSESSIVE = "possessive"
    BY_PHRASE = "'by' phrase"
    MODIFIER = "modifier"
    IN_CLAUSE = "in clause"
    LOCATION = "location"
    # statements
    QUOTED_SPEAKER = "quoted speaker"
    NAMED_IN_STATEMENT = "actor named in the statement"
    NAMED_IN_CLAIM = "actor named in the claim"
    # inferred by a rule when the sentence names no one
    IMPLICIT_AGENT = "implicit agent of a passive act"
    UNATTRIBUTED_ATTACK = "unattributed attack: armed forces of the place"
    CROWD = "a crowd: civilians of the place"
    REPRESSION = "repression with no one named: the state's own people"
    DYAD = "the article's dyad"
    EARLIER_ACT = "the doer of the act an earlier sentence told"
    # alternatives read from the context, for the scorer to weigh
    CONTEXT_SPEAKER = "context: the speaker"
    CONTEXT_SENTENCE = "context: an actor of the sentence"
    CONTEXT_ARTICLE = "context: the article's country"
    CONTEXT_OWN = "context: the source's own country"

    @property
    def kind(self) -> str:
        return _KINDS[self]


_KINDS = {
    Found.PHRASE: "phrase", Found.POSSESSIVE_PRONOUN: "poss_pronoun", Found.PRONOUN: "pronoun",
    Found.DEFINITE: "definite", Found.PAIR: "pair", Found.NAME: "name", Found.SUBJECT: "subject",
    Found.PASSIVE_AGENT: "passive_agent", Found.CONTROL_OBJECT: "control", Found.RELATIVE: "relative",
    Found.PARTICIPLE: "participle", Found.POSSESSIVE: "possessive", Found.BY_PHRASE: "by",
    Found.MODIFIER: "modifier", Found.IN_CLAUSE: "clause", Found.LOCATION: "location",
    Found.QUOTED_SPEAKER: "quoted_speaker", Found.NAMED_IN_STATEMENT: "named_in_statement",
    Found.NAMED_IN_CLAIM: "named_in_statement", Found.IMPLICIT_AGENT: "implicit",
    Found.UNATTRIBUTED_ATTACK: "unattributed", Found.CROWD: "crowd", Found.REPRESSION: "repression",
    Found.DYAD: "dyad", Found.EARLIER_ACT: "earlier_act", Found.CONTEXT_SPEAKER: "ctx_speaker",
    Found.CONTEXT_SENTENCE: "ctx_sentence",
    Found.CONTEXT_ARTICLE: "ctx_article", Found.CONTEXT_OWN: "ctx_own",
}


@dataclass(frozen=True)
class Resolved:
    actors: tuple[Actor, ...]
    head: int
    path: Found  # how the phrase became an actor, or (for a plain phrase) the syntactic path to it
    inferred: bool = False
    people: bool = False  # a population named by a demonym ("ethnic Albanians"), placed where it acts
    detail: str = ""  # the word or phrase of a pronoun, pair, name or definite description
    via: Found | None = None  # the syntactic path to a phrase resolved another way ("subject" of a pronoun)

    @property
    def how(self) -> str:
        """How the actor was found, as the event's ``rule`` says it ("subject, pronoun 'he'")."""
        found = f"{self.path.value} '{self.detail}'" if self.detail else self.path.value
        return f"{self.via.value}, {found}" if self.via is not None else found

    @property
    def kind(self) -> str:
        """The coarse class of ``how`` the learned scorer weighs: the path's when there is one."""
        return (self.via or self.path).kind

    def found(self, *paths: Found) -> bool:
        """True when the actor was found by one of ``paths`` alone (no syntactic path before it)."""
        return self.via is None and self.path in paths

    def by(self, path: Found) -> Resolved:
        """The same actors, found by ``path`` (nothing of the earlier path kept)."""
        return replace(self, path=path, detail="", via=None)


@dataclass
class ArgContext:
    tree: Tree
    resolver: Any  # detente.actors resolver (duck-typed: resolve(tokens, start, end, on=, head=))
    discourse: Discourse
    on: date | None
    sentence: int
    speaker: Actor | None
    in_quote: list[bool]  # per token of the whole text: inside quotation marks
    dateline_end: dict[int, int] = field(default_factory=dict)  # sentence -> first token after its dateline


def _fill(ctx: ArgContext, actors: list[Actor], definite_head: str = "", named: bool = False) -> list[Actor]:
    out = []
    for a in actors:
        if not a.country:
            a = ctx.discourse.fill_country(a, sentence=ctx.sentence, prefer=location_country(ctx),
                                           definite_head=definite_head, named=named)
        if a.country:
            out.append(a)
    return out


def location_country(ctx: ArgContext) -> str:
    """The country of a location phrase ("in Tehran", "in Serbia") in the current sentence."""
    tree = ctx.tree
    sent = tree.doc.sentences[ctx.sentence] if ctx.sentence >= 0 else None
    if sent is None:
        return ""
    for i in range(sent.start, sent.end):
        t = tree.tokens[i]
        if t.dep != "pobj":
            continue
        h = tree.head(i)
        if h is not None and tree.tokens[h].lower == "of" and tree.tokens[h].dep == "prep":
            h = tree.head(h)  # "outside of", "north of"
        if h is None or tree.tokens[h].lower not in LOCATION_PREPS:
            continue
        if t.pos == "PROPN":
            names = [i]
        elif t.lemma.lower() in PLACE_NOUNS:
            # "near the town of Samarra", "outside the Iraqi city of Basra": the place is named inside
            names = [o for p, o in tree.prep_objects(i) if p == "of"] + list(tree.children(i, "amod", "compound"))
        else:
            continue
        for n in names:
            country = country_named(ctx, n)
            if country:
                return country
    return ""


def country_named(ctx: ArgContext, head: int, avoid: Collection[str] = ()) -> str:
    """The first country (not an international body or NGO) the phrase of ``head`` names, other than
    those in ``avoid``."""
    s, e = ctx.tree.span(head)
    for a in ctx.resolver.resolve(ctx.tree.tokens, s, e, on=ctx.on, head=head):
        if a.country and a.country not in ("IGO", "NGO") and a.country not in avoid:
            return str(a.country)
    return ""


def _byline(tree: Tree, agent: int) -> bool:
    """True when a 'by' phrase is a byline ("By Reuters: More than 200 prisoners were freed"): it
    opens the sentence and a colon closes it, so it names who wrote the report, not who did the act."""
    tokens = tree.tokens
    prep = tree.head(agent)
    if prep is None:
        return False
    _, end = tree.span(agent)
    opens = prep == 0 or tokens[prep - 1].sent != tokens[prep].sent
    return opens and end < len(tokens) and tokens[end].text in (":", "-", "\u2013", "\u2014")


def resolve_head(ctx: ArgContext, head: int) -> Resolved | None:
    """The actor(s) of the phrase headed by token ``head``, or None when it names no actor."""
    tree = ctx.tree
    tok = tree.tokens[head]
    low = tok.lower
    if tok.pos == "PRON" or (low in PERSONAL and not (tok.text.isupper() and len(tok.text) > 1)):
        if low in RELATIVE_PRONOUNS:
            return None
        speaker = ctx.speaker if ctx.in_quote[head] or low in ("i", "we", "my", "our", "me", "us") else None
        exclude: frozenset[Actor] = frozenset()
        if tok.dep in ("dobj", "dative", "pobj") and low not in ("i", "we", "me", "us", "my", "our"):
            verb = tree.head(head)
            subj = tree.child(verb, "nsubj") if verb is not None else None
            if verb is not None and subj is None:
                subj, _ = subject_head(tree, verb)
            if subj is not None and subj != head and tree.tokens[subj].pos != "PRON":
                s0, e0 = tree.span(subj)
                exclude = frozenset(ctx.resolver.resolve(tree.tokens, s0, e0, on=ctx.on, head=subj))
        a = ctx.discourse.pronoun(low, sentence=ctx.sentence, speaker=speaker, token=head, exclude=exclude)
        if a is None:
            return None
        return Resolved((a,), head, Found.PRONOUN, inferred=True, detail=tok.text)
    dateline = ctx.dateline_end.get(ctx.sentence, -1)
    if head < dateline:
        # "ABUJA, Nigeria — The Economic Community ... agreed": the dateline swallowed the subject
        for k in tree.children(head, "appos"):
            if k >= dateline:
                return resolve_head(ctx, k)
        return None
    s, e = tree.span(head)
    s = max(s, dateline) if s < head else s
    owned = False
    actors = ctx.resolver.resolve(tree.tokens, s, e, on=ctx.on, head=head)
    if actors and e - s == 1 and all(a.sector == "ELI" for a in actors) and tok.pos == "PROPN":
        actors = []  # a bare surname matching a former leader ("Blair") is too often someone else
    if actors and all(a.country == "IGO" for a in actors) and tok.lemma.lower() in ENVOY_HEADS and \
            tree.children(head, "compound"):
        # "his U.N. mission", "Cuba's EU ambassador": a state's envoy to the body, not the body itself
        for k in tree.children(head, "poss"):
            owner = resolve_head(ctx, k)
            if owner is not None and all(a.country not in ("", "IGO", "NGO") for a in owner.actors):
                actors = [replace(a, sector="GOV", code=a.country + "GOV", name=None, text=actors[0].text)
                          for a in owner.actors]
                owned = True
                break
    if actors and all(not a.country for a in actors):
        # "the bloc's foreign ministers", "the alliance's secretary general": officials of the
        # international body in focus act for it
        for k in tree.children(head, "poss"):
            if tree.tokens[k].lemma.lower() in BODY_HEADS and any(
                    tree.tokens[d].lower == "the" for d in tree.children(k, "det")):
                body = ctx.discourse.recent_body(ctx.sentence)
                if body is not None:
                    return Resolved((body,), head, Found.DEFINITE, inferred=True, detail=tree.tokens[k].text)
        # "its foreign ministry", "their ambassador": the possessor gives the country
        for k in tree.children(head, "poss"):
            if tree.tokens[k].pos == "PRON":
                owner = resolve_head(ctx, k)
                if owner is not None:
                    country = owner.actors[0].country
                    actors = [replace(a, country=country, code=country + a.sector) for a in actors]
                    owned = True
                    break
    if not actors and (tok.lemma.lower() in QUANTITY_HEADS or tok.pos == "NUM"):
        for p, o in tree.prep_objects(head):
            if p == "of":
                inner = resolve_head(ctx, o)
                if inner is not None:
                    if tok.lemma.lower() in CROWD_SIZES and _nationality_only(ctx, inner.actors, *tree.span(o)):
                        # "thousands of Senegalese": people, whatever the tag of a nationality in -ese
                        inner = replace(inner, actors=_civilians(inner.actors))
                    return replace(inner, head=head)
    if actors:
        if tok.pos == "ADJ" and all(not a.country for a in actors):
            return None  # a bare sector adjective ("military aid") names no actor
        # "Kenyan protesters" are people; "Chinese sanctions" are the state's
        force = tok.lemma.lower() in FORCE_NOUNS and _nationality_only(ctx, actors, s, e)
        people = not force and tok.tag in ("NNPS", "NNS") and tok.lemma.lower() not in MEASURE_SUBJECTS \
            and _nationality_only(ctx, actors, s, e)
        if force:
            # "Turkish air strikes", "Russian shelling": the state's armed forces, not its people
            actors = [replace(a, sector="MIL", code=a.country + "MIL") for a in actors]
        elif people:
            actors = list(_civilians(actors))
        phrase = {tree.tokens[j].lower for j in range(s, e)}
        definite = "the" in phrase and not phrase & PAIR_WORDS  # "the two sides" is a pair, not one actor
        if phrase & FOREIGN_MODIFIERS:
            # "Western diplomats": not the context's country; "international rights groups": an NGO of none
            actors = [a if a.country else replace(a, country="NGO", code="NGO") for a in actors
                      if a.country or a.sector == "NGO"]
        filled = _fill(ctx, list(actors), tok.lemma.lower() if definite else "",
                       named=tok.pos == "PROPN" and not definite)
        if filled:
            inferred = any(not a.country for a in actors)
            return Resolved(tuple(filled), head, Found.POSSESSIVE_PRONOUN if owned else Found.PHRASE,
                            inferred=inferred, people=people)
    words = {tree.tokens[j].lower for j in range(s, e)}
    if tok.lemma.lower() in GROUP_HEADS and words & BACK_WORDS:
        # "the group", "the paramilitary group", "the movement": the armed or political group in focus
        group = ctx.discourse.recent_group(ctx.sentence)
        if group is not None:
            return Resolved((group,), head, Found.DEFINITE, inferred=True, detail=tok.text)
    if tok.lemma.lower() in BODY_HEADS and "the" in words:
        # "the regional bloc", "the alliance": the international body in focus
        body = ctx.discourse.recent_body(ctx.sentence)
        if body is not None:
            return Resolved((body,), head, Found.DEFINITE, inferred=True, detail=tok.text)
    if words & PAIR_WORDS and (tok.lemma.lower() in PAIR_HEADS or low in PAIR_HEADS or low == "two"):
        pair = ctx.discourse.pair()
        if pair and ctx.speaker is not None and pair[1].country == ctx.speaker.country:
            pair = (pair[1], pair[0])  # "the two sides agreed", said a Chinese spokesman: China first
        if pair:
            # "the two governments", "both countries" are the states themselves, whatever organ of
            # theirs was named last ("freed Colombian soldiers after the two governments held talks");
            # "the two armies" their forces
            sector = "GOV" if tok.lemma.lower() in PAIR_STATE_HEADS else (
                "MIL" if tok.lemma.lower() in PAIR_FORCE_HEADS else "")
            if sector:
                pair = (_as_sector(pair[0], sector), _as_sector(pair[1], sector))
            return Resolved(pair, head, Found.PAIR, inferred=True,
                            detail=tree.doc.text[tree.tokens[s].idx:tree.tokens[e - 1].end_idx])
    names = [tree.tokens[j].text for j in range(s, e) if tree.tokens[j].pos == "PROPN"]
    if names:
        known = ctx.discourse.by_name(names)
        if known is not None:
            return Resolved((known,), head, Found.NAME, inferred=True, detail=" ".join(names))
    return None


PAIR_STATE_HEADS = cue("arguments.pair_state_heads")  # "the two governments", "both countries"
PAIR_FORCE_HEADS = cue("arguments.pair_force_heads")  # "the two armies"


def _as_sector(actor: Actor, sector: str) -> Actor:
    """``actor``'s state as ``sector`` (a group or an international body stays what it is)."""
    if actor.country in ("", "IGO", "NGO", "IMG") or actor.sector == sector:
        return actor
    return replace(actor, sector=sector, code=actor.country + sector, name=None)


STATIVE_PASSIVES = cue("arguments.stative_passives")
TALK_VERBS = cue("arguments.talk_verbs")


def relays_news(tree: Tree, head: int, actors: tuple[Actor, ...] | list[Actor]) -> bool:
    """Whether the press phrase at ``head`` is whom a statement was made to or who relays it, no
    party to what it reports: the object of "told" or "briefed" ("told AFP", "told reporters"), of
    "to" after a speech verb ("confirmed the killings to AFP", "spoke to reporters") or of
    "according to" ("according to Interfax")."""
    if not actors or any(a.sector != "MED" for a in actors):
        return False
    tokens = tree.tokens
    tok = tokens[head]
    gov = tree.head(head)
    if gov is None:
        return False
    if tok.dep in ("dobj", "dative") and tokens[gov].lemma.lower() in AUDIENCE_VERBS:
        return True
    if tok.dep == "pobj" and tokens[gov].lower == "to":
        verb = tree.head(gov)
        if verb is None:
            return False
        lemma = tokens[verb].lemma.lower()
        return tokens[verb].lower == "according" or lemma in SPEECH_VERBS or lemma in AUDIENCE_VERBS \
            or lemma in TALK_VERBS
    return False


def participle_with_doer(tree: Tree, verb: int) -> bool:
    """A past participle set beside a clause with its doer in a 'by' phrase ("Armenia and Azerbaijan
    held talks, mediated by France"): the doer acts on the clause's subject. (A standing relation
    there, "Backed by Russian jets, Syrian troops advanced", describes the subject and is skipped as
    background: ``detente.skip.background_clause.v1``.)"""
    t = tree.tokens[verb]
    return t.dep == "advcl" and t.tag == "VBN" and not tree.children(verb, "nsubj", "nsubjpass", "auxpass", "mark") \
        and any(p == "by" for p, _ in tree.prep_objects(verb))


FORCE_NOUNS = cue("arguments.force_nouns")
CIVILIAN_NOUNS = cue("candidates.crowd_nouns") - {"striker", "supporter"}
DOER_NOUNS = cue("candidates.crowd_nouns") | cue("statements.protester_words")


def _doer_noun(tree: Tree, n: int) -> bool:
    """A noun that names people or a named body (who can act), not a text or a thing."""
    t = tree.tokens[n]
    return t.pos == "PROPN" or t.ent_type in ("PERSON", "NORP", "ORG", "GPE") or t.lemma.lower() in DOER_NOUNS \
        or t.lower in DOER_NOUNS


def misparsed_subject(tree: Tree, verb: int) -> int | None:
    """The subject of a main verb the parser hung on it as a participle, having found no main verb:
    "Russia, which has troops there, called on ...", "The rebels, who call themselves X, killed 20
    soldiers". The verb describes the sentence's root noun and either takes a direct object (a
    passive participle does not: "Three men arrested in raid") or follows a clause set off by commas
    after the noun. None for any other verb."""
    tokens = tree.tokens
    head = tree.head(verb)
    if head is None or tokens[verb].dep != "acl" or tokens[verb].tag not in ("VBN", "VBD") \
            or tokens[head].dep != "ROOT" or tokens[head].pos not in ("NOUN", "PROPN"):
        return None
    set_off = tokens[verb - 1].text == "," and bool(tree.children(head, "relcl", "appos"))
    return head if set_off or tree.children(verb, "dobj") else None


def _nationality_only(ctx: ArgContext, actors: Sequence[Actor], start: int, end: int) -> bool:
    """Whether the phrase [start, end) names its actors by nationality alone ("Kenyan", "Senegalese"):
    no sector, no body, no other kind of name."""
    return all(a.sector == "" and a.country not in ("IGO", "NGO") for a in actors) and {
        m.kind for m in ctx.resolver.mentions(ctx.tree.tokens, start, end)} <= {"demonym"}


def _civilians(actors: Iterable[Actor]) -> tuple[Actor, ...]:
    return tuple(replace(a, sector="CVL", code=a.country + "CVL") for a in actors)


def _finite_after_infinitive(tree: Tree, verb: int, gov: int) -> bool:
    """Whether ``verb``, a past-tense verb with an object, is coordinated with a "to" infinitive that
    serves another verb: a tense the infinitive cannot share."""
    tokens = tree.tokens
    t, g = tokens[verb], tokens[gov]
    served = tree.head(gov)
    if t.tag not in ("VBD", "VBN") or tree.children(verb, "aux", "auxpass") or not tree.children(verb, "dobj"):
        return False
    return g.tag == "VB" and g.dep in ("advcl", "xcomp") and served is not None and tokens[served].pos == "VERB" \
        and any(tokens[a].lower == "to" for a in tree.children(gov, "aux"))


def subject_head(tree: Tree, verb: int) -> tuple[int | None, Found | None]:
    """The token that is the doer of ``verb``, climbing through clause links when needed, and the
    path to it (None with no doer)."""
    tokens = tree.tokens
    cur = verb
    for _ in range(6):
        subjects = tree.children(cur, "nsubj", "csubj")
        if not subjects:
            # "Chile is opposed to ...": the parser may hang the subject on the auxiliary
            subjects = [k for a in tree.children(cur, "aux", "auxpass") for k in tree.children(a, "nsubj")]
        # two subjects happen when a dateline ("MANILA, March 14 -") is parsed as one: take the nearer
        subj = max((k for k in subjects if k < cur), default=subjects[0] if subjects else None)
        if subj is not None:
            if tokens[subj].lower in RELATIVE_PRONOUNS and tokens[cur].dep == "relcl":
                h = tree.head(cur)
                return among(tree, h), Found.RELATIVE
            return subj, Found.SUBJECT
        misparsed = misparsed_subject(tree, cur)
        if misparsed is not None:
            return misparsed, Found.SUBJECT
        if tree.is_passive(cur) and cur == verb:
            for p, o in tree.prep_objects(cur):
                if p == "by" and not _byline(tree, o):
                    return o, Found.PASSIVE_AGENT
            if tokens[cur].lemma.lower() in STATIVE_PASSIVES:
                # "Israel is opposed to French mediation": a stance of the subject, who holds it
                subj = tree.child(cur, "nsubjpass")
                if subj is not None:
                    return subj, Found.SUBJECT
            return None, None
        dep = tokens[cur].dep
        gov = tree.head(cur)
        if gov is None:
            return None, None
        if dep in ("conj", "acomp"):
            if dep == "conj" and (_finite_after_infinitive(tree, cur, gov)
                                   or tree.reported_conjunct(cur, gov)):
                # "fired tear gas to disperse the crowd and arrested 12 people": a past verb the parser
                # coordinated with the purpose infinitive goes with the verb the infinitive serves (and
                # one it coordinated with reported speech in another tense, with the verb of saying)
                cur = tree.head(gov)  # type: ignore[assignment]
                continue
            cur = gov
            continue
        if dep == "xcomp":
            obj = tree.child(gov, "dobj")
            if obj is not None and tokens[gov].lemma.lower() in OBJECT_CONTROL:
                if tokens[gov].lemma.lower() in COMMAND_VERBS and tokens[obj].pos != "PRON":
                    cur = gov  # "the government ordered the newspaper to suspend publication": the orderer acts
                    continue
                return obj, Found.CONTROL_OBJECT
            cur = gov
            continue
        if dep == "relcl":
            return among(tree, gov), Found.RELATIVE
        if dep in ("advcl",) and tokens[cur].tag in ("VBG", "VBN"):
            if cur == verb and participle_with_doer(tree, cur):
                # "held talks, mediated by France", "Backed by Russia, Syrian troops advanced": the doer
                return next(o for p, o in tree.prep_objects(cur) if p == "by"), Found.PASSIVE_AGENT
            cur = gov
            continue
        if dep == "acl" and tokens[cur].tag == "VB" and tokens[gov].lemma.lower() in PURPOSE_NOUNS and any(
                tokens[k].lower == "to" for k in tree.children(cur, "aux")):
            # "Ghana's decision to expel ...", "a US offer to host", "Uganda announced plans to expel
            # ...": whose decision or plan it is, by its possessive or name, or the subject of a verb
            # that makes or announces it (not of one that answers it: "rejected an offer to ...")
            owning = tree.head(gov)
            owned = tokens[gov].dep == "dobj" and owning is not None and tokens[owning].lemma.lower() in OWNING_VERBS
            if tokens[gov].dep in ("dobj", "pobj") and not owned and tokens[gov].lemma.lower() not in DECISION_NOUNS:
                return None, None  # a plan or offer another answers is what is answered, not an act told
            owner = tree.child(gov, "poss")
            if owner is not None:
                return owner, Found.POSSESSIVE
            named = [k for k in tree.children(gov, "compound", "amod") if tree.is_name(k)]
            if named:
                return named[0], Found.MODIFIER
            if owned:
                cur = owning  # type: ignore[assignment]
                continue
            return None, None
        if dep == "acl" and tokens[cur].tag == "VBG":
            # "issued a statement urging ...": the statement's issuer; "fired at protesters
            # demanding ...": the protesters, who are doers themselves
            if tokens[gov].dep in ("dobj", "pobj") and tree.head(gov) is not None and not _doer_noun(tree, gov):
                cur = tree.head(gov)  # type: ignore[assignment]
                if tokens[cur].pos == "ADP" and tree.head(cur) is not None:
                    cur = tree.head(cur)  # type: ignore[assignment]
                continue
            return gov, Found.PARTICIPLE
        if dep == "pcomp":
            h = tree.head(gov) if tokens[gov].pos == "ADP" else gov
            if h is None:
                return None, None
            obj = tree.child(h, "dobj")
            if tokens[gov].lower in ("as", "of", "for") and tokens[cur].tag == "VBG" and obj is not None:
                # "state TV quoted the minister as praising": the minister; "accused Chad of shelling",
                # "thanked Japan for sending": who is accused or thanked did it
                return obj, Found.CONTROL_OBJECT
            cur = h
            continue
        return None, None
    return None, None


SPEECH_ACT_VERBS = cue("arguments.speech_act_verbs")
OWNING_VERBS = cue("arguments.owning_verbs")


def _speaker_of_conjoined(tree: Tree, verb: int) -> int | None:
    """The speaker of "X said the base was a target and accused the government ...": a verb of speech
    the parser coordinated into what X said, whose borrowed subject names no actor, is X's."""
    tokens = tree.tokens
    if tokens[verb].lemma.lower() not in SPEECH_ACT_VERBS | SPEECH_VERBS or tree.children(verb, "nsubj"):
        return None
    cur = verb
    while tokens[cur].dep == "conj" and tree.head(cur) is not None:
        cur = tree.head(cur)  # type: ignore[assignment]
    gov = tree.head(cur)
    if cur == verb or tokens[cur].dep != "ccomp" or gov is None or tokens[gov].lemma.lower() not in SPEECH_VERBS:
        return None
    return subject_head(tree, gov)[0]


HYPHENS = ("-", "–", "—")


def hyphen_pair(ctx: ArgContext, noun: int) -> Resolved | None:
    """Two states joined by a hyphen before an event noun ("the Chile-Peru talks", "US-China
    clashes"): both sides of it, first named first (a phrase of two sides, like "talks between")."""
    tree, tokens = ctx.tree, ctx.tree.tokens
    for k in tree.children(noun, "compound", "amod", "nmod"):
        for j in tree.children(k, "compound", "amod", "nmod"):
            if not (j + 2 == k < noun and tokens[j + 1].text in HYPHENS):
                continue
            # each name on its own (the phrase of the second holds the first as well)
            named = [ctx.resolver.resolve(tokens, n, n + 1, on=ctx.on, head=n) for n in (j, k)]
            if any(len(found) != 1 for found in named):
                continue
            pair = _fill(ctx, [named[0][0], named[1][0]])
            if len(pair) == 2 and pair[0].country not in ("IGO", "NGO") and pair[0].country != pair[1].country:
                return Resolved(tuple(pair), k, Found.PHRASE)
    return None


def find_source(ctx: ArgContext, trig: Trigger) -> Resolved | None:
    """The actor(s) doing the event of ``trig``."""
    tree = ctx.tree
    tokens = tree.tokens
    if trig.received:
        return _doer_in_phrase(ctx, trig)
    if trig.kind == "noun" and (trig.verb == trig.token or tokens[trig.token].dep in ("nsubj", "nsubjpass")):
        # "talks between Ghana and Togo (ended)", "clashes between the army and rebels": both sides act,
        # first named to second
        for p, o in tree.prep_objects(trig.token):
            if p == "between":
                r = resolve_head(ctx, o)
                if r is not None and len(r.actors) > 1:
                    return r.by(Found.PHRASE)
        pair = hyphen_pair(ctx, trig.token)  # "the Chile-Peru talks", "US-China clashes"
        if pair is not None:
            return pair
    if trig.kind == "noun" and trig.verb == trig.token:
        # a free-standing event noun: its possessive, "by" phrase, or actor modifiers
        for k in tree.children(trig.token, "poss"):
            r = resolve_head(ctx, k)
            if r:
                return r.by(Found.POSSESSIVE)
        by = [o for p, o in tree.prep_objects(trig.token) if p == "by"]
        doer = participle_doer(tree, trig.token)  # "the airstrikes carried out by Israel"
        for o in by + ([doer] if doer is not None else []):
            r = resolve_head(ctx, o)
            if r:
                return r.by(Found.BY_PHRASE)
        for k in tree.children(trig.token, "compound", "amod", "nmod"):
            if k < trig.token:
                r = resolve_head(ctx, k)
                if r:
                    return r.by(Found.MODIFIER)
        if tokens[trig.token].dep == "nsubj":
            return None
    head, path = subject_head(tree, trig.verb)
    if head is None or path is None:
        if trig.kind == "noun":
            for k in tree.children(trig.token, "poss"):
                r = resolve_head(ctx, k)
                if r:
                    return r.by(Found.POSSESSIVE)
        return None
    r = resolve_head(ctx, head)
    if r is None:
        speaker = _speaker_of_conjoined(tree, trig.verb)
        r = resolve_head(ctx, speaker) if speaker is not None else None
        if r is None:
            return None
    if path is Found.SUBJECT:
        # "Kenya, along with Uganda and Tanzania, called a meeting": the companions act too
        extra = [a for o in co_agents(tree, trig.verb) for found in [resolve_head(ctx, o)] if found is not None
                 for a in found.actors if a not in r.actors]
        if extra:
            r = replace(r, actors=tuple(dict.fromkeys((*r.actors, *extra))))
        # a headline's list before its subject ("Ghana, Togo hold summit", "Ghanaian, Togolese leaders
        # agree"): every name listed acts, in the order named
        have = {a.country for a in r.actors}
        listed = [a for o in listed_before(tree, head) for found in [resolve_head(ctx, o)] if found is not None
                  for a in found.actors if a.country not in have]
        if listed:
            r = replace(r, actors=tuple(dict.fromkeys((*listed, *r.actors))))
    return r.by(path) if r.found(Found.PHRASE) else replace(r, via=path)


def _complained_of(tree: Tree, heads: list[int], trig: Trigger, deep: Any) -> Resolved | None:
    """The actor an "against", "over" or "about" phrase of a complaint names (on the verb, the
    complaint or the body it went to), when it is no body."""
    heads = heads + ([trig.obj] if trig.obj is not None else [])
    for h in heads:
        for _, o in _pobj_candidates(tree, h, ("against", "over", "about")):
            r = deep(o)
            if r is not None and any(a.country not in ("IGO", "") for a in r.actors):
                return cast(Resolved, r)
    return None


def listed_before(tree: Tree, subj: int) -> list[int]:
    """Names listed before a headline's subject and cut from it by the parser: proper nouns or
    capitalised adjectives joined to the subject's verb by a comma ("Ghana, Togo hold ...", "US,
    Ghana, Togo hold ...", "Thai, Cambodian leaders agree") and capitalised adjectives of the
    subject itself ("Nigerian, Ghanaian and Kenyan leaders met"), in text order."""
    tokens = tree.tokens
    named = tree.is_name
    verb = tree.head(subj)
    out: list[int] = []
    if verb is not None and tokens[subj].dep == "nsubj":
        for k in tree.children(verb, "nsubj", "npadvmod", "dep", "nmod", "amod"):
            if k < subj and named(k) and tokens[k + 1].text == ",":
                out.extend(j for j in tree.conjuncts(k) if j < subj)
    adjectives = [j for k in tree.children(subj, "amod") if named(k) for j in tree.conjuncts(k) if named(j)]
    if len(adjectives) >= 2:
        out.extend(adjectives)
    return sorted(set(out))


def among(tree: Tree, head: int | None) -> int | None:
    """The subject of "X is among the countries that ...": the relative clause is said of X."""
    if head is None or tree.tokens[head].dep != "pobj":
        return head
    prep = tree.head(head)
    if prep is None or tree.tokens[prep].lower != "among" or tree.tokens[prep].dep != "prep":
        return head
    verb = tree.head(prep)
    subj = tree.child(verb, "nsubj") if verb is not None and tree.tokens[verb].lemma.lower() == "be" else None
    return subj if subj is not None else head


def co_agents(tree: Tree, verb: int) -> list[int]:
    """The heads (and their conjuncts) of "along with", "together with" phrases set between the
    subject and ``verb`` ("Kenya, along with Uganda, called"), and the subjects "as well as" joins;
    after the verb such a phrase adds to what is done ("pledged its backing along with $100 million")."""
    out: list[int] = []
    for k in tree.children(verb, "prep", "advmod"):
        if k < verb and tree.tokens[k].lower in ("along", "together"):
            for w in tree.children(k, "prep"):
                if tree.tokens[w].lower == "with":
                    for o in tree.children(w, "pobj"):
                        out.extend(tree.conjuncts(o))
    # "Egypt as well as Jordan condemned": the parser gives the verb two subjects, "as well as" between
    subjects = sorted(k for k in tree.children(verb, "nsubj") if k < verb)
    for a, b in itertools.pairwise(subjects):
        start = tree.span(b)[0]
        before = [tree.tokens[j].lower for j in range(a + 1, start) if tree.tokens[j].pos != "PUNCT"]
        if before[-3:] == ["as", "well", "as"]:
            out.extend([a, *tree.conjuncts(b)] if a not in out else tree.conjuncts(b))
    return out


def _doer_in_phrase(ctx: ArgContext, trig: Trigger) -> Resolved | None:
    """The doer of an event its verb's subject receives: "Russia's support", "support from Russia",
    "the backing of Uganda", "an attack by rebels", "Russian support" ("received ... from Russia"
    may hang the phrase on the verb)."""
    tree = ctx.tree
    for k in tree.children(trig.token, "poss"):
        r = resolve_head(ctx, k)
        if r:
            return r.by(Found.POSSESSIVE)
    phrases = [o for p, o in tree.prep_objects(trig.token) if p in ("by", "from", "of")]
    phrases += [o for p, o in tree.prep_objects(trig.verb) if p in ("by", "from")]
    for o in phrases:
        r = resolve_head(ctx, o)
        if r:
            return r.by(Found.BY_PHRASE)
    for k in tree.children(trig.token, "compound", "amod", "nmod"):
        if k < trig.token:
            r = resolve_head(ctx, k)
            if r:
                return r.by(Found.MODIFIER)
    return None


def _pobj_candidates(tree: Tree, i: int, preps: tuple[str, ...]) -> list[tuple[str, int]]:
    found = [(p, o) for p, o in tree.prep_objects(i) if p in preps]
    found.sort(key=lambda po: preps.index(po[0]))
    return found


HELP_NOUNS = cue("arguments.help_nouns")
REFLEXIVES = cue("arguments.reflexives")


def _complement_target(ctx: ArgContext, verb: int, source: Resolved,
                       ok: Callable[[Resolved | None], Resolved | None]) -> Resolved | None:
    """Whom the act of a complement clause is aimed at, other than the speaker's own country: its
    object, or the object of "on", "against", "to" or "with"."""
    tree = ctx.tree
    own = {a.country for a in source.actors}
    heads = list(tree.children(verb, "dobj")) + [o for p, o in tree.prep_objects(verb)
                                                   if p in ("on", "against", "to", "with")]
    for h in heads:
        for k in tree.subtree(h):
            if tree.tokens[k].pos not in ("PROPN", "NOUN", "ADJ"):
                continue
            r = ok(resolve_head(ctx, k))
            if r is not None and not r.inferred and {a.country for a in r.actors} - own:
                return r.by(Found.PHRASE)
    return None


# acts whose matched object is the thing sent or given (aid, inspectors, forces), not whom it is for
SENT_THING_ROOTS = ("07", "09", "15")


def find_targets(ctx: ArgContext, trig: Trigger, source: Resolved | None) -> Resolved | None:
    """The actor(s) the event of ``trig`` is directed at."""
    tree = ctx.tree
    tokens = tree.tokens
    src_tokens: set[int] = set()
    if source is not None and not source.found(Found.PRONOUN):
        src_tokens = set(tree.subtree(source.head))
    if trig.kind == "noun" and source is not None and source.found(Found.POSSESSIVE, Found.MODIFIER, Found.BY_PHRASE):
        src_tokens |= set(tree.subtree(source.head))
    if source is not None and trig.kind == "verb" and misparsed_subject(tree, trig.verb) == source.head:
        # a verb hung on its subject ("The rebels, who ..., killed 20 soldiers"): its own clause is no
        # part of the source phrase
        src_tokens -= set(tree.subtree(trig.verb))
    # the source's helpers are on its side: "with the help of France", "alongside Russian forces"
    for prep, helper in tree.prep_objects(trig.verb):
        if prep == "alongside" or (prep == "with" and tokens[helper].lemma.lower() in HELP_NOUNS):
            src_tokens |= set(tree.subtree(helper))
    for helper in co_agents(tree, trig.verb):
        src_tokens |= set(tree.subtree(helper))
    if trig.kind == "verb" and trig.obj is not None and trig.target_prefs and "dobj" not in trig.target_prefs \
            and trig.cameo.startswith(SENT_THING_ROOTS):
        # "sent troops to the border", "deployed police", "shipped aid": what is sent is the sender's,
        # not the target (a bare "troops" would otherwise take the article's country)
        modifiers = tree.children(trig.obj, "amod", "compound", "nmod", "poss", "det", "nummod")
        src_tokens |= {trig.obj} | {j for k in modifiers for j in tree.subtree(k)}

    def ok(r: Resolved | None) -> Resolved | None:
        if r is None or r.head in src_tokens:
            return None
        if tokens[r.head].lower in REFLEXIVES:
            return None  # "blew themselves up", "barricaded themselves in": the subject, not a target
        if source is not None and r.inferred and r.found(Found.PHRASE) and all(
                a.sector in ("", "GOV", "MIL") for a in r.actors) and \
                {a.country for a in r.actors} <= {a.country for a in source.actors} and \
                all(a.sector in ("", "GOV", "MIL") for a in source.actors):
            # "expelled ten diplomats": a country guessed from context, equal to the state's own; but
            # rebels or protesters who blame "the army" blame their own country's army
            return None
        if r.found(Found.POSSESSIVE_PRONOUN) and source is not None and \
                {a.country for a in r.actors} <= {a.country for a in source.actors}:
            return None  # "recalled its ambassador": the source's own people are not its target
        if source is not None:
            # the same actor again is no target; the same country's other sectors are (domestic events)
            same = {(a.country, a.sector) for a in source.actors}
            keep = tuple(a for a in r.actors if a not in source.actors and (a.country, a.sector) not in same)
            if not keep:
                return None
            r = replace(r, actors=keep)
        return r

    def deep(head: int, *, shallow: bool = False) -> Resolved | None:
        """The phrase itself, else (unless ``shallow``) the first actor-naming phrase inside it."""
        r = ok(resolve_head(ctx, head))
        if r or shallow:
            return r
        for j in tree.subtree(head, cut=frozenset({"relcl"})):
            if j == head or tokens[j].pos not in ("PROPN", "NOUN", "PRON", "ADJ"):
                continue
            if tokens[j].dep in ("compound", "amod", "poss", "pobj", "conj", "appos", "nsubj", "dobj", "nmod"):
                if tokens[j].dep == "pobj":
                    p = tree.head(j)
                    if p is not None and tokens[p].lower in LOCATION_PREPS:
                        continue
                r = ok(resolve_head(ctx, j))
                if r:
                    return replace(r, inferred=True)
        return None

    if trig.received:
        # the one who received, faced or suffered it
        head, path = subject_head(tree, trig.verb)
        if head is None or path is None:
            return None
        r = ok(resolve_head(ctx, head))
        return r.by(path) if r is not None else None
    anchors = [trig.token] if trig.kind == "noun" or (trig.kind == "predicate" and trig.token != trig.verb) else []
    anchors.append(trig.verb)
    prefs = trig.target_prefs or ()
    for anchor in anchors:
        for pref in prefs:
            if pref in ("dobj", "obj"):
                described = tree.head(anchor) if is_passive_participle(tree, anchor) else None
                for o in tree.children(anchor, "dobj", "obj") + ([described] if described is not None else []):
                    r = deep(o)
                    if r:
                        return r
            elif pref == "dative":
                for o in tree.children(anchor, "dative"):
                    r = deep(o)
                    if r:
                        return r
            elif pref.startswith("prep:"):
                for _, o in _pobj_candidates(tree, anchor, (pref[5:],)):
                    r = deep(o)
                    if r:
                        if pref == "prep:with" and trig.cameo.startswith("11") and \
                                all(a.country == "IGO" for a in r.actors):
                            # "filed a complaint with the WTO against US tariffs": the body is the
                            # forum; the one complained of is the target
                            accused = _complained_of(tree, [anchor, o], trig, deep)
                            if accused is not None:
                                return accused
                        return r
    if trig.kind == "verb" and participle_with_doer(tree, trig.verb):
        gov = tree.head(trig.verb)
        subj, path = subject_head(tree, gov) if gov is not None else (None, None)
        r = ok(resolve_head(ctx, subj)) if subj is not None and path is Found.SUBJECT else None
        if r is not None:
            return r.by(Found.PHRASE)  # "talks, mediated by France": the parties to the talks
    for shallow in (True, False):
        for anchor in anchors:
            is_noun = tokens[anchor].pos in ("NOUN", "PROPN")
            if not is_noun:
                if tree.is_passive(anchor):
                    for o in tree.passive_subjects(anchor):
                        rel: int | None = anchor
                        while rel is not None and tokens[rel].dep == "conj":
                            rel = tree.head(rel)  # "who fought ... and who were accused by"
                        antecedent = tree.head(rel) if rel is not None else None
                        if tokens[o].lower in RELATIVE_PRONOUNS and rel is not None and \
                                tokens[rel].dep == "relcl" and antecedent is not None:
                            o = antecedent  # "troops, who were accused by": the troops
                        r = deep(o, shallow=shallow)
                        if r:
                            return r
                for o in tree.children(anchor, "dobj", "obj", "dative"):
                    r = deep(o, shallow=shallow)
                    if r:
                        return r
            for _, o in _pobj_candidates(tree, anchor, DEFAULT_TARGET_PREPS):
                r = deep(o, shallow=shallow)
                if r:
                    return r
    for anchor in anchors:
        # complements: "demanding that Mugabe abandon", "urged Putin to refrain"
        for c in tree.children(anchor, "ccomp", "xcomp"):
            subj = tree.child(c, "nsubj", "nsubjpass")
            if subj is not None:
                r = ok(resolve_head(ctx, subj))
                if r and source is not None and {a.country for a in r.actors} <= {a.country for a in source.actors}:
                    # "Ghanaian officials warned that Ghana could impose tariffs on Togolese goods": the
                    # speaker's own country acts; the one it would act on is the target
                    aimed = _complement_target(ctx, c, source, ok)
                    if aimed is not None:
                        return aimed
                if r:
                    return r
    # the trigger's object phrase for nouns: "the expulsion of 10 Russian diplomats" handled by prep:of;
    # last resort: any actor phrase in the trigger's clause, nearest first, locations last
    clause = tree.subtree(trig.verb, cut=frozenset({"conj", "nsubj", "nsubjpass" if trig.kind != "verb" else "_"}))
    # not another's comment on the clause ("..., which rights groups say is a tactic", "..., analysts
    # said"); the doer's own "saying ..." is its own words
    aside = {j for k in tree.children(trig.verb, "advcl", "parataxis")
             if tokens[k].lemma.lower() in SPEECH_VERBS and tree.children(k, "nsubj") for j in tree.subtree(k)}
    cands = [j for j in clause if j not in src_tokens and j not in aside and tokens[j].pos in ("PROPN", "NOUN", "ADJ")
             and j != trig.token]
    cands.sort(key=lambda j: abs(j - trig.token))
    # "killed 26 people in Afrin", "villagers were wounded near Kobani": people of the place, not its state
    patients = [*tree.children(trig.verb, "dobj", "nsubjpass")]
    crowd = any(tokens[k].lemma.lower() in CIVILIAN_NOUNS or tokens[k].lower in CIVILIAN_NOUNS for k in patients)
    located: list[Resolved] = []
    for j in cands:
        if tokens[j].dep == "compound" and tree.head(j) in cands:
            continue
        p = tree.head(j)
        r = ok(resolve_head(ctx, j))
        if r is None:
            continue
        if p is not None and tokens[j].dep == "pobj" and tokens[p].lower in LOCATION_PREPS:
            place = replace(r.by(Found.LOCATION), inferred=True)
            if crowd and all(a.country not in ("", "IGO", "NGO") and a.sector in ("", "GOV") for a in place.actors):
                place = replace(place, actors=_civilians(place.actors))
            located.append(place)
            continue
        return replace(r.by(Found.IN_CLAUSE), inferred=True)
    if located:
        return located[0]
    return None
