"""Every docstring example in the package is a test."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cleaner

MODULES = sorted(m.name for m in pkgutil.walk_packages(cleaner.__path__, "cleaner."))


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional extra (for example dask) is not installed
        pytest.skip(f"{name}: optional dependency missing ({exc})")
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
