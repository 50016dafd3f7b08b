"""Pathological inputs, timed as seconds per MB at several sizes (flat = linear).

    .venv/bin/python bench/pathological.py            # 1, 2 and 4 MB
    .venv/bin/python bench/pathological.py --sizes 1 5 10 50

HTML cases measure how fast a page past the extraction limits (depth, tag count) is refused.
"""

from __future__ import annotations

import argparse
import time

from cleaner import Pipeline
from cleaner.io.html import ExtractError


def single_line(mb: float) -> str:
    words = "alpha beta gamma, delta. Epsilon zeta eta theta! "
    return words * int(mb * 1e6 / len(words))


def empty_lines(mb: float) -> str:
    return "Opening line.\n" + "\n" * int(mb * 1e6) + "Closing line.\n"


def sports_table(mb: float) -> str:
    row = "{:>3} | {:>2}-{:<2} | {:>5.1f}% | 1:0{},{} | +{}\n"
    n = int(mb * 1e6 / 35)
    return "".join(row.format(i % 500, i % 7, i % 5, (i % 1000) / 10, i % 10, i % 9, i % 13) for i in range(n))


def deep_html(mb: float) -> str:
    n = int(mb * 1e6 / 11)
    return "<html><body>" + "<div>" * n + "<p>x</p>" + "</div>" * n + "</body></html>"


def many_tags(mb: float) -> str:
    return "<html><body>" + "<i>x</i>" * int(mb * 1e6 / 8) + "</body></html>"


def non_latin(mb: float) -> str:
    block = ("首页\n分享\n广告\n\n" + "东京的樱花今年比往年提前一周开放，市民纷纷前往公园赏花。\n\n" * 5
             + "الرئيسية\nشارك\n\n" + "أعلنت البلدية اليوم عن خطة جديدة لتحسين شبكة النقل العام في المدينة.\n\n" * 5
             + "דף הבית\nשתפו\n\n" + "עיריית תל אביב הודיעה היום על תוכנית חדשה לשיפור התחבורה הציבורית בעיר.\n\n" * 5)
    return block * max(1, int(mb * 1e6 / len(block.encode())))


CASES = {
    "single line": (single_line, False),
    "empty lines": (empty_lines, False),
    "sports table": (sports_table, False),
    "CJK/Arabic/Hebrew": (non_latin, False),
    "HTML 100k+ deep": (deep_html, True),
    "HTML many tags": (many_tags, True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4], help="sizes in MB")
    args = parser.parse_args()
    pipeline = Pipeline()
    print(f"{'case':<20}" + "".join(f"{f'{s:g} MB':>10}" for s in args.sizes) + "   (seconds per MB)")
    for name, (make, html) in CASES.items():
        cells = []
        for size in args.sizes:
            text = make(size)
            mb = len(text.encode()) / 1e6
            start = time.perf_counter()
            try:
                pipeline.clean(text, html=html)
                outcome = ""
            except ExtractError:
                outcome = "*"
            cells.append(f"{(time.perf_counter() - start) / mb:.3f}{outcome}")
        print(f"{name:<20}" + "".join(f"{c:>10}" for c in cells))
    print("* refused with a one-line ExtractError (past the extraction limits)")


if __name__ == "__main__":
    main()
