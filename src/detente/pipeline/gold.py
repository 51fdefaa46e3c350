"""Run the pipeline over a gold file and score it: ``evaluate`` (code and score), ``parse_gold``
and ``code_parsed_gold`` (parse once, code many times) and ``ablate`` (each named rule switched
off alone). The scoring itself is ``detente.evaluate``, which sits below the coder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..coding import code_parsed, parse_articles
from ..coding.rules import RuleSet, all_rules, resolve_rule_names
from ..evaluate import GoldDoc, Score, load_gold, score_events
from ..model import Article, Rejected
from .stages import as_document, code_documents, extract_documents

__all__ = ["Ablation", "ablate", "code_parsed_gold", "evaluate", "parse_gold"]


def evaluate(path: str | Path, *, coder: Callable[[list[GoldDoc]], Iterable[dict[str, Any]]] | None = None,
             limit: int | None = None) -> tuple[Score, list[dict[str, Any]]]:
    """Code the gold file's texts and score them; returns the score and the produced events."""
    docs = load_gold(path)
    if limit:
        docs = docs[:limit]
    run = coder or _code_gold
    produced = list(run(docs))
    score = score_events(docs, produced)
    return score, produced


def _code_gold(docs: list[GoldDoc]) -> Iterator[dict[str, Any]]:
    records = ({"id": d.id, "text": d.text, "published": d.published} for d in docs)
    for item, events in code_documents(records):
        if isinstance(item, Rejected):
            continue
        for ev in events:
            yield ev.to_dict()


# --- ablation: what each named rule contributes -------------------------------------------------

@dataclass(frozen=True)
class Ablation:
    """The score with one rule switched off, beside the score with every rule on."""

    rule: str
    doc: str
    score: Score
    base: Score

    def to_dict(self) -> dict[str, Any]:
        s, b = self.score, self.base
        return {"rule": self.rule, "doc": self.doc, "f1": s.f1, "precision": s.precision, "recall": s.recall,
                "delta_f1": round(b.f1 - s.f1, 3), "delta_precision": round(b.precision - s.precision, 3),
                "delta_recall": round(b.recall - s.recall, 3), "produced_events": s.produced_events,
                "delta_events": b.produced_events - s.produced_events}


def parse_gold(docs: list[GoldDoc]) -> list[tuple[GoldDoc, Any, Any]]:
    """Extract and parse each gold document once: (gold doc, Article, ParsedText) for those that
    extraction keeps, so that the coder can run on them many times (ablation, cross-validation)."""
    records = [{"id": d.id, "text": d.text, "published": d.published} for d in docs]
    items = list(extract_documents(as_document(r, index=i) for i, r in enumerate(records)))
    kept = [(d, a) for d, a in zip(docs, items, strict=True) if isinstance(a, Article)]
    parsed = parse_articles(a for _, a in kept)
    return [(d, a, p) for (d, a), p in zip(kept, parsed, strict=True)]


def code_parsed_gold(parsed: list[tuple[GoldDoc, Any, Any]], *, rules: Any = None) -> list[dict[str, Any]]:
    """The events of already parsed gold documents, with ``rules`` (a ``RuleSet``) switched off."""
    return [ev.to_dict() for _, article, p in parsed for ev in code_parsed(article, p, rules=rules)]


def ablate(path: str | Path, names: Iterable[str] = ()) -> tuple[Score, list[Ablation]]:
    """Score the coder on ``path`` with every rule on, then with each rule in ``names`` (every
    registered rule when empty) switched off alone. Each document is parsed once."""
    docs = load_gold(path)
    parsed = parse_gold(docs)
    wanted = resolve_rule_names(names) if names else frozenset(r.name for r in all_rules())
    base = score_events(docs, code_parsed_gold(parsed))
    rows = []
    for rule in all_rules():
        if rule.name not in wanted:
            continue
        score = score_events(docs, code_parsed_gold(parsed, rules=RuleSet(frozenset({rule.name}))))
        rows.append(Ablation(rule.name, rule.doc, score, base))
    return base, rows
