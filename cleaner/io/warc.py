"""WARC input (Common Crawl and crawler output): the HTML responses, with URL and date."""

from __future__ import annotations

from typing import BinaryIO, Iterator


def html_responses(stream: BinaryIO) -> Iterator[tuple[str, str, bytes]]:
    """``(url, date, html bytes)`` for each HTTP response whose content type is HTML."""
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(stream):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if "html" not in content_type:
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        date = record.rec_headers.get_header("WARC-Date") or ""
        yield url, date, record.content_stream().read()
