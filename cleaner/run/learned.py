"""What a batch's template pass keeps in DEST, so that it resumes and reruns cheaply.

For each input, ``.cleaner/counts/<input>.<key>.json`` holds what counting it gave:

- ``counts``: the lines its documents add to each site's counts
  (:meth:`~cleaner.corpus.counts.CorpusCounts.to_dict`);
- ``lines``: per site, the hashes of the countable lines its documents hold (sorted 64-bit
  integers, base64), or null when the input held too many to keep (:data:`MAX_LINES`).

``key`` (:func:`count_key`) stands for the input's content and everything else its counts
depend on (configuration, field, ``--html``, ``--max-bytes``): a file whose key is there need
not be read again. The model is the merge of every input's counts in input order, which is
what counting all inputs in one run gives, so a rerun reads only new and changed inputs, and
a run killed in the template pass keeps the inputs it had counted.

From ``lines`` and the model, :func:`applied` gives each input a digest of the template lines
that apply to it: each line, how many pages held it and how many pages its site has, which
is all the templates stage decides and logs with. An output whose digest did not change need
not be cleaned again when the templates change on other sites or other lines.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from array import array
from pathlib import Path
from typing import Any, Iterable

from cleaner.corpus.counts import CorpusCounts
from cleaner.corpus.model import TemplateModel
from cleaner.corpus.settings import TemplateSettings

FORMAT = 1  # changes when what is kept, or how it is counted, changes: old files are not read
MAX_LINES = 200_000  # distinct line hashes kept per input; past that, every template line of its sites applies
NO_TEMPLATES = "none"  # the digest of an input no template line applies to


def count_key(content_hash: str, config_fingerprint: str, field: str, html: bool | None, max_bytes: int | None) -> str:
    """The key of an input's counts: the same content read the same way counts the same.

    >>> count_key("ab", "cd", "text", None, 100) == count_key("ab", "cd", "text", None, 100)
    True
    >>> count_key("ab", "cd", "text", None, 100) == count_key("ab", "cd", "text", True, 100)
    False
    """
    blob = json.dumps([FORMAT, content_hash, config_fingerprint, field, html, max_bytes])
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class LineSets:
    """The countable line hashes an input's documents hold, per site, up to :data:`MAX_LINES`.

    >>> sets = LineSets(); sets.add("a.com", {3, 1}); sets.add("a.com", {2})
    >>> unpack(sets.packed())["a.com"].tolist()
    [1, 2, 3]
    """

    def __init__(self, limit: int = MAX_LINES):
        self.limit = limit
        self.sites: dict[str, set[int] | None] = {}
        self.size = 0

    def add(self, site: str, hashes: Iterable[int]) -> None:
        held = self.sites.get(site, set())
        if held is None:
            self.sites[site] = None
            return
        before = len(held)
        held.update(hashes)
        self.size += len(held) - before
        self.sites[site] = held
        if self.size > self.limit:  # too many to keep: each site then stands for all its lines
            self.sites = dict.fromkeys(self.sites)

    def packed(self) -> dict[str, str | None]:
        """JSON-ready: each site's sorted hashes as base64 of 8-byte integers."""
        return {site: None if held is None else base64.b64encode(array("Q", sorted(held)).tobytes()).decode("ascii")
                for site, held in self.sites.items()}


def unpack(packed: dict[str, str | None]) -> dict[str, array | None]:
    """:meth:`LineSets.packed` read back."""
    out: dict[str, array | None] = {}
    for site, text in packed.items():
        if text is None:
            out[site] = None
        else:
            hashes = array("Q")
            hashes.frombytes(base64.b64decode(text))
            out[site] = hashes
    return out


def applied(model: TemplateModel | None, lines: dict[str, array | None] | None) -> str | None:
    """A digest of the template lines of ``model`` that apply to an input with ``lines``
    (:data:`NO_TEMPLATES` when none do), or None when the input's lines are not known (then
    it is always cleaned again).

    >>> from cleaner.corpus.model import SiteTemplates, TemplateLine
    >>> model = TemplateModel(sites={"a.com": SiteTemplates(20, {7: TemplateLine(18)})})
    >>> applied(model, {"a.com": array("Q", [5])}) == applied(None, {}) == NO_TEMPLATES
    True
    >>> applied(model, {"a.com": array("Q", [5, 7])}) == applied(model, {"a.com": None}) != NO_TEMPLATES
    True
    """
    if model is None or not model.sites:
        return NO_TEMPLATES
    if lines is None:
        return None
    digest, matched_any = hashlib.blake2b(digest_size=16), False
    for site in sorted(lines):
        templates = model.sites.get(site)
        if templates is None:
            continue
        held = lines[site]
        matched = sorted(templates.lines) if held is None else sorted(h for h in held if h in templates.lines)
        if matched:
            matched_any = True
            digest.update(json.dumps([site, templates.docs, [[f"{h:016x}", templates.lines[h].count] for h in matched]]).encode())
    return digest.hexdigest() if matched_any else NO_TEMPLATES


class CountStore:
    """The per-input counts of a batch's template pass, under ``state/counts``."""

    def __init__(self, state: Path):
        self.root = state / "counts"
        self.tmp = state / "tmp"

    def path(self, rel: str, key: str) -> Path:
        return self.root / f"{rel}.{key}.json"

    def has(self, rel: str, key: str) -> bool:
        try:
            return self.path(rel, key).is_file()
        except OSError:  # a name too long to keep counts under, for one
            return False

    def save(self, rel: str, key: str, counts: CorpusCounts, lines: dict[str, str | None]) -> bool:
        """Keep one input's counts (written whole or not at all); False when they cannot be
        kept (a full disk, a name too long): the caller keeps them for this run only."""
        path = self.path(rel, key)
        part = self.tmp / f"counts-{os.getpid()}-{key}.json.part"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.tmp.mkdir(parents=True, exist_ok=True)
            with open(part, "w", encoding="utf-8") as handle:
                json.dump({"input": rel, "key": key, "counts": counts.to_dict(), "lines": lines}, handle)
            os.replace(part, path)
        except OSError:
            try:
                part.unlink()
            except OSError:
                pass
            return False
        return True

    def _read(self, rel: str, key: str) -> dict[str, Any] | None:
        try:
            with open(self.path(rel, key), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("key") == key else None

    def counts(self, rel: str, key: str, settings: TemplateSettings) -> CorpusCounts | None:
        """The input's saved counts, or None when there are none (or they cannot be read)."""
        data = self._read(rel, key)
        try:
            return None if data is None else CorpusCounts.from_dict(data["counts"], settings)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def lines(self, rel: str, key: str) -> dict[str, array | None] | None:
        """The input's saved line hashes per site, or None when there are none."""
        data = self._read(rel, key)
        try:
            return None if data is None else unpack(data["lines"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def prune(self, keep: Iterable[Path]) -> None:
        """Remove the counts of inputs that are gone or changed (all but ``keep``)."""
        kept = set(keep)
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*.json"):
            if path not in kept:
                try:
                    path.unlink()
                except OSError:
                    pass
