"""Event rules: how a candidate's source and target actors become events."""

from __future__ import annotations

from dataclasses import replace

from ...model import Actor
from ..arguments import Found, Resolved, hyphen_pair, relays_news
from ..candidates import MAX_TARGETS, MUTUAL_ROOTS, Candidate
from ..context import SentenceContext
from ..cues import cue
from ..syntax import CLAUSE_CUT_DEPS
from . import Stage, register

Actors = list[Actor]
Targets = list[Actor | None]
MUTUAL_NOTE = "a mutual act of two actors: first named to second"
MUTUAL_GROUP_NOTE = "a mutual act of several actors: first named to each other"
RECIPROCAL_NOTE = "reciprocal 'each other': each actor to the other"


@register("detente.events.news_channel.v1", Stage.EVENTS)
def news_channel(sc: SentenceContext, c: Candidate, sources: Actors,
                 targets: Targets) -> tuple[Candidate, Actors, Targets] | None:
    """The press a statement was made to or relayed by ("told AFP", "confirmed the killings to
    Reuters", "told reporters", "according to Interfax") is no party to the events it reports:
    such an actor is neither source nor target."""
    def relays(r: Resolved | None) -> bool:
        return r is not None and relays_news(sc.tree, r.head, r.actors)

    if relays(c.source):
        return None
    if relays(c.target):
        return replace(c, target=None), sources, [None]
    return c, sources, targets


@register("detente.events.weak_guess.v1", Stage.EVENTS)
def weak_guess(sc: SentenceContext, c: Candidate, sources: Actors,
               targets: Targets) -> tuple[Candidate, Actors, Targets] | None:
    """An event whose source is guessed from context and whose target is the article's dyad has both
    ends guessed: too weak to report."""
    if c.source is not None and c.source.inferred and c.source.found(
            Found.PHRASE, Found.BY_PHRASE, Found.IMPLICIT_AGENT) and c.target is not None \
            and c.target.found(Found.DYAD):
        return None
    return c, sources, targets


def _reciprocal(sc: SentenceContext, c: Candidate) -> bool:
    """True when the trigger's own clause has "each other" or "one another" as an argument
    ("accused each other of", "strikes on each other", "withdrew diplomats from each other's capitals")."""
    tree = sc.tree
    tokens = tree.tokens
    # the clause's own words: not a clause on one of its nouns ("signed a pact that lets their troops
    # train on each other's soil" is signed once)
    clause = set(tree.subtree(c.trigger.verb, cut=CLAUSE_CUT_DEPS | {"conj"}, deep=True))
    if c.trigger.token != c.trigger.verb:
        clause |= set(tree.subtree(c.trigger.token, cut=CLAUSE_CUT_DEPS | {"conj"}, deep=True))
    for j in clause:
        low = tokens[j].lower
        if low == "other" and j > 0 and tokens[j - 1].lower == "each":
            return True
        if low == "another" and j > 0 and tokens[j - 1].lower == "one":
            return True
    return False


@register("detente.events.each_other.v1", Stage.EVENTS)
def each_other(sc: SentenceContext, c: Candidate, sources: Actors,
               targets: Targets) -> tuple[Candidate, Actors, Targets] | None:
    """A reciprocal act ("Thailand and Cambodia accused each other", "the two sides struck each
    other"): one event from each actor of the source to each of the others. Only when the sentence
    names no other target, and the source is two or more different actors."""
    if (c.target is not None and not c.target.inferred) or len({a.code for a in sources}) < 2:
        return c, sources, targets
    if not _reciprocal(sc, c):
        return c, sources, targets
    c = replace(c, notes=[*c.notes, RECIPROCAL_NOTE])
    return c, sources, list(sources)


FIGHTING_ROOTS = ("19",)  # fighting, which two sides do to each other
FIGHTING_NOTE = "fighting of two sides: each to the other"
EACH_OTHER_NOTE = "a disagreement or an exchange of words of two sides: each to the other"
# fighting with someone, which is done both ways (not a blockade, an occupation or an air strike)
FIGHTING_CODES = ("190", "193", "194")
EACH_OTHER_VERBS = cue("events.each_other_verbs")  # "Peru and Chile disagree": each to the other
EXCHANGE_VERBS = cue("events.exchange_verbs")  # "traded accusations", "exchanged threats": each to the other
EXCHANGED_ROOTS = ("11", "12", "13")  # words exchanged: accusations, rejections, threats


def _each_to_the_other(sc: SentenceContext, c: Candidate) -> bool:
    """An act two sides do each to the other: disagreeing, trading accusations or threats."""
    if c.trigger.kind != "verb":
        return False
    lemma = sc.tokens[c.trigger.token].lemma.lower()
    return lemma in EACH_OTHER_VERBS or (lemma in EXCHANGE_VERBS and c.cameo.startswith(EXCHANGED_ROOTS))


def _mutual(cameo: str) -> bool:
    """Acts two parties do together: agreeing, meeting and talking, signing, ties of diplomatic
    cooperation ("upgraded their ties", 050) and relations restored ("resumed diplomatic
    relations", 054), cooperating, fighting (praise and endorsement, the rest of CAMEO 05, are one
    actor's; so is mediation, 045: two mediators do not mediate between each other)."""
    return cameo[:2] in MUTUAL_ROOTS and (cameo[:2] != "05" or cameo.startswith(("050", "054", "057"))) and \
        not cameo.startswith("045")


