"""What the text stages cost on first use in a fresh process, as in html mode: CPU seconds
of cleaning the first 200 dev pages' trafilatura outputs once, in a new process each run
(lazily compiled patterns included), in total and for the chrome stage.

    python bench/first_use.py            # median of 5 fresh processes
    python bench/first_use.py --runs 9 --pages 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _data  # noqa: E402


def texts(pages: int) -> list[str]:
    chosen = _data.load_pages()[:pages]
    derived = _data.derive(chosen, ["trafilatura"], _data.file_sha256(_data.data_file()))
    return [t for t in (derived.texts["trafilatura"].get(page.id) for page in chosen) if t]


def one_run(pages: int) -> dict:
    """Clean the texts once in this process (meant to be a fresh one)."""
    import time

    docs = texts(pages)
    started = time.process_time()
    import cleaner.patterns as patterns
    compiled_caches = [getattr(patterns, name) for name in ("_compiled", "_compiled_body") if hasattr(patterns, name)]
    from cleaner.pipeline import Pipeline
    pipeline = Pipeline()
    chrome = next(stage for stage in pipeline.detectors if stage.name == "chrome")
    spent = 0.0
    detect = chrome.detect

    def timed_detect(*args, **kwargs):
        nonlocal spent
        begun = time.process_time()
        try:
            return detect(*args, **kwargs)
        finally:
            spent += time.process_time() - begun

    chrome.detect = timed_detect
    setup = time.process_time() - started
    for doc in docs:
        pipeline.clean(doc)
    total = time.process_time() - started
    return {"docs": len(docs), "setup": setup, "total": total, "chrome": spent,
            "compiled": sum(cache.cache_info().currsize for cache in compiled_caches)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.pages)))
        return
    texts(args.pages)  # fill the cache of derived texts before timing
    rows = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, __file__, "--one", "--pages", str(args.pages)],
                             check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out))
    med = {key: statistics.median(row[key] for row in rows) for key in ("setup", "total", "chrome", "compiled")}
    print(f"{rows[0]['docs']} texts, fresh process, median of {args.runs}: setup {med['setup']:.3f} s, "
          f"total {med['total']:.3f} s, chrome {med['chrome']:.3f} s, phrase patterns compiled {med['compiled']:.0f}")


if __name__ == "__main__":
    main()
