"""Title, author and date chosen among a page's own candidates (invented pages only)."""

from __future__ import annotations

from datetime import date

from detente.extract import extract_document
from detente.extract.html import parse_html
from detente.extract.metadata import (
    Candidates,
    choose_author,
    choose_date,
    choose_title,
    collect,
    normalise,
    read_trafilatura,
    stated_date,
)
from detente.model import Article, Document

PARAGRAPH = ("The harbour board in Port Elsin voted on Tuesday to widen the northern channel, a project the "
             "fishing cooperative has asked for since the storms of last winter closed the quay for a month.")


def _page(head: str, body: str) -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def test_the_h1_a_meta_title_confirms_is_the_title_without_the_site_name() -> None:
    page = _page('<title>Harbour board widens the channel | Elsin Courier</title>'
                 '<meta property="og:title" content="Harbour board widens the channel - Elsin Courier">',
                 '<h1>Elsin Courier</h1><article><h1>Harbour board widens the channel</h1>'
                 f'<p>{PARAGRAPH}</p></article>')
    found = collect(parse_html(page))
    assert choose_title(found, "Harbour board widens the channel | Elsin Courier",
                        url="https://elsincourier.example/news/1") == "Harbour board widens the channel"


def test_without_a_heading_the_site_name_is_cut_from_the_meta_title() -> None:
    page = _page('<title>Quay reopens after repairs | Elsin Courier</title>'
                 '<meta property="og:site_name" content="Elsin Courier">', f'<p>{PARAGRAPH}</p>')
    found = collect(parse_html(page))
    assert choose_title(found, None, url="https://news.example/q") == "Quay reopens after repairs"


def test_a_lone_heading_that_names_the_site_is_not_the_title() -> None:
    page = _page('<title>Ferry timetable changes for the spring season</title>'
                 '<meta property="og:site_name" content="Elsin Courier">',
                 f'<h1>Elsin Courier</h1><p>{PARAGRAPH}</p>')
    found = collect(parse_html(page))
    assert choose_title(found, None) == "Ferry timetable changes for the spring season"


def test_structured_data_gives_the_author_and_the_date() -> None:
    page = _page('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
                 '{"@type": "NewsArticle", "headline": "Channel works begin", "author": [{"@type": "Person",'
                 ' "name": "Ines Varga"}], "datePublished": "2024-05-02T08:00:00+02:00"}]}</script>',
                 f'<p>{PARAGRAPH}</p>')
    found = collect(parse_html(page))
    assert choose_author(found, None) == "Ines Varga"
    assert choose_date(found, None, today=date(2025, 1, 1)) == date(2024, 5, 2)
    assert ("ld:article:headline", "Channel works begin") in found.titles


def test_a_byline_is_cut_at_its_date_and_prompts_are_not_names() -> None:
    found = Candidates(authors=[("byline", "Updated January 4"), ("byline", "By Tomas Reyes February 8, 2024")])
    assert choose_author(found, None) == "Tomas Reyes"
    assert choose_author(Candidates(authors=[("byline", "Name *")]), None) is None
    assert choose_author(Candidates(), "Written By") is None


def test_the_page_own_statements_come_before_trafilatura_author() -> None:
    found = Candidates(authors=[("byline", "Pia Lund"), ("ld:article:author", "Oskar Berg")])
    assert choose_author(found, "Mara Holt") == "Oskar Berg"
    assert choose_author(Candidates(authors=[("byline", "Pia Lund")]), "Mara Holt") == "Pia Lund"
    assert choose_author(Candidates(authors=[("byline", "Share this")]), "Mara Holt") == "Mara Holt"


def test_dates_after_today_are_not_publication_dates() -> None:
    found = Candidates(dates=[("article:published_time", date(2030, 1, 1)), ("time", date(2023, 3, 9))])
    assert choose_date(found, None, today=date(2024, 1, 1)) == date(2023, 3, 9)
    assert choose_date(found, date(2023, 2, 1), today=date(2024, 1, 1)) == date(2023, 2, 1)


def test_broken_structured_data_and_empty_tags_are_ignored() -> None:
    page = _page('<script type="application/ld+json">{"@type": "Article", "headline": </script>'
                 '<meta name="author" content="">'
                 '<meta property="article:published_time" content="2024-02-31">', f'<p>{PARAGRAPH}</p>')
    found = collect(parse_html(page))
    assert found.authors == [] and found.dates == [] and found.titles == []


def test_normalise_compares_words_only() -> None:
    assert normalise("  The Quay’s  Future: Part 2! ") == normalise("the quay s future part 2")


def test_extract_document_reports_the_chosen_metadata() -> None:
    page = _page('<title>Channel works begin in Port Elsin - Elsin Courier</title>'
                 '<meta name="author" content="Ines Varga">'
                 '<meta property="article:published_time" content="2024-05-02">',
                 '<header><h1>Channel works begin in Port Elsin</h1></header><article>'
                 + "".join(f"<p>{PARAGRAPH} Paragraph {n} adds more detail on the dredging.</p>" for n in range(4))
                 + '</article>')
    result = extract_document(Document.from_bytes(page.encode(), doc_id="p1", kind="jsonl", media_type="html",
                                                  url="https://elsincourier.example/channel"),
                              today=date(2025, 1, 1))
    assert isinstance(result, Article)
    assert result.title == "Channel works begin in Port Elsin"
    assert result.author == "Ines Varga"
    assert result.published == date(2024, 5, 2)


