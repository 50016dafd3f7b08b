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
        yield from pool.imap_unordered(func, tasks, chunksize=chunk_size(len(tasks), workers))


def chunk_size(tasks: int, workers: int) -> int:
    """Tasks handed to a worker at a time. Each hand-over costs the parent about half a
    millisecond of CPU, taken from the workers on a machine with as many cores as workers:
    many small inputs go in chunks (at most 16), while a few large ones still go one by one
    so that no worker is left with a long queue at the end.

    >>> chunk_size(10, 2), chunk_size(1000, 2), chunk_size(100_000, 8)
    (1, 16, 16)
    """
    return max(1, min(MAX_CHUNK, tasks // (workers * 8)))


MAX_CHUNK = 16
