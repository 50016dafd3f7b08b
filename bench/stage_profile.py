"""Where text mode spends its time: CPU seconds per stage, in-process, on the dev pages'
full-page dumps (html-text) and trafilatura outputs (each text once, no repetition).

    python bench/stage_profile.py              # stage shares, median of 3 runs
    python bench/stage_profile.py --cprofile 25  # and the 25 functions with the most own time
    python bench/stage_profile.py --kind trafilatura  # only the extracted texts (or html-text)

CPU time (time.process_time) rather than wall time, so a busy machine disturbs the figures
less. The stages are timed by wrapping them on one pipeline; what is left (the pipeline's
own bookkeeping, the safety bound, the counts) is "other".
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


def timed(spent: Counter, name: str, func):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started
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
    args = parser.parse_args()
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
