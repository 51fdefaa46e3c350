"""Actor rules: a doer or a target when the sentence's syntax names none."""

from __future__ import annotations

from dataclasses import replace

from ...actors.phrase import STATE_SECTORS
from ...model import Actor
from ..arguments import FORCE_NOUNS, LOCATION_PREPS, Found, Resolved, country_named, location_country, resolve_head
from ..candidates import CROWD_NOUNS, IMPLICIT_AGENT_CODES, RETALIATION_WORDS, WEAPON_NOUNS
from ..context import SentenceContext
from ..cues import cue
from ..features import GROUP_CODES
from ..triggers import Trigger
from . import Stage, register

# Coercion a state turns on its own people when no one else is named: restrictions, arrests,
# curfews, states of emergency, bans, violent repression (CAMEO 172, 173, 175; not 174, deportation).
REPRESSION_CODES = ("172", "173", "175")
RELEASE_CODE = "0841"  # releasing people held: "freed 5,000 political prisoners" are its own people
# Acts whose unnamed doer is, by default, the state of the people they were done to: repression and
# the release of prisoners (not expulsions, deportations or sanctions, which states do to foreigners).
DOMESTIC_CODES = (*REPRESSION_CODES, "084")
BACK_PRONOUNS = cue("actors.back_pronouns")
BACK_DETERMINERS = cue("actors.back_determiners")
BACK_POSSESSIVES = cue("actors.back_possessives")
BACK_ADVERBS = cue("actors.back_adverbs")
# what a denial or rejection answers: a claim, or what an accusation charges ("denied any involvement")
ANSWERED_NOUNS = cue("triggers.claim_nouns") | cue("actors.denied_nouns")
LEGAL_VERBS = cue("actors.legal_verbs")


