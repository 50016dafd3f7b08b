#!/usr/bin/env python3
"""Quality benchmark: snippet precision, recall and F1 of cleaner against baselines.

Three ways to feed a page (see ../shared/data/README.md):
  raw   a full-page text dump (html-text, inscriptis) -> cleaner
  post  trafilatura's output                          -> cleaner
  html  the page itself                               -> cleaner(html=True)
Each mode is printed beside baselines computed in the same run. See bench/README.md.

    python bench/quality.py                     # all pages, all modes
    python bench/quality.py --subset gate       # the quality-gate pages
    python bench/quality.py --modes raw --show-errors 10
    python bench/quality.py --by-host           # also: templates learned per host first
    python bench/quality.py --sets              # wcxb-dev, fundus, dev-pages: validation parts
                                                # (word F1; options of bench/quality_sets.py)
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _data  # noqa: E402
from _data import Page, PageResult, Score  # noqa: E402

MODES = ("raw", "post", "html")
RAW_DUMPS = ("html-text", "inscriptis")
LANGS = ("en", "de")  # per-language columns


# ------------------------------------------------------------------------- cleaner

def cleaner_status() -> tuple[Callable | None, str]:
    """(clean, version) when cleaner imports, else (None, the reason)."""
    try:
        import cleaner
        from cleaner import clean
    except Exception as exc:  # noqa: BLE001 - any failure means "not there yet"
        return None, f"cleaner not importable: {type(exc).__name__}: {exc}"
    return clean, getattr(cleaner, "__version__", "?")


CONFIG_ENV = "CLEANER_BENCH_CONFIG"  # set by --config; read in each worker process


@functools.lru_cache(maxsize=1)
def _config():
    """The configuration given with --config (None: the defaults)."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        return None
    from cleaner import Config

    return Config.load(path)


def _clean_one(task: tuple) -> tuple[str, str, str | None]:
    page_id, text, html, *by_host = task
    from cleaner import clean

    try:
        if by_host:
            return page_id, _clean_by_host(text, html, *by_host), None
        return page_id, clean(text, config=_config(), html=html).text, None
    except Exception as exc:  # noqa: BLE001 - counted as an empty output and reported
        return page_id, "", f"{type(exc).__name__}: {exc}"


def _clean_by_host(text: str, html: bool, url: str, templates) -> str:
    from cleaner import Pipeline

    return Pipeline(_config(), templates=templates).clean(text, html=html, url=url).text


def learn_by_host(inputs: dict[str, str], urls: dict[str, str], html: bool):
    """Site templates learned from the inputs, each page filed under its URL's host."""
    from cleaner.corpus.passes import learn

    return learn(((text, urls.get(page_id), None) for page_id, text in inputs.items()), html=html)


def _host_count(urls: dict[str, str]) -> int:
    from cleaner.corpus.sites import host_of

    return len({host_of(url) or url for url in urls.values()})


def run_cleaner(inputs: dict[str, str], html: bool, workers: int,
                urls: dict[str, str] | None = None, templates=None) -> tuple[dict, dict]:
    """Clean every input; with ``urls`` and ``templates``, with the templates of each host."""
    tasks = [(page_id, text, html) for page_id, text in inputs.items()]
    if urls is not None:
        tasks = [(*task, urls.get(task[0]), templates) for task in tasks]
    outputs, errors = {}, {}
    for page_id, text, error in _data.pool_map(_clean_one, tasks, workers):
        outputs[page_id] = text
        if error:
            errors[page_id] = error
    return outputs, errors


# --------------------------------------------------------------------- evaluation

