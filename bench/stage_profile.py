"""Where text mode spends its time: CPU seconds per stage, in-process, on the dev pages'
full-page dumps (html-text) and trafilatura outputs (each text once, no repetition).

    python bench/stage_profile.py              # stage shares, median of 3 runs
    python bench/stage_profile.py --cprofile 25  # and the 25 functions with the most own time

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


def texts() -> list[str]:
    pages = _data.load_pages()
    derived = _data.derive(pages, ["html-text", "trafilatura"], _data.file_sha256(_data.data_file()))
    return [t for kind in ("html-text", "trafilatura") for t in derived.texts[kind].values() if t]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also print the N functions with the most own time (cProfile)")
    args = parser.parse_args()
    docs = texts()
    megabytes = sum(len(d.encode()) for d in docs) / 1e6
    runs = [stage_profile(docs) for _ in range(args.runs)]
    total = statistics.median(r[0] for r in runs)
    names = sorted({name for _, spent in runs for name in spent}, key=lambda n: -statistics.median(s[n] for _, s in runs))
    print(f"{len(docs)} texts, {megabytes:.1f} MB: {total:.2f} s CPU, {megabytes / total:.2f} MB/s "
          f"(median of {args.runs}; in-process, no JSON or I/O)")
    for name in names:
        seconds = statistics.median(s[name] for _, s in runs)
        print(f"  {name:<10} {seconds:6.2f} s  {seconds / total:4.0%}")
    other = total - sum(statistics.median(s[n] for _, s in runs) for n in names)
    print(f"  {'other':<10} {other:6.2f} s  {other / total:4.0%}")
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
