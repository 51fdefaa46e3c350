"""Trigger rules: the event words of a sentence, and triggers that are background, not news."""

from __future__ import annotations

from ..candidates import quad
from ..context import SentenceContext
from ..triggers import Trigger, find_triggers, open_noun_triggers
from . import Stage, register


@register("detente.triggers.lexicon.v1", Stage.TRIGGERS)
def lexicon_triggers(sc: SentenceContext, found: list[Trigger]) -> list[Trigger]:
    """Verbs, event nouns carried by a support verb, and dismissal predicates from the PLOVER lexicon
    (``coding/data/verbs.tsv``, ``nouns.tsv``)."""
    return find_triggers(sc.tree, sc.sent.start, sc.sent.end, sc.art.lex)


@register("detente.skip.background_clause.v1", Stage.SKIP)
def background_clause(sc: SentenceContext, trig: Trigger) -> bool:
    """A material act in a relative or participial clause describing a noun ("the helicopter that was
    captured by ...", "property seized in the 1970s") is background to an argument, not the news;
    statements there are news."""
    if quad(trig.cameo) not in (2, 4):
        return False
    tree = sc.tree
    cur = trig.verb if trig.kind != "noun" else trig.token
    for _ in range(12):
        t = tree.tokens[cur]
        h = tree.head(cur)
        if h is None:
            return False
        if t.dep == "relcl" or (t.dep == "acl" and t.tag == "VBN"):
            return tree.tokens[h].pos in ("NOUN", "PROPN", "PRON")
        cur = h
    return False


@register("detente.triggers.open_nouns.v1", Stage.TRIGGERS)
def open_nouns(sc: SentenceContext, found: list[Trigger]) -> list[Trigger]:
    """Event nouns no support verb carries ("since the killing of a soldier", "talks between Serbia and
    Kosovo ended"), proposed tentatively: the learned scorer decides whether each is news."""
    taken = {t.token for t in found} | {t.obj for t in found if t.obj is not None}
    return open_noun_triggers(sc.tree, sc.sent.start, sc.sent.end, sc.art.lex, taken)
