"""Progress bars for long runs, on stderr when it is a terminal (nothing otherwise).

A run goes through passes ("learning templates", "cleaning"); each pass counts its work in
files or in bytes and shows how far it is, documents, MB, documents per second, the time
spent and the time left.
"""

from __future__ import annotations

import sys
from typing import Any


class Bar:
    """One transient rich progress bar; :meth:`phase` starts a pass, :meth:`advance` counts."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[done]}"),
                            TextColumn("{task.fields[docs]} docs · {task.fields[mb]:.1f} MB · {task.fields[rate]:.0f} docs/s"),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.task: Any = None
        self.unit = "files"
        self.docs = self.bytes = 0

    def phase(self, name: str, total: int | None, unit: str = "files") -> None:
        """A pass begins over ``total`` files (``unit="files"``) or bytes (``unit="bytes"``);
        None when the total is unknown (stdin)."""
        first = self.task is None
        if not first:
            self.bar.remove_task(self.task)
        self.unit, self.docs, self.bytes = unit, 0, 0
        self.task = self.bar.add_task(name, total=total, done=self._done(0, total), docs=0, mb=0.0, rate=0.0)
        if first:
            self.bar.start()

    def advance(self, steps: int = 1, docs: int = 0, nbytes: int = 0) -> None:
        """``steps`` more files done (or bytes read), with the documents and bytes they held."""
        self.docs += docs
        self.bytes += nbytes
        task = self.bar.tasks[-1]
        elapsed = max(task.elapsed or 1e-9, 1e-9)
        self.bar.update(self.task, advance=steps, done=self._done(task.completed + steps, task.total),
                        docs=self.docs, mb=self.bytes / 1e6, rate=self.docs / elapsed)

    def _done(self, completed: float, total: float | None) -> str:
        if self.unit == "bytes":
            return f"{completed / 1e6:.1f}/{total / 1e6:.1f} MB" if total else f"{completed / 1e6:.1f} MB"
        return f"{completed:.0f}/{total:.0f} files" if total is not None else f"{completed:.0f} files"

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()


def on_terminal() -> Bar | None:
    """A bar when stderr is a terminal, else None (a pipe or a log file gets no bar)."""
    return Bar() if sys.stderr.isatty() else None
