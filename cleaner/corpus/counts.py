"""Per-site line counts over a corpus: the first pass of template learning.

:func:`count` and :func:`merge` are pure, so a corpus can be counted in pieces (processes,
Dask partitions) and the pieces merged in any order. Memory is bounded: each site keeps a
:class:`~cleaner.corpus.sketch.CappedCounter`, and at most ``max_sites`` sites are held;
past that, the sites with the fewest pages are forgotten (they are the ones least likely to
reach ``min_site_docs``; a forgotten site seen again starts over).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from cleaner.corpus.lines import document_hashes
from cleaner.corpus.settings import TemplateSettings
from cleaner.corpus.sketch import CappedCounter


@dataclass
class SiteCounts:
    """How many pages of one site were counted, and on how many of them each line was seen."""

    docs: int
    lines: CappedCounter

    def copy(self) -> "SiteCounts":
        return SiteCounts(self.docs, self.lines.copy())

    def to_dict(self) -> dict[str, Any]:
        return {"docs": self.docs, "lines": self.lines.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SiteCounts":
        return cls(int(data["docs"]), CappedCounter.from_dict(data["lines"]))


@dataclass
class CorpusCounts:
    """Line counts per site, bounded by ``settings.capacity`` and ``settings.max_sites``."""

    settings: TemplateSettings = field(default_factory=TemplateSettings)
    sites: dict[str, SiteCounts] = field(default_factory=dict)
    forgotten_sites: int = 0

    def add(self, site: str, text: str) -> None:
        """Count one document of ``site``: each countable line once."""
        self.add_hashes(site, self.hashes(text))

    def hashes(self, text: str) -> set[int]:
        """The hashes :meth:`add` counts for one document."""
        return document_hashes(text, self.settings.max_chars, self.settings.sentence_words)

    def add_hashes(self, site: str, hashes: Iterable[int]) -> None:
        """Count one document of ``site`` by the hashes of its countable lines (computed
        elsewhere, a worker process for instance: :meth:`hashes`)."""
        s = self.settings
        counts = self.sites.get(site)
        if counts is None:
            counts = self.sites[site] = SiteCounts(0, CappedCounter(s.capacity))
        counts.docs += 1
        counts.lines.add(hashes)
        if len(self.sites) > s.max_sites:
            self.forget_small_sites()

    def to_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready data (settings apart); :meth:`from_dict` reads them back
        exactly, so counts saved and merged later give the model counts merged at once.

        >>> counts = count([("a.com", "Home\\nStory one."), ("a.com", "Home")])
        >>> CorpusCounts.from_dict(counts.to_dict(), counts.settings) == counts
        True
        """
        return {"sites": {name: site.to_dict() for name, site in self.sites.items()},
                "forgotten_sites": self.forgotten_sites}

    @classmethod
    def from_dict(cls, data: dict[str, Any], settings: TemplateSettings) -> "CorpusCounts":
        sites = {str(name): SiteCounts.from_dict(site) for name, site in data["sites"].items()}
        return cls(settings, sites, int(data["forgotten_sites"]))

    def forget_small_sites(self) -> None:
        """Keep the larger half of ``max_sites`` sites (by pages counted), forget the rest."""
        keep = max(1, self.settings.max_sites // 2)
        ranked = sorted(self.sites.items(), key=lambda item: (-item[1].docs, item[0]))
        self.forgotten_sites += len(ranked) - keep
        self.sites = dict(ranked[:keep])


def count(documents: Iterable[tuple[str | None, str]], settings: TemplateSettings | None = None) -> CorpusCounts:
    """Count ``(site, text)`` pairs; documents without a site are skipped.

    ``text`` is the text the detection stages see (see :meth:`cleaner.pipeline.Pipeline.prepare`).

    >>> counts = count([("a.com", "Home\\nStory one."), ("a.com", "Home\\nStory two."), (None, "Home")])
    >>> counts.sites["a.com"].docs
    2
    """
    counts = CorpusCounts(settings or TemplateSettings())
    for site, text in documents:
        if site:
            counts.add(site, text)
    return counts


def merge(a: CorpusCounts, b: CorpusCounts) -> CorpusCounts:
    """The counts of two pieces of a corpus, as if counted together (inputs unchanged).

    >>> one = count([("a.com", "Home")]); two = count([("a.com", "Home"), ("b.org", "Menu")])
    >>> merged = merge(one, two)
    >>> merged.sites["a.com"].docs, sorted(merged.sites)
    (2, ['a.com', 'b.org'])
    """
    out = CorpusCounts(a.settings, {site: c.copy() for site, c in a.sites.items()},
                       a.forgotten_sites + b.forgotten_sites)
    for site, theirs in b.sites.items():
        ours = out.sites.get(site)
        out.sites[site] = theirs.copy() if ours is None else SiteCounts(ours.docs + theirs.docs, ours.lines.merged(theirs.lines))
    if len(out.sites) > out.settings.max_sites:
        out.forget_small_sites()
    return out