@register("detente.events.mutual_pair.v1", Stage.EVENTS)
def mutual_pair(sc: SentenceContext, c: Candidate, sources: Actors,
                targets: Targets) -> tuple[Candidate, Actors, Targets] | None:
    """A mutual act of two states with no other target ("Pakistan and India agreed", "met", "clashed")
    is one event, first named to second. Three or more states that meet or act jointly ("China, Iran
    and Russia began a joint drill", "held talks") are one event from the first named to each other;
    three or more that agree or sign are one event each, as any other act of a list of actors
    ("Britain, France and Germany urged" is three events)."""
    if RECIPROCAL_NOTE in c.notes:
        return c, sources, targets  # each to the other: the reciprocal rule has paired them
    # "clashes between the army and rebels", "a ceasefire between Sudan and Chad", "the Chile-Peru
    # talks": a phrase of two sides pairs them, whatever the act, within one country too
    two_sides = c.trigger.kind == "noun" and c.source is not None and c.source.found(Found.PHRASE) \
        and len(sources) == 2 and sources[0] != sources[1] and (any(
            p == "between" for p, _ in sc.tree.prep_objects(c.trigger.token))
            or hyphen_pair(sc.arg, c.trigger.token) is not None)
    open_target = c.target is None or (c.target.inferred and not _recipient_named(sc, c))
    countries = [a.country for a in sources]
    if open_target and len(sources) == 2 and countries[0] != countries[1] and _each_to_the_other(sc, c):
        # "Peru and Chile disagree over the waters", "traded accusations": each to the other
        c = replace(c, notes=[*c.notes, EACH_OTHER_NOTE])
        return c, list(sources), [sources[1], sources[0]]
    if open_target and (_mutual(c.cameo) or two_sides):
        if len(sources) == 2 and (countries[0] != countries[1] or two_sides):
            if c.cameo[:2] in FIGHTING_ROOTS:
                # "Tajik and Kyrgyz guards clashed", "fighting between the army and the rebels":
                # fighting is done by each side to the other, one event each way
                c = replace(c, notes=[*c.notes, FIGHTING_NOTE])
                return c, list(sources), [sources[1], sources[0]]
            c = replace(c, notes=[*c.notes, MUTUAL_NOTE])
            return c, [sources[0]], [sources[1]]
        if len(sources) > 2 and c.cameo[:2] in ("04", "06") and len(set(countries)) == len(countries):
            c = replace(c, notes=[*c.notes, MUTUAL_GROUP_NOTE])
            return c, [sources[0]], list(sources[1:MAX_TARGETS + 1])
    if c.cameo in FIGHTING_CODES and _fought_with(sc, c) and len(sources) == 1 and len(targets) == 1 \
            and targets[0] is not None and targets[0].code != sources[0].code:
        # "exchanged fire with police", "clashed with the rebels", "a gun battle with troops": fighting
        # with someone is done by each side to the other
        c = replace(c, notes=[*c.notes, FIGHTING_NOTE])
        return c, [sources[0], targets[0]], [targets[0], sources[0]]
    return c, sources, targets


def _recipient_named(sc: SentenceContext, c: Candidate) -> bool:
    """Whether the target found stands in what the act is given or done to ("pledged $10 million to
    the fund for Somalia"): the act has its recipient, it is not one the actors do with each other."""
    if c.target is None or c.target.head < 0:
        return False
    tree = sc.tree
    verb = c.trigger.verb
    phrases = [o for p, o in tree.prep_objects(verb) if p in ("to", "for")] + tree.children(verb, "dative")
    return any(c.target.head in tree.subtree(o) for o in phrases)


def _fought_with(sc: SentenceContext, c: Candidate) -> bool:
    """True when the candidate's target is the object of a 'with' that the trigger (or the object it
    fights with, "exchanged fire with") governs: the other side of a fight, not an instrument."""
    if c.target is None or not c.target.found(Found.PHRASE):
        return False
    tree = sc.tree
    head: int | None = c.target.head
    if head is not None and tree.tokens[head].dep in ("amod", "compound", "poss"):
        head = tree.head(head)  # "with Pakistani soldiers": the modifier names the side
    prep = tree.head(head) if head is not None else None
    if prep is None or head is None or tree.tokens[prep].lower != "with" or tree.tokens[head].dep != "pobj":
        return False
    gov = tree.head(prep)
    trig = c.trigger
    return gov in (trig.token, trig.verb) or (gov is not None and tree.head(gov) == trig.verb
                                               and tree.tokens[gov].dep == "dobj")


@register("detente.events.listed_names.v1", Stage.EVENTS)
def listed_names(sc: SentenceContext, c: Candidate, sources: Actors,
                 targets: Targets) -> tuple[Candidate, Actors, Targets] | None:
    """A headline's "Pakistan, India agree on ceasefire": names listed before a mutual verb, first to
    second (spaCy attaches the first name to the verb, not as a conjunct of the subject)."""
    source, target = c.source, c.target
    if c.cameo[:2] not in MUTUAL_ROOTS or source is None or target is None or not target.inferred:
        return c, sources, targets
    if MUTUAL_NOTE in c.notes or RECIPROCAL_NOTE in c.notes:
        return c, sources, targets  # the mutual pair or reciprocal rule has ordered them
    tokens = sc.tokens
    t, s = target.head, source.head
    if (0 <= t < s and tokens[t].dep in ("npadvmod", "dep", "nmod", "appos")
            and sc.tree.head(t) == sc.tree.head(s) and tokens[t + 1].text == "," and t + 2 == s):
        c = replace(c, notes=[*c.notes, "names listed before the verb: first to second"])
        return c, list(target.actors[:1]), list(source.actors[:1])
    return c, sources, targets
