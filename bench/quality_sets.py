#!/usr/bin/env python3
"""Quality on the three labelled sets: word F1 (wcxb-dev, fundus) and snippet F1 (dev-pages),
per input mode, beside trafilatura and the C4 filter, training and validation parts apart.

    python bench/quality.py --sets                      # validation parts (the figure that counts)
    python bench/quality_sets.py --part train           # the part the model was fitted on
    python bench/quality_sets.py --sets fundus --modes raw --by-kind
    python bench/quality_sets.py --model /tmp/m.npz     # another line model file
    python bench/quality_sets.py --part tuning --save-outputs /tmp/a.json.gz   # before a change,
    python bench/quality_sets.py --part tuning --against /tmp/a.json.gz        # and after it

Modes: ``raw`` cleans the html-text dump of the page, ``post`` trafilatura's output, ``html``
the page itself (``clean --html``). Rows: the input as is, the C4 line filter (raw),
the cleaner, and the cleaner with its model off (raw, post: the hand-written rules alone; html:
trafilatura's extraction, as ``--extractor trafilatura``). ``--candidates`` (html) adds the
two candidates the page model chooses between, each as the text stages leave it, and the better
of the two on every page: what a page model that never chose wrong would reach.
By kind: page type for wcxb-dev, language folder for fundus, guessed language for dev-pages.

``--save-outputs FILE`` keeps the cleaner's output of every page (per set and mode);
``--against FILE`` scores such a file beside this run's cleaner, page for page: the figure
before and after, and the 95 % bootstrap interval of the gain with the same pages drawn for
both (much narrower than either figure's own), the way a change is judged on the tuning part.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data  # noqa: E402
import _sets  # noqa: E402

MODES = ("raw", "post", "html")
SOURCE = {"raw": "html-text", "post": "trafilatura"}
MODEL_ENV = "CLEANER_LINE_MODEL"
BLOCK_MODEL_ENV = "CLEANER_BLOCK_MODEL"
FAST_BLOCK_MODEL_ENV = "CLEANER_FAST_BLOCK_MODEL"


def _config(variant: str, html: bool):
    """How a row's cleaner differs from the default one: "off", the line model in text modes,
    the block model in html mode (trafilatura extracts); "blocks", html mode with the blocks
    kept on every page (the page model never takes trafilatura's extraction instead); "fast",
    html mode without trafilatura's vote (``--extractor fast``)."""
    from cleaner import Config

    if variant == "off":
        return Config(rules={"block_model": False}) if html else Config(stages={"line_model": False})
    if variant == "blocks":
        return Config(thresholds={"extract": {"prefer_extracted": 1.0}})
    if variant == "fast":
        return Config(thresholds={"extract": {"trafilatura_vote": False}})
    return None


def _clean(task: tuple) -> tuple[str, str]:
    key, text, html, variant = task
    from cleaner import clean

    try:
        return key, clean(text, config=_config(variant, html), html=html).text
    except Exception:  # noqa: BLE001 - an error scores as an empty output
        return key, ""


def outputs(pages, mode: str, inputs: dict[str, str], variant: str, workers: int) -> dict[str, str]:
    html = mode == "html"
    tasks = [(p.id, p.html if html else inputs.get(p.id, ""), html, variant) for p in pages]
    return dict(_data.pool_map(_clean, tasks, workers, chunksize=8))


def best_of(pages, first: dict[str, str], second: dict[str, str]) -> dict[str, str]:
    """Page by page, the output of the two that scores better on the page (the first on a tie)."""
    def page_f1(page, outs: dict[str, str]) -> float:
        return _sets.score([page], outs).f1

    return {p.id: first.get(p.id, "") if page_f1(p, first) >= page_f1(p, second) else second.get(p.id, "")
            for p in pages}


# The full-page dumps the raw mode can read: the two the line model is trained on, and one
# it never sees (cleaner's own DOM walk, every block kept), for how it carries over to others.
RAW_DUMPS = ("html-text", "inscriptis", "dom-blocks")


def rows_for(pages, modes, workers: int, model_off: bool, log,
             raw_dump: str = "html-text", candidates: bool = False,
             fast: bool = False) -> list[tuple[str, str, dict[str, str]]]:
    """(mode, system, outputs) for every row of the table; ``fast``: html mode's cleaner row
    without trafilatura's vote."""
    source = {**SOURCE, "raw": raw_dump}
    derived = _sets.derive(pages, sorted(set(source.values())), workers=workers)
    rows = []
    for mode in modes:
        inputs = derived[source[mode]] if mode in source else {}
        if mode == "raw":
            rows.append((mode, "as is", inputs))
            rows.append((mode, "C4 filter", {k: _data.c4_filter(v) for k, v in inputs.items()}))
        if mode in ("post", "html"):
            rows.append((mode, "trafilatura", derived["trafilatura"]))
        start = time.perf_counter()
        variant = "fast" if fast and mode == "html" else "default"
        rows.append((mode, "cleaner", outputs(pages, mode, inputs, variant, workers)))
        log(f"cleaner on {mode}: {time.perf_counter() - start:.0f}s")
        extracts = None
        if model_off or (candidates and mode == "html"):
            off = "trafilatura extracts" if mode == "html" else "line model off"
            extracts = outputs(pages, mode, inputs, "off", workers)
            rows.append((mode, f"cleaner, {off}", extracts))
        if candidates and mode == "html":
            blocks = outputs(pages, mode, inputs, "blocks", workers)
            rows.append((mode, "cleaner, blocks kept", blocks))
            rows.append((mode, "best of the two", best_of(pages, blocks, extracts)))
    return rows


# The row each cleaner row's gain is measured against (--intervals).
REFERENCE = {"raw": "C4 filter", "post": "trafilatura", "html": "trafilatura"}


def _interval(bounds: tuple[float, float], signed: bool = False) -> str:
    """``[0.8412, 0.8603]``, or with signs for a difference: ``[-0.0021, +0.0094]``."""
    form = "+.4f" if signed else ".4f"
    return f"[{bounds[0]:{form}}, {bounds[1]:{form}}]"


def _by_kind(pages, kinds: list[str], outs: dict[str, str]) -> dict[str, float]:
    """The figure of ``outs`` over the pages of each kind."""
    return {k: _sets.score([p for p in pages if p.kind == k], outs).f1 for k in kinds}


def _read_outputs(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Outputs saved by ``--save-outputs``: set -> mode -> page id -> text."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)["outputs"]
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise SystemExit(f"--against {path}: not a file of --save-outputs ({exc})") from None


def _against(pages, saved: dict[str, dict[str, dict[str, str]]], name: str, mode: str,
             fig: _sets.Figure, kinds: list[str], outs: dict[str, str]) -> dict | None:
    """The saved outputs' figure on these pages and the paired interval of the gain, printed."""
    earlier = saved.get(name, {}).get(mode)
    if earlier is None:
        print(f"  {'':<5} {'':<29} (no saved outputs of {name} in {mode} mode)")
        return None
    missing = sum(p.id not in earlier for p in pages)
    if missing:
        raise SystemExit(f"--against: the saved outputs lack {missing} of {name}'s {len(pages)} pages "
                         "(saved from another part?)")
    before = _sets.score(pages, earlier)
    gain = _sets.interval(fig, before)
    by_kind = _by_kind(pages, kinds, earlier)
    print(f"  {'':<5} {'saved outputs':<29} {before.f1:6.4f}" + "".join(f" {by_kind[k]:9.4f}" for k in kinds))
    print(f"  {'':<5} {'':<29} gain {fig.f1 - before.f1:+.4f}, paired 95% interval {_interval(gain, True)}"
          f"; {sum(earlier[p.id] != outs.get(p.id, '') for p in pages)} pages' outputs differ", flush=True)
    return {"f1": round(before.f1, 4), "gain_interval": gain, "by_kind": {k: round(v, 4) for k, v in by_kind.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(_sets.SETS), choices=_sets.SETS)
    parser.add_argument("--part", default="validation", choices=(*_sets.PARTS, "tuning", "all"),
                        help="tuning: the third of the training part a model trained with --hold-out-tuning left out")
    parser.add_argument("--modes", nargs="+", default=["raw", "post"], choices=MODES)
    parser.add_argument("--by-kind", action="store_true", help="also per page type / language")
    parser.add_argument("--model-off", action="store_true",
                        help="also a row with the model off (the line model in raw and post, the block model in html)")
    parser.add_argument("--candidates", action="store_true",
                        help="html: also the blocks kept on every page, trafilatura's extraction on every page "
                             "(both cleaned) and, page by page, the better of the two")
    parser.add_argument("--model", help=f"a line model file instead of the shipped one (sets ${MODEL_ENV})")
    parser.add_argument("--block-model", help=f"a block model file instead of the shipped one (sets ${BLOCK_MODEL_ENV}; "
                                              f"with --fast, ${FAST_BLOCK_MODEL_ENV})")
    parser.add_argument("--fast", action="store_true",
                        help="html: the cleaner row without trafilatura's vote (--extractor fast), with the fast "
                             "block model")
    parser.add_argument("--raw-dump", default="html-text", choices=RAW_DUMPS,
                        help="the full-page dump the raw mode cleans (default html-text; dom-blocks is laid out "
                             "as no model was trained on)")
    parser.add_argument("--intervals", action="store_true",
                        help="under each cleaner row, 95%% bootstrap intervals (pages drawn again) of its figure and "
                             "of its gain over the mode's reference (the C4 filter in raw, trafilatura in post and "
                             "html): how much of a difference the pages' sample can make on its own")
    parser.add_argument("--workers", type=int, default=_data.WORKERS)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--save-outputs", type=Path, metavar="FILE",
                        help="write the cleaner's output of every page here (gzipped JSON), for --against")
    parser.add_argument("--against", type=Path, metavar="FILE",
                        help="outputs saved by --save-outputs (another model or code): each set's figure "
                             "with them, and the paired interval of this run's gain over them")
    args = parser.parse_args(argv)
    if args.model:
        os.environ[MODEL_ENV] = str(Path(args.model).resolve())
    if args.block_model:
        os.environ[FAST_BLOCK_MODEL_ENV if args.fast else BLOCK_MODEL_ENV] = str(Path(args.block_model).resolve())

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    parts = _sets.PARTS if args.part == "all" else (args.part,)
    saved = _read_outputs(args.against) if args.against else None
    kept: dict[str, dict[str, dict[str, str]]] = {}
    report = {}
    print(f"part: {args.part}" + (f", raw dump: {args.raw_dump}" if "raw" in args.modes else "")
          + (", html: --extractor fast" if args.fast and "html" in args.modes else ""))
    for name in args.sets:
        pages = _sets.load_set(name, parts)
        measure = "snippet F1" if name == "dev-pages" else "word F1 (mean over pages)"
        print(f"\n{name}: {len(pages)} pages, {measure}")
        kinds = sorted({p.kind for p in pages}) if args.by_kind else []
        kinds = [k for k in kinds if sum(p.kind == k for p in pages) >= 5]
        print(f"  {'mode':<5} {'system':<29} {'F1':>6}" + "".join(f" {k[:9]:>9}" for k in kinds))
        figures: dict[tuple[str, str], _sets.Figure] = {}
        for mode, system, outs in rows_for(pages, args.modes, args.workers, args.model_off, log, args.raw_dump,
                                            args.candidates, args.fast):
            fig = figures[mode, system] = _sets.score(pages, outs)
            by_kind = _by_kind(pages, kinds, outs)
            print(f"  {mode:<5} {system:<29} {fig.f1:6.4f}" + "".join(f" {by_kind[k]:9.4f}" for k in kinds),
                  flush=True)
            row = {"mode": mode, "system": system, "f1": round(fig.f1, 4), "pages": len(pages),
                   "by_kind": {k: round(v, 4) for k, v in by_kind.items()}}
            reference = REFERENCE[mode]
            if args.intervals and system.startswith("cleaner") and (mode, reference) in figures:
                row["interval"] = _sets.interval(fig)
                row[f"gain_over_{reference}"] = _sets.interval(fig, figures[mode, reference])
                print(f"  {'':<5} {'':<29} 95% intervals: the figure {_interval(row['interval'])}, "
                      f"its gain over {reference} {_interval(row[f'gain_over_{reference}'], True)}", flush=True)
            if system == "cleaner":
                kept.setdefault(name, {})[mode] = outs
                if saved is not None:
                    row["against"] = _against(pages, saved, name, mode, fig, kinds, outs)
            report.setdefault(name, []).append(row)
    if args.save_outputs:
        with gzip.open(args.save_outputs, "wt", encoding="utf-8") as handle:
            json.dump({"part": args.part, "raw_dump": args.raw_dump, "outputs": kept}, handle)
    if args.json:
        args.json.write_text(json.dumps({"part": args.part, "raw_dump": args.raw_dump, "sets": report}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
