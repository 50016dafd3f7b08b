"""Remote storage through fsspec: ``s3://``, ``gs://``, ``hf://``, ``memory://``...

A name with a protocol (``PROTOCOL://...``) is remote; everything else is a local path.
fsspec, and the filesystem's own package (s3fs, gcsfs, huggingface_hub...), are imported
only when a remote name is used. Inputs are copied to local temporary files before they are
read (each is read twice by the template pass, and Parquet needs to seek); outputs are
written locally and uploaded when they are complete, so a failed run leaves no partial
object behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

_PROTOCOL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class RemoteError(Exception):
    """A remote name that cannot be reached, read or written; the message names it."""


def is_remote(name: str) -> bool:
    """Whether ``name`` is a URL fsspec should open (``file://`` included, ``-`` not).

    >>> is_remote("s3://bucket/crawl/"), is_remote("memory://x.jsonl"), is_remote("crawl/a.txt"), is_remote("C:/x")
    (True, True, False, False)
    """
    return bool(_PROTOCOL.match(name))


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:
        raise RemoteError(f"{url}: remote paths need fsspec: pip install 'webtext-cleaner[remote]' (and the filesystem's package, e.g. s3fs)") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise RemoteError(f"{url}: {exc}") from None


def fetch(url: str, folder: str) -> str:
    """Copy a remote file into ``folder``; its local path (the same base name)."""
    fs, path = _filesystem(url)
    local = os.path.join(folder, os.path.basename(path.rstrip("/")) or "input")
    try:
        if not fs.isfile(path):
            raise RemoteError(f"{url}: no such file" if not fs.exists(path) else f"{url}: is a directory (use `cleaner batch` for directories)")
        fs.get_file(path, local)
    except RemoteError:
        raise
    except (OSError, ValueError) as exc:
        raise RemoteError(f"{url}: cannot read ({exc})") from None
    return local


def fetch_tree(url: str, folder: str, missing_ok: bool = False) -> None:
    """Copy a remote directory's files into ``folder`` (with ``missing_ok``, nothing when it
    does not exist)."""
    fs, root = _filesystem(url)
    root = root.rstrip("/")
    try:
        if not fs.exists(root):
            if missing_ok:
                return
            raise RemoteError(f"{url}: no such directory")
        if not fs.isdir(root):
            raise RemoteError(f"{url}: not a directory")
        for path in fs.find(root):
            rel = path[len(root):].lstrip("/")
            target = os.path.join(folder, *rel.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fs.get_file(path, target)
    except RemoteError:
        raise
    except (OSError, ValueError) as exc:
        raise RemoteError(f"{url}: cannot read ({exc})") from None


def upload(local: str, url: str) -> None:
    """Copy a local file to a remote name."""
    fs, path = _filesystem(url)
    try:
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        if parent:
            fs.makedirs(parent, exist_ok=True)
        fs.put_file(local, path)
    except (OSError, ValueError) as exc:
        raise RemoteError(f"{url}: cannot write ({exc})") from None


def upload_tree(folder: str, url: str, skip: tuple[str, ...] = ()) -> None:
    """Copy every file under a local folder to the same relative names under ``url``, but
    those under the relative folders ``skip``."""
    base = url.rstrip("/")
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not any(rel.startswith(prefix.rstrip("/") + "/") for prefix in skip):
            upload(str(path), f"{base}/{rel}")


class Staging:
    """Local temporary copies of remote inputs and outputs, removed by :meth:`close`."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="cleaner-remote-")
        self.count = 0

    def new_folder(self) -> str:
        self.count += 1
        path = os.path.join(self.folder, str(self.count))
        os.makedirs(path)
        return path

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
