"""Apply: its shortcuts give what the plain computations give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.apply import safety_bound
from cleaner.document import Document, Span
from cleaner.segment import Segments


def _safety_bound_in_full(doc: Document, max_share: float) -> dict | None:
    """safety_bound without its upper bound on the input's words."""
    words_in = len(doc.decoded.split())
    if not words_in:
        return None
    share = 1 - len(doc.text.split()) / words_in
    if share <= max_share:
        return None
    by_rule: dict[str, int] = {}
    for edit in doc.edits:
        if edit.action == "drop":
            by_rule[edit.rule] = by_rule.get(edit.rule, 0) + len(edit.original.split())
    return {"removed_share": round(share, 3), "bound": max_share, "words_by_rule": by_rule}


@st.composite
def dropped(draw):
    text = draw(st.text(alphabet=st.sampled_from(list("ab \n\t\u00a0")), max_size=60))
    spans, pos = [], 0
    while pos < len(text) and draw(st.booleans()):
        a = draw(st.integers(pos, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        spans.append(Span(a, b, "s", draw(st.sampled_from(["r1", "r2"]))))
        pos = b
    return text, spans


@settings(max_examples=400, deadline=None)
@given(dropped(), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]))
def test_safety_bound_equals_the_full_count(case, max_share):
    text, spans = case
    doc = Document(text)
    doc.apply(spans)
    assert safety_bound(doc, max_share) == _safety_bound_in_full(doc, max_share)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a \n\t\u00a0\u2028\x1c")), max_size=30))
def test_only_blank_lines_between_means_only_spaces_between(text):
    """widen_to_layout joins removed lines into one run on the cheaper test."""
    lines = Segments(text).lines
    for j in range(len(lines)):
        for k in range(j + 1, len(lines)):
            between = text[lines[j].end : lines[k].start]
            assert between.isspace() == all(lines[m].blank for m in range(j + 1, k))
