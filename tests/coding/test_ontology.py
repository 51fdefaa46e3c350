"""The ontology tables: crosswalk parsing, CAMEO 02, Goldstein weights, quad classes, fallbacks."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.coding.ontology import (
    CROSSWALK_FILE,
    DataFileError,
    build_ontology,
    cameo_codes,
    cameo_info,
    default_cameo,
    parse_crosswalk,
    plover_modes,
    plover_types,
    quad_class_of_root,
)
from detente.model import PLOVER_TYPES, QUAD_CLASS_OF_TYPE
from tests.conftest import shared_path

_ROW = re.compile(r"^\d{2,4}\s*:")


def _data(name: str) -> str:
    return resources.files("detente.coding").joinpath("data", name).read_text(encoding="utf-8")


def _texts() -> dict[str, str]:
    return {"crosswalk": _data("cameo2plover.txt"), "extra": _data("cameo_extra.tsv"),
            "goldstein": _data("goldstein.tsv"), "types": _data("plover_types.tsv")}


def test_every_crosswalk_row_parses_and_is_known() -> None:
    text = _data(CROSSWALK_FILE)
    roots, rows = parse_crosswalk(text)
    code_lines = [line for line in text.splitlines() if _ROW.match(line.strip())]
    assert len(rows) + sum(1 for line in code_lines if re.match(r"^\d{2}\s*:\s*[A-Z]+\s*$", line.strip())) \
        == len(code_lines)
    known = set(cameo_codes())
    assert {r.code for r in rows} <= known
    assert set(roots) <= known


def test_packaged_crosswalk_is_the_official_file() -> None:
    official = shared_path("ontology", "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    packaged = _data(CROSSWALK_FILE)
    assert packaged.startswith("# Attribution:")
    assert packaged.endswith(official)


def test_every_plover_type_is_reachable_in_order() -> None:
    assert plover_types() == PLOVER_TYPES
    reached = {cameo_info(code).plover_type for code in cameo_codes()}
    assert reached == set(PLOVER_TYPES)


def test_every_code_has_a_goldstein_weight_in_range() -> None:
    for code in cameo_codes():
        assert -10.0 <= cameo_info(code).goldstein <= 10.0, code


@pytest.mark.parametrize(("code", "weight"), [
    ("161", -4.0), ("174", -5.0), ("138", -7.0), ("0871", 9.0), ("163", -8.0), ("057", 8.0),
    ("0874", 10.0), ("190", -10.0), ("040", 1.0), ("020", 3.0), ("1213", -4.0),
    # The published table (GDELT's CAMEO.goldsteinscale.txt, two public copies agree) gives -7.0
    # for 166; FORMATS.md's example list says -8.0, which is 163's weight.
    ("166", -7.0),
])
def test_goldstein_anchors(code: str, weight: float) -> None:
    assert cameo_info(code).goldstein == weight


def test_quad_class_follows_the_root() -> None:
    assert [quad_class_of_root(f"{r:02d}") for r in (1, 5, 6, 8, 9, 13, 14, 20)] == [1, 1, 2, 2, 3, 3, 4, 4]
    for code in cameo_codes():
        assert cameo_info(code).quad_class == quad_class_of_root(code), code
    assert cameo_info("020").quad_class == 1  # appeals are verbal cooperation by root, REQUEST by type
    assert cameo_info("163").quad_class == 4


def test_lookup_falls_back_to_base_then_root() -> None:
    assert cameo_info("0315").code == "031"
    assert cameo_info("176").code == "17"
    assert cameo_info(" 0871 ").code == "0871"
    for bad in ("010", "01", "21", "", "abc", "12345"):
        with pytest.raises(KeyError):
            cameo_info(bad)


def test_crosswalk_oddities_are_handled() -> None:
    repression = cameo_info("175")  # listed twice, under root 18, with a context word as its mode
    assert (repression.plover_type, repression.mode) == ("ASSAULT", "")
    assert "pro_autocracy" in repression.contexts
    assert cameo_info("1712").plover_type == "ASSAULT"
    assert cameo_info("163").plover_type == "COERCE"
    assert cameo_info("191").plover_type == cameo_info("192").plover_type == "COERCE"
    assert cameo_info("201").plover_type == "ASSAULT"
    assert cameo_info("08").plover_type == "CONCEDE"  # root 08 is headed both CONCEDE and RETREAT
    assert cameo_info("0813").plover_type == "RETREAT"
    assert cameo_info("0813").description == "Ease curfew"  # the editor's dated remark is dropped
    assert cameo_info("0861").mode == "access"  # "access " with a stray space
    assert cameo_info("1322").mode == "ban"
    assert cameo_info("1121").contexts == ("crime", "corruption")


def test_cameo_02_is_request_with_modes_of_its_10_counterparts() -> None:
    expected = {"021": "assist", "0213": "assist", "022": "assist", "023": "assist", "024": "change",
                "0243": "change", "025": "yield", "0256": "yield", "026": "meet", "027": "meet", "028": "meet"}
    for code, mode in expected.items():
        info = cameo_info(code)
        assert (info.plover_type, info.mode) == ("REQUEST", mode), code
    assert cameo_info("020").description.startswith("Make an appeal")


def test_default_codes_and_modes() -> None:
    assert default_cameo("AGREE") == "030"
    assert default_cameo("REQUEST") == "100"
    for name in PLOVER_TYPES:
        assert cameo_info(default_cameo(name)).plover_type == name
        assert QUAD_CLASS_OF_TYPE[name] in (1, 2, 3, 4)
    assert {"expel", "withdraw", "discontinue"} <= plover_modes("SANCTION")
    assert {"visit", "phone", "third-party"} <= plover_modes("CONSULT")
    assert all(m == m.strip() and m for t in PLOVER_TYPES for m in plover_modes(t))
    with pytest.raises(KeyError):
        plover_modes("APPEAL")


@given(st.from_regex(r"\A[0-9]{2,4}\Z"))
def test_lookup_returns_a_prefix_or_raises(code: str) -> None:
    try:
        info = cameo_info(code)
    except KeyError:
        assert code[:2] not in cameo_codes()
        return
    assert code.startswith(info.code)
    assert info.plover_type in PLOVER_TYPES


@pytest.mark.parametrize(("part", "old", "new", "expected"), [
    ("crosswalk", "040: CONSULT, ,  # Consult", "040 CONSULT", "cameo2plover.txt:"),
    ("crosswalk", "040: CONSULT, ,  # Consult", "040: CONSULT, visit # Consult", "3 fields"),
    ("crosswalk", "040: CONSULT, ,  # Consult", "040: CHAT, ,  # Consult", "unknown PLOVER type"),
    ("crosswalk", "042: CONSULT, visit,   # Make a visit", "041: ACCUSE, visit, # Make a visit",
     "listed again"),
    ("goldstein", "040\t1.0\t", "040\tone\t", "goldstein.tsv:"),
    ("goldstein", "040\t1.0\t", "040\t11.0\t", "outside"),
    ("goldstein", "040\t1.0\t\n", "", "no Goldstein weight for CAMEO code 040"),
    ("extra", "026\tREQUEST", "026\tPLEAD", "cameo_extra.tsv:"),
    ("types", "AGREE\t1\t030", "AGREE\t1\t040", "default code"),
    ("types", "AGREE\t1\t030", "AGREE\t2\t030", "quad class"),
    ("types", "type\tquad_class", "kind\tquad_class", "header"),
])
def test_bad_data_names_file_and_problem(part: str, old: str, new: str, expected: str) -> None:
    texts = _texts()
    assert old in texts[part]
    texts[part] = texts[part].replace(old, new, 1)
    with pytest.raises(DataFileError) as err:
        build_ontology(texts["crosswalk"], texts["extra"], texts["goldstein"], texts["types"])
    assert expected in str(err.value)


def test_bad_crosswalk_row_reports_its_line() -> None:
    texts = _texts()
    lines = texts["crosswalk"].splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("040:"))
    lines[number - 1] = "040 is broken"
    with pytest.raises(DataFileError) as err:
        build_ontology("\n".join(lines), texts["extra"], texts["goldstein"], texts["types"])
    assert err.value.line == number
    assert f"cameo2plover.txt:{number}" in err.value.one_line()
