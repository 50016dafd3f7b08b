"""An HTML page as text blocks with their DOM facts: one walk over the parsed tree.

A block is the text between two block-level tags (a paragraph, a heading, a list item, a table
row, a code block, the loose text of a ``div``). Each block carries what the page's markup says
about it: the tags around it (nav, aside, header, footer, form, li, table, pre, h1-h6, ...), the
families its ancestors' class, id and role names belong to (comment, related, share, promo,
byline, breadcrumb, cookie, ...), how much of it is link text, its depth and its place. The
block model (:mod:`cleaner.model.block_features`) reads these facts; nothing here decides.

>>> page = dom_blocks(parse('<html><body><nav><a href="/">Home</a></nav>'
...                         '<article><h1>Harbour reopens</h1><p>The harbour reopened on <b>Monday</b>.</p>'
...                         '</article></body></html>'))
>>> [(b.tag, b.text) for b in page.blocks]
[('nav', 'Home'), ('h1', 'Harbour reopens'), ('p', 'The harbour reopened on Monday.')]
>>> page.blocks[0].has("nav"), page.blocks[0].link_share, page.blocks[2].has("article")
(True, 1.0, True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from lxml import etree

# Tags whose text and children are never page text.
SKIPPED = frozenset("script style noscript template svg math head iframe object embed canvas select option "
                    "textarea input button datalist audio video map".split())
# Tags that start a new block.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol "
    "p pre section summary table tbody tfoot thead tr ul td th".split())
# Table cells are blocks of their own only when they hold blocks; their loose text stays in the
# row, one cell after the other.
_CELLS = frozenset(("td", "th"))

# The families of tags a block lies in (itself or an ancestor): one bit each.
TAG_FAMILIES: dict[str, tuple[str, ...]] = {
    "nav": ("nav", "menu"), "aside": ("aside",), "header": ("header",), "footer": ("footer",),
    "form": ("form", "fieldset", "label"), "li": ("li", "dd", "dt"), "table": ("table",),
    "pre": ("pre", "code", "kbd", "samp"), "heading": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "article": ("article",), "main": ("main",), "figure": ("figure", "figcaption", "caption"),
    "blockquote": ("blockquote", "q"), "link": ("a",), "address": ("address", "time"),
    "details": ("details", "summary", "dialog"),
}
# The families of class, id, role and itemprop names: the words sites name their chrome (and
# their content) with. A name belongs to a family when a word of the family starts one of its
# parts (split at anything not a letter or digit, and at lower-to-upper case changes).
NAME_FAMILIES: dict[str, tuple[str, ...]] = {
    "comment": ("comment", "disqus", "reply", "respond", "discussion"),
    "related": ("related", "recommend", "more", "also", "popular", "trending", "mostread", "next",
                "prev", "outbrain", "taboola", "readmore", "morestories"),
    "share": ("share", "sharing", "social", "facebook", "twitter", "whatsapp", "linkedin", "pinterest",
              "email", "print"),
    "promo": ("ad", "ads", "advert", "advertisement", "sponsor", "promo", "banner", "dfp", "commercial",
              "affiliate", "partner", "marketing"),
    "byline": ("byline", "author", "writer", "contributor", "bio", "avatar"),
    "meta": ("meta", "date", "time", "posted", "published", "updated", "timestamp", "dateline",
             "info", "stats", "count"),
    "breadcrumb": ("breadcrumb", "crumb", "crumbs", "breadcrumbs", "pagination", "pager", "paging"),
    "cookie": ("cookie", "consent", "gdpr", "privacy", "cmp", "notice"),
    "newsletter": ("newsletter", "subscribe", "subscription", "signup", "register", "login", "signin",
                   "paywall", "premium", "cta", "modal", "popup", "overlay", "dialog"),
    "navigation": ("nav", "navbar", "navigation", "menu", "menubar", "topbar", "toc", "skip", "jump"),
    "footer": ("footer", "foot", "bottom", "copyright", "legal", "contentinfo"),
    "header": ("header", "masthead", "head", "top", "banner", "logo", "brand"),
    "sidebar": ("sidebar", "side", "widget", "rail", "aside", "complementary", "column", "sidebox"),
    "tags": ("tag", "tags", "category", "categories", "topic", "topics", "label", "keyword", "keywords"),
    "caption": ("caption", "credit", "figure", "photo", "image", "img", "gallery", "media", "thumb",
                "thumbnail", "picture", "video"),
    "hidden": ("hidden", "hide", "invisible", "sronly", "sr", "screenreader", "visually", "offscreen",
               "collapse", "collapsed"),
    "content": ("article", "content", "entry", "post", "story", "body", "text", "main", "prose",
                "richtext", "articlebody", "blog", "page"),
    "title": ("title", "headline", "heading", "subtitle", "subheadline", "lead", "intro", "summary",
              "standfirst", "teaser", "kicker", "deck"),
    "product": ("product", "price", "description", "descr", "spec", "specs", "specification", "details",
                "feature", "features", "sku", "offer", "cart", "buy", "review", "reviews", "rating"),
    "forum": ("message", "thread", "forum", "answer", "question", "bbcode", "postbody", "posttext",
              "topic", "signature", "quote", "usertext", "userinfo"),
    "code": ("code", "highlight", "syntax", "hljs", "prettyprint", "example", "snippet", "listing",
             "sourcecode", "language"),
    "card": ("card", "item", "tile", "grid", "list", "teaser", "listing", "feed", "river", "stream",
             "collection", "result", "results"),
    "button": ("btn", "button", "icon", "link", "links", "action", "actions", "toolbar", "tools", "control"),
}
FAMILIES: tuple[str, ...] = (*(f"in_{name}" for name in TAG_FAMILIES), *(f"named_{name}" for name in NAME_FAMILIES))
_TAG_BIT = {tag: 1 << i for i, fam in enumerate(TAG_FAMILIES.values()) for tag in fam}
_BIT = {name: 1 << i for i, name in enumerate(FAMILIES)}
_HIDDEN_BIT = _BIT["named_hidden"]
_WORD_FAMILY: dict[str, int] = {}
for _name, _words in NAME_FAMILIES.items():
    for _word in _words:
        _WORD_FAMILY[_word] = _WORD_FAMILY.get(_word, 0) | _BIT[f"named_{_name}"]
# A name's parts split at anything not a letter or digit and at lower-to-upper case changes; a
# family word of four letters or more may start a part ("comments", "sidebarLeft"), a shorter
# one must be the whole part ("ad" is not in "shadow" nor in "address").
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_FAMILY_WORD = re.compile(
    r"(?<![a-z0-9])(?:(%s)|(%s)(?![a-z0-9]))" % (
        "|".join(sorted((w for w in _WORD_FAMILY if len(w) >= 4), key=len, reverse=True)),
        "|".join(sorted((w for w in _WORD_FAMILY if len(w) < 4), key=len, reverse=True))))
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@lru_cache(maxsize=4096)
def name_bits(names: str) -> int:
    """The name families of a class, id, role or itemprop value (see :data:`NAME_FAMILIES`).

    >>> sorted(f for f in FAMILIES if name_bits("post-comments shareBar") & _BIT[f])
    ['named_comment', 'named_content', 'named_share']
    >>> name_bits("shadow address") == 0, name_bits("ad-slot") == _BIT["named_promo"]
    (True, True)
    """
    bits = 0
    for match in _FAMILY_WORD.finditer(_CAMEL.sub(" ", names).lower()):
        bits |= _WORD_FAMILY[match.group(1) or match.group(2)]
    return bits


@dataclass
class Block:
    """One text block of a page and its DOM facts."""

    text: str                 # the text, white space collapsed (newlines kept in <pre>)
    tag: str                  # the block element's tag
    bits: int                 # the families of its tags and names, itself and ancestors (FAMILIES)
    depth: int                # how deep the block element lies
    path: tuple[int, ...]     # numbers of the block element and its block ancestors, innermost last
    link_chars: int = 0       # characters inside <a>
    links: int = 0            # <a> elements
    hidden: bool = False      # under hidden / aria-hidden / display:none
    dom_path: str = ""        # a readable path (tag#id.class) for the provenance log

    def has(self, family: str) -> bool:
        return bool(self.bits & _BIT.get(f"in_{family}", _BIT.get(f"named_{family}", 0)))

    @property
    def link_share(self) -> float:
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


@dataclass
class Page:
    """The blocks of a page, and what its head says (title, og:title, JSON-LD bodies, page kinds)."""

    blocks: list[Block]
    title: str = ""
    og_title: str = ""
    ld_texts: list[str] = field(default_factory=list)    # JSON-LD articleBody / text / description
    kinds: frozenset[str] = frozenset()                   # what it says it is (PAGE_KINDS)


def parse(html: str) -> Any:
    """The page's element tree (lxml, as trafilatura parses it), or None when nothing parses."""
    from trafilatura.utils import load_html

    return load_html(html)


