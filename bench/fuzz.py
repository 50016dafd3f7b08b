"""Random documents through the cleaner: restore must give the input back and cleaning the
clean text must change nothing. Runs for a while and reports every case that fails.

    .venv/bin/python bench/fuzz.py                     # 60 s, seed 1
    .venv/bin/python bench/fuzz.py --seconds 600 --seed 7

Documents mix lines that rules act on (chrome phrases, counters, dates, glued headlines,
mojibake) with random runs of Latin, Latin-1, C1 controls, odd spaces, zero-width and
combining characters, CJK and Arabic, joined by LF, blank lines or CRLF. Text mode only
(an HTML page restores to the text extracted from it, not to itself). Exit status 1 when
any case failed. The hypothesis properties in tests/test_properties.py hold the cases it
found as examples.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

WORDY = [
    "The council approved the harbour budget after a long debate on Tuesday evening.",
    "Follow us on Twitter", "12 Comments", "0", "Share", "Wednesday , 1 May 2024", "Advertisement",
    "Sentence end.HEADLINE KICKERGlued headline about markets", "cafÃ© â€” ok", "Home", "Menu",
    "Weitere Informationen:", "東京の桜が咲いた。", "مرحبا بالعالم", "", "   ", "\t",
]
CHARS = [chr(c) for c in [*range(0x20, 0x7F), *range(0x80, 0x250), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C,
                          0x201D, 0x20AC, 0x2122, 0x200B, 0xFEFF, 0x00AD, 0x2009, 0x202F, 0x0301, 0x0302,
                          0x0308, 0x2026, 0x00A0, 0x0A, 0x0D, 0x09]]


def document(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.4:
            lines.append(rng.choice(WORDY))
        else:
            lines.append("".join(rng.choice(CHARS) for _ in range(rng.randint(0, 12))))
    return rng.choice(["\n", "\n\n", "\r\n"]).join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="print at most this many failing cases")
    args = parser.parse_args()

    from cleaner import Pipeline, restore

    pipeline, rng = Pipeline(), random.Random(args.seed)
    cases = failures = 0
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        text = document(rng)
        cases += 1
        first = pipeline.clean(text, html=False)
        problem = None
        if restore(first.text, first.edits) != text:
            problem = "restore differs"
        else:
            second = pipeline.clean(first.text, html=False)
            if second.text != first.text:
                problem = f"not idempotent: {[(e.rule, e.original) for e in second.edits]}"
        if problem:
            failures += 1
            if failures <= args.show:
                print(f"{problem}\n  input: {text!r}\n  clean: {first.text!r}")
    print(f"{cases} documents, {failures} failed (seed {args.seed}, {args.seconds:g} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
