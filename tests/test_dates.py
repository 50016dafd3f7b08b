"""Dates: the sentence-end screen of is_prose agrees with its pattern."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.patterns import WHITE_SPACE
from cleaner.stages.dates import _SENTENCE_ENDS, _TERMINAL


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a.!)”。 \t\n\u00a0\u2028\u3000\x1c\x1f")), max_size=12))
def test_sentence_end_screen_equals_the_pattern(text):
    assert (text.rstrip(WHITE_SPACE)[-1:] in _SENTENCE_ENDS) == bool(_TERMINAL.search(text))
