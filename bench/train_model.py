#!/usr/bin/env python3
"""Train the line model from the labelled sets and write cleaner/model/line_model.npz.

    make model                                  # the same as:
    python bench/train_model.py                 # train on the training parts, print figures
    python bench/train_model.py --out /tmp/m.npz --rounds 200

Every page of ../shared/data is fed three times: as two full-page text dumps made by different
tools (html-text and inscriptis, so that the model learns lines rather than one dumper's
layout) and as trafilatura's output. Each input runs through the cleaner's detection stages up to the line
model (so the named rules' marks are features, exactly as at inference), its content lines get
features (cleaner/model/features.py) and labels from aligning them with the gold text or the
snippets (cleaner/model/labels.py). Only the training part of each set is used: the validation
part (sha256(id) % 4 == 0, bench/_sets.py) is never read here except to report its figures
at the end, through the real pipeline (the same code as bench/quality.py --sets).

The word weights the features read (cleaner/model/lexicon.py) are learned from the same
labels: each input reads weights learned without its page's fold, one page in four none at
all, and the model file keeps the weights learned from every training page.

Two passes: LightGBM on the line features, then LightGBM on the first pass's out-of-fold
scores along the page, where a line's score may only rise with the first pass's scores of it and
of the lines around it (monotone constraints on the columns ``LineModel.RISING_SECOND`` names).
The threshold, which the stage applies to pages under page_words words (longer ones are cut at
their own expected F1), is the one that maximises the mean page word F1 (exact, as the benchmark
counts words) of those training inputs' out-of-fold scores. The log also gives, per set and
input, the out-of-fold figure at the cut the stage would give each input (the mean page word F1;
on dev-pages the snippet F1 of the kept lines): with --hold-out-tuning, a second measure of a
change beside the tuning part, over twice its pages.
Needs the `train` extra (lightgbm, html-text, inscriptis).
"""

from __future__ import annotations

import argparse
import html as html_lib
import importlib.util
import re
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data  # noqa: E402
import _sets  # noqa: E402

# What each training page is fed as: mode -> derived text (bench/_data.py DERIVED).
INPUTS = {"raw": "html-text", "raw-inscriptis": "inscriptis", "post": "trafilatura"}
FOLDS = 3
FIRST = {"objective": "binary", "learning_rate": 0.1, "num_leaves": 31, "max_depth": 7,
         "min_data_in_leaf": 100, "feature_fraction": 0.8, "bagging_fraction": 0.8,
         "bagging_freq": 1, "lambda_l2": 1.0, "max_bin": 63, "verbose": -1, "num_threads": 1, "seed": 7}
SECOND = {**FIRST, "num_leaves": 15, "max_depth": 5}


@dataclass
class Rows:
    """The training rows of one input: features, labels, and what scoring needs."""

    key: str            # set/id/mode
    set: str
    x: np.ndarray
    y: np.ndarray
    tokens: np.ndarray  # word tokens per line
    gold_tokens: int
    # The lines' words, as the lexicon reads them (cleaner.model.features.word_codes).
    words: list[str] = field(default_factory=list)
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    per_line: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # Each line's tokens as ids, the gold text's words first, and the gold text's count of
    # each: the exact page F1 of any set of kept lines (f1_curve).
    ids: list[np.ndarray] = field(default_factory=list)
    gold_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # A page of a set scored by snippets (dev-pages): its lines' texts and the snippets its text
    # must hold and must not hold, for the snippet F1 of any set of kept lines.
    lines: tuple[str, ...] = ()
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()

    @property
    def page_key(self) -> str:
        """The page the input was made from (set/id): its inputs share a fold."""
        return self.key.rsplit("/", 1)[0]


def _rows(task: tuple) -> Rows | None:
    from cleaner.document import Document
    from cleaner.lines import Lines
    from cleaner.model.features import line_features, word_codes
    from cleaner.model.labels import align
    from cleaner.model.score import bag, tokens

    key, set_name, text, gold, with_, without, title = task
    pipeline = _pipeline()
    doc = Document(text)
    segments, marks = pipeline.detect(doc, upto="line_model")
    if not segments.content:
        return None
    lines = [line.text for line in segments.content]
    x = line_features(segments, marks).astype(np.float32)
    y = np.array(align(lines, gold, with_, without, title), dtype=np.int8)
    gold_bag = bag(gold)
    toks = [tokens(line) for line in lines]
    words, codes, per_line = word_codes(Lines.of(segments).tokens)
    ids, gold_counts = token_ids(toks, gold_bag)
    snippets = (tuple(lines), tuple(with_), tuple(without)) if set_name not in _sets.GOLD_SETS else ((), (), ())
    return Rows(key, set_name, x, y, np.array([len(t) for t in toks]), sum(gold_bag.values()),
                words, codes.astype(np.int32), per_line.astype(np.int32), ids, gold_counts, *snippets)