@dataclass
class Row:
    mode: str
    source: str                     # what was fed: a dump, trafilatura's output, the page
    system: str                     # "as is", "C4 filter", "cleaner", a baseline's name
    results: list[PageResult] | None = None   # None when the row could not run
    note: str = ""                  # why a row did not run
    errors: dict[str, str] = field(default_factory=dict)   # page id -> exception
    reference: dict[str, str] | None = None   # the cleaner's input, for --show-errors
    seconds: float | None = None

    @property
    def label(self) -> str:
        return f"{self.mode:<5} {self.source:<11} {self.system}"

    @property
    def score(self) -> Score:
        return _data.total(self.results or [])

    def lang_score(self, lang: str) -> Score:
        return _data.total(self.results or [], lang)

    def as_dict(self) -> dict:
        out = {"mode": self.mode, "input": self.source, "system": self.system,
               "available": self.results is not None}
        if self.results is None:
            out["note"] = self.note
            return out
        out.update(self.score.as_dict())
        out["by_lang"] = {lang: self.lang_score(lang).as_dict() for lang in LANGS}
        if self.seconds is not None:
            out["seconds"] = round(self.seconds, 2)
        if self.errors:
            out["errors"] = self.errors
        return out


def _scored(pages: Sequence[Page], outputs: dict[str, str]) -> list[PageResult]:
    return [_data.score_page(outputs.get(p.id, ""), p) for p in pages]


def evaluate(pages: Sequence[Page], modes: Sequence[str] = MODES,
             raw_dumps: Sequence[str] = RAW_DUMPS, data_hash: str | None = None,
             workers: int = _data.WORKERS, use_cache: bool = True, justext: bool = True,
             log: Callable[[str], None] = lambda msg: None,
             by_host: bool = False) -> tuple[list[Row], dict]:
    """Every row of the table for these pages; also returns timings and cache counts.

    ``justext=False`` leaves out the jusText row (the only baseline that costs time
    beyond the texts the cleaner rows need anyway). ``by_host=True`` adds, after each
    cleaner row, a "cleaner+host" row: site templates learned over the pages grouped
    by their URL's host, then cleaning with them.
    """
    kinds = []
    if "raw" in modes:
        kinds += list(raw_dumps)
    if "post" in modes or "html" in modes:
        kinds.append("trafilatura")
    if "html" in modes and justext:
        kinds.append("justext")
    info: dict = {}
    start = time.perf_counter()
    derived = _data.derive(pages, kinds, data_hash, workers=workers, use_cache=use_cache)
    info["derive_seconds"] = round(time.perf_counter() - start, 2)
    info["derived_cached"], info["derived_computed"] = derived.cached, derived.computed
    info["derive_errors"] = {k: v for k, v in derived.errors.items() if v}
    log(f"derived texts: {derived.cached} from cache, {derived.computed} computed "
        f"in {info['derive_seconds']:.1f}s")

    clean, status = cleaner_status()
    info["cleaner"] = status

    def cleaner_row(mode: str, source: str, inputs: dict[str, str], html: bool,
                    reference: dict[str, str], urls: dict[str, str] | None = None) -> Row:
        system = "cleaner" if urls is None else "cleaner+host"
        if clean is None:
            return Row(mode, source, system, note=f"n/a ({status})")
        start = time.perf_counter()
        templates = None
        if urls is not None:
            templates = learn_by_host(inputs, urls, html)
            log(f"templates learned on {mode}/{source}: {templates.line_count()} lines for "
                f"{len(templates.sites)} of {_host_count(urls)} hosts")
        outputs, errors = run_cleaner(inputs, html, workers, urls, templates)
        seconds = time.perf_counter() - start
        log(f"{system} on {mode}/{source}: {seconds:.1f}s")
        return Row(mode, source, system, _scored(pages, outputs), errors=errors,
                   reference=reference, seconds=seconds)

    def cleaner_rows(mode: str, source: str, inputs: dict[str, str], html: bool,
                     reference: dict[str, str]) -> list[Row]:
        rows = [cleaner_row(mode, source, inputs, html, reference)]
        if by_host:
            urls = {p.id: p.url for p in pages}
            rows.append(cleaner_row(mode, source, inputs, html, reference, urls))
        return rows

    rows: list[Row] = []
    for mode in modes:
        if mode == "raw":
            for dump in raw_dumps:
                texts = derived.texts[dump]
                rows.append(Row(mode, dump, "as is", _scored(pages, texts)))
                rows.append(Row(mode, dump, "C4 filter", _scored(
                    pages, {i: _data.c4_filter(t) for i, t in texts.items()})))
                rows.extend(cleaner_rows(mode, dump, texts, False, texts))
        elif mode == "post":
            texts = derived.texts["trafilatura"]
            rows.append(Row(mode, "trafilatura", "as is", _scored(pages, texts)))
            rows.append(Row(mode, "trafilatura", "C4 filter", _scored(
                pages, {i: _data.c4_filter(t) for i, t in texts.items()})))
            rows.extend(cleaner_rows(mode, "trafilatura", texts, False, texts))
        elif mode == "html":
            rows.append(Row(mode, "page", "trafilatura",
                            _scored(pages, derived.texts["trafilatura"])))
            if justext:
                rows.append(Row(mode, "page", "jusText",
                                _scored(pages, derived.texts["justext"])))
            rows.extend(cleaner_rows(mode, "page", {p.id: p.html for p in pages}, True,
                                     derived.texts["trafilatura"]))
        else:
            raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    return rows, info


