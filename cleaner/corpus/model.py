"""The learned templates: per site, the lines seen on enough of its pages. Saved as JSON.

A model file looks like::

    {"format": "cleaner-templates", "version": 1,
     "settings": {"min_docs": 5, "min_share": 0.5, ...},
     "sites": {"example.com": {"docs": 120, "lines": [
         {"hash": "9f1c0a6e2b7d4c11", "count": 118, "text": "Home News Sport"}, ...]}}}

``count`` is how many of the site's ``docs`` pages held the line (a lower bound, see
:mod:`cleaner.corpus.sketch`); ``text`` is one copy of the line, for people to read (optional).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from cleaner.corpus.counts import CorpusCounts, SiteCounts
from cleaner.corpus.lines import countable, line_hash, line_key
from cleaner.corpus.settings import TemplateSettings

FORMAT, VERSION = "cleaner-templates", 1


class ModelError(ValueError):
    """A templates file that cannot be read or is not one."""


@dataclass
class TemplateLine:
    count: int
    text: str = ""


@dataclass
class SiteTemplates:
    docs: int
    lines: dict[int, TemplateLine] = field(default_factory=dict)


@dataclass
class TemplateModel:
    settings: TemplateSettings = field(default_factory=TemplateSettings)
    sites: dict[str, SiteTemplates] = field(default_factory=dict)

    def lookup(self, site: str | None, text: str) -> tuple[TemplateLine, int] | None:
        """The template line ``text`` is for ``site``, with the site's page count, if any."""
        templates = self.sites.get(site) if site else None
        if templates is None:
            return None
        line = templates.lines.get(line_hash(line_key(text)))
        return None if line is None else (line, templates.docs)

    def line_count(self) -> int:
        return sum(len(site.lines) for site in self.sites.values())

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "settings": self.settings.to_dict(),
                "sites": {name: _site_dict(self.sites[name]) for name in sorted(self.sites)}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TemplateModel":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError("not a cleaner templates file")
        if data.get("version") != VERSION:
            raise ModelError(f"templates file version {data.get('version')!r} is not {VERSION}")
        try:
            settings = TemplateSettings(**data.get("settings", {}))
            sites = {name: _site_from(site) for name, site in data["sites"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"malformed templates file ({exc})") from None
        return cls(settings, sites)

    def save(self, path: str | Path) -> None:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            json.dump(self.to_dict(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")

    @classmethod
    def load(cls, path: str | Path) -> "TemplateModel":
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise ModelError(f"cannot read {path} ({exc.strerror or exc})") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"{path} is not JSON ({exc})") from None
        return cls.from_dict(data)


def _site_dict(site: SiteTemplates) -> dict[str, Any]:
    ranked = sorted(site.lines.items(), key=lambda item: (-item[1].count, item[0]))
    lines = [{"hash": f"{h:016x}", "count": line.count, **({"text": line.text} if line.text else {})}
             for h, line in ranked]
    return {"docs": site.docs, "lines": lines}


def _site_from(data: dict[str, Any]) -> SiteTemplates:
    lines = {int(line["hash"], 16): TemplateLine(int(line["count"]), str(line.get("text", "")))
             for line in data["lines"]}
    return SiteTemplates(int(data["docs"]), lines)


def template_lines(site: SiteCounts, settings: TemplateSettings) -> dict[int, TemplateLine]:
    """The lines of one site seen in at least ``min_docs`` pages and ``min_share`` of them.

    A site with fewer than ``min_site_docs`` pages learns nothing.
    """
    if site.docs < settings.min_site_docs:
        return {}
    floor = max(settings.min_docs, settings.min_share * site.docs)
    return {h: TemplateLine(n) for h, n in site.lines.counts.items() if n >= floor}


def finalize(counts: CorpusCounts) -> TemplateModel:
    """The template model of a corpus's counts: sites with no template line are left out.

    >>> from cleaner.corpus.counts import count
    >>> pages = [("a.com", f"Home\\nStory number {i}.") for i in range(10)]
    >>> model = finalize(count(pages))
    >>> [(line.count, docs) for line, docs in [model.lookup("a.com", "HOME")]]
    [(10, 10)]
    """
    sites = {}
    for name, site in counts.sites.items():
        lines = template_lines(site, counts.settings)
        if lines:
            sites[name] = SiteTemplates(site.docs, lines)
    return TemplateModel(counts.settings, sites)


def describe(model: TemplateModel, documents: Iterable[tuple[str | None, str]]) -> TemplateModel:
    """Fill in each template line's ``text`` with its first copy found in ``documents``.

    Run it over the same ``(site, text)`` pairs that were counted; the model is changed in place
    and returned.
    """
    s = model.settings
    missing = sum(1 for site in model.sites.values() for line in site.lines.values() if not line.text)
    for site, text in documents:
        if not missing:
            break
        templates = model.sites.get(site) if site else None
        if templates is None:
            continue
        for raw in text.split("\n"):
            line = templates.lines.get(line_hash(line_key(raw)))
            if line is not None and not line.text and countable(raw, s.max_chars, s.sentence_words):
                line.text = raw.strip()
                missing -= 1
    return model
