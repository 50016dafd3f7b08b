"""What every stage shares: its name, its rules, its settings, its counters.

A rule is one object. :func:`rule` turns a small named predicate into a :class:`Rule`: its id
is the function's name (the config switch ``[rules] <id> = false`` and the ``rule`` of every
edit it makes), its description the first paragraph of its docstring, and it names the settings
(thresholds) it reads. A stage lists its rules in ``rules``; ``cleaner rules``, config
validation and the registry read them from there.

A stage's settings are a frozen dataclass (a :class:`~cleaner.settings.Settings`) whose fields
are typed, have defaults and a description (:func:`~cleaner.settings.threshold`);
``[thresholds.<stage>]`` in the config sets them and is checked against them, so a typo or a
value of the wrong type is an error.

Adding a rule: write its predicate with ``@rule`` in its stage's module, add any threshold it
needs to the stage's settings, list it in the stage's ``rules`` and call it from ``detect``;
add a fixture that shows it firing.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, ClassVar, overload

from cleaner import screens
from cleaner.document import Document, Span
from cleaner.segment import Line, Segments
from cleaner.settings import Settings, StageConfig, threshold


def first_paragraph(func: Callable[..., Any]) -> str:
    """The first paragraph of a function's docstring, on one line: a rule's description.

    >>> def f():
    ...     '''A line that holds
    ...     a phrase.
    ...
    ...     More.'''
    >>> first_paragraph(f)
    'A line that holds a phrase.'
    """
    return " ".join((func.__doc__ or "").strip().split("\n\n", 1)[0].split())


class Rule:
    """A named predicate: one rule of a stage.

    Calling the rule calls its predicate. ``thresholds`` names the fields of its stage's
    settings that it reads (shown by ``cleaner rules``).

    A rule may declare cheap, exact pre-checks (see :mod:`cleaner.screens`): ``pre_check``
    takes the predicate's arguments and, when it says no, the rule answers ``miss`` without
    running the predicate; ``lines`` finds, in one scan of the document, the lines the rule
    can fire on (:meth:`Stage.candidates`). With the screens off neither is used: the
    predicate runs everywhere, the reference the equivalence tests compare with.

    >>> @rule(thresholds=("max_words",))
    ... def short_line(words: int, max_words: int) -> bool:
    ...     '''A line of at most ``max_words`` words.'''
    ...     return words <= max_words
    >>> short_line.id, short_line.description, short_line(3, 5)
    ('short_line', 'A line of at most ``max_words`` words.', True)
    """

    def __init__(self, predicate: Callable[..., Any], thresholds: tuple[str, ...] = (),
                 pre_check: Callable[..., Any] | None = None, lines: Callable[[Segments], list[Line]] | None = None,
                 miss: Any = False):
        # The predicate's name, module and docstring (and doctests) are the rule's.
        functools.update_wrapper(self, predicate)
        self.id: str = predicate.__name__
        self.description = first_paragraph(predicate)
        self.predicate = predicate
        self.thresholds = thresholds
        self.pre_check = pre_check
        self.lines = lines
        self.miss = miss

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.pre_check is not None and screens.on() and not self.pre_check(*args, **kwargs):
            return self.miss
        return self.predicate(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Rule({self.id!r})"


@overload
def rule(predicate: Callable[..., Any]) -> Rule: ...
@overload
def rule(*, thresholds: tuple[str, ...] = (), pre_check: Callable[..., Any] | None = None,
         lines: Callable[[Segments], list[Line]] | None = None, miss: Any = False) -> Callable[[Callable[..., Any]], Rule]: ...
def rule(predicate: Callable[..., Any] | None = None, *, thresholds: tuple[str, ...] = (),
         pre_check: Callable[..., Any] | None = None, lines: Callable[[Segments], list[Line]] | None = None,
         miss: Any = False) -> Rule | Callable[[Callable[..., Any]], Rule]:
    """Make a predicate a :class:`Rule` (``@rule`` or ``@rule(thresholds=(...), ...)``)."""
    if predicate is not None:
        return Rule(predicate)
    return lambda func: Rule(func, thresholds, pre_check, lines, miss)


class Stage:
    """A named step that marks spans over a document's current text.

    Subclasses set ``name``, ``description``, ``rules`` (their :class:`Rule` objects) and
    ``settings`` (their :class:`Settings` class; ``self.t`` holds the configured values), and
    implement :meth:`detect`.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    rules: ClassVar[tuple[Rule, ...]] = ()
    settings: ClassVar[type[Settings]] = Settings

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        known = cls.settings.described()
        for each in cls.rules:
            missing = [name for name in each.thresholds if name not in known]
            if missing:
                raise TypeError(f"rule {each.id} of stage {cls.name} reads unknown settings: {', '.join(missing)}")
    # The name of a stage that does this one's job where it is on (this one then does not run).
    replaced_by: ClassVar[str] = ""

    def __init__(self, config: StageConfig):
        self.config = config
        self.t: Any = self.settings.from_config(self.config, self.name)

    def on(self, rule: str) -> bool:
        return self.config.rule_on(rule)

    @property
    def screening(self) -> bool:
        """Whether the exact screens skip work (off: every rule runs in full everywhere)."""
        return screens.on()

    def candidates(self, rule: Rule, segments: Segments) -> list[Line]:
        """The content lines ``rule`` can fire on: those its ``lines`` pre-check finds, or
        every one (no pre-check, or the screens off)."""
        if rule.lines is None or not screens.on():
            return segments.content
        return rule.lines(segments)

    def span(self, start: int, end: int, rule: str, detail: dict[str, Any] | None = None,
             action: str = "drop", replacement: str = "") -> Span:
        return Span(start, end, self.name, rule, action, replacement, detail)

    def timed_out(self, doc: Document, exc: Exception, stage: str | None = None) -> None:
        """Note on the document that a rule's pattern ran past its time limit; the rule
        leaves this document unchanged (see :class:`cleaner.patterns.PatternTimeout`)."""
        note = getattr(exc, "note", None)
        detail = note() if callable(note) else {"error": str(exc)}
        doc.meta.setdefault("pattern_timeouts", []).append((stage or self.name, detail))

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:  # pragma: no cover
        """Mark spans over ``doc.text``; ``marks`` are what earlier stages marked (read only)."""
        raise NotImplementedError



__all__ = ["Rule", "Settings", "Stage", "rule", "threshold"]
