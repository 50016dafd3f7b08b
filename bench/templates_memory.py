#!/usr/bin/env python3
"""Peak memory of template learning (the counting pass) as the input grows.

Generates JSON Lines corpora of the given sizes in a temporary folder (deleted after), and
for each counts the site templates in a fresh process, printing its peak resident memory.
The pages come from many sites, in random order, each with a site template and many short
lines of its own (the lines that would make an unbounded counter grow).

    python bench/templates_memory.py                 # 100 MB and 300 MB
    python bench/templates_memory.py --full          # also 1 GB
    python bench/templates_memory.py --sizes 10,50   # sizes in MB
    python bench/templates_memory.py --capacity 100000000   # no cap: memory grows
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("harbour council ferry storm rain market bread school river bridge winter farmers "
         "museum train budget election festival hospital teachers workers village road fish "
         "coast library tower garden mayor police court price energy water summer autumn "
         "island forest mountain valley station airport factory theatre stadium gallery "
         "minister doctor nurse student artist farmer sailor pilot driver baker judge").split()


def site_template(rng: random.Random, host: str) -> list[str]:
    menu = [w.capitalize() for w in rng.sample(WORDS, 8)]
    return [*menu, f"{host}: {' '.join(rng.sample(WORDS, 5))}", f"© 2024 {host}. All rights reserved."]


def page(rng: random.Random, host: str, template: list[str], i: int) -> str:
    short = [" ".join(rng.choices(WORDS, k=rng.randint(3, 7))).capitalize() for _ in range(30)]
    paras = [" ".join(rng.choices(WORDS, k=rng.randint(60, 90))).capitalize() + "." for _ in range(4)]
    text = "\n".join(template[:8]) + "\n\n" + "\n".join(short) + "\n\n" + "\n\n".join(paras) + "\n\n" + "\n".join(template[8:])
    return json.dumps({"url": f"https://{host}/{i}", "text": text}) + "\n"


def generate(path: Path, megabytes: int, sites: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    hosts = [f"site{n}.example" for n in range(sites)]
    templates = {host: site_template(rng, host) for host in hosts}
    limit, written, pages = megabytes * 1_000_000, 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < limit:
            host = rng.choice(hosts)
            line = page(rng, host, templates[host], pages)
            out.write(line)
            written += len(line)
            pages += 1
    return pages


def peak_rss_mb() -> float:
    """This process's own peak RSS: VmHWM starts afresh at exec, ru_maxrss carries over the
    RSS of the parent that forked it."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def count_child(path: str, thresholds: dict) -> None:
    """In the child process: learn templates from ``path``, print figures as JSON."""
    from cleaner.config import Config
    from cleaner.corpus.passes import jsonl_sources, learn

    before = peak_rss_mb()
    start = time.perf_counter()
    model = learn(jsonl_sources([path]), Config(thresholds={"templates": thresholds}), html=False)
    print(json.dumps({"seconds": time.perf_counter() - start, "rss_before_mb": before,
                      "peak_rss_mb": peak_rss_mb(), "sites": len(model.sites),
                      "template_lines": model.line_count()}))


def measure(megabytes: int, sites: int, workdir: Path, thresholds: dict) -> dict:
    path = workdir / f"corpus-{megabytes}mb.jsonl"
    pages = generate(path, megabytes, sites)
    proc = subprocess.run([sys.executable, __file__, "--count-child", str(path), "--thresholds", json.dumps(thresholds)],
                          capture_output=True, text=True, check=True)
    path.unlink()
    return {"mb": megabytes, "pages": pages, **json.loads(proc.stdout)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,300", help="input sizes in MB, comma-separated")
    ap.add_argument("--full", action="store_true", help="also run 1000 MB (slow)")
    ap.add_argument("--sites", type=int, default=200, help="number of sites in the corpus")
    ap.add_argument("--capacity", type=int, help="line counts kept per site ([thresholds.templates] capacity)")
    ap.add_argument("--max-sites", type=int, help="sites counted at once ([thresholds.templates] max_sites)")
    ap.add_argument("--count-child", metavar="FILE", help=argparse.SUPPRESS)
    ap.add_argument("--thresholds", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.count_child:
        count_child(args.count_child, json.loads(args.thresholds))
        return 0
    thresholds = {k: v for k, v in (("capacity", args.capacity), ("max_sites", args.max_sites)) if v}
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([1000] if args.full else [])
    workdir = Path(tempfile.mkdtemp(prefix="cleaner-templates-bench-"))
    print(f"{'input MB':>8} {'pages':>8} {'seconds':>8} {'MB/s':>6} {'RSS before':>10} {'peak RSS':>9} {'sites':>6} {'lines':>6}")
    try:
        for mb in sizes:
            r = measure(mb, args.sites, workdir, thresholds)
            print(f"{r['mb']:>8} {r['pages']:>8} {r['seconds']:>8.1f} {r['mb'] / r['seconds']:>6.2f} "
                  f"{r['rss_before_mb']:>9.1f}M {r['peak_rss_mb']:>8.1f}M {r['sites']:>6} {r['template_lines']:>6}",
                  flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
