"""Cleaning on Dask, for pipelines that already use it: bags of texts or records, and
dataframe columns. Needs the ``dask`` extra (``pip install 'webtext-cleaner[dask]'``).

Each partition builds one :class:`~cleaner.pipeline.Pipeline` and cleans its documents in
order, so results are the same as a local run, document for document.

Site templates run as count, merge, clean: :func:`learn_bag` counts each partition's lines
per site on the workers, merges the counts partition by partition and returns the learned
model; ``clean_bag(..., templates=model)`` then drops each site's template lines.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from cleaner.config import Config
from cleaner.corpus.counts import CorpusCounts, count, merge
from cleaner.corpus.model import TemplateModel, finalize
from cleaner.corpus.passes import prepared_documents, record_origin
from cleaner.run.records import clean_record
from cleaner.corpus.settings import TemplateSettings
from cleaner.pipeline import Pipeline

EDITS_FIELD = "cleaner_edits"


def _clean_partition(items: list[Any], config: Config | None, field: str, html: bool | None,
                     templates: TemplateModel | None = None) -> list[dict[str, Any]]:
    pipeline = Pipeline(config, templates=templates)
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            result = clean_record(pipeline, item, field, "", html)
            out.append(dict(item) if result is None else {**item, field: result.text, EDITS_FIELD: result.records()})
        else:
            result = pipeline.clean(item, html=html)
            out.append({"text": result.text, EDITS_FIELD: result.records()})
    return out


def clean_bag(bag, config: Config | None = None, field: str = "text", html: bool | None = None,
              templates: TemplateModel | None = None):
    """Clean a ``dask.bag`` of texts (str or bytes) or of records (dicts).

    A text becomes ``{"text": clean, "cleaner_edits": [...]}``; a record keeps its fields,
    gets ``field`` cleaned and the provenance records under ``cleaner_edits``. With
    ``templates`` (from :func:`learn_bag` or ``cleaner learn``), each record's site (the host
    of its ``url``, else its ``site`` field) loses its template lines.
    """
    return bag.map_partitions(_clean_partition, config, field, html, templates)


def _count_partition(items: Any, config: Config | None, field: str, html: bool | None) -> CorpusCounts:
    sources = ((item[field], *record_origin(item)) for item in items
               if isinstance(item, dict) and isinstance(item.get(field), str))
    return count(prepared_documents(sources, config, html), TemplateSettings.from_config(config))


def _merge_in_order(parts: Any) -> CorpusCounts:
    parts = list(parts)
    merged = parts[0]
    for part in parts[1:]:
        merged = merge(merged, part)
    return merged


def learn_bag(bag, config: Config | None = None, field: str = "text", html: bool | None = None) -> TemplateModel:
    """Learn site templates from a ``dask.bag`` of records: each partition is counted on the
    workers, the counts are merged in partition order, and the model comes back (records
    without a ``url`` or ``site`` field count for no site; a bag of bare texts learns nothing)."""
    counts = bag.reduction(partial(_count_partition, config=config, field=field, html=html), _merge_in_order)
    return finalize(counts.compute())


def _clean_frame(frame, column: str, config: Config | None, html: bool | None):
    pipeline = Pipeline(config)
    texts, edits = [], []
    for doc_id, value in zip(frame.index, frame[column]):
        if not isinstance(value, str):
            texts.append(value)
            edits.append("[]")
            continue
        result = pipeline.clean(value, doc_id=str(doc_id), html=html)
        texts.append(result.text)
        edits.append(json.dumps(result.records(), ensure_ascii=False))
    frame = frame.copy()
    frame[column] = texts
    frame[f"{column}_{EDITS_FIELD}"] = edits
    return frame


def clean_column(frame, column: str = "text", config: Config | None = None, html: bool | None = None):
    """Clean one column of a dask dataframe; the edits go, as JSON text, into
    ``<column>_cleaner_edits``."""
    meta = frame._meta.copy()
    meta[f"{column}_{EDITS_FIELD}"] = meta[column].astype(object)
    return frame.map_partitions(_clean_frame, column, config, html, meta=meta)
