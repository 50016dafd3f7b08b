"""The document model: a decoded text, the spans stages mark on it, the edits made to it.

Every change to a document is an :class:`Edit` in the coordinates of the *decoded input*.
Edits never overlap and are kept sorted, so the current text is always
``decoded`` with the edits applied left to right, and the decoded input is always
the current text with each edit's replacement swapped back for its original.

Stages look at the current text and return :class:`Span` marks in *its* coordinates;
:meth:`Document.apply` turns them into edits, composing them with earlier edits
(for example a dropped line that contained a repaired mojibake character).
"""

from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator


@dataclass(slots=True)
class Span:
    """A mark over the current text: ``text[start:end]`` should become ``replacement``.

    ``action`` is ``"drop"`` for removals (``replacement`` empty) or ``"replace"``.
    ``detail`` holds whatever explains the decision (matched pattern, features, counts).
    Treat a span as a value: :meth:`moved` makes a new one. (Not a frozen dataclass only
    because freezing triples the cost of making one, and a page dump makes one per line.)
    """

    start: int
    end: int
    stage: str
    rule: str
    action: str = "drop"
    replacement: str = ""
    detail: dict[str, Any] | None = None

    def moved(self, start: int, end: int) -> "Span":
        """The same mark over another range (``dataclasses.replace`` without its cost)."""
        return Span(start, end, self.stage, self.rule, self.action, self.replacement, self.detail)


class DeferredDetail(dict):  # type: ignore[type-arg]
    """A span's ``detail`` with entries worked out when first read, for an explanation that
    costs more than the decision and is read only where a log is kept.

    It is a ``dict`` to every reader (``json``, ``pickle``, ``==``, ``dict()``, iteration):
    the first read of any kind calls ``fill`` once and adds what it returns. A copy or a
    pickle is a plain ``dict``.

    >>> calls = []
    >>> detail = DeferredDetail({"score": 0.1}, lambda: calls.append(1) or {"features": {"links": 2.0}})
    >>> calls
    []
    >>> detail["features"], detail == {"score": 0.1, "features": {"links": 2.0}}, len(calls)
    ({'links': 2.0}, True, 1)
    """

    __slots__ = ("_fill",)

    def __init__(self, data: Any = (), fill: Callable[[], dict[str, Any]] | None = None, **kwargs: Any):
        dict.__init__(self, data, **kwargs)
        self._fill: Any = fill

    def _filled(self) -> dict[str, Any]:
        fill = self._fill
        if fill is not None:
            self._fill = None
            dict.update(self, self._entries(fill))
        return self

    def _entries(self, fill: Any) -> dict[str, Any]:
        """What the first read adds: ``fill()``. (A subclass may keep something else than a
        function in ``_fill`` and read it here, to spare an object per detail.)"""
        return fill()  # type: ignore[no-any-return]

    # Every way to read a dict, through _filled (writes need it too: they must not be undone).
    def __getitem__(self, key: Any) -> Any:
        return dict.__getitem__(self._filled(), key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self._filled(), key)

    def __iter__(self) -> Iterator[Any]:
        return dict.__iter__(self._filled())

    def __len__(self) -> int:
        return dict.__len__(self._filled())

    def __eq__(self, other: object) -> bool:
        return dict.__eq__(self._filled(), other)

    def __ne__(self, other: object) -> bool:
        return dict.__ne__(self._filled(), other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return dict.__repr__(self._filled())

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self.items()),)

    def __copy__(self) -> dict[str, Any]:
        return dict(self.items())

    def __or__(self, other: Any) -> Any:
        return dict.__or__(self._filled(), other)

    def __ror__(self, other: Any) -> Any:
        return dict(other) | dict(self.items())

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self._filled(), key, default)

    def keys(self) -> Any:
        return dict.keys(self._filled())

    def values(self) -> Any:
        return dict.values(self._filled())

    def items(self) -> Any:
        return dict.items(self._filled())

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self._filled(), key, value)

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self._filled(), key)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return dict.setdefault(self._filled(), key, default)

    def pop(self, key: Any, *default: Any) -> Any:
        return dict.pop(self._filled(), key, *default)

    def popitem(self) -> tuple[Any, Any]:
        return dict.popitem(self._filled())

    def update(self, *args: Any, **kwargs: Any) -> None:
        dict.update(self._filled(), *args, **kwargs)

    def clear(self) -> None:
        self._fill = None
        dict.clear(self)


