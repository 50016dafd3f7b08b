"""HTML input: recognise it, and extract the main text with trafilatura.

trafilatura is imported only when a document is HTML, so text runs start fast.
"""

from __future__ import annotations

import regex

_HTML_START = regex.compile(r"\A\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<\?xml[^>]*>\s*<!doctype html)", regex.IGNORECASE | regex.DOTALL)
_HTML_BODY = regex.compile(r"<(?:body|div|p|article)[\s>]", regex.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when a document starts like an HTML page.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Use <b> for bold.")
    False
    """
    head = text[:2048]
    if _HTML_START.match(head):
        return True
    return head.lstrip().startswith("<") and bool(_HTML_BODY.search(text[:20000]))


def extract(html: str, url: str | None = None) -> str:
    """The main text of an HTML page (empty when trafilatura finds none)."""
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_recall=False,
    )
    return text or ""
