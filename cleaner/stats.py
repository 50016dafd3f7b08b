"""What cleaning removed, measured one way everywhere: the command line's summary, the batch
summary, ``--stats`` files and the review page.

The share removed is the characters that detection stages removed (content: chrome lines,
counters, templates...) over the characters of the decoded input (for HTML, of the extracted
main text). Layout edits (normalise and emit: line endings, spaces, blank lines, control and
zero-width characters) are counted apart, as ``layout``, and never as removed content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from cleaner.document import Edit

LAYOUT_STAGES = frozenset({"normalise", "emit"})


def removed_chars(edit: Edit) -> int:
    """Characters an edit takes out (a replacement by something longer takes none)."""
    return max(0, len(edit.original) - len(edit.replacement))


def content_removed(edits: Iterable[Edit]) -> int:
    """Characters removed by detection stages (not layout).

    >>> content_removed([Edit(3, 6, "\\n\\n0", "", "counters", "stray_counter", "drop"),
    ...                  Edit(0, 1, "\\r", "", "normalise", "fix_line_endings", "replace")])
    3
    """
    return sum(removed_chars(edit) for edit in edits if edit.stage not in LAYOUT_STAGES)


def share_removed(chars_in: int, removed: int) -> float:
    """The share of a text's characters removed as content, 0 for an empty text.

    >>> share_removed(200, 50), share_removed(0, 0)
    (0.25, 0.0)
    """
    return removed / chars_in if chars_in else 0.0


@dataclass
class DocStats:
    """One document's figures (small and picklable: it travels back from worker processes)."""

    chars_in: int = 0
    chars_out: int = 0
    removed: int = 0  # content characters removed
    layout: int = 0  # characters changed by layout edits
    rules: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # rule -> (stage, edits, chars)

    @classmethod
    def of(cls, decoded: str, text: str, edits: Iterable[Edit]) -> "DocStats":
        stats = cls(len(decoded), len(text))
        for edit in edits:
            if edit.stage in LAYOUT_STAGES:
                chars = abs(len(edit.original) - len(edit.replacement))
                stats.layout += chars
            else:
                chars = removed_chars(edit)
                stats.removed += chars
            stage, count, total = stats.rules.get(edit.rule, (edit.stage, 0, 0))
            stats.rules[edit.rule] = (stage, count + 1, total + chars)
        return stats


@dataclass
class Totals:
    """Figures summed over a run: documents, bytes, characters, per-rule counts."""

    documents: int = 0
    bytes_in: int = 0
    chars_in: int = 0
    chars_out: int = 0
    removed: int = 0
    layout: int = 0
    rules: dict[str, list] = field(default_factory=dict)  # rule -> [stage, edits, chars]

    def add(self, doc: DocStats, nbytes: int = 0) -> None:
        self.documents += 1
        self.bytes_in += nbytes
        self.chars_in += doc.chars_in
        self.chars_out += doc.chars_out
        self.removed += doc.removed
        self.layout += doc.layout
        for rule, (stage, count, chars) in doc.rules.items():
            entry = self.rules.setdefault(rule, [stage, 0, 0])
            entry[1] += count
            entry[2] += chars

    @property
    def share(self) -> float:
        return share_removed(self.chars_in, self.removed)

    def line(self, seconds: float) -> str:
        """``12 documents, 3.4 MB in, 11.2% removed, 0.3% layout, 1.0 s``."""
        return (f"{self.documents} documents, {self.bytes_in / 1e6:.1f} MB in, {self.share:.1%} removed, "
                f"{share_removed(self.chars_in, self.layout):.1%} layout, {seconds:.1f} s")

    def to_dict(self, seconds: float | None = None) -> dict[str, Any]:
        """The figures as JSON: totals, then per rule (most characters first)."""
        rules = sorted(self.rules.items(), key=lambda item: (-item[1][2], item[0]))
        out: dict[str, Any] = {
            "documents": self.documents, "bytes_in": self.bytes_in, "chars_in": self.chars_in,
            "chars_out": self.chars_out, "chars_removed": self.removed, "chars_layout": self.layout,
            "share_removed": round(self.share, 6),
            "rules": {rule: {"stage": stage, "edits": count, "chars": chars} for rule, (stage, count, chars) in rules},
        }
        if seconds is not None:
            out["seconds"] = round(seconds, 3)
        return out
