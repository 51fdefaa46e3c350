"""Alternative readings of a candidate's actors, for the learned scorer to weigh against the rules'
own: a doer from the context when the syntax names none, the source's own country as the target
of an act aimed at no one named, another actor of the sentence as the target.

The rules alone never report an alternative; the scorer (``detente.score.learned.v1``) reports
one only when the rules' own reading of the same trigger is judged wrong and the alternative
right."""

from __future__ import annotations

from dataclasses import replace

from ...model import Actor
from ..arguments import REFLEXIVES, Found, Resolved, resolve_head, subject_head
from ..candidates import MUTUAL_ROOTS, Candidate, quad
from ..context import SentenceContext
from ..cues import cue
from ..triggers import reacted_to
from . import Stage, register

MAX_ALTERNATIVES = 4
BACK_DETERMINERS = cue("actors.back_determiners")  # "the ministry" points back; "Western powers" does not
GROUPS = ("", "IGO", "NGO", "IMG")


def _sentence_actors(sc: SentenceContext) -> list[Resolved]:
    """The actor phrases of the sentence, one per country, in text order (cached per sentence)."""
    cached = sc.cache.get("actors")
    if cached is not None:
        return list(cached)
    tree = sc.tree
    tokens = tree.tokens
    seen: set[str] = set()
    out: list[Resolved] = []
    for i in range(sc.sent.start, sc.sent.end):
        t = tokens[i]
        if t.pos not in ("PROPN", "NOUN", "PRON") or t.dep in ("compound",) or t.lower in REFLEXIVES:
            continue
        r = resolve_head(sc.arg, i)
        if r is None:
            continue
        keep = tuple(a for a in r.actors if a.country and a.country not in seen)
        if keep:
            seen.update(a.country for a in keep)
            out.append(replace(r, actors=keep[:1]))
    sc.cache["actors"] = out
    return out


# kinds of act two parties do with each other and not together to a third: agreeing, meeting,
# endorsing, working together (not fighting, a blow two may deal together)
WITH_EACH_OTHER_ROOTS = MUTUAL_ROOTS - {"19"}


def _countries(r: Resolved | None) -> set[str]:
    return {a.country for a in r.actors} if r is not None else set()


def _generic_subject(sc: SentenceContext, c: Candidate) -> bool:
    """The act's subject is a common noun with no determiner pointing back ("Western powers are
    concerned", "critics say", "rights groups condemned"): a doer named and left vague on purpose,
    not one to guess from context ("the ministry" or "it" may be)."""
    tokens = sc.tokens
    if c.trigger.kind == "noun":
        return False  # the subject of the verb carrying an event noun need not be its doer
    subj, _ = subject_head(sc.tree, c.trigger.verb)
    if subj is None or tokens[subj].pos != "NOUN" or sc.tree.children(subj, "poss") or any(
            tokens[k].pos == "PROPN" for k in sc.tree.children(subj, "compound", "nmod")):
        return False
    return not {tokens[k].lower for k in sc.tree.children(subj, "det")} & BACK_DETERMINERS


@register("detente.alternatives.context_source.v1", Stage.ALTERNATIVES)
def context_source(sc: SentenceContext, c: Candidate) -> list[Candidate]:
    """A trigger whose syntax names no doer ("were shot dead in the capital", "a ceasefire went into
    effect"): the speaker, or an actor named in the sentence. Not the country the article is about:
    that guess was right once in eleven reported events on the training files."""
    if c.source is not None or _generic_subject(sc, c):
        return []
    avoid = _countries(c.target)
    options: list[tuple[str, Resolved]] = []
    if sc.speaker is not None and sc.speaker.country:
        options.append(("the speaker", Resolved((sc.speaker,), -1, Found.CONTEXT_SPEAKER, inferred=True)))
    for r in _sentence_actors(sc):
        options.append(("an actor of the sentence", replace(r.by(Found.CONTEXT_SENTENCE),
                                                             inferred=True)))
    out: list[Candidate] = []
    seen: set[str] = set()
    for label, r in options:
        country = r.actors[0].country
        if country in seen or (country in avoid and len(avoid) == 1):
            continue
        seen.add(country)
        out.append(replace(c, source=r, alternative=f"source: {label}"))
        if len(out) >= MAX_ALTERNATIVES:
            break
    return out


@register("detente.alternatives.other_target.v1", Stage.ALTERNATIVES)
def other_target(sc: SentenceContext, c: Candidate) -> list[Candidate]:
    """An act aimed at no one named, or at a target guessed from context: the source's own country
    (a domestic event), or another actor named in the sentence."""
    if c.source is None or (c.target is not None and not c.target.inferred):
        return []
    src = _countries(c.source)
    have = _countries(c.target)
    out: list[Candidate] = []
    first = c.source.actors[0]
    # several countries acting together have no one own country: the first's makes the others its
    # targets, right for a mutual act ("India and Mauritius upgraded their ties"), wrong for a call
    # or a blow they deal together ("the US and Britain issued a joint statement calling for calm")
    alone = len(src) == 1 or c.cameo[:2] in WITH_EACH_OTHER_ROOTS
    if first.country not in GROUPS and first.country not in have and alone:
        own = Actor(code=first.country, country=first.country, sector="", text="(its own country)")
        out.append(replace(c, target=Resolved((own,), -1, Found.CONTEXT_OWN, inferred=True),
                           alternative="target: the source's own country"))
    if quad(c.cameo) in (1, 2) and reacted_to(sc.tree, c.trigger):
        # "lawmakers welcomed Ukraine's agreement": who hails a cooperative act is not its target
        # (who condemns sanctions may well be theirs)
        return out
    for r in _sentence_actors(sc):
        country = r.actors[0].country
        if country in src or country in have:
            continue
        out.append(replace(c, target=replace(r.by(Found.CONTEXT_SENTENCE), inferred=True),
                           alternative="target: an actor of the sentence"))
        if len(out) >= MAX_ALTERNATIVES:
            break
    return out


@register("detente.alternatives.reciprocal.v1", Stage.ALTERNATIVES)
def reciprocal(sc: SentenceContext, c: Candidate) -> list[Candidate]:
    """Fighting is often mutual ("clashes between the army and the rebels", "exchanged fire", "a gun
    battle with police"): the reverse direction of an act of fighting (CAMEO 19), proposed for the
    scorer to judge as an event of its own (not a competing reading). One-sided violence (killing,
    abducting, bombing, executing: CAMEO 18 and 20) has no other side: the militants killed in a
    raid did not kill the troops in it. Nor has a passive verb another side: its subject is the
    one acted upon ("protesters were shot by police")."""
    if c.source is None or c.target is None or not c.cameo.startswith("19"):
        return []
    if c.trigger.kind == "verb" and c.trigger.token == c.trigger.verb and sc.tree.is_passive(c.trigger.verb):
        return []
    if sc.tokens[c.trigger.verb].lemma.lower() in OFFENSIVE_VERBS:
        return []  # "launched airstrikes on Yemen", "conducted raids against": one side's offensive
    if _countries(c.source) == _countries(c.target) and len(c.source.actors) == len(c.target.actors) == 1 \
            and c.source.actors[0].sector == c.target.actors[0].sector:
        return []
    return [replace(c, source=c.target, target=c.source, alternative=RECIPROCAL)]


RECIPROCAL = "reverse: the fighting's other side"
OFFENSIVE_VERBS = cue("alternatives.offensive_verbs")