class _Walk:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.links = 0
        self.link_ended = False
        self.owner: tuple[str, int, int, tuple[int, ...], bool, str] | None = None

    def add(self, text: str | None, in_link: int) -> None:
        if text:
            self.parts.append(text)
            self.link_ended = False
            if in_link:
                self.link_chars += len(text.strip())

    def start_link(self) -> None:
        """Links side by side with no space between them ("Privacy NoticeTerms of Use") are two words."""
        if self.link_ended and self.parts and self.parts[-1][-1:].isalnum():
            self.parts.append(" ")
        self.links += 1

    def flush(self) -> None:
        if self.owner is not None and self.parts:
            tag, bits, depth, path, hidden, dom_path = self.owner
            raw = "".join(self.parts)
            text = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n")) if tag == "pre" \
                else " ".join(raw.split())
            if text.strip():
                self.blocks.append(Block(text, tag, bits, depth, path, self.link_chars, self.links, hidden, dom_path))
        self.parts = []
        self.link_chars = 0
        self.links = 0


_NAMED = frozenset(("class", "id", "role", "itemprop"))


def _own_bits(el: Any, tag: str) -> int:
    bits = _TAG_BIT.get(tag, 0)
    names = ""
    for key, value in el.items():  # one pass over the attributes (most elements have one or two)
        if key in _NAMED:
            names += " " + value
        elif key == "hidden" or (key == "aria-hidden" and value == "true") or \
                (key == "style" and _DISPLAY_NONE.search(value)):
            bits |= _HIDDEN_BIT
    if names:
        bits |= name_bits(names)
    return bits


