"""The learned line model: the probability that a line of a text dump belongs to the article.

Every line is described by the general features of ``lines.describe_line`` (length, stop-word
density in the page's language, sentence end, prompt and notice vocabulary, ...), by whether it
reads like the furniture of a reader's comment (an attribution such as "jdoe says:", an age such
as "3 hours ago", a "Reply" button or a vote count), by texts run together without a space (a
teaser headline glued to its summary) and its share of capitalised words, by where it stands on
the page (its share of the page's prose above it, how many comment lines stand above it and how
far the last one is) and by the same features of its neighbours and of the lines around it
(windows of 5, 11 and 25 lines, with the share of one- and two-word lines and of headline-like
lines in them). Gradient-boosted trees
read them and give each line a probability. An optional second stage reads the first stage's
probabilities around the line (windows, and the densest run of likely article lines); measured
across the two benchmarks it did not help (trained on ScrapingHub, scored on WCXB: 0.867 ->
0.856 line-level F1), so the shipped model has one stage. It is fitted by
``scripts/train_line_model.py`` on lines labelled automatically
from the two extraction benchmarks in ``../shared/gold`` (a line is article text when most of
its words run, four at a time, in the hand-made body) and shipped as ``extract/data/
line_model.json``: the trees as plain arrays, evaluated here with numpy. Loading reads numbers
only (no pickle) and checks their shape; a missing or damaged file is a ``ModelError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from ..errors import ModelError
from ..modelfile import ModelFile, damaged
from .lines import Kind, LineFeatures, looks_like_bio

__all__ = [
    "CONTEXT_FEATURES",
    "FORMAT",
    "LINE_MODEL_FILE",
    "PAGE_FEATURES",
    "LineModel",
    "Trees",
    "context_features",
    "get_line_model",
    "line_model_from_dict",
    "load_line_model",
    "page_features",
    "set_line_model",
    "trees_from_dict",
]

LINE_MODEL_FILE = "line_model.json"
FORMAT = "detente.line_model"

_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*$")
_SECTION_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|reply|leave a (?:reply|comment)|post a comment|"
    r"add a comment|join the (?:discussion|conversation)|related(?: articles| stories| posts| coverage)?|"
    r"more (?:from|stories|on this)|most (?:read|popular|viewed)|you (?:may|might) also like|recommended|"
    r"read (?:more|next)|trending)\b.{0,40}$",
    re.I,
)
_MENU_SEPARATORS = ("|", "•", "·", "»", "›", "/")
_QUOTES = "\"“‘'«„"
_DIGIT = re.compile(r"\d")
# What stands around a reader's comment: its attribution ("jdoe says:", "Ann on May 3, 2019 at 8:50 pm
# said:"), its age ("2 hours ago", "1H ago") and its buttons and votes ("Reply", "12 points", "Rating: 5 Votes").
_COMMENT_SAID = re.compile(
    r"\b(?:says|said|wrote|writes|replied|replies|responded|commented|disse|dijo|escribió|escreveu|schrieb|schreibt|"
    r"sagt|a écrit)\s*:\s*$",
    re.I,
)
_COMMENT_AGO = re.compile(r"(?<!\w)\d+\s*(?:[smhdwy]|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago\b",
                          re.I)
_COMMENT_BUTTONS = re.compile(
    r"^(?:reply|report|report abuse|like|likes|flag|quote|upvote|downvote|permalink)$|"
    r"(?<!\w)\d+\s+(?:points?|likes?|votes?|upvotes?|replies|dislikes?)\b|^rating\s*:",
    re.I,
)
_COMMENT_MAX_WORDS = 15
# two texts printed without a space between them: a teaser headline run into its summary
# ("...Student-AthleteA 24-year-old woman"), a sentence run into the next headline ("Rise?Violence")
_GLUED = re.compile(r"(?<=[a-z]{2})[A-Z](?=[a-z])|(?<=[a-z])[.?!:][A-Z](?=[a-z])")
_CAP_WORD = re.compile(r"[^\W\d_]+")

# The per-line features, in column order (the model file names them, and loading checks them).
LINE_FEATURES: tuple[str, ...] = (
    "log_words", "stop_density", "ends_sentence", "ends_colon", "title_case", "all_caps", "bullet",
    "prompt_hits", "notice", "contact", "credit", "byline", "date_words", "letter_share", "repeated",
    "kind_good", "kind_near", "kind_short", "kind_bad", "headline_like", "truncated", "section_heading",
    "log_chars", "digit_share", "opens_with_quote", "menu_separators", "opens_upper", "commas_per_word",
    "bio", "mean_word_chars", "comment_meta", "glued", "capitalised_share",
)
_NEIGHBOUR_COLUMNS = ("log_words", "stop_density", "ends_sentence", "kind_good", "kind_bad", "headline_like",
                      "prompt_hits", "title_case", "comment_meta")
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (2, 5, 12)


def _page_feature_names() -> tuple[str, ...]:
    names = list(LINE_FEATURES)
    names += ["rel_position", "log_index", "log_from_end", "log_lines", "prose_above", "prose_below",
              "log_dist_good", "words_vs_max", "log_comments_above", "log_since_comment", "log_comments_page"]
    for off in _OFFSETS:
        names += [f"n{off:+d}_exists"] + [f"n{off:+d}_{c}" for c in _NEIGHBOUR_COLUMNS]
    for w in _WINDOWS:
        names += [f"w{w}_good", f"w{w}_bad", f"w{w}_stop", f"w{w}_sentence", f"w{w}_tiny", f"w{w}_headline"]
    return tuple(names)


PAGE_FEATURES = _page_feature_names()


def _context_feature_names() -> tuple[str, ...]:
    names = ["p"] + [f"p{off:+d}" for off in _OFFSETS]
    names += [f"pw{w}" for w in _WINDOWS] + [f"pmax{w}" for w in _WINDOWS]
    names += ["in_run", "log_dist_run", "before_run", "after_run", "p_above", "p_below", "run_share"]
    return tuple(names)


CONTEXT_FEATURES = _context_feature_names()


# a line's row depends on nothing but the line (its features are shared by describe_line's cache)
@lru_cache(maxsize=8192)
def _line_row(f: LineFeatures, repeated: bool, name_line: str | None) -> tuple[float, ...]:
    text = f.text
    chars = len(text)
    words = max(f.words, 1)
    return (
        math.log1p(f.words), f.stop_density, float(f.ends_sentence), float(f.ends_colon), float(f.title_case),
        float(f.all_caps), float(f.bullet), float(min(f.prompt_hits, 4)), float(f.notice), float(f.contact),
        float(f.credit), float(f.byline), float(min(f.date_words, 3)), f.letter_share, float(repeated),
        float(f.kind is Kind.GOOD), float(f.kind is Kind.NEAR), float(f.kind is Kind.SHORT), float(f.kind is Kind.BAD),
        float(f.headline_like), float(bool(_TRUNCATED.search(text))), float(bool(_SECTION_HEADING.match(text))),
        math.log1p(chars), len(_DIGIT.findall(text)) / max(chars, 1), float(text[:1] in _QUOTES),
        float(min(sum(text.count(s) for s in _MENU_SEPARATORS), 5)), float(text[:1].isupper()),
        text.count(",") / words, float(looks_like_bio(f, name_line)), chars / words, float(_comment_meta(f)),
        float(min(len(_GLUED.findall(text)), 3)), _capitalised_share(text),
    )


def _comment_meta(f: LineFeatures) -> bool:
    """The line reads like the attribution, age, buttons or votes of a reader's comment."""
    if f.words > _COMMENT_MAX_WORDS:
        return False
    text = f.text
    return bool(_COMMENT_SAID.search(text) or _COMMENT_AGO.search(text) or _COMMENT_BUTTONS.search(text))


