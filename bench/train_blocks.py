#!/usr/bin/env python3
"""Train the block model (HTML in) from the labelled sets and write cleaner/model/block_model.npz.

    make model                                  # both models; the block model alone:
    python bench/train_blocks.py                # train on the training parts, print figures
    python bench/train_blocks.py --out /tmp/b.npz --rounds 200

Every training page of ../shared/data is parsed and walked into blocks (cleaner/io/dom.py);
each block gets the same feature row as at inference (cleaner/stages/extract.py
``block_rows``: the line features of its text with the named rules' marks, and its DOM facts,
among them whether trafilatura's extraction holds it) and a label from aligning it with the
gold text or the snippets (cleaner/model/labels.py). The validation part (sha256(id) % 4 == 0,
bench/_sets.py) is never read here except to report its figures at the end, through the real
pipeline (bench/quality_sets.py --modes html).

Two passes, out-of-fold, and the threshold that maximises the training pages' out-of-fold
word F1, as for the line model (bench/train_model.py). Needs the `train` extra (lightgbm).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data  # noqa: E402
import _sets  # noqa: E402
import train_model  # noqa: E402
from train_model import FIRST, FOLDS, SECOND, Rows  # noqa: E402

CHOOSER = {**FIRST, "num_leaves": 7, "max_depth": 3, "min_data_in_leaf": 20, "learning_rate": 0.05}
CHOOSER_ROUNDS = 100


@dataclass
class BlockRows(Rows):
    """A page's rows, with its blocks' tokens as ids (the gold text's words first, as counted)."""

    ids: list[np.ndarray] = field(default_factory=list)
    gold_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    page: Any = None           # the walked page (cleaner.io.dom.Page)
    extracted_f1: float = 0.0  # word F1 of trafilatura's extraction


def _rows(task: tuple) -> BlockRows | None:
    from cleaner.io.dom import dom_blocks, parse
    from cleaner.model.labels import align
    from cleaner.model.score import bag, tokens
    from cleaner.stages.extract import block_rows

    key, set_name, html, extracted, gold, with_, without = task
    try:
        page = dom_blocks(parse(html))
    except (ValueError, TypeError, RecursionError):
        return None
    if not page.blocks:
        return None
    lines = [block.text for block in page.blocks]
    x = block_rows(page, extracted, train_model._pipeline().rule_marks).astype(np.float32)
    y = np.array(align(lines, gold, with_, without, train_model.page_title(html)), dtype=np.int8)
    gold_bag = bag(gold)
    toks = [tokens(line) for line in lines]
    rows = BlockRows(key, set_name, x, y, np.array([len(t) for t in toks]),
                np.array([sum(1 for w in t if w in gold_bag) for t in toks]), sum(gold_bag.values()))
    # Token ids (the gold text's words first) for the exact page F1 of any set of kept blocks.
    vocab = {w: i for i, w in enumerate(gold_bag)}
    rows.ids = [np.array([vocab.setdefault(w, len(vocab)) for w in t], dtype=np.int32) for t in toks]
    rows.gold_counts = np.array(list(gold_bag.values()), dtype=np.int32)
    rows.page = page
    rows.extracted_f1 = _sets.word_f1(extracted, gold).f1 if gold else 0.0
    return rows


def f1_curve(rows: BlockRows, scores: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The page's word F1 (as WCXB scores it) when the blocks scored at least each threshold of
    ``grid`` are kept: blocks added in order of score, overlap counted token by token."""
    gold = rows.gold_counts
    counts = np.zeros(max((int(ids.max()) + 1 for ids in rows.ids if len(ids)), default=0) + len(gold), dtype=np.int32)
    order = np.argsort(-scores, kind="stable")
    out = overlap = j = 0
    f1 = np.zeros(len(grid))
    for k in np.argsort(-grid):
        while j < len(order) and scores[order[j]] >= grid[k]:
            for token in rows.ids[order[j]].tolist():
                if token < len(gold) and counts[token] < gold[token]:
                    overlap += 1
                counts[token] += 1
            out += len(rows.ids[order[j]])
            j += 1
        p, r = (overlap / out if out else 0.0), overlap / rows.gold_tokens
        f1[k] = 2 * p * r / (p + r) if p + r else 0.0
    return f1


def mean_f1(rows: list[BlockRows], scores: list[np.ndarray], grid: np.ndarray) -> np.ndarray:
    """Mean over the sets with gold text of the mean page word F1, at each threshold of ``grid``."""
    by_set: dict[str, list[np.ndarray]] = {}
    for r, s in zip(rows, scores):
        if r.gold_tokens:
            by_set.setdefault(r.set, []).append(f1_curve(r, s, grid))
    return np.mean([np.mean(curves, axis=0) for curves in by_set.values()], axis=0)


def build_rows(pages: list[_sets.SetPage], workers: int, log) -> list[Rows]:
    extracted = _sets.derive(pages, ["trafilatura"], workers=workers)["trafilatura"]
    tasks = [(f"{p.set}/{p.id}/html", p.set, p.html, extracted.get(p.id, ""), p.gold, p.with_, p.without)
             for p in pages]
    start = time.perf_counter()
    rows = [r for r in _data.pool_map(_rows, tasks, workers, chunksize=4) if r is not None]
    log(f"features of {len(rows)} pages in {time.perf_counter() - start:.0f}s")
    return rows


def train(rows: list[Rows], rounds: int, log):
    from cleaner.model.block_model import BlockModel
    from cleaner.model.trees import Trees

    xs = [r.x for r in rows]
    log(f"pass 1: {sum(len(r.y) for r in rows)} blocks, {sum(int((r.y >= 0).sum()) for r in rows)} labelled")
    oof1 = train_model._out_of_fold(rows, xs, FIRST, rounds)
    xs2 = [BlockModel.second_input(s, x).astype(np.float32) for s, x in zip(oof1, xs)]
    oof2 = train_model._out_of_fold(rows, xs2, SECOND, rounds // 2)
    grid = np.round(np.arange(0.1, 0.91, 0.025), 3)
    curve = mean_f1(rows, oof2, grid)
    figures = {float(t): float(f) for t, f in zip(grid, curve)}
    threshold = max(figures, key=figures.get)
    log("out-of-fold mean word F1 of the blocks kept (training part, wcxb-dev and fundus): pass 1 at 0.5 "
        f"{mean_f1(rows, oof1, np.array([0.5]))[0]:.4f}; pass 2 at 0.5 {figures.get(0.5, 0):.4f}, "
        f"at the best threshold {threshold} {figures[threshold]:.4f}")
    chooser = train_chooser(rows, oof2, threshold, log)
    first = train_model._fit(*train_model._stack(rows, xs), FIRST, rounds)
    second = train_model._fit(*train_model._stack(rows, xs2), SECOND, rounds // 2)
    info = (f"trained on the training parts of {', '.join(_sets.SETS)} ({len(rows)} pages); "
            f"out-of-fold word F1 {figures[threshold]:.4f} at threshold {threshold}")
    return BlockModel(Trees.from_lightgbm(first.dump_model()), Trees.from_lightgbm(second.dump_model()),
                      threshold, info, Trees.from_lightgbm(chooser.dump_model()))


def train_chooser(rows: list[BlockRows], scores: list[np.ndarray], threshold: float, log):
    """The page model: from page_features of each training page's out-of-fold scores, whether
    trafilatura's extraction scores better than the blocks kept (weighted by how much)."""
    from cleaner.model.block_features import page_features
    from cleaner.model.block_model import WIDTH

    data = [(r, s) for r, s in zip(rows, scores) if r.gold_tokens]
    x = np.vstack([page_features(r.page, r.x, s, s >= threshold, WIDTH) for r, s in data])
    blocks = np.array([f1_curve(r, s, np.array([threshold]))[0] for r, s in data])
    extracted = np.array([r.extracted_f1 for r, _ in data])
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
