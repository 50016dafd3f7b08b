"""The local engine: a pool of worker processes (or the calling process for one worker),
results as they finish (:func:`run`) or in order (:func:`ordered`)."""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

# A stream's documents go to the workers this many at a time, fewer when they are long
# (see chunked).
CHUNK_ITEMS = 64
CHUNK_BYTES = 1 << 20


def run(func: Callable[[Any], dict], tasks: Iterable[Any], workers: int) -> Iterator[dict]:
    """``func`` over ``tasks``, results as they finish."""
    tasks = list(tasks)
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield func(task)
        return
    with _pool(min(workers, len(tasks))) as pool:
        yield from pool.imap_unordered(func, tasks, chunksize=chunk_size(len(tasks), workers))


def ordered(func: Callable[[Any], Any], tasks: Iterable[Any], workers: int, ahead: int | None = None) -> Iterator[Any]:
    """``func`` over ``tasks`` on ``workers`` forked processes, results in the tasks' order.
    At most ``ahead`` tasks (default four per worker) are handed out and not yet yielded, so
    a long stream of tasks is read only that far ahead of its results.

    >>> list(ordered(abs, [-3, 1, -2], 2))
    [3, 1, 2]
    """
    if workers <= 1:
        yield from map(func, tasks)
        return
    ahead = ahead or 4 * workers
    with _pool(workers) as pool:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.apply_async(func, (task,)))
            if len(pending) >= ahead:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def chunked(items: Iterable[T], size: Callable[[T], int], max_items: int = CHUNK_ITEMS,
            max_bytes: int = CHUNK_BYTES) -> Iterator[list[T]]:
    """``items`` in lists of at most ``max_items``, a list cut after ``max_bytes`` by ``size``:
    how a stream of documents is handed to :func:`ordered`. Each hand-over costs the parent
    about half a millisecond, so a task holds many small documents or a few large ones.

    >>> [len(c) for c in chunked([b"x" * 10] * 7, len, max_items=3, max_bytes=25)]
    [3, 3, 1]
    >>> [len(c) for c in chunked([b"x" * 10] * 4, len, max_items=9, max_bytes=15)]
    [2, 2]
    """
    chunk: list[T] = []
    total = 0
    for item in items:
        chunk.append(item)
        total += size(item)
        if len(chunk) >= max_items or total >= max_bytes:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def _pool(workers: int):
    """A pool of forked workers that leave Ctrl-C to the parent, which stops them: no worker
    prints a traceback of its own."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=signal.signal,
                                                    initargs=(signal.SIGINT, signal.SIG_IGN))


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
