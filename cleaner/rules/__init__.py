"""Rule data: phrase lists and patterns, one file per language, loaded once.

``<kind>/needles.json`` holds what :func:`cleaner.patterns.pattern_needles` derives from
each pattern of a kind, worked out in advance: deriving it parses every pattern, which costs
each process about a tenth of a second at start. It is a cache, not a source: a pattern
missing from it is derived when loaded. ``python -m cleaner.rules`` rewrites it after the
lists change (tests/test_rules.py says when it is stale).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

NEEDLES = "needles.json"


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


@lru_cache(maxsize=None)
def load_needles(kind: str) -> dict[str, tuple[bool, tuple[str, ...]]]:
    """The needles worked out in advance for the patterns of ``kind`` (empty when there
    is no such file, or it cannot be read)."""
    try:
        table = json.loads((resources.files(__package__) / kind / NEEDLES).read_text(encoding="utf-8"))
        return {pattern: (bool(anchored), tuple(needles)) for pattern, (anchored, needles) in table.items()}
    except (OSError, ValueError, TypeError):
        return {}


def derive_needles(kind: str) -> dict[str, tuple[bool, tuple[str, ...]]]:
    """The needles of every pattern of ``kind``, derived now."""
    from cleaner.patterns import pattern_needles

    return {pattern: pattern_needles(pattern) for _, _, pattern in load_sections(kind)}


def write_needles(kind: str) -> Path:
    """Rewrite ``<kind>/needles.json`` from the current lists; returns its path."""
    path = Path(__file__).parent / kind / NEEDLES
    rows = [f"{json.dumps(pattern, ensure_ascii=False)}: {json.dumps([anchored, list(needles)], ensure_ascii=False)}"
            for pattern, (anchored, needles) in sorted(derive_needles(kind).items())]
    path.write_text("{\n" + ",\n".join(rows) + "\n}\n", encoding="utf-8")  # one pattern a line
    return path
