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
