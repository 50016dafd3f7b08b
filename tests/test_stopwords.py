"""The language guess's word finder: the fast tokeniser finds exactly the listed words the
reference pattern (``_WORD``) finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.stopwords import _WORD, stoplists

LISTS = stoplists()
# Stopwords of several scripts, glued to punctuation, digits, apostrophes and combining marks.
PIECES = st.sampled_from(["the", "der", "und", "de", "la", "и", "не", "και", "że", "için", "l'", "'", "\u0301",
                          "\u0930\u094d", "12", "-", ",", ".", "(", "»", "’", "_", "²", "Ⅻ", " ", "\n", "\t", "\xa0"])


def reference(lowered: str) -> set[str]:
    return set(_WORD.findall(lowered)) & LISTS.vocabulary


@given(st.lists(PIECES | st.text(max_size=4), max_size=30).map("".join))
@settings(max_examples=500, deadline=None)
def test_listed_words_match_the_reference(text):
    lowered = text.lower()
    assert LISTS.listed_words(lowered) == reference(lowered)


def test_letters_are_word_characters():
    # listed_words takes a token str.isalpha accepts as one word of _WORD's.
    assert [hex(c) for c in range(0x110000) if chr(c).isalpha() and not _WORD.match(chr(c))] == []
