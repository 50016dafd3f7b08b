"""Lines: the facts about each content line of a document, in one table built once.

Every stage that asks "how many words?", "does it end a sentence?", "is it prose?", "does it
hold a link?" reads the answer here, so the answer is the same in every stage (and in the
line model's features). The table sits beside :class:`~cleaner.segment.Segments`:
:meth:`Lines.of` builds it once per segmentation (the pipeline does so before the detection
stages run, and every stage gets the same table back).

API
---
Rows are the document's content (non-blank) lines, in order: row ``r`` is
``segments.content[r]``, and a content line knows its row (``line.row``).

Columns (plain per-line Python values, one list each, ready for ``numpy.asarray``); each is
computed for every row on first access, from each distinct line text once (menus repeat):

=================  =======  ===============================================================
column             type     per content line
=================  =======  ===============================================================
``texts``          str      the line's text
``chars``          int      its length in characters
``tokens``         list     its words in lower case (``text.lower().split()``)
``normal``         str      those words joined by single spaces (compares copies)
``words``          int      :func:`~cleaner.segment.word_count`: spaced words, plus the words
                            of scripts written without spaces (Han, kana, Thai ...)
``last_char``      str      the last character that is not white space
``ends_sentence``  bool     ``last_char`` in :data:`SENTENCE_END`: a full stop of any script
                            (the Devanagari danda too), a colon or semicolon, a closing quote
                            or bracket: the line ends a clause, not mid-phrase
``ends_full_stop`` bool     ``last_char`` in :data:`FULL_STOPS` or :data:`CLOSING_QUOTES`:
                            a finished sentence (a list header ending in ":" is not one)
``letters``        float    share of the visible characters that are letters (vowel signs
                            and other combining marks count as letters)
``digits``         float    share of the visible characters that are decimal digits
``links``          bool     holds a link-like token: a URL, "www.", an e-mail address, a
                            domain or file ending (".com", ".html")
``unspaced``       bool     mostly a script written without spaces (more such words than
                            spaced ones): no stoplist holds its words
``script``         str      the script of most of its letters: "Latin", "Cyrillic", "Han" ...
                            ("" when it has no letter)
``bullet``         bool     starts with a list marker (:data:`LIST_MARKERS`)
``numbered``       bool     starts with a number and "." or ")" ("1. ", "(2) ")
``pipes``          bool     holds separators of a flattened menu (" | ", " · ", " / " ...)
``key_value``      bool     a "Label: value" line (a short label and a colon, then text)
``all_caps``       bool     has letters of a cased script and no lower-case one
``copies``         int      how many content lines share its ``normal`` form
=================  =======  ===============================================================

Tests built on the columns:

- ``prose(row, min_words)``: at least ``min_words`` words and ``ends_sentence``;
- ``columns(*names)``: several columns at once, as a dict (for a feature builder).

>>> lines = Lines.of(Segments("Home | News | Sport\\n\\nThe harbour reopened after repairs.\\nKontakt:"))
>>> lines.words, lines.ends_sentence, lines.ends_full_stop, lines.pipes
([5, 5, 1], [False, True, True], [False, True, False], [True, False, False])
>>> lines.prose(1, 5), lines.prose(1, 6), lines.script
(True, False, ['Latin', 'Latin', 'Latin'])
>>> Lines.of(Segments("नमस्ते दुनिया।")).ends_full_stop, Lines.of(Segments("नमस्ते दुनिया।")).script
([True], ['Devanagari'])
"""

from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import cached_property
from itertools import compress
from typing import Any, Callable, TypeVar

import regex

from cleaner.patterns import WHITE_SPACE, bounded, line_at
from cleaner.segment import (CLOSING_QUOTES, FULL_STOPS, SENTENCE_END, Segments, has_unspaced_script,
                             unspaced_words, word_count)

T = TypeVar("T")

_SENTENCE_END = frozenset(SENTENCE_END)
_FULL_STOP = frozenset(FULL_STOPS + CLOSING_QUOTES)

# Characters that open a list item.
LIST_MARKERS = "-*•·–"

# An address is tried from the start of a word (or after an "@"), not from every character:
# "\S+@" tried everywhere is quadratic on a long word without "@".
_LINK = bounded("blocks", r"https?://|www\.|(?<![^\s@])[^\s@]+@[^\s@]+\.\w{2,}|\.(?:com|org|net|de|html?|php)\b",
                regex.IGNORECASE)
