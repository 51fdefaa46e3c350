"""Freeze spaCy parses of test sentences into tests/data/parses.json.

Fast tests load these records instead of the model, so the coder's unit tests run in
milliseconds and keep working without spaCy. Re-run after changing the model version:

    .venv/bin/python scripts/freeze_parses.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.nlp import MODEL_NAME, parse  # noqa: E402

SENTENCES = ROOT / "tests" / "data" / "sentences.txt"
OUT = ROOT / "tests" / "data" / "parses.json"


def main() -> None:
    texts = [block.strip() for block in SENTENCES.read_text(encoding="utf-8").split("\n---\n") if block.strip()]
    frozen = {}
    for text in texts:
        p = parse(text)
        frozen[text] = {
            "tokens": [[t.text, t.lemma, t.pos, t.tag, t.dep, t.head, t.idx, t.ent_type, t.ent_iob, t.ws, t.sent]
                       for t in p.tokens],
            "sentences": [[s.start, s.end, s.char_start, s.char_end] for s in p.sentences],
            "entities": [[e.start, e.end, e.label, e.text] for e in p.entities],
        }
    OUT.write_text(json.dumps({"model": MODEL_NAME, "parses": frozen}, ensure_ascii=False, indent=0),
                   encoding="utf-8")
    print(f"froze {len(frozen)} texts into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
