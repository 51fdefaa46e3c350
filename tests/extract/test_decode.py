"""Decoding bytes: BOMs, hints, declared charsets, UTF-8, the guarded fallback, and sniffing."""

from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import ExtractionFailed
from detente.extract.decode import decode_content, looks_like_html, reads_as_text

FRENCH = "Le ministre des Affaires étrangères a convoqué l'ambassadeur français à Paris. Ça déjà été dit."
ENGLISH = "The foreign minister said the talks were “constructive” – and that both sides would meet again."


def _reason(content: bytes, hint: str | None = None) -> str:
    with pytest.raises(ExtractionFailed) as info:
        decode_content(content, hint)
    assert info.value.detail.strip()
    return info.value.reason


def test_utf8_is_read_as_utf8() -> None:
    decoded = decode_content(ENGLISH.encode("utf-8"))
    assert decoded.text == ENGLISH and decoded.encoding == "utf-8"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_marks_win(codec: str) -> None:
    content = ENGLISH.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
        content = bom + content
    decoded = decode_content(content)
    assert decoded.text == ENGLISH and decoded.evidence == "bom"


def test_utf16_without_bom_is_detected() -> None:
    assert decode_content(ENGLISH.encode("utf-16-le")).text == ENGLISH


def test_caller_hint_is_used() -> None:
    decoded = decode_content(FRENCH.encode("cp1252"), hint="windows-1252")
    assert decoded.text == FRENCH and decoded.evidence == "hint"


def test_utf8_hint_reads_a_corpus_page_with_scripts_and_symbols() -> None:
    # a JSONL corpus's "html" string re-encoded as UTF-8: emoji, arrows and script literals are fine
    page = ('<html><body><script>var s = "\u2192 \u00bb \u2603";</script>'
            + "<p>Ministers met 🤝 on Monday → talks ≫ progress ✓ ☃ ★ ♥ ✈ ⚠ ✔ ✘ ☀ ☁ ♫ ⏰.</p>" * 20
            + "</body></html>")
    assert decode_content(page.encode("utf-8"), "utf-8").text == page


def test_unknown_hint_is_bad_encoding() -> None:
    assert _reason(b"plain text here", hint="no-such-codec") == "bad_encoding"


def test_declared_meta_charset_decodes_latin1_page() -> None:
    page = f'<html><head><meta charset="iso-8859-1"><title>x</title></head><body><p>{FRENCH}</p></body></html>'
    decoded = decode_content(page.encode("latin-1"))
    assert FRENCH in decoded.text and decoded.evidence == "declared"


def test_http_equiv_and_xml_declarations_are_read() -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
            "<body><p>Министр иностранных дел вызвал посла.</p></body></html>")
    assert "Министр" in decode_content(page.encode("cp1251")).text
    xml = '<?xml version="1.0" encoding="ISO-8859-15"?><html><body><p>Prix: 5 €, déjà payé.</p></body></html>'
    assert "5 €" in decode_content(xml.encode("iso-8859-15")).text


def test_page_declaring_latin1_but_saved_as_utf8_reads_as_utf8() -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{FRENCH}</p></body></html>'
    assert FRENCH in decode_content(page.encode("utf-8")).text


def test_undeclared_cp1252_english_with_curly_quotes_is_recovered() -> None:
    decoded = decode_content(ENGLISH.encode("cp1252"))
    assert decoded.text == ENGLISH and decoded.evidence == "detected"


def test_undeclared_latin1_french_is_recovered() -> None:
    assert decode_content(FRENCH.encode("latin-1")).text == FRENCH


def test_garbage_sequences_are_bad_encoding() -> None:
    garbage = b"The minister said " + bytes([0xC3, 0x28, 0xE2, 0x82, 0x28, 0xF0, 0x90, 0x28, 0xBC]) * 30 + b" talks."
    assert _reason(garbage) == "bad_encoding"


def test_declared_utf8_with_garbage_is_bad_encoding() -> None:
    body = b"<p>Talks " + b"\xff\xfe\xc3\x28" * 50 + b" resumed.</p>"
    assert _reason(b'<html><head><meta charset="utf-8"></head><body>' + body + b"</body></html>") == "bad_encoding"


def test_a_rare_stray_byte_in_a_long_utf8_page_is_tolerated() -> None:
    text = (ENGLISH + "\n") * 200
    content = text.encode("utf-8")[:5000] + b"\x92" + text.encode("utf-8")[5000:]
    assert decode_content(content).text.count("constructive") == 200


def test_a_lone_cp1252_byte_in_ascii_text_is_read_as_cp1252_not_replaced() -> None:
    assert decode_content(b"The minister said he didn\x92t expect a deal before the summit.").text == \
        "The minister said he didn’t expect a deal before the summit."


def test_random_bytes_are_unreadable() -> None:
    assert _reason(os.urandom(20_000)) == "unreadable"


@pytest.mark.parametrize("content", [b"", b"   \n\t  ", codecs.BOM_UTF8 + b"  \n"])
def test_empty_and_whitespace_are_empty(content: bytes) -> None:
    assert _reason(content) == "empty"


def test_reads_as_text_tells_words_from_mojibake() -> None:
    assert reads_as_text("Müller said the café in Zürich was déjà full — “really”.")
    assert not reads_as_text("Ã(â‚(ð(¼Ã(â‚(ð(¼ and Ã(â‚(ð(¼")


@given(st.text(min_size=1, max_size=300))
@settings(max_examples=150, deadline=None)
def test_any_utf8_text_decodes_to_itself_or_is_rejected_with_a_reason(text: str) -> None:
    try:
        decoded = decode_content(text.encode("utf-8"))
    except ExtractionFailed as failure:
        assert failure.reason in {"empty", "unreadable", "bad_encoding"}
    else:
        assert decoded.text.replace("\r\n", "\n") == text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


@given(st.binary(max_size=400))
@settings(max_examples=150, deadline=None)
def test_any_bytes_decode_or_fail_with_a_reason(content: bytes) -> None:
    try:
        decode_content(content)
    except ExtractionFailed as failure:
        assert failure.reason in {"empty", "unreadable", "bad_encoding"}


@pytest.mark.parametrize("text", [
    "<!DOCTYPE html><html><body><p>x</p></body></html>",
    "  <html lang='en'><head></head><body>Hi</body></html>",
    "<!-- saved page --><html><body>Hi</body></html>",
    "<div><p>One</p><p>Two</p><p>Three</p><a href='/'>home</a><br></div>",
])
def test_html_is_sniffed_whatever_the_file_name(text: str) -> None:
    assert looks_like_html(text, "text")


def test_text_mentioning_tags_is_not_html() -> None:
    dump = "Engineers discussed the <p> tag at the meeting.\nThe standard body met on Tuesday in Geneva.\n" * 3
    assert not looks_like_html(dump, "text")
    assert not looks_like_html("Plain words, no markup at all.", "html")
