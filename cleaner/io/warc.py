"""WARC input (Common Crawl and crawler output): the HTML responses, with URL and date."""

from __future__ import annotations

from typing import BinaryIO, Callable, Iterator

from cleaner.io.sources import Oversized


class WarcError(ValueError):
    """A WARC file that cannot be read to its end, or a file that is no WARC file."""


class _Junk:
    """Stands in for warcio's warning about bytes after a record (which it would print on
    stderr itself): keeps where they were, for :class:`WarcError` and ``junk`` to say."""

    def __init__(self) -> None:
        self.offsets: list[int] = []

    def format(self, offset: int, line: bytes) -> str:
        self.offsets.append(offset)
        return ""  # warcio writes this: nothing


def html_responses(stream: BinaryIO, max_bytes: int | None = None,
                   junk: Callable[[str], None] | None = None) -> Iterator[tuple[str, str, bytes | Oversized]]:
    """``(url, date, html bytes)`` for each HTTP response whose content type is HTML; a
    response over ``max_bytes`` comes as :class:`~cleaner.io.sources.Oversized`, unread.

    Raises :class:`WarcError` at the first record that cannot be read (junk between
    records, a cut file), and for a stream that does not start like a WARC file (plain or
    gzipped). Stray bytes after a record that warcio reads past (a record whose
    Content-Length is wrong, perhaps) are said to ``junk``, never printed.
    """
    from warcio.archiveiterator import ArchiveIterator

    if hasattr(stream, "peek") and not stream.peek(5)[:5].startswith((b"WARC/", b"\x1f\x8b")) and stream.peek(1):
        raise WarcError("not a WARC file (it does not start with WARC/)")
    iterator, found = ArchiveIterator(stream), _Junk()
    iterator.INC_RECORD = found  # its warning goes through our messages, not to stderr
    records = iter(iterator)
    seen = told = 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            seen += 1
            told = _tell(found, told, f"before record {seen}", junk)
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = record.rec_headers.get_header("WARC-Date") or ""
            length = record.length or 0
            if max_bytes and length > max_bytes:
                body: bytes | Oversized = Oversized(length, max_bytes)
            else:
                body = record.content_stream().read()
        except Exception as exc:  # warcio's errors have no common class
            where = f", after stray bytes at offset {found.offsets[-1]}" if found.offsets[told:] else ""
            said = " ".join(str(exc).split())  # warcio's messages may end in the line they quote
            raise WarcError(f"corrupt WARC at record {seen}{where} ({type(exc).__name__}: {said})") from None
        yield url, date, body
    _tell(found, told, "at the end", junk)


def _tell(found: _Junk, told: int, where: str, junk: Callable[[str], None] | None) -> int:
    """Say the stray bytes found since the first ``told``; how many have been said."""
    for offset in found.offsets[told:]:
        if junk is not None:
            junk(f"stray bytes at offset {offset}, {where}, skipped (a record's Content-Length may be wrong)")
    return len(found.offsets)