# ------------------------------------------------------------------------ printing

def format_table(rows: Sequence[Row]) -> str:
    head = (f"{'mode  input       system':<32} {'P':>6} {'R':>6} {'F1':>6} "
            f"{'TP':>5} {'FN':>5} {'FP':>5}  " + " ".join(f"{'F1 ' + l:>6}" for l in LANGS))
    lines = [head, "-" * len(head)]
    previous_mode = None
    for row in rows:
        if previous_mode is not None and row.mode != previous_mode:
            lines.append("")
        previous_mode = row.mode
        if row.results is None:
            lines.append(f"{row.label:<32} {row.note}")
            continue
        s = row.score
        langs = " ".join(f"{row.lang_score(l).f1:6.3f}" for l in LANGS)
        lines.append(f"{row.label:<32} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                     f"{s.tp:5d} {s.fn:5d} {s.fp:5d}  {langs}")
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    text = _data.collapse_ws(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_errors(row: Row, n: int, width: int = 160) -> str:
    """The n worst pages of a cleaner row: missed `with` and leaked `without` snippets."""
    results = row.results or []
    ref = {i: _data.collapse_ws(t) for i, t in (row.reference or {}).items()}
    what = "trafilatura's output" if row.mode == "html" else "the input"
    missed = [(r.page.id, s) for r in results for s in r.missed]
    absent = sum(1 for pid, s in missed if _data.collapse_ws(s) not in ref.get(pid, ""))
    lines = [f"== {row.label}: {len(missed)} `with` snippets missing ({len(missed) - absent} "
             f"removed by cleaner, {absent} already absent from {what}), "
             f"{sum(len(r.leaked) for r in results)} `without` snippets leaked, "
             f"{len(row.errors)} pages raised"]
    def present(res: PageResult) -> int:  # missed snippets the cleaner itself removed
        return sum(1 for s in res.missed if _data.collapse_ws(s) in ref.get(res.page.id, ""))

    # Worst first by what the cleaner can fix: snippets it removed plus chrome it kept.
    worst = sorted((r for r in results if r.missed or r.leaked),
                   key=lambda r: (-(present(r) + r.score.fp), -(r.score.fn + r.score.fp),
                                  r.page.id))
    for res in worst[:n]:
        page = res.page
        lines.append(f"-- {page.id} [{page.lang}] FN {res.score.fn} FP {res.score.fp}  {page.url}")
        if page.id in row.errors:
            lines.append(f"   raised: {row.errors[page.id]}")
        for snip in res.missed:
            if _data.collapse_ws(snip) in ref.get(page.id, ""):
                lines.append(f"   removed: {_short(snip, width)}")
            else:
                lines.append(f"   missed:  {_short(snip, width)}  [absent from {what}]")
        for snip in res.leaked:
            lines.append(f"   leaked:  {_short(snip, width)}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main

def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--modes", default=",".join(MODES),
                    help="comma-separated subset of raw,post,html (default: all)")
    ap.add_argument("--raw-dumps", default=",".join(RAW_DUMPS),
                    help="text dumps for the raw mode (default: html-text,inscriptis)")
    ap.add_argument("--subset", choices=("all", "gate"), default="all",
                    help="gate: the pages listed in tests/quality_gate_pages.txt")
    ap.add_argument("--limit", type=int, help="only the first N pages (after --subset)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N",
                    help="for each cleaner row, print the N worst pages with their "
                         "missed and leaked snippets")
    ap.add_argument("--workers", type=int, default=_data.WORKERS, help="processes (default 2)")
    ap.add_argument("--config", metavar="TOML", help="clean with this configuration (thresholds, rules off, patterns)")
    ap.add_argument("--no-cache", action="store_true", help="neither read nor write bench/.cache")
    ap.add_argument("--data", help=f"data file or folder (default: ${_data.DATA_ENV} or "
                                    "../shared/data beside the repo)")
    ap.add_argument("--by-host", action="store_true",
                    help="add a 'cleaner+host' row after each cleaner row: site templates "
                         "learned over the pages grouped by URL host, then cleaning with them")
    ap.add_argument("--write-gate-list", action="store_true",
                    help="rewrite tests/quality_gate_pages.txt from the data file and exit")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--sets" in argv:
        # The three labelled sets, word F1, validation part: bench/quality_sets.py.
        import quality_sets

        argv.remove("--sets")
        return quality_sets.main(argv)
    args = parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    dumps = [d.strip() for d in args.raw_dumps.split(",") if d.strip()]
    for bad in [m for m in modes if m not in MODES] + [d for d in dumps if d not in RAW_DUMPS]:
        print(f"unknown mode or dump: {bad}", file=sys.stderr)
        return 2
    if args.data:
        os.environ[_data.DATA_ENV] = args.data
    if args.config:
        os.environ[CONFIG_ENV] = str(Path(args.config).resolve())
    path = _data.data_file()
    if not path.exists():
        print(f"no data file at {path} (set {_data.DATA_ENV})", file=sys.stderr)
        return 2

    started = time.perf_counter()
    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr)

    data_hash = _data.file_sha256(path)
    pages = _data.load_pages(path)
    log(f"loaded {len(pages)} pages from {path}")
    if args.write_gate_list:
        _data.write_gate_list(pages)
        print(f"wrote {_data.GATE_LIST}")
        return 0
    if args.subset == "gate":
        pages = _data.select(pages, _data.read_id_list())
    if args.limit:
        pages = pages[: args.limit]

    rows, info = evaluate(pages, modes, dumps, data_hash, workers=args.workers,
                          use_cache=not args.no_cache, log=log, by_host=args.by_host)
    elapsed = time.perf_counter() - started

    langs = {lang: sum(p.lang == lang for p in pages) for lang in LANGS}
    print(f"data: {path} (sha256 {data_hash[:12]}), subset: {args.subset}, "
          f"{len(pages)} pages ({', '.join(f'{n} {l}' for l, n in langs.items())}, "
          f"{len(pages) - sum(langs.values())} other), "
          f"{sum(len(p.with_) for p in pages)} with / {sum(len(p.without) for p in pages)} "
          "without snippets")
    print(f"cleaner: {info['cleaner']}")
    print()
    print(format_table(rows))
    print()
    for row in rows:
        if row.errors:
            first = next(iter(row.errors.items()))
            print(f"note: {row.label} raised on {len(row.errors)} pages (scored as empty "
                  f"output), e.g. {first[0]}: {first[1]}")
    for kind, errors in info["derive_errors"].items():
        print(f"note: making {kind} failed on {len(errors)} pages (scored as empty output)")
    timing = ", ".join(f"{r.mode}/{r.source} {r.seconds:.1f}s" for r in rows
                       if r.seconds is not None)
    print(f"time: {elapsed:.1f}s total; derived texts {info['derive_seconds']:.1f}s "
          f"({info['derived_cached']} cached, {info['derived_computed']} computed)"
          + (f"; cleaner {timing}" if timing else ""))

    if args.show_errors:
        for row in rows:
            if row.system == "cleaner" and row.results is not None:
                print()
                print(format_errors(row, args.show_errors))

    if args.json:
        report = {
            "data": str(path), "data_sha256": data_hash, "subset": args.subset,
            "limit": args.limit, "pages": len(pages), "langs": langs,
            "versions": _data.versions(), "cleaner": info["cleaner"],
            "rows": [row.as_dict() for row in rows],
            "seconds": {"total": round(elapsed, 2), "derive": info["derive_seconds"]},
        }
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
