"""The learned line model: two passes of boosted trees over a document's content lines.

The first pass scores each line from its features (:func:`cleaner.model.features.line_features`);
the second reads those scores along the page (:func:`cleaner.model.features.score_features`)
and gives the final probability that the line is content. A line whose probability is under
the threshold is dropped by the ``line_model`` stage. The word weights the features read
(:mod:`cleaner.model.lexicon`) are learned with the trees and kept in the same file.

The model file (``line_model.npz`` beside this module) is built by ``make model``
(``bench/train_model.py``) from the labelled sets in ``../shared/data``; it records the feature
names it was trained with, and is refused when they differ from this code's.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from cleaner.model.features import FEATURES, INDEX, SECOND_PASS, score_features
from cleaner.model.lexicon import Lexicon
from cleaner.model.trees import Trees

MODEL_FILE = Path(__file__).with_name("line_model.npz")
# Another model file, for trying a retrained model without installing it (bench/quality_sets.py).
MODEL_ENV = "CLEANER_LINE_MODEL"


class ModelError(RuntimeError):
    """A model file that is missing or was trained with other features."""


def _sigmoid(raw: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-raw))


def page_cut(scores: np.ndarray, words: np.ndarray) -> float:
    """The score at which to cut one page so that its expected word F1 is highest.

    Each line is content with its probability ``scores`` and holds ``words`` tokens (at
    least one). Keeping the ``k`` best-scored lines has an expected word F1 of about
    ``2 * sum(p * w over the kept) / (sum(w over the kept) + sum(p * w over all))``; the
    cut is the score of the last line kept at the best ``k`` (lines scored at or over it are
    kept). A page the model is sure of is cut high, near half its expected F1, so that less
    chrome stays; a page it is unsure of, low, so that its content is not lost.

    >>> page_cut(np.array([0.9, 0.8, 0.2, 0.1]), np.array([10, 10, 10, 10]))
    0.8
    >>> page_cut(np.array([0.4, 0.35, 0.3, 0.05]), np.array([10, 10, 10, 10]))  # unsure: keep more
    0.3
    """
    order = np.argsort(-scores, kind="stable")
    weights = np.maximum(words, 1.0)[order]
    ranked = scores[order]
    kept = np.cumsum(ranked * weights)
    expected = 2.0 * kept / (np.cumsum(weights) + kept[-1])
    return float(ranked[int(np.argmax(expected))])


def cut_of(x: np.ndarray, scores: np.ndarray, threshold: float, page_words: int) -> float:
    """The cut of one page whose lines have the feature rows ``x`` and these scores: its
    :func:`page_cut` when the lines hold ``page_words`` words or more, else ``threshold``.

    >>> x = np.zeros((4, len(FEATURES))); x[:, INDEX["log_words"]] = np.log1p(10)
    >>> cut_of(x, np.array([0.9, 0.8, 0.2, 0.1]), 0.5, 40), cut_of(x, np.array([0.9, 0.8, 0.2, 0.1]), 0.5, 200)
    (0.8, 0.5)
    """
    words = np.maximum(np.expm1(np.asarray(x[:, INDEX["log_words"]], dtype=np.float64)), 1.0)
    return page_cut(scores, words) if words.sum() >= page_words else threshold


@dataclass(frozen=True)
class LineModel:
    # The names of the columns each pass reads, recorded in the model file.
    FIRST: ClassVar[tuple[str, ...]] = FEATURES
    SECOND: ClassVar[tuple[str, ...]] = SECOND_PASS
    # The second-pass columns a line's score may only rise with (monotone constraints in
    # training): the first pass's scores of the line and of the lines around it. The trees learn
    # how much a neighbour's score counts, never that it counts against the line. Not the page's
    # rank or share columns, which say where the line stands on its page.
    RISING_SECOND: ClassVar[tuple[str, ...]] = tuple(
        n for n in SECOND_PASS if n.startswith("score") and n not in ("score_to_page", "score_rank"))

    first: Trees
    second: Trees
    threshold: float          # the default decision threshold, tuned in training
    info: str = ""            # what it was trained on and the figures it reached
    lexicon: Lexicon = Lexicon()  # the word weights its features read (learned with it)

    def first_scores(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(self.first.raw(x))

    def scores(self, x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Probability that each line (a row of features) is content."""
        return self.scored(x, groups)[0]

    def scored(self, x: np.ndarray, groups: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`scores`, and the leaves the rows reach in the first pass's trees (trees x
        rows), from which :meth:`reasons` reads the features that weighed most. ``groups``: how
        the rows belong together, for a model whose :meth:`second_input` reads it."""
        if x.shape[0] == 0:
            return np.zeros(0), np.zeros((len(self.first.roots), 0), dtype=np.intp)
        leaves = self.first.leaves(x)
        first = _sigmoid(self.first.raw_of(leaves))
        return _sigmoid(self.second.raw(self.second_input(first, x, groups))), leaves

    @staticmethod
    def second_input(scores: np.ndarray, x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """What the second pass reads: the first pass's scores along the page, and some of ``x``."""
        return score_features(scores, x)

    def reasons(self, x: np.ndarray, rows: np.ndarray, top: int = 3,
                leaves: np.ndarray | None = None) -> list[list[tuple[str, float]]]:
        """For the given rows, the first-pass features that moved the score most (signed);
        ``leaves``, from :meth:`scored`, saves walking the trees again."""
        if leaves is None:
            contrib = self.first.contributions(x[rows])
        else:
            contrib = self.first.contributions_of(leaves[:, rows], x.shape[1])
        order = np.argsort(-np.abs(contrib), axis=1)[:, :top]
        moved = np.take_along_axis(contrib, order, axis=1)
        return [[(self.FIRST[j], round(value, 2)) for j, value in zip(columns, values) if value]
                for columns, values in zip(order.tolist(), moved.tolist())]

    def save(self, path: Path) -> None:
        np.savez_compressed(path, **self.to_arrays())

    def to_arrays(self) -> dict[str, Any]:
        return {**self.first.arrays("first_"), **self.second.arrays("second_"),
                "threshold": np.array(self.threshold), "info": np.array(self.info),
                "features": np.array(self.FIRST), "second_features": np.array(self.SECOND),
                **self.lexicon.to_arrays()}

    @classmethod
    def from_arrays(cls, arrays: Any) -> Self:
        return cls(Trees.from_arrays(arrays, "first_"), Trees.from_arrays(arrays, "second_"),
                   float(arrays["threshold"]), str(arrays["info"]), Lexicon.from_arrays(arrays))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Self:
        try:
            arrays = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the model {path}: {exc} (rebuild it with `make model`)") from exc
        with arrays:
            if tuple(arrays["features"]) != cls.FIRST or tuple(arrays["second_features"]) != cls.SECOND:
                raise ModelError(f"the model {path} was trained with other features: rebuild it with `make model`")
            try:
                return cls.from_arrays(arrays)
            except (KeyError, ValueError) as exc:
                raise ModelError(f"the model {path} lacks {exc}: rebuild it with `make model`") from None


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    """The model shipped with the package (or the file ``$CLEANER_LINE_MODEL`` names), read
    once per process."""
    return LineModel.load(Path(os.environ.get(MODEL_ENV) or MODEL_FILE))