def _capitalised_share(text: str) -> float:
    """The share of the line's words of four letters or more that open with a capital."""
    long_words = [w for w in _CAP_WORD.findall(text) if len(w) >= 4]
    return sum(w[0].isupper() for w in long_words) / len(long_words) if long_words else 0.0


def page_features(feats: Sequence[LineFeatures], repeated: Sequence[bool]) -> np.ndarray:
    """The first stage's input: one row per line (``PAGE_FEATURES``)."""
    n = len(feats)
    if n == 0:
        return np.zeros((0, len(PAGE_FEATURES)))
    base = np.array([_line_row(f, repeated[i], feats[i - 1].text if i and feats[i - 1].words <= 5 else None)
                     for i, f in enumerate(feats)], dtype=float)
    col = {name: k for k, name in enumerate(LINE_FEATURES)}
    index = np.arange(n, dtype=float)
    good = base[:, col["kind_good"]]
    bad = base[:, col["kind_bad"]]
    prose = good * np.array([f.words for f in feats], dtype=float)
    total = prose.sum() or 1.0
    above = (np.cumsum(prose) - prose) / total
    below = 1.0 - above - prose / total
    dist = _distance_to(good > 0)
    words = np.array([f.words for f in feats], dtype=float)
    comment = base[:, col["comment_meta"]]
    comments_above = np.cumsum(comment) - comment
    columns = [base, np.column_stack([
        index / max(n - 1, 1), np.log1p(index), np.log1p(n - 1 - index), np.full(n, math.log1p(n)), above, below,
        np.log1p(np.minimum(dist, 50.0)), words / max(words.max(), 1.0), np.log1p(comments_above),
        np.log1p(np.minimum(_since_last(comment > 0), 50.0)), np.full(n, math.log1p(comment.sum())),
    ])]
    picked = base[:, [col[c] for c in _NEIGHBOUR_COLUMNS]]
    for off in _OFFSETS:
        shifted = np.zeros((n, 1 + picked.shape[1]))
        lo, hi = max(0, -off), min(n, n - off)
        if hi > lo:
            shifted[lo:hi, 0] = 1.0
            shifted[lo:hi, 1:] = picked[lo + off:hi + off]
        columns.append(shifted)
    stop = base[:, col["stop_density"]]
    sentence = base[:, col["ends_sentence"]]
    tiny = (words <= 2).astype(float)
    headline = base[:, col["headline_like"]]
    for w in _WINDOWS:
        columns.append(np.column_stack([_window_mean(good, w), _window_mean(bad, w), _window_mean(stop, w),
                                        _window_mean(sentence, w), _window_mean(tiny, w), _window_mean(headline, w)]))
    return np.hstack(columns)


