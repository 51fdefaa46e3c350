"""extract_document: the contract the pipeline relies on (Article or Rejected, never an exception)."""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import DocumentRejected
from detente.extract import REASONS, extract_document
from detente.model import Article, Document, Rejected, normalise_body, sha256_hex
from detente.pipeline import extract_documents, extract_text

STORY = (
    "Negotiators from the two governments resumed talks in Geneva on Thursday on a prisoner exchange, "
    "the mediators said in a short statement after the first session.\n"
    "The talks are expected to last two days and to focus on the release of civilians detained near the front.\n"
    "A previous round in March ended without agreement after the delegations disagreed over the numbers.\n"
)
FRENCH = (
    "Le ministre des Affaires étrangères a convoqué mardi l'ambassadeur de Russie à Paris pour protester contre "
    "les cyberattaques visant plusieurs institutions françaises.\n"
    "Selon le Quai d'Orsay, les autorités disposent de preuves solides et envisagent des sanctions ciblées dans "
    "les prochains jours, en coordination avec leurs partenaires européens.\n"
    "Moscou a rejeté ces accusations, qu'elle juge infondées, et a promis une réponse appropriée.\n"
)
GERMAN = (
    "Die Bundesregierung hat am Montag den russischen Botschafter in das Auswärtige Amt einbestellt, nachdem "
    "mehrere Behörden Ziel eines Cyberangriffs geworden waren.\n"
    "Nach Angaben eines Sprechers liegen der Regierung belastbare Hinweise vor, dass staatliche Stellen in "
    "Moskau hinter dem Angriff stehen.\n"
    "Die russische Botschaft wies die Vorwürfe zurück und sprach von einer haltlosen Kampagne gegen ihr Land.\n"
)


def _doc(content: bytes | str, **hints: object) -> Document:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return Document.from_bytes(data, doc_id="doc-1", kind="file", **hints)  # type: ignore[arg-type]


def _rejected(content: bytes | str, **kwargs: object) -> Rejected:
    hints = {k: v for k, v in kwargs.items() if k != "min_chars"}
    result = extract_document(_doc(content, **hints), min_chars=kwargs.get("min_chars"))  # type: ignore[arg-type]
    assert isinstance(result, Rejected), result
    assert result.stage == "extract" and result.doc_id == "doc-1" and result.document_id == _doc(content).id
    assert result.reason in REASONS and len(result.detail) > 20
    return result


def test_article_fields_follow_the_contract() -> None:
    result = extract_document(_doc(STORY, url="https://www.news.example/a", published=date(2024, 5, 2),
                                   title="Talks resume"))
    assert isinstance(result, Article)
    assert result.text == STORY.strip()
    assert "\n\n" not in result.text and result.text.count("\n") == 2
    assert result.id == sha256_hex(normalise_body(result.text))
    assert (result.doc_id, result.document_id) == ("doc-1", _doc(STORY).id)
    assert (result.url, result.site, result.title) == ("https://www.news.example/a", "news.example", "Talks resume")
    assert result.published == date(2024, 5, 2) and result.language == "en"


def test_empty_document() -> None:
    assert _rejected(b"").reason == "empty"
    assert _rejected(b" \n\t \n").reason == "empty"


def test_random_bytes_are_unreadable() -> None:
    rejected = _rejected(os.urandom(20_000))
    assert rejected.reason == "unreadable" and "binary" in rejected.detail


def test_broken_html_without_text() -> None:
    rejected = _rejected(b"<html><div><span></div>", media_type="html")
    assert rejected.reason == "no_text" and "HTML" in rejected.detail


def test_invalid_encoding() -> None:
    garbage = b"Talks resumed " + b"\xc3\x28\xa0\xa1\xe2\x28\xa1" * 40 + b" in Geneva on Thursday."
    assert _rejected(garbage).reason == "bad_encoding"
    assert _rejected(STORY.encode("utf-16-le")[:-1] + b"\xd8", encoding="utf-16-le").reason == "bad_encoding"


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (GERMAN, "de")])
def test_pages_in_other_languages_are_extracted_with_their_language(text: str, code: str) -> None:
    html = "<html><head><title>x</title></head><body><article>" + "".join(
        f"<p>{p}</p>" for p in text.splitlines()) + "</article></body></html>"
    for content in (text, html):
        result = extract_document(_doc(content))
        assert isinstance(result, Article), result
        assert result.text == text.strip()
        assert result.language == code
        assert result.language_confidence is not None and result.language_confidence >= 0.9
        assert result.to_dict()["language_confidence"] == result.language_confidence


