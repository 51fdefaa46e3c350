"""What the learned scorer knows about a proposed event: general features of its trigger, its
actors, how they were found and the sentence around it.

Features are strings (present or absent). None names a particular sentence, actor or country:
they describe constructions ("the source came from a passive 'by' phrase", "the trigger is the
object of 'since'", "the target is the source's own country"), so that what is learnt from one
article carries over to news it has never seen. The trigger's lemma is the one lexical feature,
and the scorer's regularisation keeps any one word from deciding alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Actor, Event
from .candidates import Candidate, speech_governor
from .context import SentenceContext
from .cues import cue

__all__ = ["Proposal", "proposal_features"]

GROUP_CODES = ("IGO", "NGO", "IMG")
BACKGROUND_PREPS = cue("features.background_preps")
NOTE_TAGS = (
    ("stated future", "statement"), ("stated intent", "statement"), ("conditional", "statement"),
    ("refuses", "refusal"), ("vowed", "vow"), ("agreed to", "decision"), ("attempted", "attempt"),
    ("demand reported", "reported_demand"), ("condemnation reported", "reported_condemnation"),
    ("retaliation", "retaliation"), ("names listed", "listed"), ("mutual act", "mutual"),
)


@dataclass
class Proposal:
    """One event the rules propose, with the candidate it came from and the scorer's verdict."""

    event: Event
    candidate: Candidate
    group: tuple[int, str]  # the trigger (token, CAMEO) the proposal reads: alternatives compete within it
    features: list[str]
    probability: float = 0.0

    @property
    def primary(self) -> bool:
        """True for the rules' own reading (not an alternative, not a tentative trigger)."""
        return not self.candidate.tentative


def _actor_kind(actor: Actor | None) -> str:
    if actor is None:
        return "none"
    if actor.country in GROUP_CODES:
        return actor.country.lower()
    return "state"


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def proposal_features(sc: SentenceContext, c: Candidate, event: Event, group_size: int) -> list[str]:
    """The features of one proposed event (see the module docstring)."""
    tree = sc.tree
    tokens = tree.tokens
    trig = c.trigger
    tok = tokens[trig.token]
    verb = tokens[trig.verb]
    t = event.type
    quad = f"q{event.quad_class}"
    src_how = c.source.kind if c.source is not None else "none"
    tgt_how = c.target.kind if c.target is not None else "none"
    f = [
        "bias", f"type={t}", f"root={event.cameo[:2]}", f"kind={trig.kind}", f"spec={min(trig.specificity, 3)}",
        f"lemma={tok.lemma.lower()}", f"dep={tok.dep}", f"verbdep={verb.dep}",
        f"src={src_how}", f"tgt={tgt_how}", f"{t}|src={src_how}", f"{t}|tgt={tgt_how}",
        f"{quad}|src={src_how}", f"{quad}|tgt={tgt_how}",
        f"srckind={_actor_kind(event.source)}", f"tgtkind={_actor_kind(event.target)}",
        f"srcsector={event.source.sector or '-'}",
        f"tgtsector={(event.target.sector or '-') if event.target else 'none'}",
        f"group={_bucket(group_size, (1, 2, 4))}",
    ]
    prob = sc.type_probabilities().get(t)
    if prob is not None:
        b = _prob_bucket(prob)
        f += [f"prop={b}", f"{'tent' if trig.tentative else 'rule'}|prop={b}"]
    if trig.tentative:
        kind = {"noun": "noun", "proposed": "proposed"}.get(trig.kind, "verb")
        f += ["tentative_trigger", f"tentative_{kind}", f"{t}|tentative_{kind}"]
    if c.alternative:
        f += [f"alt={c.alternative}", f"{quad}|alt={c.alternative}"]
    if c.source is not None and c.source.inferred:
        f.append("src_inferred")
    if c.target is not None and c.target.inferred:
        f.append("tgt_inferred")
    if event.target is None:
        f += ["no_target", f"{quad}|no_target"]
    elif event.target.country == event.source.country:
        f += ["same_country", f"{quad}|same_country", f"{t}|same_country"]
    top = _top_countries(sc)
    if event.source.country in top[:1]:
        f.append("src_is_article_country")
    if event.target is not None and event.target.country in top[:2]:
        f.append("tgt_in_article_countries")
    pair = sc.discourse.last_pair
    if pair is not None and event.target is not None and {event.source.country, event.target.country} == {
            pair[0].country, pair[1].country}:
        f.append("article_dyad")
    for note in c.notes:
        for key, tag in NOTE_TAGS:
            if key in note:
                f.append(f"note={tag}")
    # where the trigger sits: a reported clause, a quote, a background phrase, the headline
    if speech_governor(tree, trig.verb) is not None:
        f += ["reported_clause", f"{quad}|reported_clause"]
    if sc.in_quote[trig.token]:
        f += ["in_quote", f"{quad}|in_quote"]
    if tok.dep == "pobj":
        p = tree.head(trig.token)
        if p is not None and tokens[p].lower in BACKGROUND_PREPS:
            f.append(f"pobj_of={tokens[p].lower}")
    if verb.dep in ("relcl", "acl", "advcl", "xcomp", "ccomp", "conj", "pcomp"):
        f.append(f"clause={verb.dep}")
    if sc.in_title:
        f.append("title")
    f.append(f"sentence={_bucket(max(0, sc.art.body_index(sc.si)), (0, 2, 5, 10))}")
    # a single sentence (a wire snippet, a hand-picked example) is coded more literally than an article
    sentences = len(sc.art.parsed.sentences)
    size = "one" if sentences == 1 else _bucket(sentences, (4, 15))
    f += [f"doc={size}", f"doc={size}|{'tent' if c.tentative else 'rule'}", f"doc={size}|{quad}"]
    f.append(f"length={_bucket(sc.sent.end - sc.sent.start, (12, 25, 40))}")
    if any(r.startswith("historical") for r in event.rule.split("; ")):
        f.append("historical")
    return f


def _prob_bucket(p: float) -> str:
    for edge in (0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8):
        if p < edge:
            return f"<{edge}"
    return ">=0.8"


def _top_countries(sc: SentenceContext) -> list[str]:
    cached = sc.cache.get("top")
    if cached is None:
        counts = sc.discourse.country_counts
        cached = [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
        home = sc.discourse.home_country
        if home and home not in cached:
            cached = [home, *cached][:2]
        sc.cache["top"] = cached
    return list(cached)
