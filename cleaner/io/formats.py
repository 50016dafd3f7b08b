"""Reading a batch's input files and writing its outputs: plain and gzip, bounded, atomic."""

from __future__ import annotations

import gzip
import io
import os
import tempfile
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

from cleaner.io.sources import Oversized, bounded_lines


class TooLarge(Exception):
    """An input (or what it inflates to) is over the size limit."""


class Unreadable(Exception):
    """An input that cannot be read: missing, a corrupt archive, a permission error."""


def kind_of(rel: Path) -> str:
    """``text``, ``html``, ``jsonl``, ``warc`` or ``table`` (Parquet, Arrow), from the name
    (``.gz`` looked through).

    >>> kind_of(Path("a/b.jsonl.gz")), kind_of(Path("x.htm")), kind_of(Path("c.warc.gz")), kind_of(Path("d.parquet"))
    ('jsonl', 'html', 'warc', 'table')
    """
    name = rel.name[:-3] if rel.name.endswith(".gz") else rel.name
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {"html": "html", "htm": "html", "jsonl": "jsonl", "warc": "warc", "parquet": "table",
            "arrow": "table"}.get(suffix, "text")


def output_name(rel: Path) -> Path:
    """Where an input's output goes under DEST: same path, ``.gz`` dropped, WARC as JSONL.

    >>> output_name(Path("a/b.txt.gz")), output_name(Path("crawl.warc.gz"))
    (PosixPath('a/b.txt'), PosixPath('crawl.jsonl'))
    """
    name = rel.name[:-3] if rel.name.endswith(".gz") else rel.name
    if kind_of(rel) == "warc":
        name = name[: -len(".warc")] + ".jsonl"
    return rel.with_name(name)


class _Bounded(io.RawIOBase):
    """A read-only stream that fails once more than ``limit`` bytes have been read."""

    def __init__(self, inner: BinaryIO, limit: int | None, name: str):
        self.inner, self.limit, self.name_, self.seen = inner, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(len(buffer))
        self.seen += len(data)
        if self.limit is not None and self.seen > self.limit:
            raise TooLarge(f"over --max-bytes ({self.limit} bytes) after decompression")
        buffer[: len(data)] = data
        return len(data)


def open_input(path: Path, max_bytes: int | None) -> BinaryIO:
    """The input's bytes as a stream, gunzipped when it ends in ``.gz``, bounded by
    ``max_bytes`` of (decompressed) data."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes and not path.name.endswith(".gz"):
            raise TooLarge(f"{path.stat().st_size} bytes, over --max-bytes ({max_bytes})")
        raw: BinaryIO = open(path, "rb")
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from None
    inner: BinaryIO = gzip.GzipFile(fileobj=raw) if path.name.endswith(".gz") else raw  # type: ignore[assignment]
    return io.BufferedReader(_Bounded(inner, max_bytes, str(path)), buffer_size=1 << 16)


def read_all(path: Path, max_bytes: int | None) -> bytes:
    with open_input(path, max_bytes) as stream:
        try:
            return stream.read()
        except (OSError, EOFError, zlib.error) as exc:
            raise Unreadable(f"corrupt or truncated: {exc}") from None


def iter_lines(path: Path, max_bytes: int | None) -> Iterator[bytes | Oversized]:
    """The lines of an input, each bounded by ``max_bytes`` (a longer one comes as
    :class:`~cleaner.io.sources.Oversized`); the whole input is not."""
    with open_input(path, None) as stream:
        try:
            yield from bounded_lines(stream, max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            raise Unreadable(f"corrupt or truncated: {exc}") from None


def _umask() -> int:
    """The process's umask (read by setting it, so set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class AtomicFile:
    """A file written under a temporary name in ``tmp_dir`` and renamed into place on
    success, so a killed process never leaves a partial output visible.

    It is not fsync'ed on its own (that cost milliseconds per file); a batch makes outputs
    durable in groups, with one ``os.sync()`` before it records them as done."""

    def __init__(self, target: Path, tmp_dir: Path):
        self.target = target
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix=".part-")
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it 0600; an output is a file like any other
        self.tmp = Path(name)
        self.handle = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.close()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)