def test_english_article_quoting_foreign_phrases_stays_english() -> None:
    quoting = STORY + ("The French foreign minister called the decision « une provocation inacceptable » and "
                       "said Paris would consult its partners.\n") + ("A German official said the talks were "
                                                                     "\"ein wichtiger Schritt\" towards peace.\n")
    result = extract_document(_doc(quoting))
    assert isinstance(result, Article) and "provocation" in result.text
    assert result.language == "en" and result.language_confidence is not None


@pytest.mark.parametrize("line", ["Tunisia expels the Libyan charge d'affaires",
                                  "Laos summons the Thai charge d'affaires"])
def test_a_short_english_line_with_a_french_loan_phrase_stays_english(line: str) -> None:
    # a word both languages' stop lists hold ("the" is on jusText's French list) is no evidence
    # against English; the loan phrase alone does not make the line French
    result = extract_document(_doc(line))
    assert isinstance(result, Article) and result.language == "en"


@pytest.mark.parametrize(("line", "code"), [("Le ministre a quitté la réunion hier soir.", "fr"),
                                            ("El ministro de Chile dijo que no.", "es")])
def test_a_short_line_with_its_own_function_words_keeps_its_language(line: str, code: str) -> None:
    result = extract_document(_doc(line))
    assert isinstance(result, Article) and result.language == code


def test_mostly_foreign_page_with_a_short_english_summary_is_not_english() -> None:
    result = extract_document(_doc(FRENCH + GERMAN + "Summary in English: talks resumed.\n"))
    assert isinstance(result, Article) and result.language in ("fr", "de")


def test_too_short_uses_the_min_chars_argument() -> None:
    rejected = _rejected("Talks resumed in Geneva on Thursday.", min_chars=200)
    assert rejected.reason == "too_short" and "200" in rejected.detail
    assert isinstance(extract_document(_doc("Talks resumed in Geneva on Thursday.")), Article)


def test_too_large_follows_the_max_bytes_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_MAX_BYTES", "100")
    rejected = _rejected(STORY)
    assert rejected.reason == "too_large" and "max_bytes" in rejected.detail


def test_content_is_sniffed_whatever_the_media_type_hint_says() -> None:
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in STORY.splitlines()) + "</article></body></html>"
    as_text = extract_document(_doc(html, media_type="text"))
    assert isinstance(as_text, Article) and "<p>" not in as_text.text
    as_html = extract_document(_doc(STORY, media_type="html"))
    assert isinstance(as_html, Article) and as_html.text == STORY.strip()


def test_pipeline_helpers_use_the_extractor() -> None:
    article = extract_text("Russia expelled ten Polish diplomats on Tuesday.")
    assert article.text == "Russia expelled ten Polish diplomats on Tuesday."
    with pytest.raises(DocumentRejected) as info:
        extract_text(b"")
    assert info.value.reason == "empty"
    results = list(extract_documents([_doc(STORY), _doc(b"")]))
    assert isinstance(results[0], Article) and isinstance(results[1], Rejected)


@given(st.binary(max_size=2000))
@settings(max_examples=120, deadline=None)
def test_never_raises_on_arbitrary_bytes(content: bytes) -> None:
    result = extract_document(_doc(content))
    assert isinstance(result, Article | Rejected)
    if isinstance(result, Rejected):
        assert result.reason in REASONS


@given(st.text(max_size=1500), st.sampled_from(["html", "text"]))
@settings(max_examples=120, deadline=None)
def test_never_raises_on_arbitrary_text(text: str, media: str) -> None:
    result = extract_document(_doc("<html><body>" + text if media == "html" else text, media_type=media))
    assert isinstance(result, Article | Rejected)
    if isinstance(result, Article):
        assert result.text and "\n\n" not in result.text
