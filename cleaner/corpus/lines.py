"""Which lines take part in template learning, and the key they are counted under.

A line's key ignores what varies between two copies of one template line: case, digits
(a date or a counter in a footer), punctuation, symbols and spacing. Keys are hashed to
64-bit integers, so counting never keeps the text.
"""

from __future__ import annotations

from hashlib import blake2b

import regex

from cleaner.patterns import WHITE_SPACE
from cleaner.segment import CLOSING_BRACKETS, CLOSING_QUOTES, FULL_STOPS, unspaced_words

_DIGITS = regex.compile(r"\p{Nd}+")
_NOT_WORD = regex.compile(r"[^\p{L}\p{M}0]+")
_LETTER = regex.compile(r"\p{L}")
# Closing quotes and brackets a sentence's full stop may stand inside.
_CLOSERS = CLOSING_QUOTES + CLOSING_BRACKETS + "'"


def line_key(text: str) -> str:
    """The normalised form of a line: lowercase, digit runs folded to 0, only letters kept.

    >>> line_key("© 2024 Example News — All rights reserved.")
    '0examplenewsallrightsreserved'
    >>> line_key("Page 3 of 12") == line_key("page 10 of 7")
    True
    """
    folded = _DIGITS.sub("0", text.casefold())
    return _NOT_WORD.sub("", folded)


def line_hash(key: str) -> int:
    """A stable 64-bit hash of a line key (the same in every process and run).

    >>> line_hash("home") == line_hash("home")
    True
    """
    return int.from_bytes(blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def sentence_like(text: str, min_words: int) -> bool:
    """A long line that reads like prose: enough words (:func:`~cleaner.segment.word_count`'s),
    mostly lowercase, a full stop (of any script, inside closing quotes and brackets or not).

    Such a line is content even when it repeats (a quote or a disclaimer used on purpose).

    >>> sentence_like("“We will rebuild the harbour, whatever it costs,” the mayor said on Monday.", 12)
    True
    >>> sentence_like("Home News Sport Weather Travel Culture Opinion Business Tech Science Health.", 12)
    False
    >>> sentence_like("市长周一表示，无论付出多大代价，我们都会重建港口。", 12)  # words counted from characters
    True
    """
    words = text.split()
    if len(words) + unspaced_words(text) < min_words or text.rstrip(WHITE_SPACE).rstrip(_CLOSERS)[-1:] not in FULL_STOPS:
        return False
    capitalised = sum(1 for word in words if word[:1].isupper())
    return capitalised * 2 < len(words)


def countable(text: str, max_chars: int, sentence_words: int) -> bool:
    """A line that may be a template line: short, with letters, not a sentence of prose.

    >>> countable("Subscribe to The Harbour Herald", 200, 12)
    True
    >>> countable("2024", 200, 12)
    False
    """
    text = text.strip()
    if not text or len(text) > max_chars or not _LETTER.search(text):
        return False
    return not sentence_like(text, sentence_words)


def document_hashes(text: str, max_chars: int, sentence_words: int) -> set[int]:
    """The hashes of a document's countable lines, each once (counts are per document).

    >>> len(document_hashes("Home\\nNews\\nhome\\n\\nA 2024 line.", 200, 12))
    3
    """
    return {line_hash(line_key(line)) for line in text.split("\n")
            if countable(line, max_chars, sentence_words)}