@dataclass(slots=True)
class Edit:
    """One change, in decoded-input coordinates: ``decoded[start:end]`` became ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    stage: str
    rule: str
    action: str
    detail: dict[str, Any] | None = None
    # Rules of earlier edits this one absorbed (for example a mojibake fix inside a dropped line).
    merged: list[str] = field(default_factory=list)

    def to_record(self, doc_id: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "doc": doc_id,
            "stage": self.stage,
            "rule": self.rule,
            "action": self.action,
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
        }
        if self.detail:
            record["detail"] = self.detail
        if self.merged:
            record["merged"] = self.merged
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Edit":
        """An edit read back from a log record; ``ValueError`` when its fields have the
        wrong types (a damaged or foreign log)."""
        for key in ("start", "end"):
            if not isinstance(record.get(key), int):
                raise ValueError(f"record {key!r} is not an offset")
        for key in ("original", "replacement"):
            if not isinstance(record.get(key), str):
                raise ValueError(f"record {key!r} is not text")
        return cls(
            start=record["start"],
            end=record["end"],
            original=record["original"],
            replacement=record["replacement"],
            stage=record["stage"],
            rule=record["rule"],
            action=record["action"],
            detail=record.get("detail"),
            merged=list(record.get("merged", [])),
        )


_BY_RANGE = attrgetter("start", "end")


class Document:
    """A decoded text and the edits made to it so far.

    >>> doc = Document("a\\u200bb\\n\\n0\\n")
    >>> doc.apply([Span(1, 2, "normalise", "zero_width", action="replace")])
    >>> doc.text
    'ab\\n\\n0\\n'
    >>> doc.apply([Span(2, 5, "detect", "stray_counter")])
    >>> doc.text
    'ab\\n'
    """

    __slots__ = ("id", "decoded", "meta", "edits", "text", "_cur_starts", "_cur_ends")

    def __init__(self, decoded: str, doc_id: str = "", meta: dict[str, Any] | None = None):
        self.id = doc_id
        self.decoded = decoded
        self.meta: dict[str, Any] = dict(meta or {})
        self.edits: list[Edit] = []
        self.text = decoded
        self._cur_starts: list[int] = []
        self._cur_ends: list[int] = []

    # -- coordinate mapping -------------------------------------------------------------

    def _to_decoded(self, pos: int, side: str) -> int:
        """Map a position of the current text to the decoded input.

        Positions inside an edit's replacement are ambiguous; ``side="start"`` maps them to the
        edit's start, ``side="end"`` to its end. Callers widen spans so that never happens
        except at edit boundaries.
        """
        if not self.edits:
            return pos
        i = bisect_right(self._cur_ends, pos) - 1
        if side == "end":
            # An end position sticks before deletions sitting exactly at ``pos``.
            while i >= 0 and self._cur_starts[i] == self._cur_ends[i] == pos:
                i -= 1
        if i < 0:
            return pos
        return self.edits[i].end + (pos - self._cur_ends[i])

    def _reindex(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        pieces: list[str] = []
        delta = 0
        cursor = 0
        for edit in self.edits:
            pieces.append(self.decoded[cursor : edit.start])
            pieces.append(edit.replacement)
            cur_start = edit.start + delta
            delta += len(edit.replacement) - (edit.end - edit.start)
            starts.append(cur_start)
            ends.append(cur_start + len(edit.replacement))
            cursor = edit.end
        pieces.append(self.decoded[cursor:])
        self.text = "".join(pieces)
        self._cur_starts = starts
        self._cur_ends = ends

    # -- applying marks -----------------------------------------------------------------

    def apply(self, spans: Iterable[Span]) -> None:
        """Turn spans over the current text into edits of the decoded input.

        Spans must not overlap each other. A span that cuts into an earlier edit's
        replacement absorbs that edit, so edits stay non-overlapping and replayable.
        """
        spans = sorted(spans, key=_BY_RANGE)
        if not spans:
            return
        old = self.edits
        if not old and self._apply_to_unedited(spans):
            return
        cur_starts, cur_ends = self._cur_starts, self._cur_ends
        # 1. Widen each span over the earlier replacements it cuts into; spans whose widened
        #    ranges overlap (they cut into the same earlier edit) become one group.
        groups: list[tuple[int, int, list[Span], list[int]]] = []
        for span in spans:
            a, b = span.start, span.end
            if a == b and not span.replacement:
                continue
            lo, hi = a, b
            absorbed: list[int] = []
            if old:
                i = bisect_right(cur_ends, a if a < b else a - 1)
                while i < len(old) and cur_starts[i] < b:
                    cs, ce = cur_starts[i], cur_ends[i]
                    # Absorb replacements the span cuts into, and deletions strictly inside it.
                    if ce > max(a, cs) or a < cs == ce:
                        absorbed.append(i)
                        lo = min(lo, cs)
                        hi = max(hi, ce)
                    i += 1
            if groups and lo < groups[-1][1]:
                g_lo, g_hi, g_spans, g_absorbed = groups.pop()
                lo, hi = min(lo, g_lo), max(hi, g_hi)
                absorbed = sorted(set(g_absorbed) | set(absorbed))
                groups.append((lo, hi, [*g_spans, span], absorbed))
            else:
                groups.append((lo, hi, [span], absorbed))

        # 2. Each group becomes one edit over one contiguous range of the decoded input.
        gone: set[int] = set()
        new_edits: list[tuple[int, Edit]] = []
        text, decoded = self.text, self.decoded
        for lo, hi, group, absorbed in groups:
            first = group[0]
            if len(group) == 1 and not absorbed:  # most groups: one span, nothing absorbed
                replacement = first.replacement
            else:
                pieces, cursor = [], lo
                for span in group:
                    pieces += [text[cursor : span.start], span.replacement]
                    cursor = span.end
                pieces.append(text[cursor:hi])
                replacement = "".join(pieces)
                gone.update(absorbed)
            if old:
                end = self._to_decoded(hi, "end")
                start = end if lo == hi else self._to_decoded(lo, "start")
            else:  # no earlier edit: the current text is the decoded input
                start, end = lo, hi
            original = decoded[start:end]
            if original == replacement:
                continue
            owner: Span | Edit = first
            merged = [old[j].rule for j in absorbed] + [s.rule for s in group[1:]] if absorbed or len(group) > 1 else []
            if absorbed:
                # The edit is named by what removed most of it: a layout fix (a final newline)
                # that absorbs the blocks or lines dropped before it is their removal, not layout.
                biggest = max(absorbed, key=lambda j: len(old[j].original))
                if len(old[biggest].original) > sum(span.end - span.start for span in group):
                    owner = old[biggest]
                    merged = [old[j].rule for j in absorbed if j != biggest] + [span.rule for span in group]
            action = "replace" if owner.action == "drop" and replacement else owner.action
            edit = Edit(start, end, original, replacement, owner.stage, owner.rule, action,
                        owner.detail, merged)
            new_edits.append((lo, edit))

        # 3. Order by decoded range; insertions at one decoded point keep their order in the
        #    current text (a new insertion at an old edit's position goes before it). Without
        #    earlier edits the groups are already in that order.
        if old:
            keyed = [((e.start, e.end, cur_starts[j], 1), e) for j, e in enumerate(old) if j not in gone]
            keyed += [((e.start, e.end, p, 0), e) for p, e in new_edits]
            keyed.sort(key=lambda pair: pair[0])
            self.edits = [e for _, e in keyed]
        else:
            self.edits = [e for _, e in new_edits]
        self._reindex()

    def _apply_to_unedited(self, spans: list[Span]) -> bool:
        """:meth:`apply` for a document without edits yet (most documents, in the detection
        stages' one call): the current text is the decoded input, so each span is one edit
        at its own offsets, and the new text and the index are built in the same loop.

        ``spans`` are sorted; False (nothing changed) when two of them overlap, which the
        general path merges into one edit.
        """
        text = self.decoded
        edits: list[Edit] = []
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        cursor = reach = delta = 0  # cursor: end of the last edit; reach: of the last span
        for span in spans:
            a, b, replacement = span.start, span.end, span.replacement
            if a == b and not replacement:
                continue
            if a < reach:
                return False
            reach = b
            original = text[a:b]
            if original == replacement:
                continue
            action = "replace" if span.action == "drop" and replacement else span.action
            edits.append(Edit(a, b, original, replacement, span.stage, span.rule, action, span.detail, []))
            pieces.append(text[cursor:a])
            pieces.append(replacement)
            starts.append(a + delta)
            delta += len(replacement) - (b - a)
            ends.append(starts[-1] + len(replacement))
            cursor = b
        pieces.append(text[cursor:])
        self.edits = edits
        self.text = "".join(pieces)
        self._cur_starts = starts
        self._cur_ends = ends
        return True


def restore(output: str, edits: Iterable[Edit]) -> str:
    """Rebuild the decoded input from a clean output and its edits.

    >>> restore("ab\\n", [Edit(3, 5, "\\n0", "", "detect", "stray_counter", "drop")])
    'ab\\n\\n0'

    Raises ``ValueError`` when the output does not carry an edit's replacement where the
    log says it should (the output was changed after cleaning, or the log is another's).
    """
    pieces: list[str] = []
    delta = 0
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out_start = edit.start + delta
        if out_start < cursor:
            raise ValueError(f"overlapping edits in log at offset {edit.start}")
        pieces.append(output[cursor:out_start])
        out_end = out_start + len(edit.replacement)
        if output[out_start:out_end] != edit.replacement:
            raise ValueError(
                f"output does not match the log at offset {edit.start} (rule {edit.rule})"
            )
        pieces.append(edit.original)
        cursor = out_end
        delta += len(edit.replacement) - (edit.end - edit.start)
    pieces.append(output[cursor:])
    return "".join(pieces)