def token_ids(toks: list[list[str]], gold_bag) -> tuple[list[np.ndarray], np.ndarray]:
    """Each line's tokens as ids (the gold text's words first, as counted) and the gold
    text's count of each word."""
    vocab = {w: i for i, w in enumerate(gold_bag)}
    ids = [np.array([vocab.setdefault(w, len(vocab)) for w in t], dtype=np.int32) for t in toks]
    return ids, np.array(list(gold_bag.values()), dtype=np.int32)


_PIPELINE = None


def _pipeline():
    global _PIPELINE
    if _PIPELINE is None:
        from cleaner.pipeline import Pipeline

        _PIPELINE = Pipeline()
    return _PIPELINE


def build_rows(pages: list[_sets.SetPage], workers: int, log) -> list[Rows]:
    derived = _sets.derive(pages, list(INPUTS.values()), workers=workers)
    tasks = [(f"{p.set}/{p.id}/{mode}", p.set, derived[kind].get(p.id, ""), p.gold, p.with_, p.without,
              page_title(p.html)) for p in pages for mode, kind in INPUTS.items()]
    start = time.perf_counter()
    rows = [r for r in _data.pool_map(_rows, tasks, workers, chunksize=8) if r is not None]
    log(f"features of {len(rows)} inputs in {time.perf_counter() - start:.0f}s")
    return rows


_OG_TITLE = re.compile(r"""<meta[^>]+property=["']og:title["'][^>]*content=["']([^"']+)""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)


def page_title(html: str) -> str:
    """The page's headline: its og:title, else its first <h1>, else its <title>."""
    for pattern in (_OG_TITLE, _H1, _TITLE):
        match = pattern.search(html)
        if match:
            text = html_lib.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))
            if text.strip():
                return " ".join(text.split())
    return ""


def sets_of(rows: list[Rows]) -> str:
    """The sets the rows come from, in the order of ``_sets.SETS``."""
    return ", ".join(name for name in _sets.SETS if any(r.set == name for r in rows))


def _weights(rows: list[Rows]) -> np.ndarray:
    """A line weighs its tokens, a page the square root of its tokens (pages are averaged),
    and each set as much as the others (each is scored on its own)."""
    per_set = {name: sum(r.set == name for r in rows) for name in {r.set for r in rows}}
    out = []
    for r in rows:
        total = max(int(r.tokens.sum()), 1)
        share = len(rows) / (len(per_set) * per_set[r.set])
        out.append(share * np.maximum(r.tokens, 1) / np.sqrt(total))
    return np.concatenate(out)


_seed = FIRST["seed"]


def use_seed(seed: int) -> None:
    """The seed of every model trained from now on (row and feature sampling)."""
    global _seed
    _seed = seed


def _fit(x, y, w, params, rounds):
    import lightgbm as lgb

    return lgb.train({**params, "seed": _seed}, lgb.Dataset(x, y, weight=w, free_raw_data=False), rounds)


def rising(names: tuple[str, ...], columns: tuple[str, ...]) -> dict:
    """LightGBM's parameters for trees whose score may only rise with ``columns`` of ``names``."""
    return {"monotone_constraints": [int(name in columns) for name in names],
            "monotone_constraints_method": "intermediate"}


def _folds(rows: list[Rows]) -> np.ndarray:
    """Each input's fold: the inputs of one page share it."""
    pages = sorted({r.page_key for r in rows})
    fold_of = {page: i % FOLDS for i, page in enumerate(pages)}
    return np.array([fold_of[r.page_key] for r in rows])


# One page in this many is shown to the trees with no word weights at all, as a page in a
# language the lexicon lacks reads (cleaner.model.lexicon).
LEXICON_DROPOUT = 4