# Every link match holds one of these; one scan of the document (a pattern starting on a
# character class, which the scanner skips to) finds the lines worth the full pattern.
_LINK_HINT = re.compile(r"[:wW@.](?://|(?i:ww\.)|(?<=@)|(?i:com|org|net|de|html?|php)\b)")
# ASCII letters to "a", digits to "0", everything else to " " (bytes.translate's table).
_ASCII_CLASSES = bytes(ord("a") if chr(b) in string.ascii_letters else ord("0") if chr(b) in string.digits else ord(" ")
                       for b in range(256))
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_MARK = regex.compile(r"\p{M}")
_NUMBERED = re.compile(r"\s*\(?\d{1,3}[.)]\s")
_SEPARATOR_CHARS = "|·•/»›"
_SEPARATORS = re.compile(rf"\s[{_SEPARATOR_CHARS}]\s")
_KEY_VALUE = regex.compile(r"^\s*[^\W\d][^:\n]{0,30}:\s+\S")
# One match per line holding a colon and white space within the line, as every match of the
# pattern above does (not a time's colon or an address's); the rest of the line is consumed.
_COLON_HINT = re.compile(r":[^\S\n][^\n]*")


def letter_digit_shares(text: str) -> tuple[float, float]:
    """The shares of a line's visible characters that are letters and decimal digits.

    >>> letter_digit_shares("Page 12"), letter_digit_shares("नमस्ते")
    ((0.5714285714285714, 0.2857142857142857), (1.0, 0.0))
    """
    # Letters (str.isalpha) and digits (str.isdecimal): the ASCII characters sorted into
    # "a" and "0" by one bytes.translate and counted, in C; the others (a few per line in
    # most languages) one by one, unless they are all letters.
    classes = text.encode("ascii", "ignore").translate(_ASCII_CLASSES)
    letters, digits = classes.count(b"a"), classes.count(b"0")
    if not text.isascii():
        others = _ASCII_RUNS.sub("", text)
        if others.isalpha():  # no letter is a digit or a combining mark (tests/test_lines.py)
            letters += len(others)
        else:
            # Vowel signs and other combining marks (Devanagari, Thai, Arabic) are part of words.
            letters += sum(map(str.isalpha, others)) + len(_MARK.findall(others))
            digits += sum(map(str.isdecimal, others))
    visible = max(1, len(text.strip()))
    return letters / visible, digits / visible


def script_of(text: str) -> str:
    """The script of most of a line's letters (the first word of their Unicode names), or "".

    >>> script_of("Harbour"), script_of("Москва"), script_of("東京"), script_of("2024")
    ('Latin', 'Cyrillic', 'Han', '')
    """
    if text.isascii():
        return "Latin" if any(map(str.isalpha, text)) else ""
    scripts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            if char.isascii():
                scripts["Latin"] += 1
            else:
                name = unicodedata.name(char, "")
                first = name.split(" ", 1)[0]
                scripts["Han" if first == "CJK" else first.title()] += 1
    return scripts.most_common(1)[0][0] if scripts else ""


