"""Decision rules: which proposed events to report, and with what confidence."""

from __future__ import annotations

from ..context import SentenceContext
from ..features import Proposal
from ..scorer import document_kind, get_scorer
from . import Stage, register


@register("detente.decide.learned.v1", Stage.DECIDE)
def learned_scorer(sc: SentenceContext, proposals: list[Proposal]) -> list[Proposal]:
    """The learned scorer (``coding/data/scorer.json``) gives each proposed event the probability that
    it is right; the rules' own readings at or above the threshold are reported, and where none of a
    trigger's is, its best alternative reading (a tentative trigger, a doer or target from the
    context) if that one reaches it."""
    scorer = get_scorer()
    for p in proposals:
        p.probability = scorer.probability(p.features)
    return select(proposals, scorer.threshold_for(document_kind(len(sc.art.parsed.sentences))))


def select(proposals: list[Proposal], threshold: float) -> list[Proposal]:
    """Per trigger: the rules' own readings that reach ``threshold``, else the best alternative that
    does; an event flagged negated, hypothetical or future is kept as the rules read it (flagged
    events are never counted as real, and users may want to see them)."""
    groups: dict[tuple[int, str], list[Proposal]] = {}
    for p in proposals:
        groups.setdefault(p.group, []).append(p)
    chosen: list[Proposal] = []
    for members in groups.values():
        primary = [p for p in members if p.primary]
        flagged = [p for p in primary if not p.event.is_real]
        real = [p for p in primary if p.event.is_real and p.probability >= threshold]
        chosen += flagged + real
        if real:
            continue
        alternatives = [p for p in members if not p.primary and p.event.is_real and p.probability >= threshold]
        if alternatives:
            chosen.append(max(alternatives, key=_rank))
    # a verb has one sense: where a row matched it by its object ("struck targets") or it carries an
    # event noun ("approved a loan"), the other senses proposed on it on trial ("strike" a deal, go
    # on strike; "approve" as endorsing) are not also reported
    matched = {p.candidate.trigger.verb for p in chosen if p.primary and (
        (p.candidate.trigger.kind == "verb" and p.candidate.trigger.obj is not None)
        or (p.candidate.trigger.kind == "noun" and p.candidate.trigger.verb != p.candidate.trigger.token))}
    chosen = [p for p in chosen if not (_other_sense(p) and p.candidate.trigger.token in matched)]
    # nor is one verb on trial read as both cooperating and conflict ("will join Fiji to patrol" is no
    # threat as well): the likeliest sense decides which side the verb's readings stand on
    senses: dict[int, list[Proposal]] = {}
    for p in chosen:
        if _other_sense(p) and not p.primary:
            senses.setdefault(p.candidate.trigger.token, []).append(p)
    best = {token: max(found, key=_rank) for token, found in senses.items()}
    return [p for p in chosen if not (_other_sense(p) and not p.primary)
            or _conflict(p) == _conflict(best[p.candidate.trigger.token])]


def _rank(p: Proposal) -> tuple[float, int]:
    """The likelier reading first; of two as likely, the one with fewer features (the plainer)."""
    return p.probability, -len(p.features)


def _conflict(p: Proposal) -> bool:
    return p.event.quad_class >= 3  # verbal or material conflict, against verbal or material cooperation


def _other_sense(p: Proposal) -> bool:
    trig = p.candidate.trigger
    return trig.tentative and trig.kind == "verb" and trig.specificity == 0 and trig.obj is None
