"""Segments: lines and paragraphs as offsets, checked against their definition on random text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.segment import Segments


@given(st.lists(st.sampled_from(["a", "b c", "", " ", "\t", "\u3000", "x\u00a0"]), max_size=25).map("\n".join))
@settings(max_examples=300, deadline=None)
def test_lines_and_paragraphs_follow_their_definition(text):
    seg = Segments(text)
    assert "\n".join(line.text for line in seg.lines) == text
    assert all(text[line.start : line.end] == line.text for line in seg.lines)
    assert seg.line_starts == [line.start for line in seg.lines]
    assert seg.content == [line for line in seg.lines if line.text.strip()]
    # A paragraph is a maximal run of non-blank lines, numbered in order.
    runs: list[tuple[int, int]] = []
    for line in seg.lines:
        if line.text.strip():
            if runs and runs[-1][1] == line.index - 1:
                runs[-1] = (runs[-1][0], line.index)
            else:
                runs.append((line.index, line.index))
    assert seg.paragraphs == runs
    assert all(seg.lines[i].para == p for p, (a, b) in enumerate(runs) for i in range(a, b + 1))


def test_unspaced_ranges_are_the_ranges_of_the_unspaced_scripts():
    """The screen, written as a negated class, holds exactly U+0E00-U+0EFF, U+1000-U+109F,
    U+1780-U+17FF and U+2E80 on."""
    import re

    from cleaner.segment import _UNSPACED_RANGES

    everything = "".join(map(chr, range(0x110000)))
    ranges = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\U0010ffff]")
    assert _UNSPACED_RANGES.findall(everything) == ranges.findall(everything)
