"""The block model: the line model's two passes over an HTML page's blocks, with their DOM facts.

The first pass reads each block's line features and DOM features
(:mod:`cleaner.model.block_features`); the second reads the first pass's scores along the
page and around each block in the tree (its ancestors' blocks, its peers of the same shape), a
few line facts and a few DOM facts. A block scored under the threshold is left out of
the extracted text. A third model, per page, reads how the blocks kept compare with
trafilatura's extraction and says when the extraction is the better text (pages of a kind
where trafilatura is right and the blocks keep too much, or too little).

Built by ``make model`` (``bench/train_blocks.py``) into ``block_model.npz`` beside this
module; ``$CLEANER_BLOCK_MODEL`` names another file. A second model, trained on the same rows
with trafilatura's extraction left empty on every page and without the page model
(``bench/train_fast_blocks.py``), decides the blocks where trafilatura is not
run (``[thresholds.extract] trafilatura_vote = false``): ``block_model_fast.npz``, or the file
``$CLEANER_FAST_BLOCK_MODEL`` names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from cleaner.io.dom import Page
from cleaner.model.block_features import (CARRIED, DOM_FEATURES, PAGE_FEATURES, TREE_CONTEXT, carried,
                                          page_features, tree_context)
from cleaner.model.features import FEATURES, SECOND_PASS, score_features
from cleaner.model.lexicon import Lexicon
from cleaner.model.line_model import LineModel, _sigmoid
from cleaner.model.trees import Trees

MODEL_FILE = Path(__file__).with_name("block_model.npz")
MODEL_ENV = "CLEANER_BLOCK_MODEL"
FAST_MODEL_FILE = Path(__file__).with_name("block_model_fast.npz")
FAST_MODEL_ENV = "CLEANER_FAST_BLOCK_MODEL"
WIDTH = len(FEATURES)  # the line features come first in a row, the DOM features after them


@dataclass(frozen=True)
class BlockModel(LineModel):
    FIRST: ClassVar[tuple[str, ...]] = (*FEATURES, *DOM_FEATURES)
    SECOND: ClassVar[tuple[str, ...]] = (*SECOND_PASS, *CARRIED, *TREE_CONTEXT)
    # The block model's trees are free: monotone constraints, on both passes or on the second
    # alone, were measured for it and not kept (bench/EXPERIMENTS.md).
    RISING_SECOND: ClassVar[tuple[str, ...]] = ()

    # The page model: from how the blocks kept compare with trafilatura's extraction
    # (:func:`page_features`), the probability that trafilatura's extraction is the better one.
    chooser: Trees | None = None

    @staticmethod
    def second_input(scores: np.ndarray, x: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """The line model's second-pass input, a few DOM facts, and the scores of the blocks that
        share an ancestor or a shape with each block (``groups``: :func:`tree_groups`)."""
        if groups is None:
            raise ValueError("the block model's second pass reads the page's tree_groups")
        return np.hstack([score_features(scores, x[:, :WIDTH]), carried(x[:, WIDTH:]),
                          tree_context(scores, x, groups)])

    def prefers_extracted(self, page: Page, x: np.ndarray, scores: np.ndarray, keep: np.ndarray) -> float:
        """Probability that trafilatura's extraction of the page beats the blocks kept."""
        if self.chooser is None:
            return 0.0
        return float(_sigmoid(self.chooser.raw(page_features(page, x, scores, keep, WIDTH)))[0])

    def to_arrays(self) -> dict[str, Any]:
        arrays = super().to_arrays()
        if self.chooser is not None:
            arrays.update(self.chooser.arrays("chooser_"), page_features=np.array(PAGE_FEATURES))
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Any) -> "BlockModel":
        chooser = None
        if "page_features" in arrays:
            if tuple(arrays["page_features"]) != PAGE_FEATURES:
                raise ValueError("the page features of this code")
            chooser = Trees.from_arrays(arrays, "chooser_")
        return cls(Trees.from_arrays(arrays, "first_"), Trees.from_arrays(arrays, "second_"),
                   float(arrays["threshold"]), str(arrays["info"]), Lexicon.from_arrays(arrays), chooser)


@lru_cache(maxsize=2)
def default_block_model(fast: bool = False) -> BlockModel:
    """The block model shipped with the package (or the file ``$CLEANER_BLOCK_MODEL`` names);
    ``fast``: the one trained without trafilatura's extraction (``$CLEANER_FAST_BLOCK_MODEL``)."""
    if fast:
        return BlockModel.load(Path(os.environ.get(FAST_MODEL_ENV) or FAST_MODEL_FILE))
    return BlockModel.load(Path(os.environ.get(MODEL_ENV) or MODEL_FILE))
