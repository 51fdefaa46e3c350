"""Trigger rules: the event words of a sentence, and triggers that are background, not news."""

from __future__ import annotations

from dataclasses import replace

from ..arguments import among, misparsed_subject
from ..candidates import Candidate, quad
from ..context import SentenceContext
from ..cues import cue
from ..ontology import cameo_info, default_cameo
from ..proposer import get_proposer
from ..triggers import Trigger, find_triggers, open_noun_triggers, open_verb_triggers
from . import Stage, register

# words for military exercises, and the modifiers that say they are held with a partner
DRILL_WORDS = cue("triggers.drill_words")
PARTNER_MODIFIERS = cue("triggers.partner_modifiers")
STANDING_RELATION_VERBS = cue("triggers.standing_relation_verbs")


@register("detente.triggers.lexicon.v1", Stage.TRIGGERS)
def lexicon_triggers(sc: SentenceContext, found: list[Trigger]) -> list[Trigger]:
    """Verbs, event nouns carried by a support verb, and dismissal predicates from the PLOVER lexicon
    (``coding/data/verbs.tsv``, ``nouns.tsv``)."""
    return find_triggers(sc.tree, sc.sent.start, sc.sent.end, sc.art.lex)


@register("detente.skip.background_clause.v1", Stage.SKIP)
def background_clause(sc: SentenceContext, trig: Trigger) -> bool:
    """A material act in a relative or participial clause describing a noun ("the helicopter that was
    captured by ...", "property seized in the 1970s") is background to an argument, not the news;
    statements there are news, except a standing relation said of the noun ("forces backed by Kenyan
    soldiers", "rebels funded by Uganda"), which is background too."""
    tree = sc.tree
    standing = trig.kind == "verb" and tree.tokens[trig.verb].lemma.lower() in STANDING_RELATION_VERBS
    if quad(trig.cameo) not in (2, 4) and not standing:
        return False
    verb = tree.tokens[trig.verb]
    if standing and verb.dep == "advcl" and verb.tag == "VBN" and not tree.children(trig.verb, "nsubj", "nsubjpass"):
        return True  # "Backed by Ugandan troops, the rebels advanced": said of the rebels
    cur = trig.verb if trig.kind != "noun" else trig.token
    for _ in range(12):
        t = tree.tokens[cur]
        h = tree.head(cur)
        if h is None:
            return False
        if t.dep == "relcl" or (t.dep == "acl" and t.tag == "VBN" and misparsed_subject(tree, cur) is None):
            # "Canada is among the countries that imposed sanctions": the clause is said of Canada
            return tree.tokens[h].pos in ("NOUN", "PROPN", "PRON") and among(tree, h) == h
        cur = h
    return False


HABITUAL_ADVERBS = cue("triggers.habitual_adverbs")


@register("detente.skip.habitual.v1", Stage.SKIP)
def habitual(sc: SentenceContext, trig: Trigger) -> bool:
    """What an actor usually, traditionally or seldom does, or has long done ("Historically, Egypt has
    mediated between ...", "deportees are usually flown home", "has long enjoyed good relations") is
    a habit or a standing state, not an act that happened: no event. Acts done routinely or
    repeatedly are still acts."""
    tree = sc.tree
    return any(tree.tokens[k].lower in HABITUAL_ADVERBS for k in tree.children(trig.verb, "advmod"))


PRESS_WORDS = cue("triggers.press_inquiry_words")


@register("detente.skip.press_inquiry.v1", Stage.SKIP)
def press_inquiry(sc: SentenceContext, trig: Trigger) -> bool:
    """A reporter's request for comment, ignored, declined or unanswered ("the two governments ignored
    requests for comment", "did not respond to a request for comment") is how the article was
    reported, not an act between the parties."""
    tree = sc.tree
    tokens = tree.tokens
    heads = [trig.obj] if trig.obj is not None else []
    heads += tree.children(trig.verb, "dobj") + [o for _, o in tree.prep_objects(trig.verb)]
    for h in heads:
        if h is None:
            continue
        if tokens[h].lemma.lower() in PRESS_WORDS:
            return True
        if any(p == "for" and tokens[o].lemma.lower() in PRESS_WORDS for p, o in tree.prep_objects(h)):
            return True
    return False


