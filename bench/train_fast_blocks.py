#!/usr/bin/env python3
"""Train the fast block model (HTML in, without trafilatura) and write cleaner/model/block_model_fast.npz.

    make model                                  # every model; this one alone:
    python bench/train_fast_blocks.py           # train on the training parts, print figures
    python bench/train_fast_blocks.py --hold-out-tuning --out /tmp/fast.npz

The same rows as bench/train_blocks.py's, with trafilatura's extraction left empty on every
page, and no page model: it decides the blocks where html mode does not run trafilatura
(``[thresholds.extract] trafilatura_vote = false``, ``--extractor fast``). The validation
figures are html mode's so (bench/quality_sets.py --modes html --fast). The options are
bench/train_blocks.py's. Needs the `train` extra (lightgbm).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_blocks  # noqa: E402
import train_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from cleaner.model.block_model import FAST_MODEL_FILE

    return train_model.run(argv, __doc__, FAST_MODEL_FILE, partial(train_blocks.build_rows, extraction=False),
                           partial(train_blocks.train, page_model=False), ["--modes", "html", "--fast", "--block-model"])


if __name__ == "__main__":
    sys.exit(main())
