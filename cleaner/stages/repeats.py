"""Repeats: a line that says again, word for word, what a line kept above it said.

Pages show some of their text twice: a carousel's slides, a product's blurb once per colour, a
menu drawn for the phone and again for the desktop, a headline in a teaser and again in the
article, a notice under every item. A text dump (or an extraction) keeps every copy, and the
line model judges each copy on its own, so it keeps them all or none. The page says each such
line once; every later copy only adds the same words again. The first copy that no earlier
stage marked stays, and every later one goes.

Copies are compared by their words in lower case, joined by single spaces
(:attr:`cleaner.lines.Lines.normal`), and only lines of at least ``min_words`` words count: a
table's "Yes" and "n/a" cells, or a chorus's short refrain, repeat by design. So does code: on
an HTML page, the lines of its ``<pre>`` and ``<code>`` blocks (``doc.meta["code_lines"]``, from
the extraction) stay however often they repeat. A line that an earlier stage marked, in whole
or in part, is neither a first copy nor dropped here. The stage runs before ``tails`` and
``residue``, which look past what was removed before them (a header followed only by a copy
closes the page's tail), so that cleaning the clean text finds nothing more.

A page's title says its headline again too: a text dump opens with the ``<title>``,
"Harbour reopens after repairs | Example Tribune", and the headline follows further down.
When the first line holds a line below it word for word (of at least ``min_words`` words) and
at most ``title_extra_words`` more (the site's name and its separators), the first line goes
(``title_line``) and the headline stays.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Container, Sequence

from cleaner.document import Document, Span
from cleaner.lines import Lines
from cleaner.segment import Line, Segments
from cleaner.stages.base import Settings, Stage, rule, threshold


@dataclass(frozen=True)
class RepeatsSettings(Settings):
    min_words: int = threshold(
        3, "a repeated line of fewer words stays (a table's cells and short labels repeat by design)")
    title_extra_words: int = threshold(
        8, "a page's first line holding a headline further down is its title when the rest of it (the "
           "site's name and separators) has at most this many words")


@rule(thresholds=("min_words",))
def duplicate_line(seen_above: bool, words: int, min_words: int) -> bool:
    """A line that repeats word for word (in lower case) a line kept above it, of at least ``min_words`` words.

    >>> duplicate_line(True, 6, 3), duplicate_line(False, 6, 3), duplicate_line(True, 2, 3)
    (True, False, False)
    """
    return seen_above and words >= min_words


@rule(thresholds=("min_words", "title_extra_words"))
def title_line(headline_words: int, extra_words: int, min_words: int, title_extra_words: int) -> bool:
    """The page's first line when it holds a line further down word for word, with the site's name beside it ("Headline | Site"): the headline stays.

    >>> title_line(6, 2, 3, 8), title_line(6, 0, 3, 8), title_line(6, 12, 3, 8), title_line(2, 2, 3, 8)
    (True, False, False, False)
    """
    return headline_words >= min_words and 0 < extra_words <= title_extra_words


class Repeats(Stage):
    name = "repeats"
    description = ("Later copies of a line kept above them, word for word (a carousel, a blurb per "
                   "colour, a menu drawn twice): the first copy stays; and the page's title line when "
                   "it repeats a headline below with the site's name.")
    rules = (duplicate_line, title_line)
    settings = RepeatsSettings

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        content = segments.content
        if not content or not (self.on(duplicate_line.id) or self.on(title_line.id)):
            return []
        lines = Lines.of(segments)
        touched = marked_rows(content, marks or ())
        spans = self._title(lines, content, touched) if self.on(title_line.id) else []
        if self.on(duplicate_line.id):
            spans += self._copies(lines, content, touched, doc.meta.get("code_lines", ()))
        return spans

    def _copies(self, lines: Lines, content: Sequence[Line], touched: set[int], code: Container[str]) -> list[Span]:
        """Every later copy of a line kept above it (``code``: an HTML page's code lines, which
        repeat by design)."""
        copies, normal = lines.copies, lines.normal
        repeated = [row for row, n in enumerate(copies) if n > 1 and normal[row] not in code]
        words = lines.words
        first: dict[str, Line] = {}  # a repeated text's first copy kept
        spans: list[Span] = []
        for row in repeated:
            if row in touched:
                continue
            kept = first.get(normal[row])
            if kept is None:
                first[normal[row]] = content[row]
            elif duplicate_line(True, words[row], self.t.min_words):
                line = content[row]
                spans.append(self.span(line.start, line.end, duplicate_line.id,
                                       {"copies": copies[row], "first_at": kept.start}))
        return spans

    def _title(self, lines: Lines, content: Sequence[Line], touched: set[int]) -> list[Span]:
        """The first line, when it is the page's title: a headline below it, word for word,
        and the site's name."""
        if 0 in touched:
            return []
        normal, tokens, words = lines.normal, lines.tokens, lines.words
        title, size = f" {normal[0]} ", len(tokens[0])
        for row in range(1, len(content)):
            # The word counts first: they rule out most lines before any text is searched.
            extra = size - len(tokens[row])
            if (row not in touched and 0 < extra <= self.t.title_extra_words and f" {normal[row]} " in title
                    and title_line(words[row], extra, self.t.min_words, self.t.title_extra_words)):
                line = content[0]
                return [self.span(line.start, line.end, title_line.id, {"headline_at": content[row].start})]
        return []


def marked_rows(content: Sequence[Line], marks: Sequence[Span]) -> set[int]:
    """The rows of the content lines that any of ``marks`` overlaps, in whole or in part.

    >>> content = [Line(0, 0, 5, "Alpha", 0), Line(1, 6, 10, "Beta", 0), Line(2, 11, 16, "Gamma", 1)]
    >>> sorted(marked_rows(content, [Span(7, 9, "x", "y"), Span(15, 30, "x", "y")]))
    [1, 2]
    """
    starts = [line.start for line in content]
    rows: set[int] = set()
    for span in marks:
        row = max(bisect_right(starts, span.start) - 1, 0)
        while row < len(content) and content[row].start < span.end:
            if content[row].end > span.start:
                rows.add(row)
            row += 1
    return rows