class Lines:
    """The facts about each content line of one segmentation (see the module docstring)."""

    def __init__(self, segments: Segments):
        self.segments = segments
        self.content = segments.content
        self.texts: list[str] = [line.text for line in self.content]

    @classmethod
    def of(cls, segments: Segments) -> "Lines":
        """The table of ``segments``, built on the first call and kept with them."""
        table = segments.facts
        if table is None:
            table = segments.facts = cls(segments)
        return table

    def __len__(self) -> int:
        return len(self.texts)

    def _per_text(self, fact: Callable[[str], T]) -> list[T]:
        """``fact`` of each row's text, worked out once per distinct text."""
        known = {text: fact(text) for text in dict.fromkeys(self.texts)}
        return list(map(known.__getitem__, self.texts))

    def _matching(self, hinted: set[str], search: Callable[[str], Any]) -> list[bool]:
        """Whether ``search`` finds something in each row's text, tried only on the ``hinted``
        texts (every text ``search`` finds something in is one of them)."""
        found = {text for text in hinted if search(text)}
        return list(map(found.__contains__, self.texts))

    def _hinted(self, hint: re.Pattern[str]) -> set[str]:
        """The texts of the lines ``hint`` matches in (one match per line)."""
        segments = self.segments
        return {line_at(segments, m.start()).text for m in hint.finditer(segments.text)}

    def _holding(self, chars: str) -> set[str]:
        """The texts of the lines holding one of ``chars``. Each character is looked for with
        ``str.find`` (a scan for one character, where a pattern tries every position), and
        again from the end of the line it was found in."""
        segments = self.segments
        text, lines, starts = segments.text, segments.lines, segments.line_starts
        found = set()
        for char in chars:
            at = text.find(char)
            while at >= 0:
                line = lines[bisect_right(starts, at) - 1]
                found.add(line.text)
                at = text.find(char, line.end)
        return found

    @cached_property
    def chars(self) -> list[int]:
        return list(map(len, self.texts))

    @cached_property
    def tokens(self) -> list[list[str]]:
        # One list per distinct text, shared by its copies: treat as read only.
        return self._per_text(lambda text: text.lower().split())

    @cached_property
    def normal(self) -> list[str]:
        known = {text: " ".join(words) for text, words in zip(self.texts, self.tokens)}
        return list(map(known.__getitem__, self.texts))

    @cached_property
    def words(self) -> list[int]:
        if not has_unspaced_script(self.segments.text):
            return list(map(len, self.tokens))  # split once, for both (lowering splits nothing)
        return self._per_text(word_count)

    @cached_property
    def unspaced(self) -> list[bool]:
        if not has_unspaced_script(self.segments.text):  # no line has a word of such a script
            return [False] * len(self.texts)
        return self._per_text(lambda text: unspaced_words(text) > len(text.split()))

    @cached_property
    def last_char(self) -> list[str]:
        return [text.rstrip(WHITE_SPACE)[-1:] for text in self.texts]

    @cached_property
    def ends_sentence(self) -> list[bool]:
        return [last in _SENTENCE_END for last in self.last_char]

    @cached_property
    def ends_full_stop(self) -> list[bool]:
        return [last in _FULL_STOP for last in self.last_char]

    @cached_property
    def _shares(self) -> list[tuple[float, float]]:
        return self._per_text(letter_digit_shares)

    @cached_property
    def letters(self) -> list[float]:
        return [share[0] for share in self._shares]

    @cached_property
    def digits(self) -> list[float]:
        return [share[1] for share in self._shares]

    @cached_property
    def links(self) -> list[bool]:
        # A hint lies within one line and matches there whatever surrounds the line, so every
        # copy of a hinted text is hinted: the full pattern runs once per hinted text.
        segments = self.segments
        hinted = {line_at(segments, m.start()).text for m in _LINK_HINT.finditer(segments.text)}
        linked = {text for text in hinted if _LINK.search(text)}
        return [text in linked for text in self.texts]

    @cached_property
    def script(self) -> list[str]:
        return self._per_text(script_of)

    @cached_property
    def bullet(self) -> list[bool]:
        firsts = (text.lstrip(WHITE_SPACE)[:1] for text in self.texts)
        return [first != "" and first in LIST_MARKERS for first in firsts]

    @cached_property
    def numbered(self) -> list[bool]:
        # Only the lines holding a digit are tried: the digits column counts what \d matches
        # (str.isdecimal), and most lines of a page have none.
        found = set(filter(_NUMBERED.match, compress(self.texts, self.digits)))
        return list(map(found.__contains__, self.texts))

    @cached_property
    def pipes(self) -> list[bool]:
        return self._matching(self._holding(_SEPARATOR_CHARS), _SEPARATORS.search)

    @cached_property
    def key_value(self) -> list[bool]:
        return self._matching(self._hinted(_COLON_HINT), _KEY_VALUE.search)

    @cached_property
    def all_caps(self) -> list[bool]:
        # Every line, copies too: str.isupper stops at the first lower-case letter, which
        # costs less than finding each text's copies.
        return list(map(str.isupper, self.texts))

    @cached_property
    def copies(self) -> list[int]:
        counts = Counter(self.normal)
        return list(map(counts.__getitem__, self.normal))

    def prose(self, row: int, min_words: int) -> bool:
        """Running text: at least ``min_words`` words and a sentence end.

        >>> lines = Lines.of(Segments("Home\\nThe harbour reopened on Monday."))
        >>> lines.prose(0, 3), lines.prose(1, 3)
        (False, True)
        """
        return self.ends_sentence[row] and self.words[row] >= min_words

    COLUMNS = ("texts", "chars", "tokens", "normal", "words", "last_char", "ends_sentence", "ends_full_stop",
               "letters", "digits", "links", "unspaced", "script", "bullet", "numbered", "pipes", "key_value",
               "all_caps", "copies")

    def columns(self, *names: str) -> dict[str, list[Any]]:
        """Several columns by name (all of them without names), for a feature builder.

        >>> sorted(Lines.of(Segments("A b.")).columns("words", "links").items())
        [('links', [False]), ('words', [2])]
        """
        unknown = set(names) - set(self.COLUMNS)
        if unknown:
            raise KeyError(f"no such line fact: {', '.join(sorted(unknown))}")
        return {name: getattr(self, name) for name in names or self.COLUMNS}