@register("detente.triggers.open_nouns.v1", Stage.TRIGGERS)
def open_nouns(sc: SentenceContext, found: list[Trigger]) -> list[Trigger]:
    """Event nouns no support verb carries ("since the killing of a soldier", "talks between Serbia and
    Kosovo ended"), proposed tentatively: the learned scorer decides whether each is news."""
    taken = {t.token for t in found} | {t.obj for t in found if t.obj is not None}
    return open_noun_triggers(sc.tree, sc.sent.start, sc.sent.end, sc.art.lex, taken)


@register("detente.triggers.open_verbs.v1", Stage.TRIGGERS)
def open_verbs(sc: SentenceContext, found: list[Trigger]) -> list[Trigger]:
    """Lexicon verbs whose rows' conditions are not met ("officers surrounded the house to arrest him"),
    and the other senses of verbs a row matched, proposed tentatively: the learned scorer decides."""
    taken = {(t.verb, t.cameo[:2]) for t in found if t.kind in ("verb", "predicate")}
    return open_verb_triggers(sc.tree, sc.sent.start, sc.sent.end, sc.art.lex, taken)


@register("detente.triggers.proposer.v1", Stage.TRIGGERS)
def proposed_types(sc: SentenceContext, found: list[Trigger]) -> list[Trigger]:
    """A type the learned proposer finds probable in the sentence with no event word of that type
    ("'Those who test our patience will learn our answer,' the minister said" is a THREATEN): a
    tentative trigger on the sentence's main verb, whose actors the rules find as for any verb."""
    probs = sc.type_probabilities()
    if not probs:
        return []
    threshold = get_proposer().threshold
    have = {cameo_info(t.cameo).plover_type for t in found}
    anchor = _main_verb(sc)
    out = []
    for t, p in sorted(probs.items(), key=lambda kv: (-kv[1], kv[0])):
        if p < threshold or t in have:
            continue
        out.append(Trigger(anchor, "proposed", default_cameo(t), anchor, (), f"proposer: {t} ({p:.2f})", 0,
                           tentative=True))
    return out


def _main_verb(sc: SentenceContext) -> int:
    """The sentence's root when it is a verb, else its first verb, else its root."""
    tokens = sc.tokens
    root = next((i for i in range(sc.sent.start, sc.sent.end) if tokens[i].dep == "ROOT"), sc.sent.start)
    if tokens[root].pos in ("VERB", "AUX"):
        return root
    return next((i for i in range(sc.sent.start, sc.sent.end) if tokens[i].pos == "VERB"), root)


@register("detente.triggers.unilateral_drill.v1", Stage.STATEMENTS)
def unilateral_drill(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """Military exercises are military cooperation (062) only with a partner: "with" another force,
    a joint or multinational drill, or two actors holding it. One state's drills are a show of
    force (150, MOBILIZE), aimed at the country they are held near, if another."""
    out = []
    for c in cands:
        if c.cameo != "062" or c.source is None:
            out.append(c)
            continue
        word = c.trigger.obj if c.trigger.kind == "verb" and c.trigger.obj is not None else c.trigger.token
        if sc.tokens[word].lemma.lower() not in DRILL_WORDS or _has_partner(sc, c, word):
            out.append(c)
            continue
        mine = {a.country for a in c.source.actors}
        target = c.target if c.target is not None and not {a.country for a in c.target.actors} & mine else None
        out.append(replace(c, cameo="150", target=target, notes=[*c.notes, "exercise with no partner -> MOBILIZE"]))
    return out


def _has_partner(sc: SentenceContext, c: Candidate, word: int) -> bool:
    tree = sc.tree
    tokens = tree.tokens
    heads = {word, c.trigger.verb, c.trigger.token}
    if any(p in ("with", "between", "alongside") for h in heads for p, _ in tree.prep_objects(h)):
        return True
    if any(tokens[k].lemma.lower() in PARTNER_MODIFIERS for k in tree.children(word, "amod", "compound")):
        return True
    assert c.source is not None
    if len(c.source.actors) > 1 or len({a.country for a in c.source.actors}) > 1:
        return True  # "Japan and India held exercises"
    subj = c.source.head
    if subj >= 0 and tree.children(subj, "conj"):
        return True
    # a headline's comma list: "Peru, Chile, Ecuador hold naval drill" parses the first names apart
    return any(k != subj and tokens[k].pos == "PROPN" for k in tree.children(c.trigger.verb, "npadvmod", "nsubj"))
