"""Segmentation: the lines and paragraphs of a text, as offsets into it.

A paragraph is a run of non-blank lines; blank (whitespace-only) lines separate paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re

import regex

_HAN_KANA = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
# Thai, Lao, Khmer and Myanmar write no spaces between words either; their words are longer.
_SOUTHEAST_ASIAN = regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
# No Han or kana character lies below U+2E80, and those four scripts lie in U+0E00-U+0EFF,
# U+1000-U+109F and U+1780-U+17FF. The standard library's re scans for these ranges several
# times faster than regex scans for the scripts, and most texts have none of them. Written
# as the characters outside the gaps between them: the same set, which re compiles in a
# third of the time (it maps each character of a class's ranges, and the gaps are smaller).
_UNSPACED_RANGES = re.compile("[^\x00-\u0dff\u0f00-\u0fff\u10a0-\u177f\u1800-\u2e7f]")

# What ends a sentence, in one place (cleaner.lines reads it for every stage). A full stop in
# the scripts of the phrase lists and beyond: Latin punctuation and the ellipsis, the Chinese
# and Japanese full stop and marks, the Devanagari danda and double danda, the Arabic
# question mark and the Urdu full stop, the Armenian, Ethiopic, Myanmar and Khmer full stops.
FULL_STOPS = ".!?…。！？।॥؟۔։።။។"
# A quotation closed after its sentence ended.
CLOSING_QUOTES = "\"”’»」』"
# A clause ends at a colon or semicolon too, and at a closing bracket.
CLAUSE_ENDS = ":;"
CLOSING_BRACKETS = ")）]"
SENTENCE_END = FULL_STOPS + CLAUSE_ENDS + CLOSING_QUOTES + CLOSING_BRACKETS


def has_unspaced_script(text: str) -> bool:
    """Whether the text may hold a script written without spaces between words (Han, kana,
    Thai, Lao, Khmer, Myanmar): a quick screen; :func:`unspaced_words` counts them.

    >>> has_unspaced_script("Tokyo 東京"), has_unspaced_script("กรุงเทพ"), has_unspaced_script("Zürich")
    (True, True, False)
    """
    return _UNSPACED_RANGES.search(text) is not None


def unspaced_words(text: str) -> int:
    """Words of scripts written without spaces: one for every two Han or kana characters,
    and one for every four Thai, Lao, Khmer or Myanmar characters (vowel signs included).
    Without this a whole article in those scripts is one-word lines.

    >>> unspaced_words("港が二年ぶりに再開した。"), unspaced_words("สภาเมืองได้อนุมัติ"), unspaced_words("Harbour")
    (5, 4, 0)
    """
    if text.isascii() or not has_unspaced_script(text):  # isascii() is a flag: most lines end here
        return 0
    return len(_HAN_KANA.findall(text)) // 2 + len(_SOUTHEAST_ASIAN.findall(text)) // 4


def word_count(text: str) -> int:
    """Words in a text: its space-separated tokens, plus :func:`unspaced_words`.

    >>> word_count("The harbour reopened."), word_count("港が二年ぶりに再開した。")
    (3, 6)
    """
    return len(text.split()) + unspaced_words(text)


@dataclass(slots=True)
class Line:
    index: int
    start: int
    end: int  # end of the line's text, before its "\n"
    text: str
    para: int  # paragraph number, -1 for blank lines
    row: int = -1  # position among the content lines (a row of cleaner.lines.Lines), -1 for blank lines

    @property
    def blank(self) -> bool:
        return self.para < 0


class Segments:
    """Lines and paragraphs of one text.

    >>> seg = Segments("Title\\n\\nOne.\\nTwo.\\n")
    >>> [(l.text, l.para) for l in seg.lines]
    [('Title', 0), ('', -1), ('One.', 1), ('Two.', 1), ('', -1)]
    >>> [seg.paragraph_text(p) for p in range(len(seg.paragraphs))]
    ['Title', 'One.\\nTwo.']
    """

    __slots__ = ("text", "lines", "paragraphs", "content", "line_starts", "facts")

    def __init__(self, text: str):
        self.text = text
        self.lines: list[Line] = []
        self.paragraphs: list[tuple[int, int]] = []  # (first line index, last line index)
        self.content: list[Line] = []  # the non-blank lines
        self.line_starts: list[int] = []
        self.facts: Any = None  # the cleaner.lines.Lines table of these lines, built by Lines.of
        lines, paragraphs, content, starts = self.lines, self.paragraphs, self.content, self.line_starts
        para = -1
        first = -1  # first line of the paragraph being read; -1 between paragraphs
        start = 0
        for index, line_text in enumerate(text.split("\n")):
            end = start + len(line_text)
            if line_text.strip():
                if first < 0:
                    para += 1
                    first = index
                line = Line(index, start, end, line_text, para, len(content))
                content.append(line)
            else:
                if first >= 0:
                    paragraphs.append((first, index - 1))
                    first = -1
                line = Line(index, start, end, line_text, -1)
            lines.append(line)
            starts.append(start)
            start = end + 1
        if first >= 0:
            paragraphs.append((first, len(lines) - 1))

    def paragraph_lines(self, para: int) -> list[Line]:
        first, last = self.paragraphs[para]
        return self.lines[first : last + 1]

    def paragraph_text(self, para: int) -> str:
        first, last = self.paragraphs[para]
        return self.text[self.lines[first].start : self.lines[last].end]

    def prev_content(self, line: Line) -> Line | None:
        for i in range(line.index - 1, -1, -1):
            if not self.lines[i].blank:
                return self.lines[i]
        return None

    def next_content(self, line: Line) -> Line | None:
        for i in range(line.index + 1, len(self.lines)):
            if not self.lines[i].blank:
                return self.lines[i]
        return None