def _since_last(marked: np.ndarray, far: float = 50.0) -> np.ndarray:
    """For each line, how many lines below the last marked line above it it stands (``far`` when none is)."""
    index = np.arange(len(marked), dtype=float)
    last = np.maximum.accumulate(np.where(marked, index, -np.inf)) if len(marked) else index
    shifted = np.concatenate([[-np.inf], last[:-1]]) if len(marked) else last
    return np.asarray(np.minimum(index - shifted, far))


def _distance_to(marked: np.ndarray, far: float = 50.0) -> np.ndarray:
    """For each line, how many lines away the nearest marked line is (``far`` when none is)."""
    n = len(marked)
    index = np.arange(n, dtype=float)
    last = np.maximum.accumulate(np.where(marked, index, -np.inf))
    after = np.where(marked, index, np.inf)[::-1]
    nxt = np.minimum.accumulate(after)[::-1]
    return np.asarray(np.minimum(np.minimum(index - last, nxt - index), far))


def _window_mean(values: np.ndarray, half: int) -> np.ndarray:
    """The mean of ``values`` over [i - half, i + half] (clipped at the page's ends)."""
    n = len(values)
    sums = np.concatenate([[0.0], np.cumsum(values)])
    lo = np.clip(np.arange(n) - half, 0, n)
    hi = np.clip(np.arange(n) + half + 1, 0, n)
    return (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1)


def _window_max(values: np.ndarray, half: int) -> np.ndarray:
    n = len(values)
    padded = np.concatenate([np.zeros(half), values, np.zeros(half)])
    stacked = np.stack([padded[k:k + n] for k in range(2 * half + 1)])
    return np.asarray(stacked.max(axis=0))


