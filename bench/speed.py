"""Speed of cleaner against baselines, in the same run: medians over several runs, each
comparison run in turns (cleaner, baseline, cleaner, ...) with the median of the ratios.

    python bench/speed.py                 # 50 MB of text, 3 runs
    python bench/speed.py --mb 10 --runs 1  # quick look

The ratios the targets bound (the line model on over off, this code over another revision's,
HTML mode over trafilatura) are given twice: of the wall-clock seconds, and of the CPU seconds
the processes used (user and system, as the OS counts them), which a busy machine moves less:
a process waiting for a core spends wall time but no CPU time. A speed-up from more workers is
read off the clock alone.

Measures, each in a fresh subprocess so start-up and I/O count the same for everyone:
- text mode: `cleaner clean --jsonl` on full-page dumps and trafilatura outputs of the dev
  pages, repeated to --mb; against a C4-style line filter over the same records; and the line
  model against the hand-written rules it replaced (`[stages] line_model = false`), without
  and with `--log`; with `--against REV`, also against the code of git revision REV (the one
  before a change, or the day a speed bound was set) on the same records;
- HTML mode: `cleaner clean --jsonl --html` (the block model) on the pages against
  trafilatura.extract alone, and against `--extractor trafilatura`; `--extractor fast` (the
  blocks decided without trafilatura) against trafilatura.extract alone;
- `cleaner clean --jsonl --workers 2` against one process, on a quarter of that corpus;
- the default two-pass `cleaner clean --jsonl --html` (site templates learned first) on the
  pages with their urls, `--workers 2` against one process;
- `cleaner batch --workers 1` against `--workers 2` on the same corpus split into files, and
  beside it the machine's own ceiling: two independent one-worker batches on the two halves
  of those files, run one after the other and then side by side;
- `cleaner clean` on one small file, start to exit;
- peak memory in text mode at two corpus sizes.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Callable, NamedTuple, TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
sys.path.insert(0, str(ROOT / "bench"))

import _data  # noqa: E402

# Peak memory of the child itself: VmHWM starts afresh at exec, while ru_maxrss carries over
# the RSS of the parent that forked it (this script holds the dev pages: about 250 MB).
RUSAGE = ("import sys\n{body}\n"
          "print('PEAK', [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0], file=sys.stderr)")
C4 = ("import json, sys\nsys.path.insert(0, {bench!r})\nfrom _data import c4_filter\n"
      "out = open({out!r}, 'w', encoding='utf-8')\n"
      "for line in open({src!r}, encoding='utf-8'):\n"
      "    r = json.loads(line); r['text'] = c4_filter(r['text']); out.write(json.dumps(r, ensure_ascii=False) + '\\n')\n")
CLEAN = ("from cleaner.cli import main\nsys.argv = ['cleaner'] + {args!r}\n"
         "sys.stdout = open({out!r}, 'w')\ntry: main()\nexcept SystemExit: pass")
TRAFILATURA = ("import json, trafilatura\n"
               "for line in open({src!r}, encoding='utf-8'):\n"
               "    trafilatura.extract(json.loads(line)['text'], include_comments=False, include_tables=True)\n")


class Timing(NamedTuple):
    seconds: float       # start to exit, on the wall clock
    cpu: float           # CPU seconds (user and system) of the processes run and waited for
    peak_mb: float = 0.0


def clocked(run: Callable[[], T]) -> tuple[T, Timing]:
    """What ``run()`` returns, and its wall-clock and CPU seconds: ``run`` runs subprocesses and
    waits for them, and the CPU time is theirs (the OS adds a process's to its parent's
    children's when it is waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, Timing(seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def timed(code: str, cwd: Path = ROOT) -> Timing:
    """Seconds, CPU seconds and peak RSS (MB) of running ``code`` in a fresh interpreter,
    started in ``cwd`` (whose ``cleaner`` package, if it holds one, is imported before the
    installed one)."""
    proc, timing = clocked(lambda: subprocess.run([sys.executable, "-c", RUSAGE.format(body=code)],
                                                  capture_output=True, text=True, cwd=cwd))
    peak = [l for l in proc.stderr.splitlines() if l.startswith("PEAK ")]
    if proc.returncode != 0 or not peak:
        raise RuntimeError(proc.stderr[-2000:])
    return timing._replace(peak_mb=int(peak[-1].split()[1]) / 1024)


def cli(argv: list[str], out: Path) -> str:
    """Code running the cleaner CLI in-process with its stdout sent to ``out``."""
    return "import sys\n" + CLEAN.format(args=argv, out=str(out))


def checkout(rev: str, into: Path) -> Path:
    """The ``cleaner`` package of git revision ``rev`` of this repository, unpacked into the
    directory ``into`` (made if missing), which is returned: code run from there imports it."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "cleaner"],
                                 capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise SystemExit("--against needs git, and the repository's history") from None
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"--against {rev}: {error.stderr.decode(errors='replace').strip()}") from None
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # (the "data" filter, where this Python has it: no links or paths out of ``into``)
        tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return into


def median_of(runs: int, code: str) -> tuple[float, float]:
    results = [timed(code) for _ in range(runs)]
    return statistics.median(r.seconds for r in results), max(r.peak_mb for r in results)


class Paired(NamedTuple):
    first: float      # median seconds of the first
    second: float     # and of the second
    ratio: float      # the median of the turns' ratios first / second, of the seconds
    cpu_ratio: float  # and of the CPU seconds


def paired(runs: int, first: Callable[[], Timing], second: Callable[[], Timing]) -> Paired:
    """``first()`` and ``second()`` run in turns (a, b, a, b, ...), so that a slow spell of a
    shared machine hits both: their median seconds, and the medians of the per-turn ratios
    first/second."""
    a, b = [], []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return Paired(statistics.median(x.seconds for x in a), statistics.median(y.seconds for y in b),
                  statistics.median(x.seconds / y.seconds for x, y in zip(a, b)),
                  statistics.median(x.cpu / y.cpu for x, y in zip(a, b)))


def texts() -> list[str]:
    pages = _data.load_pages()
    derived = _data.derive(pages, ["html-text", "trafilatura"], _data.file_sha256(_data.data_file()))
    return [t for kind in ("html-text", "trafilatura") for t in derived.texts[kind].values() if t]


def write_jsonl(path: Path, docs: list[str], megabytes: float) -> tuple[int, int]:
    size = n = 0
    with open(path, "w", encoding="utf-8") as handle:
        while size < megabytes * 1e6:
            for text in docs:
                line = json.dumps({"id": str(n), "text": text}, ensure_ascii=False) + "\n"
                handle.write(line)
                size += len(line.encode())
                n += 1
                if size >= megabytes * 1e6:
                    break
    return size, n


def main() -> None:
    parser = argparse.ArgumentParser(description="cleaner speed benchmark")
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--html-pages", type=int, default=200)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--text-only", action="store_true", help="only the text-mode rows (quick)")
    parser.add_argument("--html-only", action="store_true", help="only the HTML-mode rows (quick)")
    parser.add_argument("--against", metavar="REV",
                        help="also time text mode with the code of this git revision (say, the one before a change) "
                             "on the same records, in turns with this code's")
    args = parser.parse_args()
    if args.against and args.html_only:
        parser.error("--against times text mode, which --html-only leaves out")
    rows: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # (unpacked first: a revision git does not know stops the run before any timing)
        other = checkout(args.against, tmp / "against") if args.against else None
        one_pass = tmp / "one-pass.toml"  # `clean --jsonl` learns site templates in a first pass unless told not to
        one_pass.write_text("[stages]\ntemplates = false\n")
        rules_only = tmp / "rules-only.toml"  # the line model off: the hand-written classifier instead
        rules_only.write_text("[stages]\ntemplates = false\nline_model = false\n")
        if args.html_only:
            rows["html"] = html_rows(args, tmp, one_pass)
            _print(rows)
            return
        corpus = tmp / "corpus.jsonl"
        size, n = write_jsonl(corpus, texts(), args.mb)
        mb = size / 1e6
        peaks = []
        text_mode = ["clean", "--jsonl", "--config", str(one_pass), str(corpus)]
        def clean_run() -> Timing:
            timing = timed(cli(text_mode, tmp / "o.jsonl"))
            peaks.append(timing.peak_mb)
            return timing
        clean_s, c4_s, _, _ = paired(args.runs, clean_run,
                                     lambda: timed(C4.format(bench=str(ROOT / "bench"), src=str(corpus), out=str(tmp / "c4.jsonl"))))
        clean_peak = max(peaks)
        rows["text"] = {"mb": round(mb, 1), "docs": n, "cleaner_s": round(clean_s, 2), "cleaner_mb_s": round(mb / clean_s, 2),
                        "docs_s": round(n / clean_s), "c4_s": round(c4_s, 2), "c4_mb_s": round(mb / c4_s, 2),
                        "ratio_to_c4": round(c4_s / clean_s, 3), "peak_rss_mb": round(clean_peak, 1)}
        # The line model against the hand-written rules it replaced, on the same corpus.
        model_s, rules_s, ratio, cpu_ratio = paired(
            args.runs, clean_run,
            lambda: timed(cli(["clean", "--jsonl", "--config", str(rules_only), str(corpus)], tmp / "r.jsonl")))
        rows["text"]["rules_s"] = round(rules_s, 2)
        rows["text"]["model_s"] = round(model_s, 2)
        rows["text"]["ratio_to_rules"] = round(ratio, 3)
        rows["text"]["cpu_ratio_to_rules"] = round(cpu_ratio, 3)
        # The same with the provenance log written: the model then also explains each line it
        # drops (the features that weighed most), which it skips when no log is kept.
        def logged(config: Path, name: str) -> Timing:
            return timed(cli(["clean", "--jsonl", "--config", str(config), "--log", str(tmp / f"{name}.log"), str(corpus)],
                             tmp / f"{name}.jsonl"))
        model_log_s, rules_log_s, log_ratio, log_cpu_ratio = paired(
            args.runs, lambda: logged(one_pass, "ml"), lambda: logged(rules_only, "rl"))
        rows["text"]["rules_log_s"] = round(rules_log_s, 2)
        rows["text"]["model_log_s"] = round(model_log_s, 2)
        rows["text"]["ratio_to_rules_log"] = round(log_ratio, 3)
        rows["text"]["cpu_ratio_to_rules_log"] = round(log_cpu_ratio, 3)
        if other is not None:
            # The same command with the package of another revision (run from where it is
            # unpacked, so that its `cleaner` is the one imported), in turns with this code's.
            _, against_s, against_ratio, against_cpu_ratio = paired(
                args.runs, clean_run,
                lambda: timed(cli(text_mode, tmp / "a.jsonl"), other))
            rows["text"]["against"] = {"rev": args.against, "seconds": round(against_s, 2), "ratio": round(against_ratio, 3),
                                       "cpu_ratio": round(against_cpu_ratio, 3)}
        if args.text_only:
            _print(rows)
            return
        small, _ = write_jsonl(tmp / "small.jsonl", texts(), args.mb / 4)
        _, small_peak = median_of(1, cli(["clean", "--jsonl", "--config", str(one_pass), str(tmp / "small.jsonl")], tmp / "o2.jsonl"))
        rows["memory"] = {"mb_small": round(small / 1e6, 1), "peak_small_mb": round(small_peak, 1),
                          "mb_large": round(mb, 1), "peak_large_mb": round(clean_peak, 1)}
        # `clean --jsonl --workers 2` against one process, on the smaller corpus: what a second
        # core gives a stream (no target; the text-mode target is for one process).
        def stream(workers: int) -> Timing:
            return timed(cli(["clean", "--jsonl", "--workers", str(workers), "--config", str(one_pass), str(tmp / "small.jsonl")],
                             tmp / "s.jsonl"))
        s1, s2, stream_speedup, _ = paired(args.runs, lambda: stream(1), lambda: stream(2))
        rows["stream"] = {"mb": round(small / 1e6, 1), "workers1_mb_s": round(small / 1e6 / s1, 2),
                          "workers2_mb_s": round(small / 1e6 / s2, 2), "speedup": round(stream_speedup, 2)}

        rows["html"] = html_rows(args, tmp, one_pass)
        pages = _data.load_pages()[: args.html_pages]
        # The default two-pass mode on the same pages with their urls (a record's site is its
        # url's host): the first pass extracts every page to count its lines, then the second
        # cleans. Both passes run on the workers.
        sited = tmp / "pages-urls.jsonl"
        with open(sited, "w", encoding="utf-8") as handle:
            for page in pages:
                handle.write(json.dumps({"id": page.id, "url": page.url, "text": page.html}, ensure_ascii=False) + "\n")
        def two_pass(workers: int) -> Timing:
            return timed(cli(["clean", "--jsonl", "--html", "--workers", str(workers), str(sited)], tmp / "t.jsonl"))
        t1, t2, two_pass_speedup, _ = paired(args.runs, lambda: two_pass(1), lambda: two_pass(2))
        rows["two_pass"] = {"pages": len(pages), "workers1_s": round(t1, 2), "workers2_s": round(t2, 2),
                            "speedup": round(two_pass_speedup, 2)}

        # The corpus as files in 40 folders, and the same files (hard links: batch follows no
        # link out of its SRC) in two halves of those folders, for the ceiling below.
        files, halves = tmp / "files", [tmp / "half0", tmp / "half1"]
        for i, line in enumerate(open(tmp / "small.jsonl", encoding="utf-8")):
            folder, half = files / f"{i % 40:02}", halves[i % 40 % 2] / f"{i % 40:02}"
            folder.mkdir(parents=True, exist_ok=True)
            half.mkdir(parents=True, exist_ok=True)
            (folder / f"{i}.txt").write_text(json.loads(line)["text"], encoding="utf-8")
            (half / f"{i}.txt").hardlink_to(folder / f"{i}.txt")
        cleaner_bin = str(Path(sys.executable).parent / "cleaner")
        def batch(workers: int) -> Timing:
            dest = tmp / f"dest{workers}"
            timing = timed(cli(["batch", str(files), str(dest), "--no-templates", "--workers", str(workers)], tmp / "b.out"))
            shutil.rmtree(dest)  # not timed, as in pair() below: removing the outputs is no part of a batch
            return timing

        w1, w2, speedup, _ = paired(args.runs, lambda: batch(1), lambda: batch(2))
        # What two cores give this workload at best: two independent one-worker batches, one
        # half of the folders each, run one after the other and then side by side.
        def pair(side_by_side: bool) -> Timing:
            commands = [[cleaner_bin, "batch", str(h), str(tmp / f"dest-{h.name}"), "--no-templates", "--workers", "1"]
                        for h in halves]

            def run() -> None:
                if side_by_side:
                    for proc in [subprocess.Popen(c, stderr=subprocess.DEVNULL) for c in commands]:
                        proc.wait()
                else:
                    for c in commands:
                        subprocess.run(c, stderr=subprocess.DEVNULL, check=True)
            _, timing = clocked(run)
            for h in halves:
                shutil.rmtree(tmp / f"dest-{h.name}")
            return timing
        _, _, ceiling, _ = paired(args.runs, lambda: pair(False), lambda: pair(True))
        rows["batch"] = {"workers1_s": round(w1, 2), "workers2_s": round(w2, 2), "speedup": round(speedup, 2),
                         "ceiling": round(ceiling, 2)}

        one = tmp / "one.txt"
        one.write_text((ROOT / "seeds" / "000_5ee60291405f7b65.txt").read_text(encoding="utf-8"), encoding="utf-8")
        starts = []
        for _ in range(max(5, args.runs)):
            t = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "cleaner"), "clean", str(one)], capture_output=True, check=True)
            starts.append(time.perf_counter() - t)
        rows["startup_s"] = round(statistics.median(starts), 3)

    _print(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


def html_rows(args, tmp: Path, one_pass: Path) -> dict:
    """`clean --jsonl --html` (the block model) against trafilatura.extract alone on the same
    pages, and against `--extractor trafilatura` (trafilatura, then the text stages);
    `--extractor fast` against trafilatura.extract alone."""
    pages = _data.load_pages()[: args.html_pages]
    html_path = tmp / "pages.jsonl"
    with open(html_path, "w", encoding="utf-8") as handle:
        for page in pages:
            handle.write(json.dumps({"id": page.id, "text": page.html}, ensure_ascii=False) + "\n")

    def clean_html(*extra: str) -> Timing:
        return timed(cli(["clean", "--jsonl", "--html", *extra, "--config", str(one_pass), str(html_path)], tmp / "h.jsonl"))

    def trafilatura_alone() -> Timing:
        return timed(TRAFILATURA.format(src=str(html_path)))

    html_s, traf_s, html_ratio, html_cpu_ratio = paired(args.runs, clean_html, trafilatura_alone)
    _, stages_s, stages_ratio, stages_cpu_ratio = paired(args.runs, clean_html, lambda: clean_html("--extractor", "trafilatura"))
    fast_s, fast_traf_s, fast_ratio, fast_cpu_ratio = paired(args.runs, lambda: clean_html("--extractor", "fast"),
                                                             trafilatura_alone)
    return {"pages": len(pages), "cleaner_s": round(html_s, 2), "trafilatura_s": round(traf_s, 2),
            "ratio": round(html_ratio, 3), "cpu_ratio": round(html_cpu_ratio, 3), "extractor_trafilatura_s": round(stages_s, 2),
            "ratio_to_extractor_trafilatura": round(stages_ratio, 3),
            "cpu_ratio_to_extractor_trafilatura": round(stages_cpu_ratio, 3),
            "fast_s": round(fast_s, 2), "fast_trafilatura_s": round(fast_traf_s, 2), "fast_ratio": round(fast_ratio, 3),
            "fast_cpu_ratio": round(fast_cpu_ratio, 3)}


def _print(rows: dict) -> None:
    if "text" not in rows:
        _print_html(rows["html"])
        return
    t = rows["text"]
    print(f"text mode  {t['mb']} MB, {t['docs']} docs: cleaner {t['cleaner_mb_s']} MB/s ({t['docs_s']} docs/s), "
          f"C4 filter {t['c4_mb_s']} MB/s, ratio {t['ratio_to_c4']}   (targets: >= 10 MB/s, >= 0.15 x C4)")
    print(f"           line model on: {t['model_s']} s, off (the hand-written rules instead): {t['rules_s']} s, "
          f"ratio {t['ratio_to_rules']} (CPU {t['cpu_ratio_to_rules']})   (target: <= 1.5)")
    print(f"           with --log (the model explains each removal): on {t['model_log_s']} s, off {t['rules_log_s']} s, "
          f"ratio {t['ratio_to_rules_log']} (CPU {t['cpu_ratio_to_rules_log']})")
    if "against" in t:
        a = t["against"]
        print(f"           the code of {a['rev']}: {a['seconds']} s; this code's time / its: {a['ratio']} (CPU {a['cpu_ratio']})")
    if "stream" not in rows:
        return
    w = rows["stream"]
    print(f"stream     `clean --jsonl --workers 2` on {w['mb']} MB: {w['workers2_mb_s']} MB/s against {w['workers1_mb_s']} MB/s "
          f"in one process, speed-up {w['speedup']}   (no target)")
    m = rows["memory"]
    print(f"memory     peak RSS {m['peak_small_mb']} MB at {m['mb_small']} MB, {m['peak_large_mb']} MB at {m['mb_large']} MB   (target: flat)")
    _print_html(rows["html"])
    p = rows["two_pass"]
    print(f"two-pass   `clean --jsonl --html`, templates learned first, {p['pages']} pages with urls: workers 1: {p['workers1_s']} s, "
          f"workers 2: {p['workers2_s']} s, speed-up {p['speedup']}   (no target)")
    b = rows["batch"]
    print(f"batch      workers 1: {b['workers1_s']} s, workers 2: {b['workers2_s']} s, speed-up {b['speedup']}   (target: >= 1.8 on 2 cores)\n"
          f"           two independent one-worker batches on halves of the files, side by side: speed-up {b['ceiling']} (what the machine allows)")
    print(f"start-up   one small file, start to exit: {rows['startup_s']} s   (target: <= 0.3 s)")


def _print_html(h: dict) -> None:
    print(f"html mode  {h['pages']} pages: cleaner {h['cleaner_s']} s, trafilatura alone {h['trafilatura_s']} s, "
          f"ratio {h['ratio']} (CPU {h['cpu_ratio']})   (target: <= 1.3)\n"
          f"           --extractor trafilatura (then the text stages): {h['extractor_trafilatura_s']} s, "
          f"block model / that {h['ratio_to_extractor_trafilatura']} (CPU {h['cpu_ratio_to_extractor_trafilatura']})\n"
          f"           --extractor fast (no trafilatura where the blocks are kept): {h['fast_s']} s, trafilatura alone "
          f"{h['fast_trafilatura_s']} s, ratio {h['fast_ratio']} (CPU {h['fast_cpu_ratio']})")


if __name__ == "__main__":
    main()