def _without_lexicon(page: str, dropout: int) -> bool:
    return bool(dropout) and zlib.crc32(page.encode()) % dropout == 0


def learn_lexicon(rows: list[Rows], log, dropout: int = LEXICON_DROPOUT):
    """The word weights of all the rows (the model's :class:`cleaner.model.lexicon.Lexicon`),
    after writing into each row's lexicon columns the weights learned without its page's fold
    (the trees learn how much the weights say about pages they were not learned from, as the
    shipped weights meet every page), or none for one page in ``dropout`` (0: none)."""
    from cleaner.model.features import with_lexicon
    from cleaner.model.lexicon import Lexicon, Sample, learn

    def samples(chosen):
        return (Sample(r.page_key, r.words, r.codes, r.per_line, r.y) for r in chosen)

    folds = _folds(rows)
    for fold in range(FOLDS):
        lexicon = learn(samples(r for r, f in zip(rows, folds) if f != fold))
        for i in np.flatnonzero(folds == fold).tolist():
            dropped = _without_lexicon(rows[i].page_key, dropout)
            with_lexicon(rows[i].x, (Lexicon() if dropped else lexicon).columns(rows[i].words, rows[i].codes,
                                                                             rows[i].per_line))
    lexicon = learn(samples(rows))
    log(f"lexicon: {len(lexicon)} words weighed")
    return lexicon


def _out_of_fold(rows: list[Rows], xs: list[np.ndarray], params: dict, rounds: int) -> list[np.ndarray]:
    """Each input's scores from a model that did not see its page (folds by page)."""
    folds = _folds(rows)
    scores: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for fold in range(FOLDS):
        train = [i for i in range(len(rows)) if folds[i] != fold]
        x, y, w = _stack([rows[i] for i in train], [xs[i] for i in train])
        booster = _fit(x, y, w, params, rounds)
        for i in np.flatnonzero(folds == fold):
            scores[i] = booster.predict(xs[i])
    return scores


def _stack(rows: list[Rows], xs: list[np.ndarray]):
    x = np.vstack(xs)
    y = np.concatenate([r.y for r in rows])
    w = _weights(rows)
    known = y >= 0
    return x[known], y[known], w[known]


