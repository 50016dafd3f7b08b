"""Main texts already extracted from HTML pages, kept on disk for a second pass.

The two-pass mode of ``cleaner clean --jsonl`` extracts every page once to learn the site
templates and once more to clean it; extraction is most of the cost of an HTML page. The
first pass puts each page's main text here, under a digest of the page and its URL, and
the cleaning pass takes it from here instead of extracting again.

An SQLite file (standard library): lookups by key without holding the texts in memory, so
memory stays flat on any corpus, and safe to write from several worker processes (each
opens its own connection; a connection never crosses a fork). It only saves time: a store
that cannot be made, read or written (a full disk) makes pages be extracted again.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "extracted.sqlite")
>>> store = ExtractedTexts(path)
>>> store.get("<html>page</html>", "https://a.org/1") is None
True
>>> store.put("<html>page</html>", "https://a.org/1", "The main text.")
>>> store.get("<html>page</html>", "https://a.org/1"), store.get("<html>page</html>", None)
('The main text.', None)
>>> store.finish(); store.put("<html>other</html>", None, "Other."); store.get("<html>other</html>", None) is None
True
>>> store.close(); remove(path)
"""

from __future__ import annotations

import hashlib
import os
import sqlite3

# Connections a forked worker inherited from its parent: kept, never used or closed here
# (closing one in the child could disturb the parent's).
_INHERITED: list[sqlite3.Connection] = []


class ExtractedTexts:
    """Extracted main texts by page and URL, in the SQLite file at ``path`` (created here)."""

    def __init__(self, path: str):
        self.path = path
        self.keeping = True  # put() stores; after finish(), pages are only looked up
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._db().execute("CREATE TABLE IF NOT EXISTS extracted (key BLOB PRIMARY KEY, text TEXT NOT NULL)")
        self.close()  # workers forked from here on open their own

    @classmethod
    def open(cls, path: str) -> "ExtractedTexts | None":
        """The store at ``path``, created if need be; None when it cannot be."""
        try:
            return cls(path)
        except (sqlite3.Error, OSError):
            return None

    @staticmethod
    def key(page: str, url: str | None) -> bytes:
        """What the extraction depends on: the page and its URL."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update((url or "").encode("utf-8", "surrogatepass") + b"\0")
        digest.update(page.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def get(self, page: str, url: str | None) -> str | None:
        try:
            row = self._db().execute("SELECT text FROM extracted WHERE key = ?", (self.key(page, url),)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else row[0]

    def put(self, page: str, url: str | None, text: str) -> None:
        if not self.keeping:
            return
        try:
            self._db().execute("INSERT OR REPLACE INTO extracted VALUES (?, ?)", (self.key(page, url), text))
        except sqlite3.Error:
            self.keeping = False  # a full disk, say: the pages that follow are extracted twice

    def finish(self) -> None:
        """The pass that fills the store is over: from now on pages are only looked up."""
        self.keeping = False

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def _db(self) -> sqlite3.Connection:
        """This process's connection: a worker forked after the parent opened one opens its own."""
        if self._connection is None or self._pid != os.getpid():
            if self._connection is not None:
                _INHERITED.append(self._connection)
            # Autocommit (isolation_level=None): each put is visible at once to every process.
            # The file is a cache for one run: written ahead (WAL, readers never wait), never synced.
            connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = OFF")
            self._connection, self._pid = connection, os.getpid()
        return self._connection



def remove(path: str) -> None:
    """Remove the store at ``path`` with the files SQLite keeps beside it."""
    for name in (path, path + "-wal", path + "-shm"):
        try:
            os.unlink(name)
        except OSError:
            pass
