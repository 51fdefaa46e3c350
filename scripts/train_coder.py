"""Fit the coder's learned scorer from the training gold and write src/detente/coding/data/scorer.json.

    .venv/bin/python scripts/train_coder.py            # fit, print the cross-validated figures, write
    .venv/bin/python scripts/train_coder.py --check    # fit and compare with the shipped file, write nothing

Training data (from ../shared/gold, never copied into the repository): voa_train.jsonl,
news_train.jsonl, dev_articles.jsonl and the PLOVER GSR. voa_valid.jsonl is a test set and is
never read here. Deterministic: the same gold and code give the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.coding.learn import collect, cross_validate, fit_scorer  # noqa: E402
from detente.coding.rules import rule_set  # noqa: E402
from detente.evaluate import load_gold, parse_gold  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
TRAINING = ("voa_train.jsonl", "news_train.jsonl", "dev_articles.jsonl", "PLOVER_GSR_CAMEO.json")
OUT = ROOT / "src" / "detente" / "coding" / "data" / "scorer.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="the folder holding the training gold files")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds (by article)")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    ap.add_argument("--check", action="store_true", help="compare with the existing file; write nothing")
    args = ap.parse_args()
    missing = [n for n in TRAINING if not (args.gold / n).exists()]
    if missing:
        print(f"error: training gold not found in {args.gold}: {', '.join(missing)} - give --gold DIR",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    examples = []
    # proposals are collected with the decision rule off: every reading, nothing decided
    rules = rule_set(["detente.decide.learned.v1"])
    for name in TRAINING:
        docs = load_gold(args.gold / name)
        examples += collect(parse_gold(docs), name, rules)
        print(f"{name}: {len(docs)} documents", file=sys.stderr)
    n = sum(1 for ex in examples for p in ex.proposals if p.event.is_real)
    pos = sum(y for ex in examples for p, y in zip(ex.proposals, ex.labels, strict=True) if p.event.is_real)
    print(f"{n} proposed real events, {pos} right ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    cv = cross_validate(examples, k=args.folds)
    model = fit_scorer(examples, cv)
    print(f"chosen by {args.folds}-fold cross-validation by article: C={cv.c}, threshold {cv.threshold} "
          f"(calibrated {model['threshold']})")
    for name, f1 in cv.f1.items():
        print(f"  cross-validated F1 {name}: {f1:.3f}")
    text = json.dumps(model, indent=1, sort_keys=False) + "\n"
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("the shipped model is what this code and gold give" if same else "the shipped model differs")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"({len(model['weights'])} weights, {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
