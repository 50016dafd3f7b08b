"""Helpers to compile line patterns once and find the lines they hit."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

from cleaner.segment import Line, Segments


def line_pattern(pattern: str) -> str:
    """Make a per-line pattern safe to run over a whole text in MULTILINE mode.

    ``^``/``$`` anchors allow surrounding spaces, and ``\\s`` never crosses a line break.

    >>> line_pattern(r"^share\\s*$")
    '^[^\\\\S\\\\n]*share[^\\\\S\\\\n]*[^\\\\S\\\\n]*$'
    """
    body = pattern.replace(r"\s", r"[^\S\n]")
    if body.startswith("^"):
        body = r"^[^\S\n]*" + body[1:]
    if body.endswith("$") and not body.endswith(r"\$"):
        body = body[:-1] + r"[^\S\n]*$"
    return body


@lru_cache(maxsize=64)
def compile_alternation(patterns: tuple[str, ...]) -> regex.Pattern[str]:
    """One compiled regex for many line patterns; group ``p<i>`` tells which one matched."""
    if not patterns:
        return regex.compile(r"(?!)")
    joined = "|".join(f"(?P<p{i}>{line_pattern(p)})" for i, p in enumerate(patterns))
    return regex.compile(joined, regex.IGNORECASE | regex.MULTILINE | regex.VERSION0)


def matched_index(match: regex.Match[str]) -> int:
    name = match.lastgroup
    if name is not None and name.startswith("p"):
        return int(name[1:])
    for key, value in match.groupdict().items():
        if value is not None:
            return int(key[1:])
    return -1


def line_at(segments: Segments, pos: int) -> Line:
    """The line containing offset ``pos``."""
    starts = segments.line_starts
    return segments.lines[bisect_right(starts, pos) - 1]