@register("detente.source.implicit_agent.v1", Stage.SOURCE)
def implicit_agent(sc: SentenceContext, trig: Trigger, tgt: Resolved | None) -> Resolved | None:
    """The authorities behind a passive act of state with no 'by' phrase ("was detained in Serbia",
    "was summoned", "tariffs already imposed"): the government of the place where it happened,
    else, for repression and releases, the government of the people it was done to (a state acts on
    its own people: "some 700 people were detained at the rally"), else the dateline country's,
    else that of the country the article names most (other than the target's)."""
    tree = sc.tree
    if trig.kind != "verb" or not trig.cameo.startswith(IMPLICIT_AGENT_CODES):
        return None
    if not tree.children(trig.verb, "auxpass") and not tree.passive_subjects(trig.verb):
        return None  # only a passive clause; a participle ("weapons seized last year") is background
    if any(p == "by" for p, _ in tree.prep_objects(trig.verb)):
        return None
    patient = tgt
    if patient is None:  # the passive's subject is whom the act was done to ("prisoners were released")
        subj = next(iter(tree.passive_subjects(trig.verb)), None)
        patient = resolve_head(sc.arg, subj) if subj is not None else None
    avoid = {a.country for a in patient.actors} if patient else set()
    country = _expelled_from(sc, trig, avoid) or location_country(sc.arg)
    discourse = sc.discourse
    # "was charged with", "was indicted": a court case, which a state brings against its own
    legal = tree.tokens[trig.verb].lemma.lower() in LEGAL_VERBS
    if trig.cameo.startswith(("11", "09")) and not (country or discourse.home_country or legal):
        return None  # "was accused of": with no place named, the accuser could be anyone
    if not country and len(avoid) == 1 and patient is not None and patient.actors[0].country not in GROUP_CODES \
            and (trig.cameo.startswith(DOMESTIC_CODES) or legal):
        country = patient.actors[0].country
    if not country and discourse.home_country not in avoid:
        country = discourse.home_country  # the dateline's country
    if not country:
        ranked = sorted(discourse.country_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        country = next((c for c, _ in ranked if c not in avoid), "") or discourse.home_country
    if not country:
        return None
    actor = Actor(code=country + "GOV", country=country, sector="GOV", text="(authorities)")
    return Resolved((actor,), trig.verb, Found.IMPLICIT_AGENT, inferred=True)


EXPULSION_CODES = ("166", "174")  # expelling diplomats, people


def _expelled_from(sc: SentenceContext, trig: Trigger, avoid: set[str]) -> str:
    """The country a person was expelled or deported from ("was expelled from Moscow", "deported
    from the United States"): the state that expelled them."""
    if not trig.cameo.startswith(EXPULSION_CODES):
        return ""
    tree = sc.tree
    for p, o in tree.prep_objects(trig.verb):
        if p == "from" and tree.tokens[o].pos == "PROPN":
            country = country_named(sc.arg, o, {*avoid, *GROUP_CODES})
            if country:
                return country
    return ""


@register("detente.source.unattributed_attack.v1", Stage.SOURCE)
def unattributed_attack(sc: SentenceContext, trig: Trigger, tgt: Resolved | None) -> Resolved | None:
    """Violence done by a thing ("a roadside bombing killed", "were killed by an explosive device",
    "killed in a car bomb explosion"): CAMEO's unidentified armed forces (UAF) of the place; but
    the thing's own doer when its phrase names one ("killed in Israeli air strikes", "wounded by
    Russia's shelling", "an attack by the rebels killed"), and the other side of a fight the victim
    was killed in ("killed in a gun battle with police")."""
    if not trig.cameo.startswith(("18", "19", "20")) or trig.kind != "verb":
        return None
    tree = sc.tree
    tokens = tree.tokens
    doers = list(tree.children(trig.verb, "nsubj"))
    doers += [o for p, o in tree.prep_objects(trig.verb) if p in ("by", "in")]
    for d in doers:
        # "killed in a gun battle with police", "died in clashes with the army": the other side of the
        # fight the victim was in
        if any(e.cameo.startswith("19") and "prep:with" in e.target
               for e in sc.art.lex.noun_entries(tokens[d].lemma.lower())):
            for o in (o for p, o in tree.prep_objects(d) if p == "with"):
                side = resolve_head(sc.arg, o)
                if side is not None and side.actors:
                    return side.by(Found.MODIFIER)
    if not any(tokens[d].lemma.lower() in WEAPON_NOUNS or any(
            tokens[k].lemma.lower() in WEAPON_NOUNS for k in tree.children(d, "compound")) for d in doers):
        return None
    victims = {a.country for a in tgt.actors} if tgt is not None else set()
    for d in doers:
        if tokens[d].lemma.lower() not in WEAPON_NOUNS:
            continue
        named_by = [o for p, o in tree.prep_objects(d) if p == "by"]  # "an attack by Armenian troops"
        for k in [*tree.children(d, "amod", "poss", "compound", "nmod"), *named_by]:
            named = resolve_head(sc.arg, k)
            if named is not None and named.actors and not {a.country for a in named.actors} & victims:
                if tokens[d].lemma.lower() in FORCE_NOUNS and tokens[k].pos == "ADJ" and all(
                        a.sector in ("", "GOV") and a.country not in ("", "IGO", "NGO") for a in named.actors):
                    # "killed in Turkish shelling": the state's armed forces
                    named = replace(named, actors=tuple(replace(a, sector="MIL", code=a.country + "MIL")
                                                        for a in named.actors))
                return named.by(Found.MODIFIER)
    country = location_country(sc.arg)
    if not country and tgt is not None and tgt.actors[0].country not in ("IGO", "NGO"):
        country = tgt.actors[0].country
    if not country:
        return None
    actor = Actor(code=country + "UAF", country=country, sector="UAF", text="(unidentified attackers)")
    return Resolved((actor,), trig.verb, Found.UNATTRIBUTED_ATTACK, inferred=True)


@register("detente.source.crowd.v1", Stage.SOURCE)
def crowd(sc: SentenceContext, trig: Trigger, tgt: Resolved | None) -> Resolved | None:
    """A protest by a crowd of no stated nationality ("thousands took to the streets in Hong Kong",
    "hundreds of people blocked roads"): the civilians of the place, else of the article's country."""
    if not trig.cameo.startswith("14") or trig.kind != "verb":
        return None
    tree = sc.tree
    tokens = tree.tokens
    subj = tree.child(trig.verb, "nsubj")  # a dateline parsed as a second subject is detached before
    if subj is None:
        return None
    words = [subj] + [o for p, o in tree.prep_objects(subj) if p == "of"]
    words += [o for w in list(words) for p, o in tree.prep_objects(w) if p == "of"]
    if not any(tokens[w].lemma.lower() in CROWD_NOUNS for w in words):
        return None
    country = location_country(sc.arg) or sc.discourse.home_country
    if not country or country in ("IGO", "NGO"):
        return None
    s, e = tree.span(subj)
    actor = Actor(code=country + "CVL", country=country, sector="CVL",
                  text=sc.art.parsed.text[tokens[s].idx:tokens[e - 1].end_idx])
    return Resolved((actor,), subj, Found.CROWD, inferred=True)


@register("detente.target.repression.v1", Stage.TARGET)
def repression_target(sc: SentenceContext, trig: Trigger, src: Resolved) -> Resolved | None:
    """Repression aimed at no one named ("police arrested 12", "declared a curfew", "arresting
    political opponents"), or a state's release of people held with no nationality named ("the
    junta freed 5,000 political prisoners"): a state's own people, the civilians of its country."""
    if not trig.cameo.startswith((*REPRESSION_CODES, RELEASE_CODE)) or len(src.actors) != 1:
        return None
    if trig.cameo.startswith(RELEASE_CODE) and src.found(Found.IMPLICIT_AGENT):
        return None  # "he was released": whoever held him may have been the police of anywhere
    actor = src.actors[0]
    if actor.sector not in STATE_SECTORS or actor.country in ("", "IGO", "NGO"):
        return None
    people = Actor(code=actor.country + "CVL", country=actor.country, sector="CVL", text="(its own people)")
    return Resolved((people,), -1, Found.REPRESSION, inferred=True)


def _points_back(sc: SentenceContext, trig: Trigger) -> bool:
    """Whether the sentence of ``trig`` refers to an earlier act or to the pair itself: a retaliation
    or response word ("in response", "soon after"), or in the act's own phrases a pronoun, a possessive
    pronoun or a definite noun that names no actor ("denied the request", "their second summit",
    "condemned his arrest", "an end to the tensions")."""
    tree, tokens = sc.tree, sc.tokens
    sent = sc.sent
    words = {tokens[i].lower for i in range(sent.start, sent.end)} | \
        {tokens[i].lemma.lower() for i in range(sent.start, sent.end)}
    if words & RETALIATION_WORDS:
        return True
    if trig.cameo.startswith("12") and trig.obj is not None and (
            tokens[trig.obj].lemma.lower() in ANSWERED_NOUNS):
        return True  # "denied any involvement", "rejected the allegations": an answer to an accusation
    anchors = {trig.token, trig.verb, tree.conj_root(trig.verb)}
    if any(tokens[k].lower in BACK_ADVERBS for a in anchors for k in tree.children(a, "advmod", "prep")):
        return True  # "recalled its ambassador soon after", "in turn"
    phrase: set[int] = set()
    for a in anchors:
        for k in tree.children(a, "nsubj"):
            if any(tokens[j].lower in ("two", "both") for j in tree.subtree(k)):
                return True  # "the two sides agreed", "both ministers": the pair itself
        for k in tree.children(a, "dobj", "nsubjpass", "prep", "poss", "dative"):
            if tokens[k].dep == "prep" and tokens[k].lower in LOCATION_PREPS:
                continue  # "in the border towns": a place, not something said before
            phrase.update(j for j in tree.subtree(k, cut=frozenset({"relcl", "acl", "ccomp"})))
    for o in sorted(phrase | {trig.token}):
        t = tokens[o]
        if t.pos == "PRON" and (t.lower in BACK_PRONOUNS or (t.dep == "poss" and t.lower in BACK_POSSESSIVES)):
            return True
        if t.pos == "NOUN" and any(tokens[k].lower in BACK_DETERMINERS for k in tree.children(o, "det")) \
                and resolve_head(sc.arg, o) is None:
            return True
    return False


ACT_PREPS = cue("actors.act_preps")  # "concern over the strikes", "outrage at the killings"
GENERIC_ACT_NOUNS = cue("actors.generic_act_nouns")  # "the move", "the decision": whatever was just done


@register("detente.target.earlier_act.v1", Stage.TARGET)
def earlier_act(sc: SentenceContext, trig: Trigger, src: Resolved) -> Resolved | None:
    """No target in the sentence, but the act answers an act an earlier sentence told, named by a
    definite description ("Israeli troops raided a camp. Egypt condemned the raid", "voiced concern
    over these strikes"): its target is that act's doer (the latest one, when one country did it)."""
    tree, tokens = sc.tree, sc.tokens
    nouns: list[int] = [trig.obj] if trig.obj is not None else []
    for a in sorted({trig.verb, trig.token, *nouns}):  # the object's own phrase too ("concern over the strikes")
        for k in tree.children(a, "dobj", "nsubjpass", "prep"):
            if tokens[k].dep != "prep":
                nouns.append(k)
            elif tokens[k].lower in ACT_PREPS:
                nouns.extend(tree.children(k, "pobj"))
    countries = {a.country for a in src.actors}
    for n in nouns:
        if n == trig.token:
            continue
        found = act_referred(sc, n, countries)
        if found is not None:
            return found
    return None


def act_referred(sc: SentenceContext, n: int, countries: set[str]) -> Resolved | None:
    """The doer of the act an earlier sentence told that the noun ``n`` points back to ("the raid",
    "these actions", "the move"), when it is none of ``countries``; None otherwise."""
    tree, tokens = sc.tree, sc.tokens
    t = tokens[n]
    if t.pos != "NOUN" or not any(tokens[k].lower in BACK_DETERMINERS for k in tree.children(n, "det")):
        return None
    if resolve_head(sc.arg, n) is not None:
        return None  # "the Israeli raid" names its doer itself
    lemma = t.lemma.lower()
    if lemma in GENERIC_ACT_NOUNS:
        doer = sc.discourse.latest_act(sc.si, besides=frozenset(countries))  # "the move": the act just told
    else:
        doer = sc.discourse.earlier_act(lemma, frozenset(e.cameo[:2] for e in sc.art.lex.noun_entries(lemma)), sc.si)
    if doer is not None and doer.country not in countries:
        return Resolved((doer,), n, Found.EARLIER_ACT, inferred=True, detail=t.text)
    return None


@register("detente.target.dyad_partner.v1", Stage.TARGET)
def dyad_partner(sc: SentenceContext, trig: Trigger, src: Resolved) -> Resolved | None:
    """No target in the sentence: the other member of the pair of states the article is about, when
    the sentence points back to it: the act answers or refers to something said before ("denied the
    request", "dismissed that charge", "will retaliate", "recalled its ambassador in response")."""
    pair = sc.discourse.last_pair
    if pair is None or not _points_back(sc, trig):
        return None
    countries = {a.country for a in src.actors}
    a, b = pair
    if a.country in countries and b.country not in countries:
        other = b
    elif b.country in countries and a.country not in countries:
        other = a
    else:
        return None
    return Resolved((other,), -1, Found.DYAD, inferred=True)
