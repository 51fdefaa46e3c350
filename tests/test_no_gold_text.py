"""No test text is gold text: unit tests use invented sentences, never sentences the coder is scored on.

A test that quotes a gold sentence measures fit to that sentence, and the accuracy floors then
measure fit to the gold. This test fails when any test text shares eight or more consecutive words
with a sentence of a gold file in ../shared/gold, or holds a whole gold sentence of five to seven
words (a headline), and skips when ../shared is absent. Test text is
every string literal in tests/**/*.py (and, to catch concatenations and comments, each file's whole
source), and every file in tests/data. Words are compared lower-cased, with curly quotes made
straight, apostrophes dropped and all other punctuation taken as a word break.

The gold files are read here only to be compared against; nothing from them is printed except the
file's name (the failure shows the test's own words).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

N = 8
SHORT = 5  # a gold sentence this short (a headline) counts when copied whole
GOLD_FILES = ("PLOVER_GSR_CAMEO.json", "dev_articles.jsonl", "news_train.jsonl", "voa_train.jsonl",
              "voa_valid.jsonl")
TESTS = ROOT / "tests"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_WORD = re.compile(r"[^\W_]+")

NGram = tuple[str, ...]


def words(text: str) -> list[str]:
    """The comparable words of ``text``: lower-cased, quotes straightened, apostrophes dropped."""
    return _WORD.findall(text.translate(_QUOTES).lower().replace("'", ""))


def ngrams(text: str, n: int = N) -> Iterator[NGram]:
    w = words(text)
    for i in range(len(w) - n + 1):
        yield tuple(w[i:i + n])


def gold_sentences(path: Path) -> Iterator[str]:
    """Every sentence-bearing text of a gold file: GSR texts; article titles, bodies (line by line),
    boilerplate lines and event sentences."""
    if path.suffix == ".json":
        for record in json.loads(path.read_text(encoding="utf-8")):
            if isinstance(record, dict) and isinstance(record.get("text"), str):
                yield record["text"]
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            article = json.loads(line)
            for key in ("title", "raw_text", "text"):
                if isinstance(article.get(key), str):
                    yield from article[key].splitlines()
            yield from (b for b in article.get("boilerplate_lines") or () if isinstance(b, str))
            for event in article.get("events") or ():
                if isinstance(event.get("sentence"), str):
                    yield event["sentence"]


def test_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of test text."""
    for path in sorted(TESTS.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ROOT))
        yield where, source
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{where}:{node.lineno}", node.value
    for path in sorted((TESTS / "data").rglob("*")):
        if path.is_file():
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8", errors="replace")


test_texts.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def overlaps(gold: dict[NGram, str], texts: Iterator[tuple[str, str]],
             short: dict[NGram, str] | None = None) -> list[str]:
    """One line per run of consecutive words a text shares with gold (``gold``: its N-word runs;
    ``short``: whole gold sentences of SHORT to N-1 words): where, the words, which file."""
    found: set[str] = set()
    for where, text in texts:
        w = words(text)
        i = 0
        while i <= len(w) - N:
            name = gold.get(tuple(w[i:i + N]))
            if name is None:
                i += 1
                continue
            end = i + N
            while end < len(w) and tuple(w[end - N + 1:end + 1]) in gold:
                end += 1
            found.add(f"{where}: '{' '.join(w[i:end])}' is in a sentence of {name}")
            i = end
        for n in range(SHORT, N) if short else ():
            for i in range(len(w) - n + 1):
                name = short.get(tuple(w[i:i + n])) if short else None
                if name:
                    found.add(f"{where}: '{' '.join(w[i:i + n])}' is a whole sentence of {name}")
    return sorted(found)


def gold_ngrams() -> tuple[dict[NGram, str], dict[NGram, str]]:
    """The N-word runs of every gold sentence, and the short gold sentences whole (each with its file)."""
    gold_dir = SHARED / "gold"
    present = [gold_dir / name for name in GOLD_FILES if (gold_dir / name).exists()]
    if not present:
        pytest.skip("../shared/gold is not available")
    gold: dict[NGram, str] = {}
    short: dict[NGram, str] = {}
    for path in present:
        for sentence in gold_sentences(path):
            for gram in ngrams(sentence):
                gold.setdefault(gram, path.name)
            w = tuple(words(sentence))
            if SHORT <= len(w) < N:
                short.setdefault(w, path.name)
    return gold, short


def test_no_test_text_shares_eight_words_with_a_gold_sentence() -> None:
    gold, short = gold_ngrams()
    found = overlaps(gold, test_texts(), short)
    assert not found, ("test text copied from gold; replace it by an invented sentence with the same "
                       "construction:\n" + "\n".join(found))


# --- the check itself, on invented text ----------------------------------------------------------

def test_words_are_compared_without_case_quotes_or_punctuation() -> None:
    assert words("Ruritania’s “envoy” left, on MONDAY.") == ["ruritanias", "envoy", "left", "on", "monday"]


def test_eight_shared_words_are_found_and_seven_are_not() -> None:
    gold = {g: "invented.jsonl" for g in ngrams("The envoy of Ruritania met the foreign minister of Freedonia "
                                                "in the capital on Tuesday.")}
    copied = [("t.py:1", "Officials said THE ENVOY OF RURITANIA MET THE FOREIGN MINISTER, then left.")]
    seven = [("t.py:2", "the envoy of Ruritania met the foreign ministers of Freedonia")]
    assert overlaps(gold, iter(copied)) == [
        "t.py:1: 'the envoy of ruritania met the foreign minister' is in a sentence of invented.jsonl"]
    assert overlaps(gold, iter(seven)) == []
    headline = {tuple(words("Ruritania, Freedonia agree on fishing")): "invented.jsonl"}
    assert overlaps({}, iter([("t.py:3", "RURITANIA, FREEDONIA AGREE ON FISHING quotas")]), headline) == [
        "t.py:3: 'ruritania freedonia agree on fishing' is a whole sentence of invented.jsonl"]
    assert overlaps({}, iter([("t.py:4", "Ruritania, Freedonia agree")]), headline) == []


def test_gold_sentences_cover_titles_bodies_and_events(tmp_path: Path) -> None:
    articles = tmp_path / "gold.jsonl"
    articles.write_text(json.dumps({"id": "a", "title": "Headline words", "raw_text": "Line one.\nLine two.",
                                    "boilerplate_lines": ["Share this"],
                                    "events": [{"sentence": "Line two.", "type": "AGREE"}]}) + "\n")
    gsr = tmp_path / "gsr.json"
    gsr.write_text(json.dumps([{"id": "d", "event": "DOCUMENT"}, {"id": "x", "event": "AGREE", "text": "A text."}]))
    assert list(gold_sentences(articles)) == ["Headline words", "Line one.", "Line two.", "Share this", "Line two."]
    assert list(gold_sentences(gsr)) == ["A text."]


def test_test_text_includes_literals_sources_and_data() -> None:
    wheres = {where for where, _ in test_texts()}
    assert "tests/data/sentences.txt" in wheres
    assert str(Path(__file__).relative_to(ROOT)) in wheres
    assert any(w.startswith("tests/coding/test_coder.py:") for w in wheres)
