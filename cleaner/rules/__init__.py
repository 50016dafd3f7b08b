"""Rule data: phrase lists and patterns, one file per language, loaded once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_sections(kind: str) -> tuple[tuple[str, str, str], ...]:
    """Read every ``<kind>/<lang>.txt`` file: ``(lang, family, pattern)`` per pattern line.

    Files hold ``[family]`` headers, then one regular expression a line; ``#`` starts a comment.
    """
    entries: list[tuple[str, str, str]] = []
    folder = resources.files(__package__) / kind
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".txt"):
            continue
        lang = item.name[:-4]
        family = ""
        for raw in item.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                family = line[1:-1]
                continue
            if not family:
                raise ValueError(f"{kind}/{item.name}: pattern before any [family] header: {line!r}")
            entries.append((lang, family, line))
    return tuple(entries)


def languages(kind: str) -> list[str]:
    return sorted({lang for lang, _, _ in load_sections(kind)})