def _densest_run(scores: np.ndarray) -> tuple[int, int]:
    """The [start, end] of the contiguous run with the largest sum (Kadane); (0, -1) if none is positive."""
    best, span = 0.0, (0, -1)
    running, start = 0.0, 0
    for i, s in enumerate(scores.tolist()):
        if running <= 0:
            running, start = s, i
        else:
            running += s
        if running > best:
            best, span = running, (start, i)
    return span


def context_features(p: np.ndarray) -> np.ndarray:
    """The second stage's input from the first stage's probabilities (``CONTEXT_FEATURES``)."""
    n = len(p)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    columns: list[np.ndarray] = [p]
    for off in _OFFSETS:
        shifted = np.zeros(n)
        lo, hi = max(0, -off), min(n, n - off)
        if hi > lo:
            shifted[lo:hi] = p[lo + off:hi + off]
        columns.append(shifted)
    columns += [_window_mean(p, w) for w in _WINDOWS]
    columns += [_window_max(p, w) for w in _WINDOWS]
    start, end = _densest_run(p - 0.5)
    index = np.arange(n)
    inside = (index >= start) & (index <= end)
    dist = np.where(inside, 0, np.where(index < start, start - index, index - end)).astype(float)
    mass = p.sum() or 1.0
    above = (np.cumsum(p) - p) / mass
    run_share = float(p[start:end + 1].sum() / mass) if end >= start else 0.0
    columns += [inside.astype(float), np.log1p(dist), (index < start).astype(float), (index > end).astype(float),
                above, 1.0 - above - p / mass, np.full(n, run_share)]
    return np.column_stack(columns)


