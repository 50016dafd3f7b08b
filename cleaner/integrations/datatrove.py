"""A datatrove pipeline step: ``cleaner`` as a formatter that rewrites ``doc.text``.

::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations import CleanerFormatter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("crawl/"),
        CleanerFormatter(original_key="raw_text"),   # keep the input in doc.metadata["raw_text"]
        JsonlWriter("clean/"),
    ], tasks=4).run()

Each document's text is cleaned (its ``url`` or ``site`` metadata, where present, gives its
site for learned templates); its id names it in the provenance log, which goes to
``doc.metadata[edits_key]`` as JSON when ``edits_key`` is set. The step's counters join
datatrove's own, so they are merged across tasks in its stats files: ``total``,
``cleaned``, ``emptied`` (nothing left), ``chars_in``, ``chars_removed`` (content, as
:mod:`cleaner.stats` counts it), ``chars_layout`` and ``dropped_<rule>`` per rule. A
document that cannot be cleaned (an HTML page past the extraction limits) is left as it
was and counted as ``failed``. Needs ``pip install 'webtext-cleaner[datatrove]'``.
"""

from __future__ import annotations

import json
from typing import Any

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.utils.typeshelper import StatHints

from cleaner.config import Config
from cleaner.stats import DocStats


class CleanerFormatter(BaseFormatter):
    """Clean each document's text with cleaner (see the module's documentation)."""

    name = "🧹 cleaner"

    def __init__(self, config: Config | None = None, html: bool | None = None, templates: Any = None,
                 original_key: str | None = None, edits_key: str | None = None):
        super().__init__()
        self.config = config
        self.html = html
        self.templates = templates
        self.original_key = original_key
        self.edits_key = edits_key
        self._pipeline = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pipeline": None}  # each task builds its own

    def pipeline(self):
        if self._pipeline is None:
            from cleaner.pipeline import Pipeline

            self._pipeline = Pipeline(self.config, templates=self.templates)
        return self._pipeline

    def format(self, text: str) -> str:
        """The clean text of one document."""
        return self.pipeline().clean(text, html=self.html).text

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from cleaner.io.html import ExtractError

        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                url, site = (doc.metadata.get(key) for key in ("url", "site"))
                try:
                    result = self.pipeline().clean(doc.text, doc_id=str(doc.id), html=self.html,
                                                   url=url if isinstance(url, str) else None,
                                                   site=site if isinstance(site, str) else None)
                except ExtractError:
                    self.stat_update("failed")
                    yield doc
                    continue
                stats = DocStats.of(result.decoded, result.text, result.edits)
                self.stat_update("cleaned")
                if not result.text.strip():
                    self.stat_update("emptied")
                self.stat_update("chars_in", value=stats.chars_in)
                self.stat_update("chars_removed", value=stats.removed)
                self.stat_update("chars_layout", value=stats.layout)
                for rule, (stage, count, _chars) in stats.rules.items():
                    if stage not in ("normalise", "emit"):
                        self.stat_update(f"dropped_{rule}", value=count)
                if self.original_key:
                    doc.metadata[self.original_key] = doc.text
                if self.edits_key:
                    doc.metadata[self.edits_key] = json.dumps(result.records(), ensure_ascii=False)
                doc.text = result.text
            yield doc
