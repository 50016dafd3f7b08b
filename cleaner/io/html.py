"""HTML input: recognise it, and extract the main text with trafilatura.

trafilatura is imported only when a document is HTML, so text runs start fast.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import regex


@lru_cache(maxsize=None)
def _html_patterns() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """How a page starts, and a whole tag of its body; compiled on first use, as a run that
    says whether its input is HTML (--html, --text) never needs them."""
    start = regex.compile(r"\A\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<\?xml[^>]*>\s*<!doctype html)", regex.IGNORECASE | regex.DOTALL)
    body = regex.compile(r"<(?:body|div|p|article)(?:\s[^<>]*)?>", regex.IGNORECASE)
    return start, body


def looks_like_html(text: str) -> bool:
    """True when a document starts like an HTML page.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Use <b> for bold.")
    False
    >>> looks_like_html("<P\\n"), looks_like_html("<p class='x'>Hi</p>")
    (False, True)
    """
    start, body = _html_patterns()
    head = text[:2048]
    if start.match(head):
        return True
    return head.lstrip().startswith("<") and bool(body.search(text[:20000]))


class ExtractError(ValueError):
    """An HTML page that cannot be extracted safely; the message says why in one line."""


# lxml stops building the tree past 255 levels (everything deeper vanishes), but real pages
# leave many tags unclosed, so the linear estimate below overcounts them (a gate page reads
# 421): the depth limit is set where only generated or hostile pages reach. And
# trafilatura's time grows faster than linearly with the number of tags (100,000 tags take
# about 10 s; a million would take hours). Pages past these limits fail with a clear error.
MAX_DEPTH = 5000
MAX_TAGS = 100_000

# ASCII classes only, so the standard library's re reads it as regex does, about three times
# faster on a page of 20,000 tags.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li td th tr option dt dd".split()  # often left open: never counted as nesting
)


def _depth_and_tags(html: str) -> tuple[int, int]:
    """How deep a page's tags nest (by the estimate above) and how many it has; one scan.

    >>> _depth_and_tags("<div><div><p>x</div></div><br>")
    (2, 4)
    """
    depth = deepest = tags = 0
    for match in _TAG.finditer(html):
        closing, name, selfclosing = match.groups()
        if closing:
            depth = max(0, depth - 1) if name.lower() not in _VOID else depth
            continue
        tags += 1
        if not selfclosing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest, tags


# lxml keeps 255 levels; a page whose text all lies deeper comes out of it empty.
PARSER_DEPTH = 255


def extraction_limits(html: str, max_depth: int = MAX_DEPTH, max_tags: int = MAX_TAGS) -> str | None:
    """Why a page is too deep or too big to extract safely, or None; one linear scan.

    >>> extraction_limits("<div>" * 6000 + "x" + "</div>" * 6000)
    'HTML nested 6000 levels deep (limit 5000)'
    >>> extraction_limits("<html><body><p>Hi</p></body></html>") is None
    True
    >>> extraction_limits("<br>" * 100_001), extraction_limits("<b>x</b>" * 4000)
    ('HTML with 100001 tags (limit 100000)', None)
    """
    # Every tag the scan counts, and every level of nesting, starts at a "<" not followed by
    # "/": when there are few enough of those, no limit can be passed. Most big pages close
    # about as many tags as they open, so this spares them the scan; the "</" are counted
    # only on pages with many "<" (counting costs a pass over the page).
    bound = min(max_depth, max_tags)
    opening = html.count("<")
    if opening > bound:
        opening -= html.count("</")
    if opening <= bound:
        return None
    deepest, tags = _depth_and_tags(html)
    if deepest > max_depth:
        return f"HTML nested {deepest} levels deep (limit {max_depth})"
    if tags > max_tags:
        return f"HTML with {tags} tags (limit {max_tags})"
    return None


def check_limits(html: str) -> None:
    """Raise :class:`ExtractError` for a page nested too deep or with too many tags to extract."""
    reason = extraction_limits(html)
    if reason:
        raise ExtractError(f"{reason}: not extracted (clean it with --text to keep its raw text)")


def extract(html: str, url: str | None = None, tree: Any = None, checked: bool = False) -> str:
    """The main text of an HTML page (empty when trafilatura finds none); ``tree`` is the page
    already parsed (:func:`cleaner.io.dom.parse`), read and left as it is.

    Raises :class:`ExtractError` for pages nested too deep or with too many tags to extract
    safely (``checked``: the caller has run :func:`check_limits` on the page already), and
    when the extractor itself fails.
    """
    if not checked:
        check_limits(html)
    import trafilatura

    try:
        text = trafilatura.extract(
            html if tree is None else tree,
            url=url,
            include_comments=False,
            include_tables=True,
            favor_recall=False,
        )
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        raise ExtractError(f"HTML extraction failed ({type(exc).__name__})") from None
    if not text and html.count("<") > PARSER_DEPTH:
        deepest = _depth_and_tags(html)[0]
        if deepest > PARSER_DEPTH:  # the parser dropped what lies deeper: say so, not empty text
            raise ExtractError(f"HTML nested {deepest} levels deep: no text found above level {PARSER_DEPTH}, "
                               "where the HTML parser stops (clean it with --text to keep its raw text)")
    return text or ""
