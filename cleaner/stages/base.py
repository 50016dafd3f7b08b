"""What every stage shares: its name, its rules, its thresholds, its counters."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, ClassVar

from cleaner.config import Config
from cleaner.document import Document, Span
from cleaner.segment import Segments


def first_line(func: Callable[..., Any]) -> str:
    """The first paragraph of a function's docstring, on one line: a rule's description.

    >>> def rule():
    ...     '''A line that wraps
    ...     onto a second one.
    ...
    ...     >>> rule()
    ...     '''
    >>> first_line(rule)
    'A line that wraps onto a second one.'
    """
    paragraph = (func.__doc__ or "").strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


class Stage:
    """A named step that marks spans over a document's current text.

    Subclasses set ``name``, ``description``, ``rule_functions`` (the small named functions
    whose names are the rule ids and config switches) and ``thresholds``
    (name -> (default, description)), and implement :meth:`detect`.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    rule_functions: ClassVar[tuple[Callable[..., Any], ...]] = ()
    extra_rules: ClassVar[dict[str, str]] = {}
    thresholds: ClassVar[dict[str, tuple[Any, str]]] = {}

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.counts: Counter[str] = Counter()
        self.t = {key: self.config.threshold(self.name, key, default) for key, (default, _) in self.thresholds.items()}

    @classmethod
    def rules_described(cls) -> dict[str, str]:
        described = {func.__name__: first_line(func) for func in cls.rule_functions}
        described.update(cls.extra_rules)
        return described

    # `rules` is a class-level view used by the registry and config validation.
    @classmethod
    def rule_ids(cls) -> list[str]:
        return list(cls.rules_described())

    def on(self, rule: str) -> bool:
        return self.config.rule_on(rule)

    def span(self, start: int, end: int, rule: str, detail: dict[str, Any] | None = None,
             action: str = "drop", replacement: str = "") -> Span:
        self.counts[f"marked_{rule}"] += 1
        return Span(start, end, self.name, rule, action, replacement, detail)

    def timed_out(self, doc: Document, exc: Exception, stage: str | None = None) -> None:
        """Note on the document that a rule's pattern ran past its time limit; the rule
        leaves this document unchanged (see :class:`cleaner.patterns.PatternTimeout`)."""
        detail = exc.note() if hasattr(exc, "note") else {"error": str(exc)}
        doc.meta.setdefault("pattern_timeouts", []).append((stage or self.name, detail))
        self.counts[f"timeout_{detail.get('rule', 'pattern')}"] += 1

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:  # pragma: no cover
        """Mark spans over ``doc.text``; ``marks`` are what earlier stages marked (read only)."""
        raise NotImplementedError