def f1_curve(rows: Rows, scores: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The page's word F1 (as WCXB scores it) when the lines (or blocks) scored at least each
    threshold of ``grid`` are kept: added in order of score, overlap counted token by token."""
    gold = rows.gold_counts
    counts = np.zeros(max([len(gold), *(int(ids.max()) + 1 for ids in rows.ids if len(ids))]), dtype=np.int32)
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


def mean_f1(rows: list[Rows], scores: list[np.ndarray], grid: np.ndarray) -> np.ndarray:
    """Mean over the sets with gold text of the mean page word F1, at each threshold of ``grid``."""
    by_set: dict[str, list[np.ndarray]] = {}
    for r, s in zip(rows, scores):
        if r.gold_tokens:
            by_set.setdefault(r.set, []).append(f1_curve(r, s, grid))
    return np.mean([np.mean(curves, axis=0) for curves in by_set.values()], axis=0)


def own_cuts(rows: list[Rows], scores: list[np.ndarray], threshold: float) -> list[float]:
    """The cut the line model stage gives each input with these scores: every line kept under
    ``min_lines`` lines, the page's expected-F1 cut from ``page_words`` words, else ``threshold``."""
    from cleaner.model.line_model import cut_of
    from cleaner.stages.line_model import LineModelSettings

    settings = LineModelSettings()
    return [0.0 if len(r.y) < settings.min_lines else cut_of(r.x, s, threshold, settings.page_words)
            for r, s in zip(rows, scores)]


def snippet_score(rows: Rows, keep: np.ndarray) -> _data.Score:
    """How the kept lines of a page scored by its snippets fare, scored as the bench scores a
    page's output (:func:`_data.score_page`)."""
    kept = " ".join(line for line, on in zip(rows.lines, keep.tolist()) if on)
    return _data.score_page(kept, _data.Page(rows.key, "", "", rows.with_, rows.without, "", "")).score


def own_cut_report(rows: list[Rows], scores: list[np.ndarray], threshold: float) -> str:
    """Per set and input, the figure of the lines kept at :func:`own_cuts` (``set input F1``,
    comma-separated): the mean page word F1 on a set with gold text, the snippet F1 on one
    scored by snippets."""
    cuts = own_cuts(rows, scores, threshold)
    words: dict[tuple[str, str], list[float]] = {}
    snippets: dict[tuple[str, str], _data.Score] = {}
    for r, s, cut in zip(rows, scores, cuts):
        key = (r.set, r.key.rsplit("/", 1)[1])
        if r.gold_tokens:
            words.setdefault(key, []).append(f1_curve(r, s, np.array([cut]))[0])
        elif r.lines:
            snippets[key] = snippets.get(key, _data.Score()) + snippet_score(r, s >= cut)
    figures = {**{key: float(np.mean(values)) for key, values in words.items()},
               **{key: score.f1 for key, score in snippets.items()}}
    return ", ".join(f"{name} {mode} {value:.4f}" for (name, mode), value in sorted(figures.items()))


def train(rows: list[Rows], rounds: int, log):
    from cleaner.model.features import score_features
    from cleaner.model.line_model import LineModel
    from cleaner.model.trees import Trees
    from cleaner.stages.line_model import LineModelSettings

    lexicon = learn_lexicon(rows, log)
    xs = [r.x for r in rows]
    log(f"pass 1: {sum(len(r.y) for r in rows)} lines, {sum(int((r.y >= 0).sum()) for r in rows)} labelled")
    oof1 = _out_of_fold(rows, xs, FIRST, rounds)
    xs2 = [score_features(s, x).astype(np.float32) for s, x in zip(oof1, xs)]
    second_params = {**SECOND, **rising(LineModel.SECOND, LineModel.RISING_SECOND)}
    oof2 = _out_of_fold(rows, xs2, second_params, rounds // 2)
    grid = np.round(np.arange(0.2, 0.81, 0.025), 3)
    figures = {float(t): float(f) for t, f in zip(grid, mean_f1(rows, oof2, grid))}
    # The threshold decides only the inputs the stage does not cut at their own expected F1:
    # those of fewer than page_words words (and at least min_lines lines). It is chosen on them.
    settings = LineModelSettings()
    short = [i for i, r in enumerate(rows) if r.tokens.sum() < settings.page_words and len(r.y) >= settings.min_lines]
    on_short = mean_f1([rows[i] for i in short], [oof2[i] for i in short], grid)
    threshold = float(grid[int(np.argmax(on_short))])
    log("out-of-fold mean word F1 of the lines kept at one threshold (training part, wcxb-dev and fundus): "
        f"pass 1 at 0.5 {mean_f1(rows, oof1, np.array([0.5]))[0]:.4f}; pass 2 at 0.5 {figures.get(0.5, 0):.4f}, "
        f"at the threshold {threshold} {figures[threshold]:.4f}; the threshold is the best on the {len(short)} "
        f"inputs of fewer than {settings.page_words} words ({on_short.max():.4f} there)")
    log("out-of-fold figure at each input's own cut, as the stage cuts (mean page word F1; dev-pages snippet F1): "
        f"{own_cut_report(rows, oof2, threshold)}")
    first = _fit(*_stack(rows, xs), FIRST, rounds)
    second = _fit(*_stack(rows, xs2), second_params, rounds // 2)
    info = (f"trained on the training parts of {sets_of(rows)} ({len(rows)} inputs); "
            f"out-of-fold word F1 {figures[threshold]:.4f} at threshold {threshold}")
    return LineModel(Trees.from_lightgbm(first.dump_model()), Trees.from_lightgbm(second.dump_model()),
                     threshold, info, lexicon)


def arguments(doc: str | None, model_file: Path) -> argparse.ArgumentParser:
    """The options every training script takes (bench/train_model.py, bench/train_blocks.py)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=model_file, help="where to write the model")
    parser.add_argument("--rounds", type=int, default=150, help="boosting rounds of the first pass")
    parser.add_argument("--workers", type=int, default=_data.WORKERS)
    parser.add_argument("--no-report", action="store_true", help="skip the validation figures")
    parser.add_argument("--hold-out-tuning", action="store_true",
                        help="leave the tuning third of the training part out (measure choices on it: "
                             "bench/quality_sets.py --part tuning --model OUT, or --block-model OUT)")
    parser.add_argument("--leave-out", choices=_sets.SETS, action="append", default=[], metavar="SET",
                        help="train without this set's pages (repeatable): scored on it, the model meets a "
                             "source it never saw, as on pages from other sites (" + ", ".join(_sets.SETS) + ")")
    parser.add_argument("--oracle", action="store_true",
                        help="train nothing: print what keeping exactly the lines (or blocks) labelled content "
                             "would score on the training part, beside the input as is: the most a model "
                             "that only keeps or drops them can reach")
    parser.add_argument("--share", type=float, default=1.0, metavar="S",
                        help="train on this share (0 to 1) of the training pages, drawn with --seed, the "
                             "inputs of a page together: how the figures grow with the labelled pages")
    parser.add_argument("--seed", type=int, default=FIRST["seed"],
                        help="seed of the row and feature sampling: retrain with another to see how far the "
                             "figures move with the seed alone, the least a change must beat")
    return parser


def log(msg: str) -> None:
    """A line of progress on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# What training needs beyond the package: the `train` extra (pyproject.toml).
TRAIN_EXTRA = {"lightgbm": "lightgbm", "html_text": "html-text", "inscriptis": "inscriptis"}


def check_requirements() -> None:
    """Stop with a clear message, before minutes of feature building, when the `train`
    extra is not installed."""
    missing = [dist for module, dist in TRAIN_EXTRA.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise SystemExit(f"training needs {' and '.join(missing)}, which this Python lacks: "
                         "install the train extra (pip install -e '.[train]'; make model installs it)")


def run(argv: list[str] | None, doc: str | None, model_file: Path, build: Callable, fit: Callable,
        report: list[str]) -> int:
    """A training script's run: the training pages (less the tuning third with
    --hold-out-tuning, the sets of --leave-out and the pages outside --share), their rows (``build``), the model
    (``fit``) written to --out, and the validation figures (bench/quality_sets.py with
    ``report`` and the model file)."""
    args = arguments(doc, model_file).parse_args(argv)
    sets = [name for name in _sets.SETS if name not in args.leave_out]
    if not set(sets) & set(_sets.GOLD_SETS):
        raise SystemExit(f"--leave-out: the sets left ({', '.join(sets) or 'none'}) have no gold text to "
                         "choose the threshold on; keep wcxb-dev or fundus")
    if not 0 < args.share <= 1:
        raise SystemExit(f"--share {args.share}: give a share of the training pages above 0 and at most 1")
    check_requirements()
    use_seed(args.seed)
    pages = [p for name in sets for p in _sets.load_set(name, ("train",))
             if not (args.hold_out_tuning and p.tuning) and _sets.in_share(p.id, args.share, args.seed)]
    log(f"{len(pages)} training pages")
    if args.oracle:
        print_oracle(pages, build(pages, args.workers, log))
        return 0
    model = fit(build(pages, args.workers, log), args.rounds, log)
    model.save(args.out)
    log(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    if not args.no_report:
        import quality_sets

        quality_sets.main(["--part", "validation", *report, str(args.out)])
    return 0


def print_oracle(pages: list[_sets.SetPage], rows: list[Rows]) -> None:
    """Per set with gold text and per input, the mean page word F1 of the input as is and of
    the lines (or blocks) its labels call content. A page without rows (an empty input)
    counts as 0 in both."""
    keep = np.array([0.5])
    print("set / input: pages, as is, labels kept (mean page word F1, training part)")
    for name in _sets.SETS:
        pages_in_set = sum(p.set == name for p in pages)
        for mode in sorted({r.key.rsplit("/", 1)[1] for r in rows if r.set == name}):
            chosen = [r for r in rows if r.set == name and r.key.endswith(f"/{mode}") and r.gold_tokens]
            if not chosen:
                continue
            share = len(chosen) / pages_in_set
            as_is = mean_f1(chosen, [np.ones(len(r.y)) for r in chosen], keep)[0] * share
            labelled = mean_f1(chosen, [(r.y == 1).astype(np.float64) for r in chosen], keep)[0] * share
            print(f"{name} / {mode}: {pages_in_set}, {as_is:.4f}, {labelled:.4f}")


def main(argv: list[str] | None = None) -> int:
    from cleaner.model.line_model import MODEL_FILE

    return run(argv, __doc__, MODEL_FILE, build_rows, train, ["--model"])


if __name__ == "__main__":
    sys.exit(main())
