"""Dates a user gives (filters, ``--published``, the API's ``since``/``until``): one parser.

It sits at the bottom of the package (it needs only ``errors``) so that the web, the CLI and
the pipeline read dates alike without importing each other.
"""

from __future__ import annotations

from datetime import date

from .errors import BadOption

__all__ = ["FIRST_DATE", "LAST_DATE", "parse_date"]

# Dates a user may give (filters, --published): wide enough for any news archive, far from the calendar's ends.
FIRST_DATE = date(1000, 1, 1)
LAST_DATE = date(2999, 12, 31)


def parse_date(value: str | date | None) -> date | None:
    """A date from ``YYYY-MM-DD`` (or a longer ISO timestamp); ``None`` stays ``None``."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError as exc:
        raise BadOption(f"'{text[:40]}' is not a date", "write dates as YYYY-MM-DD") from exc
    if not FIRST_DATE <= day <= LAST_DATE:
        # a series, a baseline or an alert window reaches months around a date: near year 1 or 9999
        # that arithmetic leaves the calendar
        raise BadOption(f"{day.isoformat()} is outside the years {FIRST_DATE.year} to {LAST_DATE.year}",
                        "give a date within them (leave --since out to start at the first event)")
    return day