def test_trafilatura_author_search_runs_only_when_the_page_states_no_author() -> None:
    stated = parse_html(_page('<meta name="author" content="Ines Varga">', f"<p>{PARAGRAPH}</p>"))
    meta = read_trafilatura(stated, url=None, max_date="2025-01-01", extensive=False)
    assert choose_author(collect(stated), meta) == "Ines Varga"
    assert not meta._searched
    silent = parse_html(_page("", f"<p>{PARAGRAPH}</p>"))
    meta = read_trafilatura(silent, url=None, max_date="2025-01-01", extensive=False)
    assert choose_author(collect(silent), meta) is None
    assert meta._searched


def test_a_date_only_in_the_text_is_found_when_the_markup_states_none() -> None:
    tree = parse_html(_page("", f"<p>Published 9 March 2023</p><p>{PARAGRAPH}</p>"))
    assert read_trafilatura(tree, url=None, max_date="2025-01-01", extensive=True).date == "2023-03-09"
    assert read_trafilatura(tree, url=None, max_date="2025-01-01", extensive=True, stated_date=True).date is None


def test_a_date_written_in_full_on_the_page_comes_before_htmldate_search_of_the_source(monkeypatch) -> None:
    import htmldate

    from detente.extract.html import visible_lines

    page = _page("", f"<p>Filed on March 9, 2023 by the harbour desk</p><p>{PARAGRAPH}</p>"
                     "<footer>Copyright 2024 Elsin Courier</footer>")
    tree = parse_html(page)
    searched: list[bool] = []
    real = htmldate.find_date

    def find_date(*args, **kwargs):  # type: ignore[no-untyped-def]
        searched.append(kwargs.get("extensive_search", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(htmldate, "find_date", find_date)
    meta = read_trafilatura(tree, url=None, max_date="2025-01-01", extensive=True, lines=visible_lines(tree))
    assert meta.date == "2023-03-09" and searched == [False]  # htmldate read the markup only
    # a date after max_date is not the page's: htmldate's search runs as before
    searched.clear()
    late = parse_html(_page("", f"<p>Filed on March 9, 2031</p><p>{PARAGRAPH}</p>"))
    read_trafilatura(late, url=None, max_date="2025-01-01", extensive=True, lines=visible_lines(late))
    assert searched == [False, True]


def test_a_page_that_states_its_date_is_taken_at_its_word(monkeypatch) -> None:
    import htmldate

    page = _page('<meta property="article:published_time" content="2023-03-09T08:00:00Z">'
                 '<meta property="article:modified_time" content="2024-06-01T08:00:00Z">',
                 f'<p>Updated June 1, 2024</p><p>{PARAGRAPH}</p>')
    tree = parse_html(page)
    asked: list[object] = []
    monkeypatch.setattr(htmldate, "find_date", lambda *args, **kwargs: asked.append(kwargs) or "2024-06-01")
    found = collect(tree)
    meta = read_trafilatura(tree, url=None, max_date="2025-01-01", extensive=True,
                            stated_date=stated_date(found) is not None)
    assert asked == [] and meta.date is None
    assert choose_date(found, None, today=date(2025, 1, 1)) == date(2023, 3, 9)


def test_date_strings_go_to_the_locales_whose_month_names_they_hold() -> None:
    import htmldate.extractors

    from detente.extract.metadata import DateStrings, date_strings_parser

    strings = DateStrings()
    assert strings.month_locales("4 mars 2023") is not None and "fr" in strings.month_locales("4 mars 2023")  # type: ignore[operator]
    assert "en" not in strings.month_locales("12. März 2024")  # type: ignore[operator]
    assert strings.month_locales("Posted by the desk, updated 7") == ("en",)  # no month in any locale
    assert strings.month_locales("12/03/2024") is None  # no letters: every locale, as htmldate does
    assert strings.get_date_data("12. März 2024")["date_obj"].date() == date(2024, 3, 12)
    assert strings.get_date_data("le 4 mars 2023")["date_obj"].date() == date(2023, 3, 4)
    assert strings.get_date_data("Updated 3 March 2024")["date_obj"] is None  # strict: a day, month and year only
    assert strings.get_date_data("3 March 2024")["date_obj"].date() == date(2024, 3, 3)
    # read_trafilatura hands htmldate this parser (htmldate 1.11 looks it up by this name at each call)
    read_trafilatura(parse_html(_page("", f"<p>{PARAGRAPH}</p>")), url=None, max_date="2025-01-01", extensive=True)
    assert htmldate.extractors.get_external_parser is date_strings_parser


def test_a_text_date_with_a_month_name_in_another_language_is_found() -> None:
    tree = parse_html(_page("", f"<p>Veröffentlicht am 9. März 2023, 10:15 Uhr</p><p>{PARAGRAPH}</p>"))
    assert read_trafilatura(tree, url=None, max_date="2025-01-01", extensive=True).date == "2023-03-09"


def test_byline_elements_are_those_the_per_element_rule_accepts_in_page_order() -> None:
    from detente.extract.metadata import _byline_elements, _is_byline_element

    tree = parse_html(_page(
        '<link rel="author" href="/staff/roe">',
        '<div class="post-meta"><span class="Byline">By Jane Roe</span><a rel="author" href="#">Jane Roe</a></div>'
        '<p class="authority-note">Not a byline: the word runs on.</p><div id="writers_list">Desk</div>'
        '<span itemprop="author">Ann Lee</span><div class="contributor bio-box">Ann Lee writes on ports</div>'
        f'<p>{PARAGRAPH}</p>'))
    walked = [el for el in tree.iter() if isinstance(el.tag, str) and _is_byline_element(el)]
    assert _byline_elements(tree) == walked
    assert [el.tag for el in walked] == ["link", "span", "a", "div", "span", "div"]
