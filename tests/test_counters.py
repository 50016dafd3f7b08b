"""Counters: the word screen lets every counter line through."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import clean
from cleaner.stages.counters import _COUNTER, _may_be_counter


_COUNTER_PIECES = ["12", "1.2", "7", "K", "k", "+", "(", ")", ":", "Comments", "gefällt mir", "me gusta",
                   "share", "views", "x", " ", " ", "\t", "\u00a0", "\u3000", "\x1c"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_COUNTER_PIECES), max_size=12))
def test_counter_word_screen_keeps_every_counter(pieces):
    text = "".join(pieces)
    assert _may_be_counter(text) or not _COUNTER.match(text)


def test_longest_counter_passes_the_word_screen():
    assert _COUNTER.match("gefällt mir ( 12 K+)") and _may_be_counter("gefällt mir ( 12 K+)")


def test_digits_python_cannot_read_do_not_crash_the_stage():
    """The ``regex`` module's \\d knows digits of scripts newer than Python's own Unicode
    tables (here Gurung Khema's), which ``int`` refuses."""
    text = "The harbour reopened on Monday after two years of repairs.\n\n\U00016130\n\n12\n"
    result = clean(text)
    assert result.text.startswith("The harbour reopened")
