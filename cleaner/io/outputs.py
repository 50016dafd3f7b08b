"""Where `cleaner clean` writes: stdout, one file (``-o``), or one file per input named after
it in a directory (``--output-dir``); local paths or remote URLs (:mod:`cleaner.io.remote`:
written locally, uploaded when complete)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO

from cleaner.io.formats import output_name
from cleaner.io.remote import Staging, is_remote, upload


class OutputError(Exception):
    """Outputs that cannot be laid out as asked (said before anything is cleaned), or a file
    that cannot be made."""


def _join(folder: str, name: str) -> str:
    return f"{folder.rstrip('/')}/{name}" if is_remote(folder) else str(Path(folder) / name)


def _base_name(name: str) -> str:
    """An input's output name: its base name, ``.gz`` dropped."""
    return str(output_name(Path(name.rstrip("/").rsplit("/", 1)[-1])))


class Outputs:
    """The output target of each input, checked when made; handles opened on first use."""

    def __init__(self, names: list[str], output: str | None, output_dir: str | None, tables: set[str],
                 staging: Staging | None = None):
        if output is not None and output_dir is not None:
            raise OutputError("give -o FILE or --output-dir DIR, not both")
        if tables and output is not None and len(names) > 1:
            raise OutputError("a table goes to a file of its own: with several inputs, use --output-dir")
        if tables and output is None and output_dir is None and sys.stdout.isatty():
            raise OutputError("a table's output is binary: give -o FILE or --output-dir DIR")
        self.targets: dict[str, str] = {}
        if output_dir is not None:
            if "-" in names:
                raise OutputError("--output-dir names each output after its input; stdin has no name (use -o FILE)")
            for name in names:
                target = _join(output_dir, _base_name(name))
                if target in self.targets.values():
                    raise OutputError(f"two inputs would write {target}")
                self.targets[name] = target
        elif output is not None:
            self.targets = {name: output for name in names}
        for name, target in self.targets.items():
            if name != "-" and not is_remote(target) and os.path.exists(name) and os.path.exists(target) \
                    and os.path.samefile(name, target):
                raise OutputError(f"{name}: the output would overwrite its input")
        self.staging = staging
        self.handles: dict[str, BinaryIO] = {}
        self.local: dict[str, str] = {}  # remote target -> the local file written first

    def target(self, name: str) -> str | None:
        """Where the output of input ``name`` goes (None: stdout)."""
        return self.targets.get(name)

    def path(self, name: str) -> str | None:
        """The local file to write the output of input ``name`` to (None: stdout); a remote
        target's is a temporary file, uploaded by :meth:`finish`."""
        target = self.target(name)
        if target is None or not is_remote(target):
            if target is not None:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            return target
        if target not in self.local:
            if self.staging is None:
                self.staging = Staging()
            self.local[target] = os.path.join(self.staging.new_folder(), _base_name(target))
        return self.local[target]

    def handle(self, name: str) -> BinaryIO:
        """The binary handle for the output of input ``name``: stdout's, or a file's."""
        path = self.path(name)
        if path is None:
            return sys.stdout.buffer
        if path not in self.handles:
            try:
                self.handles[path] = open(path, "wb")
            except OSError as exc:
                raise OutputError(f"{self.target(name)}: cannot write ({exc.strerror or exc})") from None
        return self.handles[path]

    def finish(self) -> None:
        """Close the files and upload the remote ones (raises :class:`RemoteError`)."""
        self.close()
        for target, local in self.local.items():
            if os.path.exists(local):
                upload(local, target)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()
