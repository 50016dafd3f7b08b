"""Where text mode spends its time: CPU seconds per stage, in-process, on the dev pages'
full-page dumps (html-text) and trafilatura outputs (each text once, no repetition).

    python bench/stage_profile.py              # stage shares, median of 3 runs
    python bench/stage_profile.py --cprofile 25  # and the 25 functions with the most own time
    python bench/stage_profile.py --kind trafilatura  # only the extracted texts (or html-text)
    python bench/stage_profile.py --html 200    # html mode instead: the parts of the first 200 pages
    python bench/stage_profile.py --html 200 --cprofile 30  # and its functions (trafilatura's apart)
    python bench/stage_profile.py --html 200 --fast  # html mode with --extractor fast

CPU time (time.process_time) rather than wall time, so a busy machine disturbs the figures
less. The stages are timed by wrapping them on one pipeline; what is left (the pipeline's
own bookkeeping, the safety bound, the counts) is "other".

With ``--html N``, html mode (``clean(page, html=True, url=...)``) on the first N dev pages,
timed in its parts: trafilatura, parsing, the walk into blocks, the block rows (the rules'
marks, the line features, the DOM features, the layout), the models, and the text stages on
the chosen text; "ours" is everything but trafilatura. Trafilatura alone on the same pages is
timed in turns with it. ``--cprofile`` then lists the functions with the most time of ours
(trafilatura's calls left out, by cumulative and by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _data  # noqa: E402

import cleaner.pipeline as pipeline_module  # noqa: E402
from cleaner.pipeline import Pipeline  # noqa: E402


KINDS = ("html-text", "trafilatura")


def texts(kinds: tuple[str, ...] = KINDS) -> list[str]:
    pages = _data.load_pages()
    derived = _data.derive(pages, list(kinds), _data.file_sha256(_data.data_file()))
    return [t for kind in kinds for t in derived.texts[kind].values() if t]


RUNNING: Counter = Counter()  # how many calls of each timed part are under way


def timed(spent: Counter, name: str, func, within: str | None = None):
    """``func``, adding its CPU seconds to ``spent[name]``; with ``within``, only the calls made
    while a function timed as ``within`` runs."""
    def wrapper(*args, **kwargs):
        if within is not None and not RUNNING[within]:
            return func(*args, **kwargs)
        RUNNING[name] += 1
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started
            RUNNING[name] -= 1
    return wrapper


def stage_profile(docs: list[str]) -> tuple[float, Counter]:
    """Total CPU seconds of cleaning ``docs`` once, and the seconds of each stage."""
    spent: Counter = Counter()
    pipeline = Pipeline()
    for doc in docs[:20]:  # compile the lazily compiled patterns before timing
        pipeline.clean(doc)
    for stage in pipeline.detectors:
        stage.detect = timed(spent, stage.name, stage.detect)
    pipeline.normalise.run = timed(spent, "normalise", pipeline.normalise.run)
    pipeline.emit.run = timed(spent, "emit", pipeline.emit.run)
    saved = {name: getattr(pipeline_module, name) for name in ("apply_marks", "Segments", "decode")}
    for name, func in saved.items():
        setattr(pipeline_module, name, timed(spent, {"apply_marks": "apply", "Segments": "segment"}.get(name, name), func))
    try:
        started = time.process_time()
        for doc in docs:
            pipeline.clean(doc)
        total = time.process_time() - started
    finally:
        for name, func in saved.items():
            setattr(pipeline_module, name, func)
    return total, spent


def html_pipeline(fast: bool) -> Pipeline:
    """Html mode's pipeline; ``fast``: without trafilatura's vote (``--extractor fast``)."""
    from cleaner import Config

    return Pipeline(Config(thresholds={"extract": {"trafilatura_vote": False}}) if fast else None)


def html_profile(pages: list[_data.Page], fast: bool = False) -> tuple[float, Counter]:
    """Total CPU seconds of cleaning ``pages`` once in html mode, and the seconds of each part
    (the parts below nest: "block rows" holds "rule marks", "line features", "DOM features")."""
    import cleaner.io.dom as dom
    import cleaner.io.html as html_io
    import cleaner.model.block_features as block_features
    import cleaner.model.block_model as block_model
    import cleaner.model.features as features
    import cleaner.stages.extract as extract

    spent: Counter = Counter()
    pipeline = html_pipeline(fast)
    for page in pages[:20]:  # load the models, compile the lazily compiled patterns
        pipeline.clean(page.html, html=True, url=page.url)
    # (what, its name, the part it counts in; the parts of the block rows only in them: the
    # text stages compute line features and marks of their own)
    wrapped = [(html_io, "extract", "trafilatura", None), (dom, "parse", "parse", None),
               (dom, "dom_blocks", "walk", None), (extract, "block_rows", "block rows", None),
               (features, "line_features", "line features", "block rows"),
               (block_features, "dom_features", "DOM features", "block rows"),
               (block_features, "tree_groups", "models", None), (block_model.BlockModel, "scored", "models", None),
               (block_model.BlockModel, "prefers_extracted", "models", None)]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _, _ in wrapped]
    for owner, name, part, within in wrapped:
        setattr(owner, name, timed(spent, part, getattr(owner, name), within))
    pipeline.rule_marks = timed(spent, "rule marks", pipeline.rule_marks, "block rows")
    pipeline.run = timed(spent, "text stages", pipeline.run)
    try:
        started = time.process_time()
        for page in pages:
            pipeline.clean(page.html, html=True, url=page.url)
        total = time.process_time() - started
    finally:
        for owner, name, func in saved:
            setattr(owner, name, func)
    return total, spent


def trafilatura_alone(pages: list[_data.Page]) -> float:
    """CPU seconds of trafilatura's extraction of ``pages`` (each parsed by it), as html mode's
    fallback and ``--extractor trafilatura`` run it."""
    from cleaner.io.html import ExtractError, extract

    started = time.process_time()
    for page in pages:
        try:
            extract(page.html, url=page.url)
        except ExtractError:
            pass
    return time.process_time() - started


def html_main(args: argparse.Namespace) -> None:
    pages = _data.load_pages()[:args.html]
    trafilatura_alone(pages[:20])  # import it, warm it up
    runs, alone = [], []
    for _ in range(args.runs):  # in turns, so that a busy spell of the machine falls on both
        runs.append(html_profile(pages, args.fast))
        alone.append(trafilatura_alone(pages))
    total = statistics.median(r[0] for r in runs)

    def part(name: str) -> float:
        return statistics.median(s[name] for _, s in runs)

    trafilatura = part("trafilatura")
    ours = total - trafilatura
    print(f"html mode, {len(pages)} dev pages: {total:.2f} s CPU (median of {args.runs}), "
          f"{total / statistics.median(alone):.2f} x trafilatura alone ({statistics.median(alone):.2f} s); "
          f"trafilatura in it {trafilatura:.2f} s, ours {ours:.2f} s")
    rows = part("block rows")
    inside = ("rule marks", "line features", "DOM features")
    for name in ("parse", "walk", "block rows", *inside, "models", "text stages"):
        indent = "    " if name in inside else "  "
        print(f"{indent}{name:<{16 - len(indent) + 2}} {part(name):6.2f} s")
    print(f"      {'layout, other':<12} {rows - sum(part(n) for n in inside):6.2f} s")
    known = sum(part(n) for n in ("parse", "walk", "block rows", "models", "text stages"))
    print(f"  {'other':<16} {ours - known:6.2f} s")
    if args.cprofile:
        pipeline = html_pipeline(args.fast)
        for page in pages[:20]:
            pipeline.clean(page.html, html=True, url=page.url)
        profiler = cProfile.Profile()
        profiler.enable()
        for page in pages:
            pipeline.clean(page.html, html=True, url=page.url)
        profiler.disable()
        stats = pstats.Stats(profiler)
        # trafilatura's own calls (and what they call) apart: the functions of the rest.
        stats.sort_stats("cumulative").print_stats(r"^(?!.*(trafilatura|justext|courlan|htmldate))", args.cprofile)
        stats.sort_stats("tottime").print_stats(r"^(?!.*(trafilatura|justext|courlan|htmldate))", args.cprofile)


def c4_seconds(docs: list[str]) -> float:
    """CPU seconds of the C4-style line filter over ``docs``, in this process."""
    started = time.process_time()
    for doc in docs:
        _data.c4_filter(doc)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also print the N functions with the most own time (cProfile)")
    parser.add_argument("--kind", choices=KINDS, help="only the full-page dumps (html-text) or only the "
                        "trafilatura outputs (default: both)")
    parser.add_argument("--html", type=int, default=0, metavar="N",
                        help="profile html mode on the first N dev pages instead of text mode")
    parser.add_argument("--fast", action="store_true", help="with --html: --extractor fast (no trafilatura's vote)")
    args = parser.parse_args()
    if args.html:
        html_main(args)
        return
    docs = texts((args.kind,) if args.kind else KINDS)
    megabytes = sum(len(d.encode()) for d in docs) / 1e6
    runs, c4_runs = [], []
    for _ in range(args.runs):  # cleaner and the C4 filter in turns
        runs.append(stage_profile(docs))
        c4_runs.append(c4_seconds(docs))
    total = statistics.median(r[0] for r in runs)
    c4 = statistics.median(c4_runs)
    names = sorted({name for _, spent in runs for name in spent}, key=lambda n: -statistics.median(s[n] for _, s in runs))
    print(f"{len(docs)} texts, {megabytes:.1f} MB: {total:.2f} s CPU, {megabytes / total:.2f} MB/s "
          f"(median of {args.runs}; in-process, no JSON or I/O)")
    for name in names:
        seconds = statistics.median(s[name] for _, s in runs)
        print(f"  {name:<10} {seconds:6.2f} s  {seconds / total:4.0%}")
    other = total - sum(statistics.median(s[n] for _, s in runs) for n in names)
    print(f"  {'other':<10} {other:6.2f} s  {other / total:4.0%}")
    print(f"C4 filter over the same texts: {c4:.2f} s CPU, {megabytes / c4:.1f} MB/s; cleaner at {c4 / total:.3f} x its throughput")
    if args.cprofile:
        pipeline = Pipeline()
        profiler = cProfile.Profile()
        profiler.enable()
        for doc in docs:
            pipeline.clean(doc)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
