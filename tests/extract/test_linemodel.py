"""The learned line model: its file is read safely (numbers only, every array checked) and a
missing or damaged file is a clear ModelError; its trees are evaluated as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from detente import modelfile
from detente.cli import main
from detente.errors import DetenteError, ModelError
from detente.extract import linemodel
from detente.extract.linemodel import (
    CONTEXT_FEATURES,
    PAGE_FEATURES,
    LineModel,
    load_line_model,
    page_features,
    set_line_model,
    trees_from_dict,
)
from detente.extract.lines import describe_line

PACKAGED = Path(linemodel.__file__).parent / "data" / linemodel.LINE_MODEL_FILE


def _packaged() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PACKAGED.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "line_model.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_the_packaged_model_loads_and_reads_the_features_this_code_computes() -> None:
    model = load_line_model()
    assert model.line.features == PAGE_FEATURES
    assert model.context is None or model.context.features == PAGE_FEATURES + CONTEXT_FEATURES
    assert 0.0 < model.threshold < 1.0
    assert set(model.trained_on) == {"extraction", "extraction-wcxb-dev"}


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot be read") as caught:
        load_line_model(tmp_path / "nowhere.json")
    assert "train_line_model.py" in caught.value.hint


@pytest.mark.parametrize(("damage", "message"), [
    ("{not json", "not JSON"),
    ("", "not JSON"),
    ("[1, 2, 3]", "not a detente line model"),
    ('{"format": "detente.scorer"}', "not a detente line model"),
])
def test_a_file_that_is_not_a_line_model_is_refused(tmp_path: Path, damage: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        load_line_model(_write(tmp_path, damage))


def _damaged(change: str) -> dict[str, Any]:
    data = _packaged()
    line = data["line"]
    if change == "no threshold":
        del data["threshold"]
    elif change == "threshold out of range":
        data["threshold"] = 1.5
    elif change == "short array":
        line["value"] = line["value"][:-3]
    elif change == "child outside":
        inner = next(i for i, left in enumerate(line["left"]) if left >= 0)
        line["left"][inner] = len(line["left"]) + 10
    elif change == "child loops back":
        inner = next(i for i, left in enumerate(line["left"]) if left >= 0)
        line["right"][inner] = inner
    elif change == "unknown feature":
        inner = next(i for i, left in enumerate(line["left"]) if left >= 0)
        line["feature"][inner] = len(PAGE_FEATURES) + 1
    elif change == "not a number":
        line["threshold"][0] = "high"
    elif change == "other features":
        line["features"] = line["features"][::-1]
    elif change == "stage not an object":
        data["line"] = [1, 2]
    return data


@pytest.mark.parametrize("change", ["no threshold", "threshold out of range", "short array", "child outside",
                                    "child loops back", "unknown feature", "not a number", "other features",
                                    "stage not an object"])
def test_a_damaged_model_is_refused(tmp_path: Path, change: str) -> None:
    with pytest.raises(ModelError) as caught:
        load_line_model(_write(tmp_path, _damaged(change)))
    assert str(tmp_path) in caught.value.message


def test_non_finite_numbers_are_refused(tmp_path: Path) -> None:
    text = json.dumps(_packaged()).replace('"baseline":', '"baseline": NaN, "was":', 1)
    with pytest.raises(ModelError, match="not finite"):
        load_line_model(_write(tmp_path, text))


def test_trees_are_evaluated_as_written() -> None:
    # two stumps on "log_words" and "stop_density": a long line with stop words scores highest
    words, stop = PAGE_FEATURES.index("log_words"), PAGE_FEATURES.index("stop_density")
    trees = trees_from_dict({
        "features": list(PAGE_FEATURES), "baseline": -1.0, "depth": 2, "roots": [0, 3],
        "feature": [words, 0, 0, stop, 0, 0], "threshold": [2.0, 0, 0, 0.2, 0, 0],
        "left": [1, -1, -1, 4, -1, -1], "right": [2, -1, -1, 5, -1, -1],
        "value": [0, -0.5, 1.5, 0, -0.25, 0.75],
    }, PAGE_FEATURES, "test")
    x = np.zeros((3, len(PAGE_FEATURES)))
    x[0, words], x[0, stop] = 1.0, 0.1   # short, few stop words
    x[1, words], x[1, stop] = 3.0, 0.1   # long, few stop words
    x[2, words], x[2, stop] = 3.0, 0.4   # long, many stop words
    assert trees.margin(x).tolist() == pytest.approx([-1.75, 0.25, 1.25])
    assert trees.margin(np.zeros((0, len(PAGE_FEATURES)))).shape == (0,)


def _walk_one_row(trees: linemodel.Trees, row: np.ndarray) -> float:
    """The margin of one row, tree by tree, as the arrays are written."""
    total = trees.baseline
    for root in trees.roots.tolist():
        node = root
        while trees.left[node] >= 0:
            node = trees.left[node] if row[trees.feature[node]] <= trees.threshold[node] else trees.right[node]
        total += trees.value[node]
    return total


def test_the_vectorised_walk_gives_what_a_walk_row_by_row_gives() -> None:
    # the packaged trees (of uneven depths) on random rows, some values missing (NaN goes right)
    trees = load_line_model().line
    rng = np.random.default_rng(7)
    x = np.abs(rng.normal(size=(40, len(PAGE_FEATURES)))) * rng.choice([0.1, 1.0, 10.0], size=(40, 1))
    x[rng.random(x.shape) < 0.05] = np.nan
    want = [_walk_one_row(trees, row) for row in x]
    assert trees.margin(x).tolist() == pytest.approx(want, abs=1e-12)


def test_the_model_gives_prose_a_higher_probability_than_a_menu() -> None:
    lines = ["Home", "World", "Sign in",
             "The two delegations met in the capital on Monday and agreed to hold a second round of talks "
             "before the end of the month, a spokesman for the foreign ministry said.",
             "Officials on both sides said the meeting had been constructive and that a joint statement "
             "would be published after the next session.",
             "Share on Facebook", "Privacy policy"]
    feats = [describe_line(line) for line in lines]
    p = load_line_model().probabilities(feats, [False] * len(lines))
    assert p.shape == (len(lines),) and ((p >= 0) & (p <= 1)).all()
    assert min(p[3], p[4]) > max(p[0], p[1], p[2], p[5], p[6])
    assert page_features(feats, [False] * len(lines)).shape == (len(lines), len(PAGE_FEATURES))


def test_the_probabilities_of_some_rows_are_those_of_the_whole_page() -> None:
    # restore scores only the lines its other tests leave open; a line's row still reads its neighbours
    lines = ["Home", "World", "Sign in",
             "The two delegations met in the capital on Monday and agreed to hold a second round of talks.",
             "What the ministers said",
             "Officials on both sides said the meeting had been constructive and useful.",
             "Share on Facebook", "Privacy policy"]
    feats = [describe_line(line) for line in lines]
    model = load_line_model()
    whole = model.probabilities(feats, [False] * len(lines))
    assert model.probabilities(feats, [False] * len(lines), rows=[6, 4, 0]).tolist() == whole[[6, 4, 0]].tolist()
    assert model.probabilities(feats, [False] * len(lines), rows=[]).shape == (0,)


def test_extract_with_a_missing_packaged_model_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "story.txt"
    page.write_text("Home\nThe delegations met in the capital on Monday and agreed to meet again next month.\n",
                    encoding="utf-8")

    class Empty:
        def joinpath(self, *parts: str) -> Path:
            return tmp_path.joinpath("missing", *parts)

    monkeypatch.setattr(modelfile.resources, "files", lambda package: Empty())
    set_line_model(None)
    try:
        assert main(["extract", str(page)]) == 1
    finally:
        monkeypatch.undo()
        set_line_model(None)
    err = capsys.readouterr().err
    assert "error: the line model" in err and "cannot be read" in err and "Traceback" not in err


def test_a_model_error_is_a_detente_error() -> None:
    assert issubclass(ModelError, DetenteError)
    assert isinstance(load_line_model(), LineModel)


def _column(x: np.ndarray, name: str) -> list[float]:
    return [float(v) for v in x[:, PAGE_FEATURES.index(name)]]


def test_the_lines_around_readers_comments_are_marked_and_counted() -> None:
    lines = ["The council voted on Tuesday to close the old bridge to lorries while engineers inspect it.",
             "pinecone_77 says:", "This should have happened years ago, the bridge shakes every morning.",
             "Reply", "Marta on June 3, 2024 at 8:50 pm said:", "Agreed.", "3 hours ago", "14 points"]
    x = page_features([describe_line(line) for line in lines], [False] * len(lines))
    assert _column(x, "comment_meta") == [0, 1, 0, 1, 1, 0, 1, 1]
    # how many such lines stand above each line, and how far the last one is (log1p of both)
    assert np.expm1(_column(x, "log_comments_above")).round().tolist() == [0, 0, 1, 1, 2, 3, 3, 4]
    assert np.expm1(_column(x, "log_since_comment")).round().tolist()[2:] == [1, 2, 1, 1, 2, 1]
    assert _column(x, "n-1_comment_meta") == [0, 0, 1, 0, 1, 1, 0, 1]


def test_a_sentence_that_quotes_what_someone_said_is_not_a_comment_attribution() -> None:
    lines = ["Asked whether the talks would resume, the foreign minister of the smaller country said that "
             "his government had not yet decided and would wait for the mediators' proposal."]
    x = page_features([describe_line(line) for line in lines], [False])
    assert _column(x, "comment_meta") == [0]


def test_teaser_headlines_run_into_their_summaries_are_counted() -> None:
    lines = ["Harbour Strike Enters Second WeekDock workers say talks have stalled.",
             "Is The Ferry Timetable Changing?Officials say no decision has been made.",
             "Dock workers in the port city said the strike would go on until the talks resumed."]
    x = page_features([describe_line(line) for line in lines], [False] * len(lines))
    assert _column(x, "glued") == [1, 1, 0]
    # words of four letters or more opening with a capital: 5 of 9, 4 of 7, and 1 of 10 in the sentence
    assert _column(x, "capitalised_share") == pytest.approx([5 / 9, 4 / 7, 1 / 10])

