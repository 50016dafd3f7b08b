"""Finding a batch's inputs: a walk of SRC that never leaves it and never enters DEST."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterator

DEFAULT_GLOBS = (
    "*.txt", "*.text", "*.html", "*.htm", "*.jsonl",
    "*.txt.gz", "*.text.gz", "*.html.gz", "*.htm.gz", "*.jsonl.gz",
    "*.warc", "*.warc.gz",
)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def walk(src: Path, dest: Path, globs: tuple[str, ...] = DEFAULT_GLOBS) -> Iterator[Path]:
    """Files under ``src`` matching one of ``globs``, sorted, as paths relative to ``src``.

    Symbolic links are followed only while they stay inside ``src``; ``dest`` (when it lies
    inside ``src``) and hidden folders are skipped.
    """
    root = src.resolve()
    dest_root = dest.resolve()
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".")
            and (here / d).resolve() != dest_root
            and _inside((here / d).resolve(), root)
            and not _inside(here / d, dest_root)
        )
        for name in files:
            path = here / name
            if not any(fnmatch.fnmatch(name, g) for g in globs):
                continue
            if not _inside(path.resolve(), root) or _inside(path, dest_root):
                continue  # a link leading out of SRC, or something inside DEST
            found.append(path.relative_to(root))
    return iter(sorted(found))
