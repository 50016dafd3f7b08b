"""Corpus learning: site templates learned from lines that repeat across a site's pages.

The work splits into pure steps so that any engine can run them (one process, a pool, Dask):

- :func:`cleaner.corpus.counts.count` turns ``(site, text)`` pairs into :class:`CorpusCounts`,
  a bounded count of short normalised lines per site (by hash, a capped counter per site);
- :func:`cleaner.corpus.counts.merge` adds two such counts (associative, order-free);
- :func:`cleaner.corpus.model.finalize` keeps the lines seen on enough of a site's pages:
  a :class:`TemplateModel`, saved and loaded as JSON;
- the ``templates`` detection stage marks a document's lines that the model holds for its site.

:mod:`cleaner.corpus.passes` glues these to the pipeline for the command line and batch.
"""

from cleaner.corpus.counts import CorpusCounts, count, merge
from cleaner.corpus.model import TemplateModel, finalize
from cleaner.corpus.settings import TemplateSettings

__all__ = ["CorpusCounts", "TemplateModel", "TemplateSettings", "count", "finalize", "merge"]
