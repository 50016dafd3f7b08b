"""Apply: the one place where marks become removals.

Detection stages hand in spans; this module
1. drops marks on lines that a ``[patterns] keep`` expression protects,
2. resolves overlaps (the earlier, then the longer mark wins; the other is trimmed),
3. widens marks that cover a whole line to the line's break, and marks that empty a whole
   paragraph to its separating blank line, so the text left behind is already laid out,
4. hands the result to :meth:`Document.apply`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from cleaner.document import Document, Span
from cleaner.patterns import compile_alternation
from cleaner.segment import Segments
from cleaner.settings import Settings, threshold


@dataclass(frozen=True)
class ApplySettings(Settings):
    """The apply step's thresholds (``[thresholds.apply]``)."""

    max_removed_share: float = threshold(0.9, "flag a document when this share of its words is removed")


def protect_kept_lines(spans: list[Span], segments: Segments, keep_patterns: list[str]) -> list[Span]:
    """Remove marks that touch a line matching a keep pattern."""
    if not keep_patterns:
        return spans
    keep = compile_alternation(tuple(keep_patterns), "keep_pattern")
    protected = [(l.start, l.end) for l in segments.content if keep.search(l.text)]
    if not protected:
        return spans
    return [s for s in spans if not any(s.start < end and s.end > start for start, end in protected)]


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Make marks disjoint: earlier first, longer first; later ones are trimmed or dropped.

    >>> a, b = Span(0, 5, "x", "r1"), Span(3, 9, "y", "r2")
    >>> [(s.start, s.end, s.rule) for s in resolve_overlaps([b, a])]
    [(0, 5, 'r1'), (5, 9, 'r2')]
    """
    out: list[Span] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= end:
            continue
        if span.start < end:
            span = span.moved(end, span.end)
        out.append(span)
        end = span.end
    return out



def widen_to_layout(spans: list[Span], segments: Segments) -> list[Span]:
    """Widen marks so removing them leaves well-separated paragraphs.

    A line whose visible text is entirely marked is removed with its line break; a run of
    removed lines that empties whole paragraphs also takes the blank line that separated
    them, keeping one separator between the paragraphs on either side.
    """
    if not spans:
        return spans
    text = segments.text
    lines = segments.lines
    # Which marks cover each content line's visible text entirely?
    full: dict[int, Span] = {}
    partial: list[Span] = []
    starts = segments.line_starts
    for span in spans:
        first = bisect_right(starts, span.start) - 1
        line = lines[first]
        # Most marks cover exactly their one content line: no need to measure its spaces.
        if span.start <= line.start and line.end <= span.end <= line.end + 1 and line.para >= 0:
            if first not in full:
                full[first] = span
            continue
        # Most of the others end on their first line: one search, not two.
        last = first if span.end <= line.end + 1 else _line_index(segments, max(span.start, span.end - 1))
        covered_any = False
        for i in range(first, last + 1):
            line = lines[i]
            if line.para < 0:  # blank
                continue
            if span.start <= line.start and span.end >= line.end:
                full.setdefault(i, span)
                covered_any = True
                continue
            lstrip = len(line.text) - len(line.text.lstrip())
            rstrip = len(line.text.rstrip())
            if span.start <= line.start + lstrip and span.end >= line.start + rstrip:
                full.setdefault(i, span)
                covered_any = True
        if not covered_any:
            partial.append(span)

    out: list[Span] = []
    # Partial marks: keep, but take trailing spaces left at the line end along.
    for span in partial:
        line = lines[_line_index(segments, span.start)]
        if span.end < line.end and not text[span.end : line.end].strip():
            span = span.moved(span.start, line.end)
        out.append(span)

    # Runs of fully removed lines, possibly with blank lines between them.
    order = sorted(full)
    x = 0
    while x < len(order):
        # The run from line i goes on to the next removed line while only blank lines lie
        # between (then only spaces and line breaks do); j is its last line, order[x:y] its
        # removed lines.
        i = j = order[x]
        y = x + 1
        while y < len(order) and (order[y] == j + 1 or text[lines[j].end : lines[order[y]].start].isspace()):
            j = order[y]
            y += 1
        prev = _prev_kept(lines, i, full)
        nxt = _next_kept(lines, j, full)
        region_start = lines[prev].end if prev is not None else 0
        region_end = lines[nxt].start if nxt is not None else len(text)
        removed = order[x:y]
        if prev is None:
            cut = (region_start, region_end)
        elif nxt is None:
            cut = (region_start + 1, region_end) if text.startswith("\n", region_start, region_end) else (region_start, region_end)
        else:
            # Between the kept lines lie only the removed lines and blank ones (a removed
            # line past a blank one would have joined the run): any blank line shows in the count.
            sep = "\n\n" if nxt - prev - 1 > len(removed) else "\n"
            if text.startswith(sep, region_start, region_end):
                cut = (region_start + len(sep), region_end)
            elif text.endswith(sep, region_start, region_end):
                cut = (region_start, region_end - len(sep))
            else:
                cut = None
        if cut is None:
            # Odd separators (spaces on blank lines): remove each line with its break and
            # let the layout rules tidy what is left.
            for m in removed:
                line = lines[m]
                out.append(full[m].moved(line.start, min(line.end + 1, len(text))))
        else:
            # Share the cut between the removed lines: each takes its text and what
            # follows it up to the next removed line; the first also takes what precedes.
            starts = [lines[m].start for m in removed]
            bounds = [cut[0], *starts[1:], cut[1]]
            out.extend(map(Span.moved, [full[m] for m in removed], bounds, bounds[1:]))
        x = y
    return resolve_overlaps(out)


def _line_index(segments: Segments, pos: int) -> int:
    return bisect_right(segments.line_starts, pos) - 1


def _prev_kept(lines, i: int, full: dict) -> int | None:
    for m in range(i - 1, -1, -1):
        if not lines[m].blank and m not in full:
            return m
    return None


def _next_kept(lines, j: int, full: dict) -> int | None:
    for m in range(j + 1, len(lines)):
        if not lines[m].blank and m not in full:
            return m
    return None


def apply_marks(doc: Document, segments: Segments, spans: list[Span], keep_patterns: list[str]) -> list[Span]:
    """Resolve, widen and apply the marks of the detection stages; return what was applied."""
    spans = protect_kept_lines(spans, segments, keep_patterns)
    spans = resolve_overlaps(spans)
    spans = widen_to_layout(spans, segments)
    doc.apply(spans)
    return spans


def safety_bound(doc: Document, max_share: float, start: str | None = None, first: int = 0) -> dict | None:
    """Flag a document that lost more than ``max_share`` of its words, saying which rules
    took them, so the decision can be checked from the log alone. ``start`` is the text the
    text stages started from when it is not the decoded input (an HTML page's blocks kept by
    the extraction): its words are the ones counted. Only the edits from ``first`` on are
    counted by rule (those made to ``start``, not the extraction's).

    >>> from cleaner.document import Span
    >>> doc = Document("Menu\\nHome\\nLogin\\nOne real sentence.")
    >>> doc.apply([Span(0, 16, "chrome", "chrome_phrase")])
    >>> safety_bound(doc, 0.4)
    {'removed_share': 0.5, 'bound': 0.4, 'words_by_rule': {'chrome_phrase': 3}}
    >>> safety_bound(doc, 0.9) is None
    True
    """
    words_out = len(doc.text.split())
    # A text of n characters holds at most (n + 1) // 2 words (each word but the last is
    # followed by a space). When even that many input words leave a share within bound,
    # the exact count does too (division and subtraction round monotonically), so most
    # documents skip splitting their whole input.
    base = doc.decoded if start is None else start
    most_words_in = (len(base) + 1) // 2
    if not most_words_in or 1 - words_out / most_words_in <= max_share:
        return None
    words_in = len(base.split())
    if not words_in:
        return None
    share = 1 - words_out / words_in
    if share <= max_share:
        return None
    by_rule: dict[str, int] = {}
    for edit in doc.edits[first:]:
        if edit.action == "drop":
            by_rule[edit.rule] = by_rule.get(edit.rule, 0) + len(edit.original.split())
    return {"removed_share": round(share, 3), "bound": max_share, "words_by_rule": by_rule}
