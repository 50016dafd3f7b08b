"""The numbers template learning works with, read from ``[thresholds.templates]``.

The defaults and their descriptions live on the ``templates`` stage (its ``thresholds``), so
`cleaner rules` lists them and a config file changes them like any other stage's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from cleaner.config import Config


@dataclass(frozen=True)
class TemplateSettings:
    min_docs: int = 5
    min_share: float = 0.5
    min_site_docs: int = 10
    max_chars: int = 200
    sentence_words: int = 12
    capacity: int = 1024
    max_sites: int = 4096

    @classmethod
    def from_config(cls, config: Config | None) -> "TemplateSettings":
        """Settings from a config's ``[thresholds.templates]``, defaults elsewhere.

        >>> TemplateSettings.from_config(Config(thresholds={"templates": {"min_docs": 3}})).min_docs
        3
        """
        values = (config or Config()).thresholds.get("templates", {})
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
