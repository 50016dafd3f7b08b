"""Tails: the sections that close a page after its article.

Press releases and news pages end with a contact block ("Pressekontakt", "Media contact"),
a "Weitere Informationen:" list of links, or the reference of the original publication:
a header from the lists in ``cleaner/rules/tails/<lang>.txt``, then names, addresses,
telephone numbers, e-mail addresses and links, none of them running text. A header that
comes after the article began (a prose line above it) and is followed by nothing but such
lines up to the end of the text opens the page's tail: the header and everything after it
go. One prose line after the header keeps it (an "about us" paragraph is content); a header
with nothing after it is a dangling label (see the residue stage).

Lines other stages already marked are looked past, so cleaning the clean text finds
nothing more.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from cleaner.document import Document, Span
from cleaner.patterns import WHITE_SPACE, Bounded, bounded
from cleaner.rules import load_sections
from cleaner.segment import Line, Segments, word_count
from cleaner.stages.base import Stage

_SENTENCE_END = ".!?…\"”’»。！？"
_LIST_MARKERS = ("-", "*", "•", "·", "–")


@lru_cache(maxsize=1)
def _headers() -> tuple[Bounded, tuple[tuple[str, str, str], ...]]:
    entries = load_sections("tails")
    joined = "|".join(f"(?P<p{i}>{pattern})" for i, (_, _, pattern) in enumerate(entries))
    pattern = rf"^\s*(?:[-*•·]\s*)?(?:{joined})\s*[:.]?\s*$"
    return bounded("contact_tail", pattern, regex.IGNORECASE | regex.VERSION0), entries


def tail_header(text: str) -> dict | None:
    """The family and language of a tail section's header line, or None.

    >>> tail_header("Pressekontakt:")["family"], tail_header("For more information")["family"]
    ('contact', 'further_info')
    >>> tail_header("Kontaktieren Sie uns jederzeit, wir helfen gern.") is None
    True
    """
    pattern, entries = _headers()
    match = pattern.search(text)
    if match is None:
        return None
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value is not None)
    lang, family, _ = entries[index]
    return {"family": family, "lang": lang}


def prose_line(text: str, prose_words: int, sentence_words: int) -> bool:
    """Running text: a long line, or a sentence of some length; never a list item.

    >>> prose_line("Dr. Hendryk Bockelmann", 20, 10), prose_line("E-Mail: presse@example.org", 20, 10)
    (False, False)
    >>> prose_line("The foundation supports young people in the region with grants and courses.", 20, 10)
    True
    """
    stripped = text.strip(WHITE_SPACE)
    if stripped.startswith(_LIST_MARKERS):
        return False
    words = word_count(stripped)
    return words >= prose_words or (words >= sentence_words and stripped[-1:] in _SENTENCE_END)


def contact_tail(header: dict | None, lines_after: int, prose_after: bool, prose_before: bool,
                 max_lines: int) -> bool:
    """A contact, further-information or publication section closing the page: its header
    after the article, and only names, addresses and links after the header.

    >>> contact_tail({"family": "contact"}, 4, False, True, 30)
    True
    >>> contact_tail({"family": "contact"}, 4, True, True, 30)  # a paragraph follows
    False
    >>> contact_tail({"family": "contact"}, 4, False, False, 30)  # no article above: a menu
    False
    >>> contact_tail({"family": "contact"}, 0, False, True, 30)  # a dangling label: residue's
    False
    """
    return header is not None and prose_before and not prose_after and 1 <= lines_after <= max_lines


class Tails(Stage):
    name = "tails"
    description = "Sections closing a page after its article: contact blocks, further-information links, publication references."
    rule_functions = (contact_tail,)
    thresholds = {
        "header_words": (10, "a tail section's header has at most this many words"),
        "max_lines": (30, "a tail section has at most this many lines after its header"),
        "prose_words": (20, "a line of at least this many words is running text, which a tail section never holds"),
        "sentence_words": (10, "a sentence of at least this many words is running text too"),
    }

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        if not self.on("contact_tail"):
            return []
        marked = {span.start for span in marks or ()}
        lines = [line for line in segments.content if line.start not in marked]
        cut, header = self._tail_start(lines)
        if cut is None:
            return []
        head = lines[cut].text.strip()
        return [self.span(line.start, line.end, "contact_tail", {**header, "header": head, "text": line.text.strip()})
                for line in lines[cut:]]

    def _tail_start(self, lines: list[Line]) -> tuple[int | None, dict | None]:
        """The earliest header with only non-prose lines after it, scanning up from the end."""
        t = self.t
        prose = [prose_line(line.text, t["prose_words"], t["sentence_words"]) for line in lines]
        first_prose = next((i for i, p in enumerate(prose) if p), None)
        if first_prose is None:
            return None, None
        cut, found = None, None
        # A header has at most max_lines lines after it: only the last lines can hold one.
        for i in range(len(lines) - 1, max(first_prose, len(lines) - t["max_lines"] - 2), -1):
            if prose[i]:
                break
            if word_count(lines[i].text) > t["header_words"]:
                continue
            header = tail_header(lines[i].text)
            if contact_tail(header, len(lines) - i - 1, False, True, t["max_lines"]):
                cut, found = i, header
        return cut, found
