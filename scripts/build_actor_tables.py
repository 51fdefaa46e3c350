"""Write src/detente/actors/data/countries.csv from pycountry and country_converter.

Run it when either package updates its country list:

    .venv/bin/python scripts/build_actor_tables.py

One row per ISO 3166-1 country (pycountry) plus Kosovo (XKX, a user-assigned code that
country_converter carries): alpha-3, alpha-2, a display name, the official name, and the
name forms both packages know. country_converter's data file is read directly with the csv
module, because its own loader (1.3.2) reads Namibia's alpha-2 "NA" as a missing value under
pandas 3. A name that the hand-made country_words.csv gives to another country is left out,
so that "Congo" (pycountry's short name for the Republic of the Congo) stays the DR Congo's.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import country_converter
import pycountry

DATA = Path(__file__).resolve().parents[1] / "src" / "detente" / "actors" / "data"

# Display names chosen for news use where the packages' short names differ from it.
DISPLAY = {
    "TUR": "Turkey",
    "COG": "Republic of the Congo",
    "COD": "DR Congo",
    "FSM": "Micronesia",
    "CIV": "Ivory Coast",
    "CZE": "Czech Republic",
    "PSE": "Palestine",
    "VAT": "Vatican",
    "MKD": "North Macedonia",
    "SWZ": "Eswatini",
    "TLS": "East Timor",
    "CPV": "Cape Verde",
    "BRN": "Brunei",
    "LAO": "Laos",
    "BES": "Caribbean Netherlands",
    "CCK": "Cocos Islands",
}
# Package names that read as something else in news text.
SKIP_FORMS = {"Congo", "Georgia (country)", "Korea", "Micronesia, Fed. Sts."}


def coco_rows() -> dict[str, dict[str, str]]:
    path = Path(country_converter.__file__).with_name("country_data.tsv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["ISO3"]: row for row in csv.DictReader(fh, delimiter="\t")}


def clean(name: str) -> str | None:
    """A usable surface form, or None for inverted or annotated package names."""
    name = name.strip()
    if not name or "," in name or "(" in name or name in SKIP_FORMS:
        return None
    return re.sub(r"\s+", " ", name)


def hand_claims() -> dict[str, str]:
    claims: dict[str, str] = {}
    with (DATA / "country_words.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for column in ("names", "adjectives", "people"):
                for form in filter(None, (row[column] or "").split("|")):
                    claims.setdefault(form.strip().casefold(), row["iso3"])
    return claims


def build() -> list[dict[str, str]]:
    coco = coco_rows()
    claims = hand_claims()
    rows: list[dict[str, str]] = []
    records = [(c.alpha_3, c.alpha_2, c) for c in pycountry.countries]
    if "XKX" not in {iso3 for iso3, _, _ in records}:
        records.append(("XKX", "XK", None))
    for iso3, iso2, record in sorted(records, key=lambda r: r[0]):
        cc = coco.get(iso3, {})
        candidates = [cc.get("name_short", ""), cc.get("name_official", "")]
        if record is not None:
            candidates += [getattr(record, "common_name", ""), record.name, getattr(record, "official_name", "")]
        forms: list[str] = []
        for candidate in candidates:
            form = clean(candidate or "")
            if form and form not in forms and claims.get(form.casefold(), iso3) == iso3:
                forms.append(form)
        display = DISPLAY.get(iso3) or clean(cc.get("name_short", "")) or (forms[0] if forms else "")
        if not display:
            raise SystemExit(f"no display name for {iso3}: add it to DISPLAY")
        if display not in forms and claims.get(display.casefold(), iso3) == iso3:
            forms.append(display)
        official = (cc.get("name_official") or (getattr(record, "official_name", "") if record else "")
                    or display)
        rows.append({"iso3": iso3, "iso2": iso2, "name": display, "official": official.strip(),
                     "forms": "|".join(forms)})
    return rows


def main() -> int:
    rows = build()
    with (DATA / "countries.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["iso3", "iso2", "name", "official", "forms"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {DATA / 'countries.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
