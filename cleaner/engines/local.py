"""The local engine: a pool of worker processes (or the calling process for one worker)."""

from __future__ import annotations

import multiprocessing
from typing import Any, Callable, Iterable, Iterator


def run(func: Callable[[Any], dict], tasks: Iterable[Any], workers: int) -> Iterator[dict]:
    """``func`` over ``tasks``, results as they finish."""
    tasks = list(tasks)
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield func(task)
        return
    with multiprocessing.get_context("fork").Pool(min(workers, len(tasks))) as pool:
        yield from pool.imap_unordered(func, tasks)
