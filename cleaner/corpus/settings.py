"""The numbers template learning works with, read from ``[thresholds.templates]``.

They are the ``templates`` stage's settings too, so `cleaner rules` lists them and a config
file changes them like any other stage's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cleaner.settings import Settings, StageConfig, threshold


@dataclass(frozen=True)
class TemplateSettings(Settings):
    """The templates stage's thresholds (``[thresholds.templates]``)."""

    min_docs: int = threshold(5, "a template line is seen in at least this many pages of its site")
    min_share: float = threshold(0.5, "and in at least this share of the site's pages")
    min_site_docs: int = threshold(10, "sites with fewer pages learn nothing")
    max_chars: int = threshold(200, "only lines of at most this many characters are counted")
    sentence_words: int = threshold(12, "a sentence-like line of this many words is content, even repeated")
    capacity: int = threshold(1024, "line counts kept per site (memory bound; more is more exact)")
    max_sites: int = threshold(4096, "sites counted at once (memory bound; the smallest are forgotten)")

    @classmethod
    def from_config(cls, config: StageConfig | None, stage: str = "templates") -> "TemplateSettings":
        """Settings from a config's ``[thresholds.templates]``, defaults elsewhere.

        >>> from cleaner.config import Config
        >>> TemplateSettings.from_config(Config(thresholds={"templates": {"min_docs": 3}})).min_docs
        3
        """
        return cls(**cls.checked(stage, config.thresholds.get(stage, {}) if config is not None else {}))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
