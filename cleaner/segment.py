"""Segmentation: the lines and paragraphs of a text, as offsets into it.

A paragraph is a run of non-blank lines; blank (whitespace-only) lines separate paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import regex

_HAN_KANA = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
# No Han or kana character lies below U+2E80. The standard library's re scans for this range
# several times faster than regex scans for the scripts, and most texts have neither.
_FROM_U2E80 = re.compile("[\u2e80-\U0010ffff]")


def has_han_kana(text: str) -> bool:
    """Whether the text holds a Han or kana character.

    >>> has_han_kana("Tokyo 🗼 東京"), has_han_kana("Tokyo 🗼")
    (True, False)
    """
    return _FROM_U2E80.search(text) is not None and _HAN_KANA.search(text) is not None


def word_count(text: str) -> int:
    """Words in a text: its space-separated tokens, plus one for every two Han or kana
    characters (Chinese and Japanese write no spaces between words).

    >>> word_count("The harbour reopened."), word_count("港が二年ぶりに再開した。")
    (3, 6)
    """
    n = len(text.split())
    if not text.isascii() and max(text) >= "\u2e80":  # no Han or kana below U+2E80
        n += len(_HAN_KANA.findall(text)) // 2
    return n


@dataclass(slots=True)
class Line:
    index: int
    start: int
    end: int  # end of the line's text, before its "\n"
    text: str
    para: int  # paragraph number, -1 for blank lines

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

    __slots__ = ("text", "lines", "paragraphs", "content", "line_starts")

    def __init__(self, text: str):
        self.text = text
        self.lines: list[Line] = []
        self.paragraphs: list[tuple[int, int]] = []  # (first line index, last line index)
        self.content: list[Line] = []  # the non-blank lines
        self.line_starts: list[int] = []
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
                line = Line(index, start, end, line_text, para)
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
