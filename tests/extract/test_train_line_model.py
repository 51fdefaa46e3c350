"""scripts/train_line_model.py --only: a model fitted on one benchmark, written where it is told
and loadable by the package, the same file when fitted again, without ../shared (a tiny
synthetic benchmark and stand-ins for ../shared/tools) and never over the shipped model."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from detente.extract import linemodel
from detente.extract.linemodel import load_line_model
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "train_line_model.py"
SHIPPED = Path(linemodel.__file__).parent / "data" / linemodel.LINE_MODEL_FILE

# Stand-ins for ../shared/tools: the benchmark pages are plain text already (the dump is the
# page), scored by token F1 as score_extract.py scores them.
SCORER = '''
import json, re
from collections import Counter
from pathlib import Path

def _tokens(text):
    return Counter(t.lower() for t in re.findall(r"\\w+", text or ""))

def prf(pred, gold):
    p, g = _tokens(pred), _tokens(gold)
    tp = sum((p & g).values())
    prec = tp / sum(p.values()) if p else 0.0
    rec = tp / sum(g.values()) if g else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

def pages(bench):
    for key, rec in json.loads((Path(bench) / "ground-truth.json").read_text()).items():
        yield key, rec["url"], rec["page"], rec["articleBody"]
'''
DUMPER = "def dump(raw):\n    return raw\n"

MENU = ["Home", "World", "Business", "Sport", "Subscribe to our newsletter", "Sign in", "Contact us",
        "Privacy policy", "Cookie settings", "Share on Facebook", "Most read", "Advertisement"]
WORDS = ["the", "minister", "said", "on", "tuesday", "that", "talks", "with", "the", "neighbouring", "government",
         "would", "resume", "next", "week", "after", "both", "sides", "agreed", "to", "a", "ceasefire", "along",
         "the", "border", "where", "fighting", "had", "displaced", "thousands"]


def _synthetic_benchmark(shared: Path, pages: int = 12) -> None:
    rng = random.Random(0)
    truth = {}
    for index in range(pages):
        body = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(18, 30))).capitalize() + "."
                for _ in range(rng.randint(4, 7))]
        page = [*rng.sample(MENU, 6), f"Talks to resume, page {index}", *body, *rng.sample(MENU, 5)]
        truth[f"{index:03d}"] = {"url": f"https://example.org/{index}", "page": "\n".join(page),
                                 "articleBody": "\n".join(body)}
    (shared / "gold" / "extraction").mkdir(parents=True)
    (shared / "gold" / "extraction" / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    (shared / "tools").mkdir()
    (shared / "tools" / "score_extract.py").write_text(SCORER, encoding="utf-8")
    (shared / "tools" / "html2dump.py").write_text(DUMPER, encoding="utf-8")


def _train(*args: str) -> subprocess.CompletedProcess[str]:
    # a process of its own: the stand-in tools must not take the real ones' place in sys.modules
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)


def test_only_writes_a_loadable_model_fitted_on_that_benchmark(tmp_path: Path) -> None:
    _synthetic_benchmark(tmp_path / "shared")
    shipped = SHIPPED.read_bytes()
    out = tmp_path / "models" / "sh_only.json"
    done = _train("--shared", str(tmp_path / "shared"), "--only", "scrapinghub", "--out", str(out))
    assert done.returncode == 0, done.stderr
    model = load_line_model(out)
    assert model.trained_on == ("extraction",)
    assert json.loads(out.read_text(encoding="utf-8"))["pages"] == {"extraction": 12}
    assert "trained on extraction, scored on extraction" in done.stdout
    assert SHIPPED.read_bytes() == shipped


@pytest.mark.slow
def test_only_fitted_again_gives_the_same_file(tmp_path: Path) -> None:
    _synthetic_benchmark(tmp_path / "shared")
    out = tmp_path / "sh_only.json"
    assert _train("--shared", str(tmp_path / "shared"), "--only", "scrapinghub", "--out", str(out)).returncode == 0
    again = _train("--shared", str(tmp_path / "shared"), "--only", "scrapinghub", "--out", str(out), "--check")
    assert again.returncode == 0, again.stdout + again.stderr


def test_only_without_out_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    shipped = SHIPPED.read_bytes()
    done = _train("--shared", str(tmp_path), "--only", "wcxb")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "--out" in done.stderr and "Traceback" not in done.stderr
    assert SHIPPED.read_bytes() == shipped


def test_only_needs_only_that_benchmark(tmp_path: Path) -> None:
    # the WCXB split is asked for and absent (the synthetic benchmark is ScrapingHub's)
    _synthetic_benchmark(tmp_path / "shared", pages=1)
    done = _train("--shared", str(tmp_path / "shared"), "--only", "wcxb", "--out", str(tmp_path / "m.json"))
    assert done.returncode == 2 and done.stderr.startswith("error: ")
    assert not (tmp_path / "m.json").exists()
