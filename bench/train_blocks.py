#!/usr/bin/env python3
"""Train the block model (HTML in) from the labelled sets and write cleaner/model/block_model.npz.

    make model                                  # both models; the block model alone:
    python bench/train_blocks.py                # train on the training parts, print figures
    python bench/train_blocks.py --out /tmp/b.npz --rounds 200

Every training page of ../shared/data is parsed and walked into blocks (cleaner/io/dom.py);
each block gets the same feature row as at inference (cleaner/stages/extract.py
``block_rows``: the line features of its text with the named rules' marks, and its DOM facts,
among them whether trafilatura's extraction holds it) and a label from aligning it with the
gold text or the snippets (cleaner/model/labels.py, ``surplus=False``: a block the page's word
F1 is better without, such as a second copy of a paragraph, is chrome; the page's headline is
judged as every other block). The validation part (sha256(id) % 4 == 0, bench/_sets.py) is
never read here except to report its figures at the end, through the real pipeline
(bench/quality_sets.py --modes html).

Two passes, out-of-fold, with word weights learned from the blocks' labels as the line model
learns its own (bench/train_model.py), and the threshold that maximises the training pages'
out-of-fold word F1. Then the page model, which takes trafilatura's extraction instead of the
blocks kept where that scores better once the text stages have cleaned both (the line model
among them for trafilatura's extraction only, as in html mode): it reads the line model in use,
so `make model` trains the line model first. Needs the `train` extra (lightgbm).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data  # noqa: E402
import _sets  # noqa: E402
import train_model  # noqa: E402
from train_model import FIRST, FOLDS, SECOND, Rows, mean_f1, token_ids  # noqa: E402

CHOOSER = {**FIRST, "num_leaves": 7, "max_depth": 3, "min_data_in_leaf": 20, "learning_rate": 0.05}
CHOOSER_ROUNDS = 100
# One page in this many is shown to the trees with no word weights (as train_model.LEXICON_DROPOUT
# does for lines); 0: none. The block model has the DOM and trafilatura's vote besides the words,
# and on the tuning part one page in four without weights did no better (html -0.001 to -0.006).
BLOCK_LEXICON_DROPOUT = 0


@dataclass
class BlockRows(Rows):
    """A page's rows, with the walked page, trafilatura's extraction and the gold text."""

    page: Any = None           # the walked page (cleaner.io.dom.Page)
    extracted: str = ""        # trafilatura's extraction
    gold: str = ""             # the gold text ("" for a set of snippets)


def _rows(task: tuple) -> BlockRows | None:
    from cleaner.io.dom import dom_blocks, parse
    from cleaner.model.labels import align
    from cleaner.model.score import bag, tokens
    from cleaner.document import Document
    from cleaner.lines import Lines
    from cleaner.model.features import word_codes
    from cleaner.segment import Segments
    from cleaner.stages.extract import block_rows, layout

    key, set_name, html, extracted, gold, with_, without = task
    try:
        page = dom_blocks(parse(html))
    except (ValueError, TypeError, RecursionError):
        return None
    if not page.blocks:
        return None
    lines = [block.text for block in page.blocks]
    x = block_rows(page, extracted, train_model._pipeline().rule_marks).astype(np.float32)
    # No title: the page's headline is judged as every other block, by the gold text, which
    # leaves it out on almost every page (as trafilatura's text does); the line model's labels
    # keep it (the seed and text mode's fixtures expect it).
    y = np.array(align(lines, gold, with_, without, surplus=False), dtype=np.int8)
    gold_bag = bag(gold)
    toks = [tokens(line) for line in lines]
    words, codes, per_line = word_codes(Lines.of(Segments(Document(layout(page)).text)).tokens)
    ids, gold_counts = token_ids(toks, gold_bag)
    rows = BlockRows(key, set_name, x, y, np.array([len(t) for t in toks]), sum(gold_bag.values()),
                     words, codes.astype(np.int32), per_line.astype(np.int32), ids, gold_counts)
    rows.page, rows.extracted, rows.gold = page, extracted, gold
    return rows


def build_rows(pages: list[_sets.SetPage], workers: int, log, extraction: bool = True) -> list[Rows]:
    """Every page's rows; ``extraction`` false: trafilatura's extraction left empty on every page
    (the fast block model's rows, as html mode reads a page without trafilatura's vote)."""
    extracted = _sets.derive(pages, ["trafilatura"], workers=workers)["trafilatura"] if extraction else {}
    tasks = [(f"{p.set}/{p.id}/html", p.set, p.html, extracted.get(p.id, ""), p.gold, p.with_, p.without)
             for p in pages]
    start = time.perf_counter()
    rows = [r for r in _data.pool_map(_rows, tasks, workers, chunksize=4) if r is not None]
    log(f"features of {len(rows)} pages in {time.perf_counter() - start:.0f}s")
    return rows


def train(rows: list[Rows], rounds: int, log, page_model: bool = True):
    from cleaner.model.block_features import tree_groups
    from cleaner.model.block_model import BlockModel
    from cleaner.model.trees import Trees

    lexicon = train_model.learn_lexicon(rows, log, BLOCK_LEXICON_DROPOUT)
    xs = [r.x for r in rows]
    log(f"pass 1: {sum(len(r.y) for r in rows)} blocks, {sum(int((r.y >= 0).sum()) for r in rows)} labelled")
    oof1 = train_model._out_of_fold(rows, xs, FIRST, rounds)
    xs2 = [BlockModel.second_input(s, r.x, tree_groups(r.page)).astype(np.float32) for s, r in zip(oof1, rows)]
    oof2 = train_model._out_of_fold(rows, xs2, SECOND, rounds // 2)
    grid = np.round(np.arange(0.1, 0.91, 0.025), 3)
    curve = mean_f1(rows, oof2, grid)
    figures = {float(t): float(f) for t, f in zip(grid, curve)}
    threshold = max(figures, key=figures.get)
    log("out-of-fold mean word F1 of the blocks kept (training part, wcxb-dev and fundus): pass 1 at 0.5 "
        f"{mean_f1(rows, oof1, np.array([0.5]))[0]:.4f}; pass 2 at 0.5 {figures.get(0.5, 0):.4f}, "
        f"at the best threshold {threshold} {figures[threshold]:.4f}")
    chooser = train_chooser(rows, oof2, threshold, log) if page_model else None
    first = train_model._fit(*train_model._stack(rows, xs), FIRST, rounds)
    second = train_model._fit(*train_model._stack(rows, xs2), SECOND, rounds // 2)
    info = (f"trained on the training parts of {train_model.sets_of(rows)} ({len(rows)} pages); "
            f"out-of-fold word F1 {figures[threshold]:.4f} at threshold {threshold}")
    return BlockModel(Trees.from_lightgbm(first.dump_model()), Trees.from_lightgbm(second.dump_model()),
                      threshold, info, lexicon, Trees.from_lightgbm(chooser.dump_model()) if chooser else None)


def kept_text(page, keep: np.ndarray) -> str:
    """The text of a page's blocks kept, laid out as the extraction lays out the page's blocks."""
    from dataclasses import replace

    from cleaner.stages.extract import page_text

    return page_text(replace(page, blocks=[b for b, kept in zip(page.blocks, keep.tolist()) if kept]))[0]


def _cleaned(task: tuple[str, bool]) -> str:
    """A candidate as the text stages leave it (a process pool's task): the blocks kept
    (``blocks``) without the line model, as html mode cleans them, trafilatura's extraction with it."""
    from cleaner import Config, clean

    text, blocks = task
    if not text.strip():
        return ""
    return clean(text, Config(stages={"line_model": False, "blocks": False}) if blocks else None).text


def train_chooser(rows: list[BlockRows], scores: list[np.ndarray], threshold: float, log):
    """The page model: from page_features of each training page's out-of-fold scores, whether
    trafilatura's extraction scores better than the blocks kept (weighted by how much), each
    as the text stages leave it: they run after either, with the line model in use (the
    shipped one, or CLEANER_LINE_MODEL; `make model` trains it first) after the extraction."""
    from cleaner.model.block_features import page_features
    from cleaner.model.block_model import WIDTH

    data = [(r, s) for r, s in zip(rows, scores) if r.gold_tokens]
    x = np.vstack([page_features(r.page, r.x, s, s >= threshold, WIDTH) for r, s in data])
    tasks = [(kept_text(r.page, s >= threshold), True) for r, s in data] + [(r.extracted, False) for r, _ in data]
    start = time.perf_counter()
    cleaned = _data.pool_map(_cleaned, tasks, _data.WORKERS, chunksize=8)
    log(f"both candidates of {len(data)} pages cleaned in {time.perf_counter() - start:.0f}s")
    blocks = np.array([_sets.word_f1(text, r.gold).f1 for text, (r, _) in zip(cleaned, data)])
    extracted = np.array([_sets.word_f1(text, r.gold).f1 for text, (r, _) in zip(cleaned[len(data):], data)])
    y = (extracted > blocks).astype(np.int8)
    w = np.abs(extracted - blocks) + 1e-3
    sets = np.array([r.set for r, _ in data])
    for name in np.unique(sets):  # each set weighs the same
        w[sets == name] *= len(sets) / (len(np.unique(sets)) * (sets == name).sum())
    folds = np.arange(len(data)) % FOLDS
    chosen = np.zeros(len(data))
    for fold in range(FOLDS):
        booster = train_model._fit(x[folds != fold], y[folds != fold], w[folds != fold], CHOOSER, CHOOSER_ROUNDS)
        chosen[folds == fold] = booster.predict(x[folds == fold])
    final = np.where(chosen > 0.5, extracted, blocks)
    for name in np.unique(sets):
        at = sets == name
        log(f"page model, out-of-fold, {name}: blocks {blocks[at].mean():.4f}, trafilatura {extracted[at].mean():.4f}, "
            f"chosen {final[at].mean():.4f} (trafilatura on {int((chosen[at] > 0.5).sum())} of {int(at.sum())} pages; "
            f"best of both {np.maximum(blocks, extracted)[at].mean():.4f})")
    return train_model._fit(x, y, w, CHOOSER, CHOOSER_ROUNDS)


def main(argv: list[str] | None = None) -> int:
    from cleaner.model.block_model import MODEL_FILE

    return train_model.run(argv, __doc__, MODEL_FILE, build_rows, train, ["--modes", "html", "--block-model"])


if __name__ == "__main__":
    sys.exit(main())
