"""Finding a batch's inputs: a walk of SRC that never leaves it and never enters DEST."""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Iterator

DEFAULT_GLOBS = (
    "*.txt", "*.text", "*.html", "*.htm", "*.jsonl",
    "*.txt.gz", "*.text.gz", "*.html.gz", "*.htm.gz", "*.jsonl.gz",
    "*.warc", "*.warc.gz", "*.parquet", "*.arrow",
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
    # os.walk does not enter linked folders, so every folder it gives lies inside the
    # resolved root and only a link among the files can lead out of it; and a file of SRC
    # can only lie inside DEST when one of the two holds the other.
    dest_overlaps = _inside(dest_root, root) or _inside(root, dest_root)
    # fnmatch.fnmatch against each glob, as one pattern
    wanted = re.compile("|".join(fnmatch.translate(os.path.normcase(g)) for g in globs)).match
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
            if not wanted(os.path.normcase(name)):
                continue
            path = here / name
            if os.path.islink(path) and not _inside(path.resolve(), root):
                continue  # a link leading out of SRC
            if dest_overlaps and _inside(path, dest_root):
                continue  # something inside DEST
            found.append(path.relative_to(root))
    return iter(sorted(found))
