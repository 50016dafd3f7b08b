"""The Dask engine: `cleaner batch --scheduler tcp://host:8786` runs each input file as one
task on a Dask cluster. Imported only when ``--scheduler`` is given.

Workers must see SRC and DEST at the same paths (a shared filesystem). Each task streams its
file and writes its outputs atomically; the manifest is written by the client only, as
results arrive, so a worker killed mid-task loses nothing and duplicates nothing: Dask
retries the task, whose temporary files were never renamed into place.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

import distributed  # noqa: F401  (fails early with ImportError when the extra is missing)


def engine_for(address: str, retries: int = 3) -> Callable[..., Iterator[dict]]:
    """An engine (same shape as :func:`cleaner.engines.local.run`) bound to a scheduler."""

    def run(func: Callable[[Any], dict], tasks: Iterable[Any], workers: int) -> Iterator[dict]:
        from distributed import Client, as_completed

        tasks = list(tasks)
        if not tasks:
            return
        with Client(address, timeout="30s") as client:
            futures = client.map(func, tasks, retries=retries, pure=False)
            for future in as_completed(futures):
                yield future.result()

    return run
