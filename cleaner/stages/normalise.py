"""Normalise: repair the text's encoding and characters before anything looks at it.

Each rule is one small function returning replacement spans over the current text. The
pipeline applies them in three passes (mojibake, characters, NFC) because a later pass must
see what an earlier one made. Curly quotes, dashes and other real punctuation are content:
nothing here touches them.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Iterator

import regex

from cleaner import screens
from cleaner.patterns import PatternTimeout, budget

from cleaner.document import Document, Span
from cleaner.segment import Segments
from cleaner.stages.base import Rule, Stage, rule

# Two characters that UTF-8 read as Latin-1/cp1252 typically leaves side by side. (The
# standard library's re: it scans plain character classes about twice as fast as regex.)
_MOJIBAKE_SCREEN = re.compile(
    "[\u00c2-\u00c3\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_ZERO_WIDTH_CHARS = r"\u200b\u2060\ufeff\u00ad"
_ODD_SPACE_CHARS = r"\u00a0\u2000-\u200a\u202f\u205f"
_SURROGATE_CHARS = r"\ud800-\udfff"
_CONTROL = regex.compile(f"[{_CONTROL_CHARS}]+")
_ZERO_WIDTH = regex.compile(f"[{_ZERO_WIDTH_CHARS}]+")
_ODD_SPACE = regex.compile(f"[{_ODD_SPACE_CHARS}]")
_CR = regex.compile(r"\r\n?")
_SURROGATE = regex.compile(f"[{_SURROGATE_CHARS}]")
# Every character the character pass's rules act on, in one class: every match of those
# rules starts with one, so a text holding none (nine texts in ten) skips their five scans.
_CHARACTERS_SCREEN = re.compile(rf"[\r{_CONTROL_CHARS}{_ZERO_WIDTH_CHARS}{_ODD_SPACE_CHARS}{_SURROGATE_CHARS}]")

_FTFY_CONFIG = None


def _ftfy_config():
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        import ftfy

        _FTFY_CONFIG = ftfy.TextFixerConfig(
            unescape_html=False,
            remove_terminal_escapes=False,
            fix_latin_ligatures=False,
            fix_character_width=False,
            uncurl_quotes=False,
            fix_line_breaks=False,
            remove_control_chars=False,
            normalization=None,
            explain=False,
        )
    return _FTFY_CONFIG


def _diff_span(start: int, old: str, new: str) -> tuple[int, int, str]:
    """The smallest (start, end, replacement) that turns ``old`` (at ``start``) into ``new``."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return start + prefix, start + len(old) - suffix, new[prefix : len(new) - suffix]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


# The screen's first characters: a text holding none of them (most) needs no regex scan.
_MOJIBAKE_LEADS = "\u00c2\u00c3\u00c5\u00e2"


def _may_hold_mojibake(text: str) -> bool:
    """Whether :data:`_MOJIBAKE_SCREEN` finds anything in ``text``: a search for each of its
    four first characters (``in``, a fast memory scan) rules most texts out before the
    regex scans them."""
    return any(lead in text for lead in _MOJIBAKE_LEADS) and _MOJIBAKE_SCREEN.search(text) is not None


@rule(pre_check=_may_hold_mojibake, miss=())
def fix_mojibake(text: str) -> Iterator[tuple[int, int, str]]:
    """Repair mojibake with ftfy, only on lines a cheap screen finds suspicious.

    >>> list(fix_mojibake("cafÃ© â€” ok"))
    [(3, 5, 'é'), (6, 9, '—')]

    Text dense with mojibake is slow to repair (about 10 s/MB): past the time the patterns
    get for a text of its length (:func:`cleaner.patterns.budget`), :class:`PatternTimeout`
    stops the repair, and the document is left unchanged by this rule (the stage notes it).
    """
    screened = screens.on()
    import ftfy

    config = _ftfy_config()
    limit, started = budget(len(text)), time.perf_counter()

    def fix(piece: str) -> str:
        fixed = ftfy.fix_text(piece, config)
        if time.perf_counter() - started > limit:
            raise PatternTimeout("fix_mojibake", None, limit)
        return fixed

    for start, line in _lines(text):
        if screened and not _MOJIBAKE_SCREEN.search(line):
            continue
        # ftfy judges a stretch by its neighbours, spaces included ("Å² " is left alone,
        # "Å²" at a line's end becomes "Ų"), and emit strips the spaces around a line: the
        # line is judged without them, or cleaning the clean text would repair it again.
        indent = len(line) - len(line.lstrip())
        start, line = start + indent, line.strip()
        fixed = fix(line)
        if fixed == line:
            continue
        # Report each changed stretch separately so the log stays readable.
        for match in _MOJIBAKE_RUNS.finditer(line):
            piece = match.group()
            repaired = fix(piece)
            if repaired != piece:
                yield _diff_span(start + match.start(), piece, repaired)