@dataclass(frozen=True)
class Trees:
    """Boosted regression trees as flat arrays: node ``k`` tests ``x[feature[k]] <= threshold[k]``
    and goes to ``left[k]`` or ``right[k]``; a leaf (``left[k] == -1``) adds ``value[k]``."""

    features: tuple[str, ...]
    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    @cached_property
    def _walk(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The arrays the walk reads: each node's two children one after the other (a leaf is
        both its own children, under a threshold every number meets, so a walk that reached it
        stays there), the threshold, and the feature tested."""
        n = self.left.size
        leaf = self.left < 0
        own = np.arange(n)
        children = np.concatenate([np.where(leaf, own, self.left), np.where(leaf, own, self.right)])
        return children, np.where(leaf, np.inf, self.threshold), self.feature

    @cached_property
    def _leaf(self) -> np.ndarray:
        return np.asarray(self.left < 0)

    def margin(self, x: np.ndarray) -> np.ndarray:
        """The log-odds for each row of ``x``."""
        if x.shape[0] == 0:
            return np.zeros(0)
        children, threshold, feature = self._walk
        flat = np.ascontiguousarray(x, dtype=float).ravel()
        row_start = (np.arange(x.shape[0]) * x.shape[1])[:, None]
        nodes = np.broadcast_to(self.roots, (x.shape[0], self.roots.size))
        n = self.left.size
        for _ in range(self.depth):
            if self._leaf[nodes].all():
                break
            # a row goes right unless its value is at most the threshold (NaN goes right)
            goes_right = ~(flat[row_start + feature[nodes]] <= threshold[nodes])
            nodes = children[nodes + n * goes_right]
        return np.asarray(self.baseline + self.value[nodes].sum(axis=1))

    def probability(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(self.margin(x), -30.0, 30.0))))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "baseline": self.baseline, "depth": self.depth,
                "roots": self.roots.tolist(), "feature": self.feature.tolist(), "threshold": self.threshold.tolist(),
                "left": self.left.tolist(), "right": self.right.tolist(), "value": self.value.tolist()}


def trees_from_dict(data: Any, expected: tuple[str, ...], source: str) -> Trees:
    """Trees from their JSON form, every array checked against the others and the feature list."""
    if not isinstance(data, dict):
        raise damaged(source, "a stage is not an object", _FILE.hint)
    try:
        features = tuple(str(f) for f in data["features"])
        baseline = float(data["baseline"])
        roots = np.asarray(data["roots"], dtype=np.int64)
        feature = np.asarray(data["feature"], dtype=np.int64)
        threshold = np.asarray(data["threshold"], dtype=float)
        left = np.asarray(data["left"], dtype=np.int64)
        right = np.asarray(data["right"], dtype=np.int64)
        value = np.asarray(data["value"], dtype=float)
    except (KeyError, TypeError, ValueError) as exc:
        raise damaged(source, exc, _FILE.hint) from exc
    if features != expected:
        raise ModelError(f"{source} was built for other line features than this detente computes", _FILE.hint)
    n = feature.size
    arrays = (feature, threshold, left, right, value)
    if n == 0 or roots.size == 0 or any(a.ndim != 1 or a.size != n for a in arrays) or roots.ndim != 1:
        raise damaged(source, "tree arrays of different lengths", _FILE.hint)
    if not (np.isfinite(threshold).all() and np.isfinite(value).all() and math.isfinite(baseline)):
        raise damaged(source, "numbers that are not finite", _FILE.hint)
    inner = left >= 0
    if ((roots < 0) | (roots >= n)).any() or (left >= n).any() or (right >= n).any() \
            or (inner & (right < 0)).any() or (inner & ((feature < 0) | (feature >= len(expected)))).any():
        raise damaged(source, "a tree points outside its arrays", _FILE.hint)
    # children always follow their parent, so every walk ends within the longest chain of nodes
    if (inner & ((left <= np.arange(n)) | (right <= np.arange(n)))).any():
        raise damaged(source, "a tree node points back up the tree", _FILE.hint)
    feature = np.where(inner, feature, 0)
    depth = int(data.get("depth", 64)) if isinstance(data.get("depth", 64), int) else 64
    return Trees(features, baseline, roots, feature, threshold, left, np.where(inner, right, 0), value,
                 max(1, min(depth, 64)))


@dataclass(frozen=True)
class LineModel:
    """The two stages and the probability above which a line is kept."""

    line: Trees
    context: Trees | None
    threshold: float
    trained_on: tuple[str, ...] = ()

    def probabilities(self, feats: Sequence[LineFeatures], repeated: Sequence[bool],
                      rows: Sequence[int] | None = None) -> np.ndarray:
        """For each line, the probability that it is article text; with ``rows``, for those
        lines only, in that order (the same figures: a line's row reads its neighbours, the
        trees read one row at a time, so only the rows asked for go through the trees)."""
        x = page_features(feats, repeated)
        if self.context is None:
            return self.line.probability(x if rows is None else x[np.asarray(rows, dtype=np.int64)])
        second = self.context.probability(np.hstack([x, context_features(self.line.probability(x))]))
        return second if rows is None else second[np.asarray(rows, dtype=np.int64)]


def _line_model(data: dict[str, Any], source: str) -> LineModel:
    """A LineModel from a line model file's JSON (its format checked by ``ModelFile``)."""
    try:
        threshold = float(data["threshold"])
        line, context = data["line"], data.get("context")
    except (KeyError, TypeError, ValueError) as exc:
        raise damaged(source, exc, _FILE.hint) from exc
    if not 0.0 < threshold < 1.0:
        raise damaged(source, f"threshold {threshold} outside (0, 1)", _FILE.hint)
    second = None if context is None else trees_from_dict(context, PAGE_FEATURES + CONTEXT_FEATURES, source)
    return LineModel(trees_from_dict(line, PAGE_FEATURES, source), second, threshold,
                     tuple(str(t) for t in data.get("trained_on") or ()))


_FILE: ModelFile[LineModel] = ModelFile("detente.extract", LINE_MODEL_FILE, what="line model", fmt=FORMAT,
                                        parse=_line_model, script="scripts/train_line_model.py")


# The model file's readers, as modelfile.ModelFile describes them.
line_model_from_dict = _FILE.from_data
load_line_model = _FILE.load
get_line_model = _FILE.get
set_line_model = _FILE.set
