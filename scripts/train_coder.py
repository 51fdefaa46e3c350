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

from detente.coding.learn import train  # noqa: E402
from detente.evaluate import load_gold  # noqa: E402
from detente.pipeline.gold import parse_gold  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
TRAINING = ("voa_train.jsonl", "news_train.jsonl", "dev_articles.jsonl", "PLOVER_GSR_CAMEO.json")
DATA = ROOT / "src" / "detente" / "coding" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="the folder holding the training gold files")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds (by article)")
    ap.add_argument("--out", type=Path, default=DATA, help="the folder to write scorer.json and proposer.json to")
    ap.add_argument("--check", action="store_true", help="compare with the existing files; write nothing")
    args = ap.parse_args()
    if not args.check and args.out.exists() and not args.out.is_dir():
        print(f"error: --out {args.out} is a file; give a folder to write scorer.json and proposer.json to",
              file=sys.stderr)
        return 2
    missing = [n for n in TRAINING if not (args.gold / n).exists()]
    if missing:
        print(f"error: training gold not found in {args.gold}: {', '.join(missing)} - give --gold DIR",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    parsed = {}
    for name in TRAINING:
        parsed[name] = parse_gold(load_gold(args.gold / name))
        print(f"{name}: {len(parsed[name])} documents", file=sys.stderr)
    fitted = train(parsed, k=args.folds)
    proposer, scorer, cv = fitted.proposer, fitted.scorer, fitted.cv
    print(f"{fitted.proposals} proposed real events, {fitted.right} right ({time.perf_counter() - t0:.1f} s)",
          file=sys.stderr)
    print(f"chosen by {args.folds}-fold cross-validation by article: C={cv.c}, threshold {cv.threshold} "
          f"(calibrated {scorer['threshold']})")
    for name, f1 in cv.f1.items():
        print(f"  cross-validated F1 {name}: {f1:.3f}")
    print("the proposer alone, cross-validated by article (sentence-level P/R/F1 of its types; "
          "document-level macro F1 over types):")
    for name, fig in proposer["cross_validation"].get("by_file", {}).items():
        print(f"  {name}: sentence P {fig['sentence_precision']:.3f} R {fig['sentence_recall']:.3f} "
              f"F1 {fig['sentence_f1']:.3f}; document macro F1 {fig['document_macro_f1']:.3f}")
    files = {"proposer.json": proposer, "scorer.json": scorer}
    texts = {name: json.dumps(model, indent=1) + "\n" for name, model in files.items()}
    if args.check:
        same = all((args.out / name).exists() and (args.out / name).read_text(encoding="utf-8") == text
                   for name, text in texts.items())
        print("the shipped models are what this code and gold give" if same else "the shipped models differ")
        return 0 if same else 1
    args.out.mkdir(parents=True, exist_ok=True)  # a new folder for a trial fit
    for name, text in texts.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(texts)} to {args.out} ({len(scorer['weights'])} scorer weights, "
          f"{sum(len(w) for w in proposer['weights'].values())} proposer weights, {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
