"""WARC input (Common Crawl and crawler output): the HTML responses, with URL and date."""

from __future__ import annotations

from typing import BinaryIO, Iterator

from cleaner.io.sources import Oversized


class WarcError(ValueError):
    """A WARC file that cannot be read to its end, or a file that is no WARC file."""


def html_responses(stream: BinaryIO, max_bytes: int | None = None) -> Iterator[tuple[str, str, bytes | Oversized]]:
    """``(url, date, html bytes)`` for each HTTP response whose content type is HTML; a
    response over ``max_bytes`` comes as :class:`~cleaner.io.sources.Oversized`, unread.

    Raises :class:`WarcError` at the first record that cannot be read (junk between
    records, a cut file), and for a stream that does not start like a WARC file (plain or
    gzipped).
    """
    from warcio.archiveiterator import ArchiveIterator

    if hasattr(stream, "peek") and not stream.peek(5)[:5].startswith((b"WARC/", b"\x1f\x8b")) and stream.peek(1):
        raise WarcError("not a WARC file (it does not start with WARC/)")
    records = iter(ArchiveIterator(stream))
    seen = 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            seen += 1
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
            raise WarcError(f"corrupt WARC at record {seen} ({type(exc).__name__}: {exc})") from None
        yield url, date, body
