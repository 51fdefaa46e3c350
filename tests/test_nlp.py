"""The spaCy wrapper: line breaks are sentence boundaries, datelines stay with their sentence,
offsets index the original text, long texts are parsed in chunks (slow: loads the model)."""

from __future__ import annotations

import pytest

from detente.nlp import CHUNK_CHARS, parse, parse_many

pytestmark = pytest.mark.slow


def test_line_breaks_split_sentences_and_datelines_stay() -> None:
    text = "Armenia, Azerbaijan agree on prisoner swap\nYEREVAN: Armenia and Azerbaijan agreed on Monday. They met.\n" \
           "VILNIUS, March 19 – Lithuania imposed sanctions."
    sents = [s.text for s in parse(text).sentences]
    assert sents == ["Armenia, Azerbaijan agree on prisoner swap", "YEREVAN: Armenia and Azerbaijan agreed on Monday.",
                     "They met.", "VILNIUS, March 19 – Lithuania imposed sanctions."]


def test_offsets_index_the_text() -> None:
    text = "Russia expelled ten diplomats.\n\n“We will respond,” the ministry said."
    p = parse(text)
    for s in p.sentences:
        assert text[s.char_start:s.char_end] == s.text
    for t in p.tokens:
        assert text[t.idx:t.end_idx] == t.text
        assert 0 <= t.head < len(p.tokens)


def test_long_text_is_parsed_in_chunks_with_global_offsets() -> None:
    para = "Russia expelled ten Estonian diplomats on Monday and Estonia protested. "
    text = "\n".join([para * 20] * (CHUNK_CHARS // (len(para) * 20) + 2))
    assert len(text) > CHUNK_CHARS
    p = parse(text)
    last = p.sentences[-1]
    assert text[last.char_start:last.char_end] == last.text
    assert len(p.sentences) > 100


def test_parse_many_keeps_order() -> None:
    texts = [f"Country {i} spoke." for i in range(40)]
    assert [p.text for p in parse_many(texts, batch_size=7)] == texts
