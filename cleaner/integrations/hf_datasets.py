"""Cleaning a Hugging Face ``datasets.Dataset`` with ``Dataset.map``.

>>> from cleaner.integrations import datasets_map
>>> clean = datasets_map(field="text", edits_column="cleaner_edits")
>>> out = clean({"text": ["Hello world.\\n\\n12 Comments", None]})
>>> out["text"], [len(json.loads(e)) for e in out["cleaner_edits"][:1]], out["cleaner_edits"][1]
(['Hello world.\\n', None], [2], None)

With a dataset (``pip install 'webtext-cleaner[datasets]'``)::

    dataset = dataset.map(datasets_map(field="text", output_column="clean",
                                       edits_column="cleaner_edits"), batched=True)

The function works on batches (``batched=True``, the fast way) and on single rows alike.
The edits column holds each row's provenance log as a JSON string (the records ``--log``
writes), so ``cleaner.provenance`` can read it back and restore the original text. A row's
``id``, ``url`` and ``site`` columns, where present, name it and give its site. The pipeline
is built once per process and never pickled, so ``num_proc`` works, and ``datasets`` can
fingerprint the function from its settings for its cache. This module imports nothing of
``datasets`` itself.
"""

from __future__ import annotations

import json
from typing import Any

from cleaner.config import Config


class DatasetsMap:
    """The callable :func:`datasets_map` returns (see the module's documentation)."""

    def __init__(self, field: str = "text", output_column: str | None = None, edits_column: str | None = None,
                 config: Config | None = None, html: bool | None = None, templates: Any = None):
        self.field = field
        self.output_column = output_column or field
        self.edits_column = edits_column
        self.config = config
        self.html = html
        self.templates = templates
        self._pipeline = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pipeline": None}  # each process builds its own

    def pipeline(self):
        if self._pipeline is None:
            from cleaner.pipeline import Pipeline

            self._pipeline = Pipeline(self.config, templates=self.templates)
        return self._pipeline

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        texts = batch[self.field]
        if isinstance(texts, str) or texts is None:  # one row (batched=False)
            row = self({key: [value] for key, value in batch.items()})
            return {key: values[0] for key, values in row.items()}
        pipeline = self.pipeline()
        cleaned: list[str | None] = []
        edits: list[str | None] = []
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                cleaned.append(text if self.output_column == self.field else None)
                edits.append(None)
                continue
            origin = {key: batch[key][index] for key in ("id", "url", "site") if key in batch}
            url, site = (origin.get(key) if isinstance(origin.get(key), str) else None for key in ("url", "site"))
            doc_id = str(origin["id"]) if origin.get("id") is not None else ""
            result = pipeline.clean(text, doc_id=doc_id, html=self.html, url=url, site=site)
            cleaned.append(result.text)
            edits.append(json.dumps(result.records(), ensure_ascii=False) if self.edits_column else None)
        out: dict[str, Any] = {self.output_column: cleaned}
        if self.edits_column:
            out[self.edits_column] = edits
        return out


def datasets_map(field: str = "text", output_column: str | None = None, edits_column: str | None = None,
                 config: Config | None = None, html: bool | None = None, templates: Any = None) -> DatasetsMap:
    """A function for ``Dataset.map`` that cleans the ``field`` column.

    The clean text replaces ``field`` or, with ``output_column``, goes to that column (the
    original kept beside it); with ``edits_column``, each row's provenance log goes there
    as JSON. ``config`` is a :class:`~cleaner.config.Config`, ``html`` forces HTML or text
    (default: detected), ``templates`` a learned site-template model (``cleaner learn``).
    """
    return DatasetsMap(field, output_column, edits_column, config, html, templates)
