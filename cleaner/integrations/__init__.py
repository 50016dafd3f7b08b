"""cleaner inside the data tools people already use.

- :mod:`cleaner.integrations.hf_datasets`: :func:`~cleaner.integrations.hf_datasets.datasets_map`,
  a function for Hugging Face ``datasets.Dataset.map`` (extra ``[datasets]``).
- :mod:`cleaner.integrations.datatrove`: :class:`~cleaner.integrations.datatrove.CleanerFormatter`,
  a datatrove pipeline step (extra ``[datatrove]``).

Nothing of those libraries is imported until one of these names is used::

    from cleaner.integrations import datasets_map, CleanerFormatter
"""

from __future__ import annotations

from typing import Any

_NAMES = {"datasets_map": "hf_datasets", "DatasetsMap": "hf_datasets", "CleanerFormatter": "datatrove"}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module 'cleaner.integrations' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"cleaner.integrations.{_NAMES[name]}"), name)
