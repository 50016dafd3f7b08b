"""Settings: a stage's thresholds as a typed, frozen dataclass, read from the config.

Each field is declared with :func:`threshold` (its default and what it decides); the field's
annotation is its type. ``[thresholds.<stage>]`` sets them: :meth:`Settings.checked` refuses
an unknown name, a value of the wrong type, and a value out of range: no threshold is below
zero, and a ``float`` threshold is a fraction (a share of words, pages or a text, or a
probability), from 0 to 1; counts and lengths are ``int``.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Protocol, TypeVar, get_type_hints

T = TypeVar("T")


class ConfigError(ValueError):
    """A configuration that names something that does not exist or has a bad value."""


class StageConfig(Protocol):
    """What the stages read of a configuration (:class:`cleaner.config.Config` is one): its
    thresholds, the user's drop patterns, and whether a rule is on. Stages are typed against
    this rather than the config module, which knows every stage (to check the names a file
    gives) and so sits above them."""

    thresholds: dict[str, dict[str, Any]]
    drop_patterns: list[str]

    def rule_on(self, name: str) -> bool: ...


S = TypeVar("S", bound="Settings")


def threshold(default: T, description: str) -> T:
    """A settings field: its default and what it decides."""
    return field(default=default, metadata={"description": description})  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Settings:
    """A stage's thresholds, typed and frozen (subclasses add fields with :func:`threshold`)."""

    @classmethod
    def described(cls) -> dict[str, tuple[Any, type, str]]:
        """Each field's default, type and description, in order."""
        hints = get_type_hints(cls)
        return {f.name: (f.default if f.default is not MISSING else None, hints[f.name], f.metadata.get("description", ""))
                for f in fields(cls)}

    @classmethod
    def checked(cls, stage: str, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` (from ``[thresholds.<stage>]``) checked against the fields; a whole number
        given for a fraction becomes a float.

        >>> from cleaner.stages.dates import DatesSettings
        >>> DatesSettings.checked("dates", {"prose_words": 8.5})
        Traceback (most recent call last):
        ...
        cleaner.settings.ConfigError: threshold dates.prose_words must be a whole number
        >>> from cleaner.corpus.settings import TemplateSettings
        >>> TemplateSettings.checked("templates", {"min_share": 1})
        {'min_share': 1.0}
        >>> TemplateSettings.checked("templates", {"min_share": 50})
        Traceback (most recent call last):
        ...
        cleaner.settings.ConfigError: threshold templates.min_share is a fraction, from 0 to 1 (got 50)
        """
        known = cls.described()
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"unknown threshold {stage}.{key}")
            kind = known[key][1]
            if kind is bool:
                ok = isinstance(value, bool)
            elif kind is int:
                ok = isinstance(value, int) and not isinstance(value, bool)
                if not ok and isinstance(value, float):
                    raise ConfigError(f"threshold {stage}.{key} must be a whole number")
            elif kind is float or kind == (float | None):  # a fraction, or None: a default decided elsewhere
                kind = float
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
                value = float(value) if ok else value
            else:
                ok = isinstance(value, kind)
            if not ok:
                raise ConfigError(f"threshold {stage}.{key} must be a {'number' if kind in (int, float) else kind.__name__}")
            if kind in (int, float) and not 0 <= value < float("inf"):  # no threshold counts below zero
                raise ConfigError(f"threshold {stage}.{key} must be zero or more (got {value})")
            if kind is float and value > 1:  # a share given as a percentage, say
                raise ConfigError(f"threshold {stage}.{key} is a fraction, from 0 to 1 (got {value:g})")
            out[key] = value
        return out

    @classmethod
    def from_config(cls: type[S], config: StageConfig | None, stage: str) -> S:
        """The settings ``[thresholds.<stage>]`` of ``config`` sets, defaults elsewhere."""
        values = config.thresholds.get(stage, {}) if config is not None else {}
        return cls(**cls.checked(stage, values))
