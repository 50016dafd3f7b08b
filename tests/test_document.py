"""The document model: edits compose, the current text is right, restore is exact."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document, Edit, Span, restore

ALPHABET = st.sampled_from(list("ab \n\té\u200b"))


@st.composite
def layered_edits(draw):
    text = draw(st.text(alphabet=ALPHABET, max_size=40))
    layers = []
    current_len = len(text)
    for _ in range(draw(st.integers(1, 4))):
        spans, pos = [], 0
        while pos <= current_len and draw(st.booleans()):
            a = draw(st.integers(pos, current_len))
            b = draw(st.integers(a, min(current_len, a + 6)))
            replacement = draw(st.sampled_from(["", "", "Z", "QQ", "\n"]))
            if a == b and not replacement:
                pos = b + 1
                continue
            spans.append((a, b, replacement))
            pos = b if a < b else b + 1
        new_len = current_len + sum(len(r) - (b - a) for a, b, r in spans)
        layers.append(spans)
        current_len = new_len
    return text, layers


@settings(max_examples=400, deadline=None)
@given(layered_edits())
def test_layers_compose_and_restore(case):
    text, layers = case
    doc = Document(text)
    for spans in layers:
        before = doc.text
        doc.apply(Span(a, b, "s", "r", "replace", r) for a, b, r in spans)
        expected, cursor = [], 0
        for a, b, r in spans:
            expected += [before[cursor:a], r]
            cursor = b
        expected.append(before[cursor:])
        assert doc.text == "".join(expected)
        assert restore(doc.text, doc.edits) == text
        for edit in doc.edits:
            assert text[edit.start : edit.end] == edit.original


class _GeneralPathOnly(Document):
    __slots__ = ()

    def _apply_to_unedited(self, spans):
        return False


@st.composite
def marks(draw):
    """A text and spans over it: sorted or not, overlapping or not, no-ops included."""
    text = draw(st.text(alphabet=ALPHABET, max_size=30))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 5)))
        replacement = draw(st.sampled_from(["", "", "Z", text[a:b], "\n"]))
        action = draw(st.sampled_from(["drop", "replace"]))
        spans.append(Span(a, b, "s", f"r{len(spans)}", action, replacement, {"n": len(spans)}))
    return text, spans


@settings(max_examples=400, deadline=None)
@given(marks())
def test_unedited_fast_path_equals_the_general_path(case):
    text, spans = case
    fast = Document(text)
    fast.apply(spans)
    general = _GeneralPathOnly(text)
    general.apply(spans)
    assert fast.text == general.text
    assert fast.edits == general.edits
    assert (fast._cur_starts, fast._cur_ends) == (general._cur_starts, general._cur_ends)


def test_a_layout_fix_that_absorbs_a_removal_is_named_by_the_removal():
    """Trailing blank lines trimmed around a block dropped before: the one edit left is that
    block's removal (its rule and detail), the layout fix merged into it, so every view of
    the removals (explain, review, stats) shows the block."""
    doc = Document("Body text.\n\nSubscribe to our newsletter for more\n\n")
    doc.apply([Span(12, 48, "extract", "block_model", "drop", "", {"score": 0.1})])
    assert doc.text == "Body text.\n\n\n\n"
    doc.apply([Span(10, 14, "emit", "final_newline", "replace", "\n")])
    [edit] = doc.edits
    assert (edit.stage, edit.rule, edit.detail) == ("extract", "block_model", {"score": 0.1})
    assert edit.merged == ["final_newline"] and edit.action == "replace" and edit.replacement == "\n"
    assert restore(doc.text, doc.edits) == doc.decoded
    # a removal that absorbs a smaller earlier fix keeps its own name, as before
    small = Document("Ad\u200bvert\n\nBody text.\n")
    small.apply([Span(2, 3, "normalise", "strip_zero_width", "replace", "")])
    small.apply([Span(0, 8, "chrome", "chrome_phrase")])
    assert [e.rule for e in small.edits] == ["chrome_phrase"]


def test_drop_absorbs_earlier_replacement():
    doc = Document("Ad\u200bvert\n\nBody text.\n")
    doc.apply([Span(2, 3, "normalise", "strip_zero_width", "replace", "")])
    assert doc.text == "Advert\n\nBody text.\n"
    doc.apply([Span(0, 8, "chrome", "chrome_phrase")])
    assert doc.text == "Body text.\n"
    [edit] = doc.edits
    assert edit.original == "Ad\u200bvert\n\n"
    assert edit.rule == "chrome_phrase" and edit.merged == ["strip_zero_width"]
    assert restore(doc.text, doc.edits) == doc.decoded


def test_restore_rejects_a_foreign_output():
    edit = Edit(0, 3, "abc", "x", "s", "r", "replace")
    try:
        restore("yz", [edit])
    except ValueError as exc:
        assert "rule r" in str(exc)
    else:
        raise AssertionError("restore accepted an output that does not match its log")


class _PageReasons:
    """Stands for the line model's reasons of one page: the entries of its k-th removal."""

    def __init__(self, calls):
        self.calls = calls

    def of(self, k):
        self.calls.append(1)
        return [{"features": {"links": -1.5}}, {"features": {"pipes": 2.0}}][k]


@pytest.mark.parametrize("kind", ["fill function", "line model"])
def test_a_deferred_detail_reads_as_a_dict_and_fills_once(kind):
    import copy
    import json
    import pickle

    from cleaner.document import DeferredDetail
    from cleaner.stages.line_model import Explained

    def make(calls):
        if kind == "line model":  # the subclass that keeps the page's reasons and its row
            return Explained({"score": 0.25}, _PageReasons(calls), 0)
        return DeferredDetail({"score": 0.25}, lambda: calls.append(1) or {"features": {"links": -1.5}})

    whole = {"score": 0.25, "features": {"links": -1.5}}
    reads = [json.dumps, lambda d: json.dumps(d, indent=1), pickle.dumps, copy.copy, copy.deepcopy, dict,
             lambda d: {**d}, list, len, repr, lambda d: d == whole, lambda d: whole == d, lambda d: d.get("features"),
             lambda d: "features" in d, lambda d: d["features"], lambda d: list(d.items())]
    for read in reads:
        calls = []
        detail = make(calls)
        assert calls == []
        read(detail)
        read(detail)
        assert calls == [1], read
        assert detail == whole and list(detail) == ["score", "features"]
    assert type(pickle.loads(pickle.dumps(make([])))) is dict and pickle.loads(pickle.dumps(make([]))) == whole
    assert type(copy.copy(make([]))) is dict
    written = make([])
    written["extra"] = 1  # a write does not lose the deferred entries
    assert written == {**whole, "extra": 1}
    assert DeferredDetail({"a": 1}) == {"a": 1}
