"""Emit: lay the text out as paragraphs separated by one blank line, ending with a newline.

These are edits too (logged under stage ``emit``), so restore stays exact.
"""

from __future__ import annotations

from typing import Iterator


from cleaner.patterns import WHITE_SPACE, PatternTimeout, bounded

from cleaner.document import Document, Span
from cleaner.segment import Segments
from cleaner.stages.base import Stage, rule

_SPACES = WHITE_SPACE.replace("\n", "")  # what [^\S\n] matches
_BLANK_RUN = bounded("collapse_blank_lines", r"\n{3,}")
_LEADING = bounded("collapse_blank_lines", r"\A\n+")


@rule
def strip_trailing_space(text: str) -> Iterator[tuple[int, int, str]]:
    """Remove spaces and tabs at line ends (and on blank lines).

    >>> list(strip_trailing_space("a  \\nb"))
    [(1, 3, '')]
    """
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line and line[-1] in _SPACES:  # one test per line, not a scan of every space
            yield pos + len(line.rstrip(_SPACES)), end, ""
        pos = end + 1


@rule
def collapse_blank_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Keep exactly one blank line between paragraphs; none before the first.

    >>> list(collapse_blank_lines("\\na\\n\\n\\n\\nb"))
    [(0, 1, ''), (2, 6, '\\n\\n')]
    """
    lead = _LEADING.match(text)
    if lead:
        yield 0, lead.end(), ""
    for match in _BLANK_RUN.finditer(text, lead.end() if lead else 0):
        if match.end() < len(text):
            yield match.start(), match.end(), "\n\n"


@rule
def final_newline(text: str) -> Iterator[tuple[int, int, str]]:
    """End a non-empty text with exactly one newline; an empty text stays empty.

    >>> list(final_newline("a\\n\\n"))
    [(2, 3, '')]
    >>> list(final_newline("a"))
    [(1, 1, '\\n')]
    """
    start = len(text.rstrip("\n"))
    if start == 0:
        if text:
            yield 0, len(text), ""
        return
    if text[start:] == "":
        yield start, start, "\n"
    elif text[start:] != "\n":
        yield start + 1, len(text), ""


class Emit(Stage):
    name = "emit"
    description = "Paragraphs separated by one blank line, no trailing spaces, one final newline."
    rules = (strip_trailing_space, collapse_blank_lines, final_newline)

    def run(self, doc: Document) -> None:
        for each in self.rules:
            if not self.on(each.id):
                continue
            try:
                spans = [
                    self.span(a, b, each.id, action="drop" if not r else "replace", replacement=r)
                    for a, b, r in each(doc.text)
                ]
            except PatternTimeout as exc:  # the rule leaves this document unchanged
                self.timed_out(doc, exc)
                continue
            if spans:
                doc.apply(spans)

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        return []