# Runs of non-ASCII characters (with the ASCII bytes cp1252 mojibake can contain between them).
_MOJIBAKE_RUNS = regex.compile(r"[^\x00-\x7f](?:[^\x00-\x7f]|[\x21-\x7e](?=[^\x00-\x7f]))*")


@rule
def fix_line_endings(text: str) -> Iterator[tuple[int, int, str]]:
    """Turn Windows and old Mac line endings into "\\n".

    >>> list(fix_line_endings("a\\r\\nb\\rc"))
    [(1, 3, '\\n'), (4, 5, '\\n')]
    """
    for match in _CR.finditer(text):
        yield match.start(), match.end(), "\n"


@rule
def strip_control_chars(text: str) -> Iterator[tuple[int, int, str]]:
    """Remove control characters other than tab and newline.

    >>> list(strip_control_chars("a\\x07b"))
    [(1, 2, '')]
    """
    for match in _CONTROL.finditer(text):
        yield match.start(), match.end(), ""


@rule
def strip_zero_width(text: str) -> Iterator[tuple[int, int, str]]:
    """Remove zero-width spaces, word joiners, stray byte-order marks and soft hyphens.

    >>> list(strip_zero_width("a\\u200bb"))
    [(1, 2, '')]
    """
    for match in _ZERO_WIDTH.finditer(text):
        yield match.start(), match.end(), ""


@rule
def normalise_spaces(text: str) -> Iterator[tuple[int, int, str]]:
    """Turn non-breaking and other odd spaces into plain spaces.

    >>> list(normalise_spaces("10\\u00a0km"))
    [(2, 3, ' ')]
    """
    for match in _ODD_SPACE.finditer(text):
        yield match.start(), match.end(), " "


@rule
def replace_lone_surrogates(text: str) -> Iterator[tuple[int, int, str]]:
    """Replace lone UTF-16 surrogates (from broken JSON escapes) with U+FFFD, so the text
    can be written as UTF-8.

    >>> import json
    >>> list(replace_lone_surrogates(json.loads('"a\\\\ud800b"')))
    [(1, 2, '�')]
    """
    for match in _SURROGATE.finditer(text):
        yield match.start(), match.end(), "\ufffd"


@rule
def unicode_nfc(text: str) -> Iterator[tuple[int, int, str]]:
    """Compose characters to Unicode NFC ("e" + combining accent becomes "é").

    >>> list(unicode_nfc("cafe\\u0301"))
    [(3, 5, 'é')]
    """
    if unicodedata.is_normalized("NFC", text):
        return
    for start, line in _lines(text):
        if not unicodedata.is_normalized("NFC", line):
            yield _diff_span(start, line, unicodedata.normalize("NFC", line))


# Passes in order; the rules of one pass never overlap each other.
PASSES: tuple[tuple[Rule, ...], ...] = (
    (fix_mojibake,),
    (fix_line_endings, strip_control_chars, strip_zero_width, normalise_spaces, replace_lone_surrogates),
    (unicode_nfc,),
)
# A pass is skipped on a text its screen finds nothing in (see cleaner.screens).
PASS_SCREENS: dict[tuple[Rule, ...], re.Pattern[str]] = {PASSES[1]: _CHARACTERS_SCREEN}


class Normalise(Stage):
    name = "normalise"
    description = "Repair mojibake, line endings, control and zero-width characters, odd spaces; NFC."
    rules = tuple(each for passed in PASSES for each in passed)

    max_rounds = 3

    def run(self, doc: Document) -> None:
        """Mark and apply each pass in turn (the one stage that replaces text in place).

        ftfy judges a stretch by its neighbours, so a later pass can make mojibake out of
        what it left alone (a no-break space turned into a space splits "\xa0Â€" into a
        run ftfy repairs). The passes run again while a round changed the text and the
        result still looks like mojibake (at most ``max_rounds``): cleaning stays idempotent.
        """
        stopped: set[str] = set()  # rules that ran out of time on this document: not run again
        for _ in range(self.max_rounds):
            if not self._round(doc, stopped) or not _may_hold_mojibake(doc.text):
                return

    def _round(self, doc: Document, stopped: set[str]) -> bool:
        """One round of the passes; whether it changed the text."""
        changed = False
        for passed in PASSES:
            screen = PASS_SCREENS.get(passed)
            if screen is not None and self.screening and not screen.search(doc.text):
                continue
            spans: list[Span] = []
            for each in passed:
                if not self.on(each.id) or each.id in stopped:
                    continue
                try:
                    found = [self.span(start, end, each.id, action="replace", replacement=replacement)
                             for start, end, replacement in each(doc.text)]
                except PatternTimeout as exc:  # the rule leaves this document unchanged
                    self.timed_out(doc, exc)
                    stopped.add(each.id)
                    continue
                spans.extend(found)
            if spans:
                before = doc.text
                doc.apply(spans)
                changed = changed or doc.text != before
        return changed

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        return []
