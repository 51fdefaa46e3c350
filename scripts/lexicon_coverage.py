"""How many gold event triggers the lexicon knows, with a code of the gold PLOVER type.

A diagnostic for finding *general* gaps (a common verb or event noun the lexicon lacks), not a
target to fit: the lexicon is scored on unseen articles too, so never add a phrase because one
gold sentence uses it.

For every record of the PLOVER GSR gold file, the ``(EVT: ...)`` spans of ``textInfo.markup``
are located in the sentence, the sentence is parsed once with detente's spaCy pipeline, and
each trigger token's lemma is looked up among the lexicon's verbs and event nouns. A gold event
is covered when some lemma of its trigger spans has an entry whose CAMEO code maps to the gold
type (old labels: DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT).
Three figures are reported:

- lemma: any entry of the lemma counts (as if every object constraint were met);
- sense: object-specific verb rows count only when one of their objects' head lemmas occurs
  in the sentence;
- lenient: as sense, with SANCTION and COERCE treated as one type (the 2021 crosswalk splits
  sanctions between them).

Usage: ``.venv/bin/python scripts/lexicon_coverage.py [--gold PATH] [--misses] [--json]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "PLOVER_GSR_CAMEO.json"
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
LENIENT = {"SANCTION": "COERCE"}

_EVT = re.compile(r"\(EVT:\s*(.*?)\s*[)}]")
_TAG = re.compile(r"\((?:SRC|TAR|LOC|EVT|SRCLOC|TARLOC):\s*")
_WS = re.compile(r"\s+")


@dataclass
class GoldTrigger:
    record_id: str
    gold_type: str
    text: str
    phrases: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)


def gold_type(label: str) -> str:
    return OLD_LABELS.get(label, label)


def evt_phrases(markup: str) -> list[str]:
    """The trigger phrases of a GSR markup string, inner tags removed."""
    phrases = []
    for raw in _EVT.findall(markup):
        phrase = _WS.sub(" ", _TAG.sub("", raw).replace("(", " ").replace(")", " ")).strip()
        if phrase:
            phrases.append(phrase)
    return phrases


def locate(text: str, phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of the phrases in text, searched left to right (case-insensitive).

    A phrase not found whole (the markup sometimes elides words) is located word by word.
    """
    spans: list[tuple[int, int]] = []
    lower = text.lower()
    start = 0
    for phrase in phrases:
        pos = lower.find(phrase.lower(), start)
        if pos < 0:
            pos = lower.find(phrase.lower())
        if pos >= 0:
            spans.append((pos, pos + len(phrase)))
            start = pos + len(phrase)
            continue
        for word in phrase.split():
            wpos = lower.find(word.lower())
            if wpos >= 0:
                spans.append((wpos, wpos + len(word)))
    return spans


def read_gold(path: Path) -> list[GoldTrigger]:
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    out: list[GoldTrigger] = []
    for rec in records:
        label = rec.get("event", "")
        text = rec.get("text", "")
        if not label or label == "DOCUMENT" or not text:
            continue
        info = rec.get("textInfo")
        markup = info.get("markup", "") if isinstance(info, dict) else (info or "")
        phrases = evt_phrases(markup) or [rec.get("eventText", "")]
        trig = GoldTrigger(rec.get("id", ""), gold_type(label), text, [p for p in phrases if p])
        trig.spans = locate(text, trig.phrases)
        out.append(trig)
    return out


def lemma_types(lex: Any, lemma: str, sentence_lemmas: set[str] | None) -> set[str]:
    """PLOVER types of the lexicon's entries for a lemma (verb senses and event nouns).

    With ``sentence_lemmas``, an object-specific verb row counts only when the head of one of
    its objects is in the sentence.
    """
    from detente.coding.ontology import cameo_info

    types: set[str] = set()
    for v in lex.verb_entries(lemma):
        heads = {item.rsplit(" ", 1)[-1] for item in v.objects}
        if sentence_lemmas is not None and heads and not heads & sentence_lemmas:
            continue
        types.add(cameo_info(v.cameo).plover_type)
    for n in lex.noun_entries(lemma):
        types.add(cameo_info(n.cameo).plover_type)
    return types


