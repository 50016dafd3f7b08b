"""Peak memory of `cleaner batch` on one large JSONL file, at several sizes.

    python bench/batch_memory.py                 # 25 and 100 MB
    python bench/batch_memory.py --mb 100 1000   # up to 1 GB (takes a while)

Each size runs in a fresh subprocess; the figure is its peak resident set size. Streaming
means the figure stays flat as the file grows.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("harbour council ferry budget repairs museum library village storm market rain "
         "the of and to in that said would after before with for on was were has").split()


def generate(path: Path, megabytes: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        while size < megabytes * 1_000_000:
            paras = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))).capitalize() + "."
                     for _ in range(rng.randint(4, 12))]
            text = "\n\n".join(["Share this article", *paras, f"{rng.randint(0, 99)} Comments"])
            line = json.dumps({"id": str(n), "url": f"https://site{n % 50}.example/{n}", "text": text}) + "\n"
            handle.write(line)
            size += len(line)
            n += 1
    return n


def measure(megabytes: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        src, dest = Path(tmp) / "src", Path(tmp) / "dest"
        src.mkdir()
        records = generate(src / "big.jsonl", megabytes)
        # VmHWM: the child's own peak (ru_maxrss would carry over the RSS of a forking parent).
        code = ("import sys; from cleaner.cli import main; sys.argv = ['cleaner', 'batch', %r, %r, '--workers', '1']\n"
                "try: main()\nexcept SystemExit: pass\n"
                "print([int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0], file=sys.stderr)") % (str(src), str(dest))
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        peak_kb = int(proc.stderr.strip().splitlines()[-1])
        return {"mb": megabytes, "records": records, "peak_rss_mb": round(peak_kb / 1024, 1),
                "seconds": round(seconds, 1), "mb_per_s": round(megabytes / seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[25, 100])
    args = parser.parse_args()
    print(f"{'input MB':>9} {'records':>8} {'peak RSS MB':>12} {'seconds':>8} {'MB/s':>6}   (target: peak < 300 MB, flat)")
    for mb in args.mb:
        r = measure(mb)
        print(f"{r['mb']:>9} {r['records']:>8} {r['peak_rss_mb']:>12} {r['seconds']:>8} {r['mb_per_s']:>6}", flush=True)


if __name__ == "__main__":
    main()
