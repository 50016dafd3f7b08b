"""Line model: which lines of a page are its content, learned from labelled pages.

Every content line gets a probability of being content from a model trained on thousands of
labelled pages (:mod:`cleaner.model.line_model`): its own facts, its neighbours', its place on
the page, the page's own figures, and what the named rules before it marked. Lines under the
page's cut are dropped: on a page of some length, the score where its expected word F1 is
highest given those probabilities (:func:`cleaner.model.line_model.page_cut`); on a short
one, the model's threshold. A run of same-shaped lines (a table's cells, a list's items) whose
mean score is over the cut is kept whole. Each removal carries its score, the cut and the
features that weighed most.
The blocks an HTML page's block model kept (:mod:`cleaner.stages.extract`) are not judged
again: that model read the same line features, with the page's DOM besides.
Where this stage is on, it replaces ``blocks`` (the hand-written classifier); switched off
(``[stages] line_model = false``), ``blocks`` runs instead.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from cleaner.document import DeferredDetail, Document, Span
from cleaner.segment import Segments
from cleaner.settings import StageConfig
from cleaner.stages.base import Settings, Stage, rule, threshold

if TYPE_CHECKING:
    import numpy as np

    from cleaner.model.line_model import LineModel as Model


@dataclass(frozen=True)
class LineModelSettings(Settings):
    min_lines: int = threshold(
        8, "documents with fewer content lines are left to the named rules (the model gains nothing on them)")
    page_words: int = threshold(
        200, "a page of at least this many words is cut where its expected word F1 is highest, given "
             "its lines' scores; a shorter one, whose estimate is unsure, at the model's threshold")
    run_lines: int = threshold(
        3, "a run of at least this many same-shaped lines (a table's cells, a list) whose mean score is "
           "over the cut is kept whole, so that a table does not lose single cells (0: no run is kept whole)")
    # Last: the field's name hides the threshold() helper in the rest of this class body.
    threshold: float | None = threshold(
        None, "drop lines scored under this probability of being content, on every page (default: "
              "each page's own cut, see page_words, or the model's threshold; lower keeps more)")


@rule(thresholds=("threshold",))
def line_model(score: float | np.ndarray, threshold: float) -> bool | np.ndarray:
    """A line the learned model scores under the cut (the page's own, or the threshold): not the page's content.

    >>> line_model(0.12, 0.5), line_model(0.93, 0.5)
    (True, False)
    >>> import numpy as np; line_model(np.array([0.12, 0.93]), 0.5).tolist()  # a page's lines at once
    [True, False]
    """
    return score < threshold


def kept_runs(runs: np.ndarray, scores: np.ndarray, cut: float, least: int) -> np.ndarray:
    """Which lines lie in a run (``runs``: each line's run number, runs in order) of at least
    ``least`` lines whose mean score is at or over ``cut``: such a run is judged as a unit, kept whole.

    >>> import numpy as np
    >>> kept_runs(np.array([0, 1, 1, 1, 2, 2, 2]), np.array([0.1, 0.9, 0.3, 0.8, 0.2, 0.1, 0.6]), 0.5, 3).tolist()
    [False, True, True, True, False, False, False]
    """
    import numpy as np

    length = np.bincount(runs)
    mean = np.bincount(runs, weights=scores) / length
    return ((length >= least) & (mean >= cut))[runs]


def rounded(values: np.ndarray, digits: int) -> list[float]:
    """``round(value, digits)`` of each value, as Python rounds it, for an array at once (the
    built-in rounds through a decimal conversion, about a microsecond a number).

    The value scaled by ``10 ** digits``, rounded to an integer (ties to even) and scaled back
    is the built-in's result wherever the scaled product is not within its rounding error of
    a tie: the division is rounded to the nearest double, as the built-in's conversion is.
    Near a tie (and for huge or non-finite values) the built-in decides.

    >>> import numpy as np
    >>> values = [0.12345, 0.5, 2.675, 0.0625, -0.0004, 1.0005]
    >>> rounded(np.array(values), 3) == [round(v, 3) for v in values], rounded(np.array(values), 3)
    (True, [0.123, 0.5, 2.675, 0.062, -0.0, 1.0])
    """
    import numpy as np

    scale = 10.0 ** digits
    with np.errstate(over="ignore", invalid="ignore"):  # (huge and non-finite values go to the built-in)
        scaled = values * scale
        out: list[float] = (np.rint(scaled) / scale).tolist()
        # (a comparison with NaN is false: a NaN is left to the built-in too)
        unsure = ~((np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6) & (np.abs(scaled) < 1e9))
    for i in np.flatnonzero(unsure).tolist():
        out[i] = round(float(values[i]), digits)
    return out


class LineModel(Stage):
    name = "line_model"
    description = ("Learned line model (boosted trees over each line's facts, its neighbours, its place "
                   "on the page and the rules' hits, in two passes): drops the lines that are not content "
                   "(not over the blocks an HTML page's block model kept: it judged them already).")
    rules = (line_model,)
    settings = LineModelSettings

    def __init__(self, config: StageConfig, model: Model | None = None):
        super().__init__(config)
        self._model = model

    @property
    def model(self) -> Model:
        if self._model is None:
            from cleaner.model.line_model import default_model

            self._model = default_model()
        return self._model

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        lines = segments.content
        if len(lines) < self.t.min_lines or not self.on("line_model") or doc.meta.get("extractor") == "blocks":
            return []
        import numpy as np

        from cleaner.model.features import line_features_and_runs
        from cleaner.model.line_model import cut_of

        model = self.model
        x, runs = line_features_and_runs(segments, marks or (), model.lexicon)
        scores, leaves = model.scored(x)
        cut = self.t.threshold
        if cut is None:
            cut = cut_of(x, scores, model.threshold, self.t.page_words)
        drop = line_model(scores, cut)  # the rule, over every line at once
        if self.t.run_lines:
            drop &= ~kept_runs(runs, scores, cut, self.t.run_lines)
        drop[list(_fully_marked(segments, marks or ()))] = False
        dropped = np.flatnonzero(drop)
        if not len(dropped):
            return []
        # The features that weighed most are worked out when a detail is first read (where a
        # log is kept), for all the page's dropped lines at once.
        dropped_lines = list(map(lines.__getitem__, dropped.tolist()))
        reasons = Reasons(model, x, dropped, leaves, dropped_lines)
        at, name = round(float(cut), 3), self.name
        # One span per dropped line, made directly (a page dump has hundreds).
        return [Span(line.start, line.end, name, "line_model", "drop", "",
                     Explained({"score": score, "threshold": at}, reasons, k))
                for k, (line, score) in enumerate(zip(dropped_lines, rounded(scores[dropped], 3)))]


class Explained(DeferredDetail):
    """The detail of one dropped line (or block): its score, and the features that weighed
    most, added when first read (``reasons.of(k)``). One object a line where a
    :class:`DeferredDetail` with a fill function of its own takes two, which a page dump
    with hundreds of removals feels in allocation and garbage collection."""

    __slots__ = ("_k",)

    def __init__(self, data: dict[str, Any], reasons: Reasons, k: int):
        dict.__init__(self, data)  # (not super(): no object made for the call)
        self._fill = reasons
        self._k = k

    def _entries(self, fill: Any) -> dict[str, Any]:
        return fill.of(self._k)  # type: ignore[no-any-return]


class Reasons:
    """The first-pass features that moved the score of each dropped line (or block) of one page most
    (:meth:`LineModel.reasons <cleaner.model.line_model.LineModel.reasons>`), worked out for
    every line the first time one is asked for. Where the line's word weights are among them,
    the words weighed most toward chrome come too (``chrome_words``), read from the ``.text``
    of ``dropped`` (the dropped lines or blocks, in order)."""

    def __init__(self, model: Model, x: np.ndarray, rows: np.ndarray, leaves: np.ndarray,
                 dropped: Sequence[Any] = ()):
        self._args: tuple[Any, ...] | None = (model, x, rows, leaves)
        self._reasons: list[list[tuple[str, float]]] = []
        self._model = model
        self._dropped = dropped

    def of(self, k: int) -> dict[str, Any]:
        """The ``features`` (and ``chrome_words``) entries of the ``k``-th dropped line's detail."""
        if self._args is not None:
            model, x, rows, leaves = self._args
            self._reasons = model.reasons(x, rows, leaves=leaves)
            self._args = None  # the page's features are no longer needed
        entry: dict[str, Any] = {"features": dict(self._reasons[k])}
        if k < len(self._dropped) and any(name.startswith(_WORD_WEIGHTS) for name, _ in self._reasons[k]):
            words = self._model.lexicon.chrome_words(self._dropped[k].text)
            if words:
                entry["chrome_words"] = words
        return entry


# The features that read the line's own word weights (their window means included).
_WORD_WEIGHTS = ("word_weight", "words_weighed")


def _fully_marked(segments: Segments, marks: Sequence[Span]) -> set[int]:
    """Content lines (by their index in ``segments.content``) that earlier marks cover whole.

    Each mark is looked up among the lines' starts (a page has fewer marks than lines)."""
    out: set[int] = set()
    lines, starts = segments.lines, segments.line_starts
    for span in marks:
        line = lines[bisect_right(starts, span.start) - 1]  # the line the mark starts in
        if line.start == span.start and span.end >= line.end and not line.blank:
            out.add(line.row)
    return out
