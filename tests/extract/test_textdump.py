"""The text-dump line filter: article lines stay, boilerplate goes, judged by general features."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.extract import extract_document
from detente.extract.lines import Kind, describe_line
from detente.extract.textdump import extract_dump, filter_lines, find_date, split_lines
from detente.model import Article, Document
from tests.conftest import shared_path


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the seed page and the dev articles (../shared) ------------------------------------

def test_seed_page_gives_title_body_and_no_boilerplate() -> None:
    expected = json.loads(shared_path("seed", "expected.json").read_text())
    raw = shared_path("seed", "biden_russia_deescalation.txt").read_text()
    article = extract_dump(raw)
    assert article.title == expected["title"]
    assert article.body[0].startswith(expected["body_first_line_starts"])
    assert article.body[-1].startswith(expected["body_last_line_starts"])
    body = {_norm(line) for line in article.body}
    assert not [b for b in expected["boilerplate_lines"] if _norm(b) in body]
    # every boilerplate line is reported as dropped, in page order
    assert [line for line in article.dropped if _norm(line) in {_norm(b) for b in expected["boilerplate_lines"]}] \
        == expected["boilerplate_lines"]


def test_seed_article_passes_the_shared_seed_checker(tmp_path: Path) -> None:
    checker = shared_path("tools", "seed_check.py")
    raw = shared_path("seed", "biden_russia_deescalation.txt").read_bytes()
    article = extract_document(Document.from_bytes(raw, doc_id="seed", kind="file"))
    assert isinstance(article, Article)
    out = tmp_path / "article.json"
    out.write_text(json.dumps(article.to_dict()))
    done = subprocess.run([sys.executable, str(checker), "article", str(checker.parents[1] / "seed" / "expected.json"),
                           str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("use_title_hint", [False, True])
def test_dev_articles_keep_no_boilerplate_and_lose_at_most_one_line(use_title_hint: bool) -> None:
    """The learned line model loses one article line of the 12 dev articles (a short closing
    sentence above a contact line, probability 0.36 against a threshold of 0.40); the hand rules
    it replaced lost none there, and scored 0.834 against its 0.933 on the WCXB dumps."""
    records = [json.loads(line) for line in shared_path("gold", "dev_articles.jsonl").read_text().splitlines()
               if line.strip()]
    assert records
    lost_lines, article_lines = [], 0
    for record in records:
        article = extract_dump(record["raw_text"], title_hint=record.get("title") if use_title_hint else None)
        body = {_norm(line) for line in article.body}
        boilerplate = {_norm(line) for line in record["boilerplate_lines"]}
        left = [line for line in record["boilerplate_lines"] if _norm(line) in body]
        lost = [line for line in split_lines(record["raw_text"])
                if _norm(line) not in boilerplate and _norm(line) not in body
                and _norm(line) != _norm(article.title or "")]
        assert not left, (record["id"], left)
        lost_lines += lost
        article_lines += len(split_lines(record["raw_text"])) - len(boilerplate)
    assert len(lost_lines) <= 1, lost_lines
    assert article_lines > 100


# --- dumps written with other wordings -------------------------------------------------

ARTICLE = [
    "GENEVA, May 2 — Negotiators from the two governments resumed talks on Thursday on a prisoner exchange, "
    "the mediators said in a short statement after the first session.",
    "The talks, the third round this year, are expected to last two days and to focus on the release of "
    "civilians detained near the front line.",
    "“We are cautiously hopeful,” one of the mediators told reporters outside the venue.",
    "It was not clear whether a joint statement would be issued at the end of the meeting.",
    "A previous round in March ended without agreement after the delegations disagreed over the number of "
    "detainees to be freed and the order of their release.",
    "Both governments have said they want the exchange completed before the summer.",
]
BOILERPLATE_TOP = ["Main menu", "World", "Politics", "Business", "Sport", "Sign in", "Advertisement",
                   "Listen to this story", "By Rosa Lindqvist", "Updated 02 May 2024, 18:04 GMT"]
BOILERPLATE_BOTTOM = [
    "Share via WhatsApp", "Share on LinkedIn", "Print this page",
    "Trending Now", "Storm Closes Airports Across the North", "Markets Rally as Inflation Slows",
    "Three Things to Know Before the Weekend",
    "Join the discussion", "Comments are subject to our community rules and may be removed without notice.",
    "Rosa Lindqvist",
    "Rosa Lindqvist is a diplomatic correspondent who covers negotiations and international law.",
    "Get our free weekly briefing delivered to your inbox.",
    "We use cookies to give you a better experience. By continuing you accept our cookie policy.",
    "© 2024 Example Media Group. All rights reserved.",
    "Return to top",
]
HEADLINE = "Negotiators Resume Prisoner Exchange Talks in Geneva"


@pytest.mark.xfail(strict=True, reason="not handled in general: a comment-rules notice between a comments "
                   "heading and an author profile reads as prose to the line model; a hand rule cutting the "
                   "page at a comments heading cut real article text on WCXB pages")
def test_dump_in_other_wordings_is_cleaned() -> None:
    raw = "\n".join([HEADLINE, *BOILERPLATE_TOP, *ARTICLE, *BOILERPLATE_BOTTOM])
    article = extract_dump(raw, today=date(2024, 6, 1))
    assert article.title == HEADLINE
    assert list(article.body) == ARTICLE
    assert list(article.dropped) == BOILERPLATE_TOP + BOILERPLATE_BOTTOM
    assert article.author == "Rosa Lindqvist"
    assert article.published == date(2024, 5, 2)


def test_related_links_in_the_middle_and_a_subheading_are_told_apart() -> None:
    teasers = ["Ceasefire Talks Stall as Both Sides Trade Blame", "Aid Agencies Warn of Winter Shortages"]
    raw = "\n".join([HEADLINE, *ARTICLE[:3], *teasers, *ARTICLE[3:5], "What happens next",
                     ARTICLE[5], "Sign up for alerts"])
    article = extract_dump(raw)
    assert list(article.body) == [*ARTICLE[:5], "What happens next", ARTICLE[5]]
    assert set(teasers) <= set(article.dropped)


@pytest.mark.xfail(strict=True, reason="not handled in general: long readers' comments below a 'Comments (2)' "
                   "heading read as prose to the line model; a hand rule cutting the page at a comments "
                   "heading cut real article text on WCXB pages")
def test_a_comment_section_with_long_comments_is_not_joined_to_the_story() -> None:
    comment = ("I have followed these negotiations for years and I think the mediators deserve more credit than "
               "they get, because every round that ends without an agreement still narrows the gap between the "
               "two sides, and the families of the detainees have waited far too long for any kind of news from "
               "either government about when their relatives might finally be allowed to come home.")
    section = ["Comments (2)", "Lena K.", "2 May 2024 at 19:12", comment, "Reply",
               "Marco", "2 May 2024 at 20:40", comment.replace("I have", "We have"), "Reply"]
    article = extract_dump("\n".join([HEADLINE, *ARTICLE, *section]))
    assert list(article.body) == ARTICLE


def test_a_comment_thread_after_the_article_is_dropped() -> None:
    thread = ["14 Comments",
              "harbourwatcher says:", "May 2, 2024 at 9:14 pm",
              "Both sides keep saying they are hopeful and nothing ever changes for the families.", "Reply",
              "Ines M. says:", "May 2, 2024 at 10:02 pm",
              "The mediators have done more than anyone expected of them this year.", "Reply",
              "old_sailor_62 says:", "May 3, 2024 at 6:45 am",
              "I hope the civilians are released first, they never should have been held.", "Reply"]
    article = extract_dump("\n".join([HEADLINE, *ARTICLE, *thread]))
    assert list(article.body) == ARTICLE
    assert list(article.dropped) == thread


def test_caption_between_paragraphs_and_credit_lines_are_dropped() -> None:
    caption = "Delegates arrive for the second day of talks at the United Nations office in Geneva on Friday"
    raw = "\n".join([*ARTICLE[:2], caption, "Photo: Example Agency", *ARTICLE[2:]])
    article = extract_dump(raw)
    assert list(article.body) == ARTICLE
    assert caption in article.dropped


def test_short_quotes_and_datelines_inside_the_article_stay() -> None:
    lines = [ARTICLE[0], "“No,” he said.", ARTICLE[1], "KYIV — Officials confirmed the figures.", ARTICLE[4]]
    assert list(extract_dump("\n".join(lines)).body) == lines


def test_a_closing_section_named_after_a_country_is_not_an_author_profile() -> None:
    closing = ["Russia's position", "Russia's foreign ministry said it would study the proposal before the talks."]
    article = extract_dump("\n".join([*ARTICLE, *closing, "Share this story"]))
    assert list(article.body) == ARTICLE + closing


def test_a_single_sentence_is_an_article_even_when_it_reads_like_a_headline() -> None:
    assert extract_dump("Russia expels ten Polish diplomats").body == ("Russia expels ten Polish diplomats",)
    sentence = "Russia expelled ten Polish diplomats on Tuesday."
    assert extract_dump(sentence).body == (sentence,)


def test_a_page_of_menus_only_has_no_article() -> None:
    raw = "\n".join(["Home", "News", "Sport", "Weather", "Sign in", "Subscribe", "Contact us", "Privacy policy"])
    assert extract_dump(raw).body == ()


def test_repeated_paragraph_is_kept_once() -> None:
    raw = "\n".join([*ARTICLE[:3], ARTICLE[2], *ARTICLE[3:]])
    assert list(extract_dump(raw).body) == ARTICLE


def test_title_hint_matching_first_line_is_not_body() -> None:
    article = extract_dump("\n".join([HEADLINE.upper(), *ARTICLE]), title_hint=HEADLINE)
    assert article.title == HEADLINE and list(article.body) == ARTICLE


@pytest.mark.parametrize(("line", "kind"), [
    ("Share this article", Kind.BAD),
    ("Your email address will never be shared. Fields marked with an asterisk are mandatory.", Kind.BAD),
    ("Contact our newsroom at tips@example.org or call +44 20 7946 0958", Kind.BAD),
    ("Image: Example Agency via Getty Images", Kind.BAD),
    ("By Rosa Lindqvist and Omar Haddad", Kind.BAD),
    ("The ministry said the talks would resume next week after a short break.", Kind.GOOD),
    ("He declined to comment.", Kind.NEAR),
    ("WeWork declined to comment on the report, citing ongoing negotiations with landlords.", Kind.GOOD),
])
def test_lines_are_classified_by_general_features(line: str, kind: Kind) -> None:
    assert describe_line(line).kind is kind


def test_dates_are_read_from_bylines_but_never_from_the_future() -> None:
    assert find_date(["Posted on March 3, 2024 at 10:00"]) == date(2024, 3, 3)
    assert find_date(["Updated 3 March 2024"]) == date(2024, 3, 3)
    assert find_date(["2024-03-03T10:00"]) == date(2024, 3, 3)
    assert find_date(["Embargoed until January 1, 2999"], today=date(2024, 1, 1)) is None


# --- invariants -------------------------------------------------------------------------

_line = st.one_of(
    st.sampled_from(ARTICLE + BOILERPLATE_TOP + BOILERPLATE_BOTTOM + [HEADLINE, ""]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120),
)


@given(st.lists(_line, max_size=40))
@settings(max_examples=200, deadline=None)
def test_every_line_is_kept_dropped_or_the_title_in_order(lines: list[str]) -> None:
    raw = "\n".join(lines)
    article = extract_dump(raw)
    expected = split_lines(raw)
    # the title is a line of its own: the first line, or a headline above the body after a menu
    titled = Counter([article.title]) if article.title is not None else Counter()
    assert Counter(article.body) + Counter(article.dropped) + titled == Counter(expected)
    kept = iter(expected)
    assert all(any(line == candidate for candidate in kept) for line in article.body)  # body keeps page order


@given(st.lists(st.sampled_from(ARTICLE + BOILERPLATE_BOTTOM), min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_decisions_cover_each_line_once(lines: list[str]) -> None:
    decisions = filter_lines(lines)
    assert [d.index for d in decisions] == list(range(len(lines)))
    assert all(d.why for d in decisions)


def test_a_headline_under_the_site_menu_is_the_title_not_a_dropped_line() -> None:
    raw = "\n".join([
        "Home | World | Politics | Business",
        "Ministers Agree to Reopen Border Crossings After Talks",
        "Follow us for more world news",
        "The foreign ministers of the two countries agreed on Tuesday to reopen three border crossings "
        "that have been closed since the spring, officials said after the talks in Geneva.",
        "The crossings will open to freight first and to travellers from next month, according to a joint "
        "statement issued by both delegations at the end of the meeting.",
    ])
    article = extract_dump(raw)
    assert article.title == "Ministers Agree to Reopen Border Crossings After Talks"
    assert article.title not in article.dropped and article.title not in article.body
    assert article.body[0].startswith("The foreign ministers")
