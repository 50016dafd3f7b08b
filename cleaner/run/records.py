"""One JSON record cleaned: the one place a stream, a batch and the Dask engine turn a record
into its clean text and log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cleaner.corpus.passes import record_origin

if TYPE_CHECKING:
    from cleaner.pipeline import CleanResult, Pipeline


def record_id(record: dict[str, Any], fallback: str) -> str:
    """A record's ``id`` as text; ``fallback`` (where the record is) when it has none.

    >>> record_id({"id": 7}, "a.jsonl:3"), record_id({}, "a.jsonl:3"), record_id({"id": None}, "a.jsonl:3")
    ('7', 'a.jsonl:3', 'a.jsonl:3')
    """
    value = record.get("id")
    return str(value) if value is not None else fallback


def clean_record(pipeline: Pipeline, record: dict[str, Any], field: str, fallback_id: str,
                 html: bool | None = None) -> CleanResult | None:
    """Clean ``record[field]`` as the document :func:`record_id` names, from the site of its
    ``url`` (else its ``site``); None when the field is not text. Errors of
    :meth:`Pipeline.clean` reach the caller, which decides what a failed record costs.

    >>> from cleaner.pipeline import Pipeline
    >>> clean_record(Pipeline(), {"text": "Hello world.\\n\\n0"}, "text", "a.jsonl:1").id
    'a.jsonl:1'
    >>> clean_record(Pipeline(), {"body": "x"}, "text", "a.jsonl:1") is None
    True
    """
    value = record.get(field)
    if not isinstance(value, str):
        return None
    url, site = record_origin(record)
    return pipeline.clean(value, doc_id=record_id(record, fallback_id), html=html, url=url, site=site)
