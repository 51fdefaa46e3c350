"""Notices and credits are found whatever their case and script (the quick word check before the
regular expressions must never hide one)."""

from __future__ import annotations

import pytest

from detente.extract.lines import describe_line


@pytest.mark.parametrize("line", [
    "ALL RIGHTS RESERVED by the Harbour Gazette group.",
    "We use Cookies to improve your browsing experience on this site.",
    "Your E-Mail address will not be published.",
    "Required Fields are marked with a star.",
    "© 2024 Harbour Gazette",
    "Ｃopyright notice: reproduction is prohibited without permission.",
])
def test_notices_are_found_in_any_case(line: str) -> None:
    assert describe_line(line).notice


@pytest.mark.parametrize("line", [
    "Photo: Lena Ortiz for the Gazette",
    "The new quay at dawn (PHOTOS courtesy of the port)",
    "Image source: harbour archive",
    "Reuters/Getty pool",
])
def test_credits_are_found_in_any_case(line: str) -> None:
    assert describe_line(line).credit


def test_prose_is_neither_a_notice_nor_a_credit() -> None:
    f = describe_line("The ferry left the harbour at noon, and the crew said the crossing was calm all the way.")
    assert not f.notice and not f.credit


@pytest.mark.parametrize("line", [
    "Copyright 2023 Harbour Gazette. Reprints by arrangement.",
    "(c) Copyright the Harbour Gazette group",
    "Image copyright",
    "Copyright Policy",
])
def test_copyright_notices_carry_a_year_a_sign_or_stand_alone(line: str) -> None:
    assert describe_line(line).notice


@pytest.mark.parametrize("line", [
    "The court will decide whether training a model on the archive is a breach of copyright under the 1988 act.",
    "Copyright and the Harbour Archive: a Dispute in Three Acts",
])
def test_a_paragraph_or_heading_about_copyright_is_no_notice(line: str) -> None:
    assert not describe_line(line).notice


def test_a_picture_agency_named_in_a_paragraph_credits_no_photo() -> None:
    prose = ("Second, the agency wants a fund like the one Shutterstock set up for its contributors, paid out "
             "every quarter to the photographers whose work trained the models.")
    assert not describe_line(prose).credit
    assert describe_line("Harbour at dawn / Shutterstock").credit
    assert describe_line("Getty Images").credit


def test_lorem_ipsum_is_a_template_placeholder() -> None:
    f = describe_line("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.")
    assert f.why == "template placeholder"