def _label(el: Any, tag: str) -> str:
    ident, cls = el.get("id"), el.get("class")
    label = tag + (f"#{ident}" if ident else "")
    if cls:
        label += "".join(f".{c}" for c in cls.split()[:2])
    return label


def dom_blocks(tree: Any) -> Page:
    """The text blocks of a parsed page (:func:`parse`), in reading order, with their facts."""
    if tree is None:
        return Page([])
    walk = _Walk()
    head = _head(tree)
    body = tree.find("body")
    root = body if body is not None else tree
    # The stack of open elements: (bits so far, block owner or None, is a link)
    stack: list[tuple[int, bool, bool, str]] = []
    labels: list[str] = []
    path: list[int] = []
    in_link = 0
    in_pre = 0
    blocks_seen = 0
    events = etree.iterwalk(root, events=("start", "end"))
    for event, el in events:
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            if event == "end" and el.tail:
                walk.add(el.tail if in_pre else el.tail, in_link)
            continue
        tag = tag.lower()
        if event == "start":
            if tag in SKIPPED:
                events.skip_subtree()
                stack.append((stack[-1][0] if stack else 0, False, False, tag))
                continue
            bits = (stack[-1][0] if stack else 0) | _own_bits(el, tag)
            is_block = tag in BLOCK_TAGS and (tag not in _CELLS or _holds_blocks(el))
            is_link = tag == "a"
            stack.append((bits, is_block, is_link, tag))
            if is_block:
                walk.flush()
                labels.append(_label(el, tag))
                blocks_seen += 1  # a number per block element, in document order: its id in paths
                path.append(blocks_seen)
                walk.owner = (tag, bits, len(path), tuple(path), bool(bits & _HIDDEN_BIT), " > ".join(labels[-4:]))
            elif tag == "br":
                walk.add("\n" if in_pre else " ", in_link)
            elif tag in _CELLS:
                walk.add(" \t ", in_link)
            if is_link:
                in_link += 1
                walk.start_link()
            if tag == "pre":
                in_pre += 1
            walk.add(el.text, in_link)
        else:
            bits, is_block, is_link, name = stack.pop()
            if name in SKIPPED:
                walk.add(el.tail, in_link)
                continue
            if is_link:
                in_link -= 1
                walk.link_ended = True
            if name == "pre":
                in_pre -= 1
            if is_block:
                walk.flush()
                labels.pop()
                path.pop()
                # Back to the enclosing block: its text continues after this one.
                parent = stack[-1] if stack else None
                if parent is not None and path:
                    pbits = parent[0]
                    walk.owner = (_owner_tag(stack), pbits, len(path), tuple(path), bool(pbits & _HIDDEN_BIT),
                                  " > ".join(labels[-4:]))
                else:
                    walk.owner = None
            walk.add(el.tail, in_link)
    walk.flush()
    title, og_title, ld_texts, kinds = head
    return Page(walk.blocks, title, og_title, ld_texts, kinds)


