"""Which site a document belongs to: the host of its URL, else what the caller says."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str | None:
    """The host of a URL, lowercase, without a leading ``www.``; None when there is none.

    >>> host_of("https://WWW.Example.com:8080/news/1?x=2")
    'example.com'
    >>> host_of("example.org/about"), host_of("not a url")
    ('example.org', None)
    """
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host or " " in host:
        return None
    return host[4:] if host.startswith("www.") else host


def site_of(url: str | None = None, site: str | None = None) -> str | None:
    """The site of a document: the host of ``url`` when it has one, else ``site``.

    >>> site_of("https://example.com/a", "crawl/dir"), site_of(None, "crawl/dir"), site_of()
    ('example.com', 'crawl/dir', None)
    """
    host = host_of(url) if url else None
    return host or site or None
