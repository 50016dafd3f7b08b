"""The local engine: worker processes forked from this one (or the calling process for one
worker), results as they finish (:func:`run`) or in order (:func:`ordered`).

A worker that dies (the kernel's OOM killer, a SIGKILL, a crash in native code) does not
stop the run: it is replaced, the work it was doing is given once more to a fresh worker,
and work that kills a worker twice is given to ``lost``, which says what it gives instead
(an error result), or else :class:`WorkerLost` is raised. Work given again is logged as a
warning (logger ``cleaner.engines.local``, which the command line prints on stderr), named
by ``name`` when given. Workers die with their parent.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

# A stream's documents go to the workers this many at a time, fewer when they are long
# (see chunked).
CHUNK_ITEMS = 64
CHUNK_BYTES = 1 << 20

TRIES = 2  # how many workers a task may take down before it is given up as lost

Lost = Callable[[Any, str], Any]  # (task, why its worker died) -> what to give instead
Name = Callable[[Any], str]  # a task as messages name it

_log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """A task killed the worker process running it, every time it was tried."""


def run(func: Callable[[Any], T], tasks: Iterable[Any], workers: int, lost: Lost | None = None,
        name: Name | None = None) -> Iterator[T]:
    """``func`` over ``tasks``, results as they finish.

    >>> sorted(run(abs, [-3, 1, -2], 2))
    [1, 2, 3]
    """
    tasks = list(tasks)
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield func(task)
        return
    size = chunk_size(len(tasks), workers)
    with _Pool(func, min(workers, len(tasks)), lost, name) as pool:
        for start in range(0, len(tasks), size):
            pool.put(list(enumerate(tasks[start:start + size], start=start)))
        while pool.busy():
            for _key, result in pool.results():
                yield result


def ordered(func: Callable[[Any], T], tasks: Iterable[Any], workers: int, ahead: int | None = None,
            lost: Lost | None = None, name: Name | None = None) -> Iterator[T]:
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
    tasks = iter(tasks)
    arrived: dict[int, Any] = {}
    handed = following = 0
    more = True
    with _Pool(func, workers, lost, name) as pool:
        while True:
            while more and handed - following < ahead:
                task = next(tasks, _END)
                if task is _END:
                    more = False
                    break
                pool.put([(handed, task)])
                handed += 1
            if following == handed:
                return
            while following not in arrived:
                arrived.update(pool.results())
            yield arrived.pop(following)
            following += 1


_END = object()


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


@dataclass
class _Worker:
    process: Any
    conn: Any
    job: list[tuple[int, Any]] | None = None  # (key, task) handed out and not yet reported


@dataclass
class _Pool:
    """Forked workers fed one job (a list of keyed tasks) at a time. Each reports every
    task's result as it finishes, so when one dies, the task it was running is known: it is
    retried alone (up to :data:`TRIES` deaths), and the job's tasks after it go back to the
    queue."""

    func: Callable[[Any], Any]
    size: int
    lost: Lost | None = None
    name: Name | None = None
    queue: deque = field(default_factory=deque)
    workers: list[_Worker] = field(default_factory=list)
    deaths: dict[int, int] = field(default_factory=dict)

    def __enter__(self) -> "_Pool":
        self.workers = [self._start() for _ in range(self.size)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            try:
                if worker.job is None:
                    worker.conn.send(None)  # done: the worker leaves its loop
                else:  # stopped early (an error, Ctrl-C): its work is not waited for
                    worker.process.terminate()
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    def put(self, job: list[tuple[int, Any]]) -> None:
        self.queue.append(job)

    def busy(self) -> bool:
        return bool(self.queue) or any(worker.job for worker in self.workers)

    def results(self) -> list[tuple[int, Any]]:
        """Hand out waiting jobs to idle workers, wait for news from them and return the
        ``(key, result)`` pairs that arrived (none when a worker died)."""
        for worker in self.workers:
            if worker.job is None and self.queue:
                worker.job = self.queue.popleft()
                try:
                    worker.conn.send([task for _key, task in worker.job])
                except OSError:  # it died while idle: its sentinel says so below
                    pass
        busy = [worker for worker in self.workers if worker.job]
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
        out: list[tuple[int, Any]] = []
        for worker in busy:
            died = worker.process.sentinel in ready
            try:
                while worker.job and (worker.conn in ready or died) and worker.conn.poll():
                    kind, value = worker.conn.recv()
                    if kind == "raise":
                        raise value
                    out.append((worker.job.pop(0)[0], value))
            except (EOFError, OSError):
                died = True
            if not worker.job:
                worker.job = None
            elif died:
                out.extend(self._died(worker))
        return out

    def _died(self, worker: _Worker) -> list[tuple[int, Any]]:
        """``worker`` is dead: a fresh one takes its place, the task it was running is
        retried alone or given up, and the job's other tasks wait again."""
        worker.process.join()
        why = _death(worker.process.exitcode)
        job = worker.job or []  # a worker is only watched while it runs a job
        (key, task), rest = job[0], job[1:]
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._start()
        if rest:
            self.queue.appendleft(rest)
        self.deaths[key] = self.deaths.get(key, 0) + 1
        if self.deaths[key] < TRIES:
            self.queue.appendleft([(key, task)])
            what = self.name(task) if self.name else "a task"
            _log.warning("%s: its %s; it is done again on a fresh worker", what, why)
            return []
        if self.lost is None:
            raise WorkerLost(f"a worker process {why}, {TRIES} times on the same task")
        return [(key, self.lost(task, f"{why}, {TRIES} times"))]

    def _start(self) -> _Worker:
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(self.func, theirs, os.getpid()), daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours)


def _death(exitcode: int | None) -> str:
    """How a worker process ended, in words.

    >>> _death(-9), _death(3)
    ('worker process was killed by SIGKILL', 'worker process exited with status 3')
    """
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"worker process was killed by {name}"
    return f"worker process exited with status {exitcode}"


def _serve(func: Callable[[Any], Any], conn: Any, parent: int) -> None:
    """A worker: run each job's tasks and send back each result (or the exception) as it
    comes. Ctrl-C is left to the parent, which stops the workers (no worker prints a
    traceback of its own); the worker is killed when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: a SIGTERM just ends a worker
    _die_with(parent)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        for task in job:
            try:
                message = ("ok", func(task))
            except Exception as exc:
                message = ("raise", _picklable(exc))
            try:
                conn.send(message)
            except (OSError, ValueError):  # the parent is gone
                return


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); without that, a
    killed parent's workers would run on, writing outputs nobody waits for."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