def _owner_tag(stack: list[tuple[int, bool, bool, str]]) -> str:
    for _bits, is_block, _link, name in reversed(stack):
        if is_block:
            return name
    return "body"


def _holds_blocks(el: Any) -> bool:
    for child in el.iter():
        if child is not el and isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS:
            return True
    return False


# What a page says it is (JSON-LD @type, og:type), by family: a forum thread's posts, a product's
# description, a listing's items are its content, where an article's teasers are not.
PAGE_KINDS: dict[str, frozenset[str]] = {
    "article": frozenset("article newsarticle blogposting reportagenewsarticle analysisnewsarticle opinionnewsarticle "
                         "liveblogposting backgroundnewsarticle scholarlyarticle report".split()),
    "product": frozenset("product offer aggregateoffer productgroup individualproduct book "
                         "softwareapplication".split()),
    "forum": frozenset("discussionforumposting qapage question answer comment socialmediaposting".split()),
    "listing": frozenset("itemlist collectionpage searchresultspage offercatalog".split()),
    "docs": frozenset("techarticle apireference howto faqpage course".split()),
}


def _head(tree: Any) -> tuple[str, str, list[str], frozenset[str]]:
    title_el = tree.find(".//title")
    title = " ".join((title_el.text_content() if title_el is not None else "").split())
    og = tree.xpath('//meta[@property="og:title"]/@content')
    og_title = " ".join(str(og[0]).split()) if og else ""
    types = {str(t).strip().lower() for t in tree.xpath('//meta[@property="og:type"]/@content')}
    ld_texts: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        ld_texts.extend(_ld_values(data, 0, types))
    kinds = frozenset(kind for kind, names in PAGE_KINDS.items() if types & names)
    return title, og_title, ld_texts, kinds


def _ld_values(data: Any, depth: int, types: set[str]) -> Iterator[str]:
    """The bodies and descriptions of a JSON-LD value; its @types go into ``types``."""
    if depth > 6:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("articleBody", "text", "description", "reviewBody") and isinstance(value, str):
                yield value
            elif key == "@type":
                types.update(str(t).lower() for t in (value if isinstance(value, list) else [value])[:10])
            elif isinstance(value, (dict, list)):
                yield from _ld_values(value, depth + 1, types)
    elif isinstance(data, list):
        for item in data[:50]:
            yield from _ld_values(item, depth + 1, types)