@dataclass
class Result:
    trigger: GoldTrigger
    lemmas: list[str]
    found: dict[str, list[str]]  # lemma -> types (sense level)
    by_lemma: bool
    by_sense: bool
    lenient: bool


def measure(triggers: Sequence[GoldTrigger]) -> list[Result]:
    from detente.coding.lexicon import load_lexicon
    from detente.nlp import parse_many

    lex = load_lexicon()
    results: list[Result] = []
    for trig, parsed in zip(triggers, parse_many([t.text for t in triggers]), strict=True):
        sentence_lemmas = {tok.lemma.lower() for tok in parsed.tokens}
        lemmas = []
        for tok in parsed.tokens:
            if not tok.text.strip() or tok.pos in ("PUNCT", "DET", "ADP", "PRON", "CCONJ", "PART", "AUX"):
                continue
            if any(s <= tok.idx < e or s < tok.end_idx <= e for s, e in trig.spans):
                lemmas.append(tok.lemma.lower())
        loose = set().union(*(lemma_types(lex, lem, None) for lem in lemmas)) if lemmas else set()
        found = {lem: sorted(lemma_types(lex, lem, sentence_lemmas)) for lem in lemmas}
        sense = {t for ts in found.values() for t in ts}
        gold = trig.gold_type
        results.append(Result(
            trig, lemmas, found,
            by_lemma=gold in loose,
            by_sense=gold in sense,
            lenient=LENIENT.get(gold, gold) in {LENIENT.get(t, t) for t in sense},
        ))
    return results


def summarise(results: Iterable[Result]) -> dict[str, Any]:
    rows = list(results)
    per_type: dict[str, Counter[str]] = {}
    for r in rows:
        c = per_type.setdefault(r.trigger.gold_type, Counter())
        c["gold"] += 1
        c["lemma"] += r.by_lemma
        c["sense"] += r.by_sense
        c["lenient"] += r.lenient
    n = len(rows) or 1
    return {
        "gold_events": len(rows),
        "coverage_lemma": round(sum(r.by_lemma for r in rows) / n, 3),
        "coverage_sense": round(sum(r.by_sense for r in rows) / n, 3),
        "coverage_lenient": round(sum(r.lenient for r in rows) / n, 3),
        "per_type": {t: dict(c) for t, c in sorted(per_type.items())},
        "misses": [
            {"id": r.trigger.record_id, "type": r.trigger.gold_type, "trigger": " | ".join(r.trigger.phrases),
             "lexicon": {lem: types for lem, types in r.found.items() if types}}
            for r in rows if not r.by_sense
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="PLOVER GSR JSON file")
    parser.add_argument("--misses", action="store_true", help="list the gold events not covered")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"error: {args.gold} does not exist - pass --gold PATH", file=sys.stderr)
        return 2
    report = summarise(measure(read_gold(args.gold)))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"gold events: {report['gold_events']}")
    print(f"coverage (lemma): {report['coverage_lemma']:.1%}   (sense): {report['coverage_sense']:.1%}   "
          f"(lenient): {report['coverage_lenient']:.1%}")
    print(f"{'type':<10} {'gold':>5} {'lemma':>6} {'sense':>6} {'lenient':>8}")
    for name, c in report["per_type"].items():
        print(f"{name:<10} {c['gold']:>5} {c['lemma']:>6} {c['sense']:>6} {c['lenient']:>8}")
    if args.misses:
        print("\nmisses (sense level): id, gold type, trigger text, what the lexicon has for its lemmas")
        for m in report["misses"]:
            print(f"  {m['id']:<28} {m['type']:<9} {m['trigger']!r:<55} {m['lexicon']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
