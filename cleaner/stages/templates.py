"""Templates: lines of a site's own template (menus, slogans, footers), learned from its pages.

The lines come from a :class:`~cleaner.corpus.model.TemplateModel` learned over a corpus
(`cleaner learn`, or the first pass of `cleaner clean --jsonl` and `cleaner batch`); this stage
only looks a document's lines up in the model for the document's site (``doc.meta["site"]``).
The thresholds decide which lines a model learns, and apply again when cleaning: those the
model was learned with, unless the config sets them (a stricter one marks fewer lines).
"""

from __future__ import annotations

from dataclasses import replace

from cleaner.corpus.lines import countable
from cleaner.corpus.model import TemplateModel
from cleaner.corpus.settings import TemplateSettings
from cleaner.document import Document, Span
from cleaner.segment import Segments
from cleaner.settings import StageConfig
from cleaner.stages.base import Stage, rule


@rule(thresholds=("min_docs", "min_share", "min_site_docs", "max_chars", "sentence_words"))
def template_repeated(short: bool, count: int, docs: int, t: TemplateSettings) -> bool:
    """A short line that the site's template puts on many of its pages: "Home | News | Sport".

    ``short`` is false for lines too long to count and for long, sentence-like lines (a quote
    repeated on purpose is content); ``count`` is how many of the site's ``docs`` pages held it.

    >>> t = TemplateSettings(min_docs=5, min_share=0.5, min_site_docs=10)
    >>> template_repeated(True, count=48, docs=50, t=t)
    True
    >>> template_repeated(True, count=20, docs=50, t=t), template_repeated(False, 48, 50, t)
    (False, False)
    """
    if not short or docs < t.min_site_docs:
        return False
    return count >= t.min_docs and count >= t.min_share * docs


class Templates(Stage):
    name = "templates"
    description = "Lines repeated across a site's pages (menus, slogans, footers), learned from the corpus."
    rules = (template_repeated,)
    settings = TemplateSettings

    def __init__(self, config: StageConfig, model: TemplateModel | None = None):
        super().__init__(config)
        self.model = model or TemplateModel()
        # The thresholds the model was learned with, unless the config sets them.
        explicit = self.config.thresholds.get(self.name, {})
        learned = self.model.settings.to_dict()
        self.t: TemplateSettings = replace(self.t, **{key: value for key, value in learned.items() if key not in explicit})

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        site = doc.meta.get("site")
        if not self.on("template_repeated") or site not in self.model.sites:
            return []
        spans: list[Span] = []
        for line in segments.content:
            found = self.model.lookup(site, line.text)
            if found is None:
                continue
            template, docs = found
            if template_repeated(self._short(line.text), template.count, docs, self.t):
                detail = {"site": site, "count": template.count, "docs": docs}
                spans.append(self.span(line.start, line.end, "template_repeated", detail))
        return spans

    def _short(self, text: str) -> bool:
        return countable(text, self.t.max_chars, self.t.sentence_words)
