"""Cleaning on Dask, for pipelines that already use it: bags of texts or records, and
dataframe columns. Needs the ``dask`` extra (``pip install 'cleaner[dask]'``).

Each partition builds one :class:`~cleaner.pipeline.Pipeline` and cleans its documents in
order, so results are the same as a local run, document for document.
"""

from __future__ import annotations

import json
from typing import Any

from cleaner.config import Config
from cleaner.pipeline import Pipeline

EDITS_FIELD = "cleaner_edits"


def _clean_partition(items: list[Any], config: Config | None, field: str, html: bool | None) -> list[dict[str, Any]]:
    pipeline = Pipeline(config)
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            value = item.get(field)
            if not isinstance(value, str):
                out.append(dict(item))
                continue
            url = item.get("url") if isinstance(item.get("url"), str) else None
            result = pipeline.clean(value, doc_id=str(item.get("id", "")), html=html, url=url)
            out.append({**item, field: result.text, EDITS_FIELD: result.records()})
        else:
            result = pipeline.clean(item, html=html)
            out.append({"text": result.text, EDITS_FIELD: result.records()})
    return out


def clean_bag(bag, config: Config | None = None, field: str = "text", html: bool | None = None):
    """Clean a ``dask.bag`` of texts (str or bytes) or of records (dicts).

    A text becomes ``{"text": clean, "cleaner_edits": [...]}``; a record keeps its fields,
    gets ``field`` cleaned and the provenance records under ``cleaner_edits``.
    """
    return bag.map_partitions(_clean_partition, config, field, html)


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
