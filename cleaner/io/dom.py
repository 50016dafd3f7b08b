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
import threading
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
_PART = re.compile(r"[a-z0-9]+")
_LONG_WORDS = frozenset(w for w in _WORD_FAMILY if len(w) >= 4)
_LONGEST = max(map(len, _WORD_FAMILY))
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@lru_cache(maxsize=None)
def family_bit(family: str) -> int:
    """The bit of a tag family (``nav``: in a <nav> or <menu>), else of a name family (0 for
    neither): see :meth:`Block.has`."""
    return _BIT.get(f"in_{family}", _BIT.get(f"named_{family}", 0))


@lru_cache(maxsize=16384)
def name_bits(names: str) -> int:
    """The name families of a class, id, role or itemprop value (see :data:`NAME_FAMILIES`).

    >>> sorted(f for f in FAMILIES if name_bits("post-comments shareBar") & _BIT[f])
    ['named_comment', 'named_content', 'named_share']
    >>> name_bits("shadow address") == 0, name_bits("ad-slot") == _BIT["named_promo"]
    (True, True)
    """
    bits = 0
    for name in names.split():  # (a part never spans white space: each name's families are kept)
        bits |= _single_name_bits(name)
    return bits


@lru_cache(maxsize=65536)
def _single_name_bits(name: str) -> int:
    """:func:`name_bits` of one name (no white space): sites repeat their class names."""
    bits = 0
    low = name.lower()
    if low != name:  # (a name in lower case already has no lower-to-upper change to split at)
        low = _CAMEL.sub(" ", name).lower()
    for part in _PART.findall(low):
        bits |= _part_bits(part)
    return bits


@lru_cache(maxsize=65536)
def _part_bits(part: str) -> int:
    """The family of a name's part: of the longest family word of four letters or more it starts
    with, else of the short family word it is."""
    for size in range(min(len(part), _LONGEST), 3, -1):
        if part[:size] in _LONG_WORDS:
            return _WORD_FAMILY[part[:size]]
    return _WORD_FAMILY.get(part, 0)


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
        return bool(self.bits & family_bit(family))

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
    # What the block features compute of the blocks once and read again (their paths as one
    # array, their shapes: :mod:`cleaner.model.block_features`); the blocks stay as walked
    # (dataclasses.replace gives a page of other blocks a memo of its own).
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)


_THREAD = threading.local()


def _parser() -> Any:
    """trafilatura's HTML parser, with every element a plain ``lxml.html.HtmlElement`` looked
    up in C. lxml.html's own lookup, in Python, picks a class per element (forms, inputs,
    labels) each time an element is reached, which the walk and trafilatura's passes over the
    same tree do thousands of times a page; neither reads those classes. One per thread (an
    lxml parser is not for two threads at once)."""
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        from lxml.html import HtmlElement, HTMLParser

        parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                            remove_pis=True)
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=HtmlElement))
        _THREAD.parser = parser
    return parser


def _from_bytes(html: str) -> Any:
    from lxml.html import fromstring

    try:
        return fromstring(html.encode("utf-8", "surrogatepass"), parser=_parser())
    except Exception:  # (as trafilatura: whatever lxml raises, nothing parsed)
        return None


def parse(html: str) -> Any:
    """The page's element tree, or None when nothing parses: parsed as trafilatura's
    ``load_html`` parses a text (its repairs, the second try as bytes, the rejection of a text
    that names no ``html`` and parses to less than two elements), with :func:`_parser`."""
    from lxml.html import fromstring
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = None
    tried_bytes = False
    try:
        tree = fromstring(html, parser=_parser())
    except ValueError:  # a text declaring its encoding is parsed as bytes
        tree, tried_bytes = _from_bytes(html), True
    except Exception:  # (as trafilatura: an empty document, say; tried as bytes below)
        pass
    if (tree is None or len(tree) < 1) and not tried_bytes:
        tree = _from_bytes(html)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


_NAMED = frozenset(("class", "id", "role", "itemprop"))


def _flush(blocks: list[Block], parts: list[str], owner: tuple[str, int, tuple[int, ...], tuple[str, ...]],
           link_chars: int, links: int) -> None:
    """The block of the text gathered since the last block boundary, if it has any."""
    tag, bits, path, labels = owner
    raw = "".join(parts)
    if tag == "pre":
        text = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n"))
        empty = text.isspace() or not text
    else:
        text = " ".join(raw.split())
        empty = not text  # (the words joined: no white space at either end)
    if not empty:
        blocks.append(Block(text, tag, bits, len(path), path, link_chars, links, bool(bits & _HIDDEN_BIT),
                            " > ".join(labels)))


# What the walk does at a tag, one lookup: the bits below, any of them together.
_IS_BLOCK, _IS_LINK, _IS_PRE, _IS_SKIPPED, _IS_CELL, _IS_BR = 1, 2, 4, 8, 16, 32
_TAG_KIND: dict[str, int] = {tag: _IS_BLOCK for tag in BLOCK_TAGS - _CELLS}
_TAG_KIND.update({tag: _IS_SKIPPED for tag in SKIPPED}, a=_IS_LINK, br=_IS_BR, pre=_IS_BLOCK | _IS_PRE,
                 **{tag: _IS_CELL for tag in _CELLS})
# A tag as the parser gives it -> (the tag in lower case, what the walk does at it, its family
# bit): one lookup an element. Filled as tags are met (see _tag_facts); comments and processing
# instructions (whose tag is a function) are skipped, their tail read as any element's.
_TAG_FACTS: dict[Any, tuple[str, int, int]] = {}
_TAG_FACTS_LIMIT = 4096  # (tags past this many are looked up each time: pages may make up their own)


def _tag_facts(tag: Any) -> tuple[str, int, int]:
    """The facts of a tag (see :data:`_TAG_FACTS`), remembered."""
    if not isinstance(tag, str):
        facts = ("", _IS_SKIPPED, 0)
    else:
        low = tag.lower()
        facts = (low, _TAG_KIND.get(low, 0), _TAG_BIT.get(low, 0))
    if len(_TAG_FACTS) < _TAG_FACTS_LIMIT:
        _TAG_FACTS[tag] = facts
    return facts


def dom_blocks(tree: Any) -> Page:
    """The text blocks of a parsed page (:func:`parse`), in reading order, with their facts.

    What ``<noscript>`` holds is what a reader without scripts sees: a message or a fallback
    beside the page's text, or, on a page its scripts build (forum software serves its posts
    there), the page's text itself. It is read in the second case only: when the ``<noscript>``
    elements hold more words than every block read without them."""
    if tree is None:
        return Page([])
    head = _head(tree)
    body = tree.find("body")
    root = body if body is not None else tree
    blocks = _walk(root)
    served = _noscript_words(root)
    if served and served > sum(len(b.text.split()) for b in blocks):
        blocks = _walk(root, noscript=True)
    title, og_title, ld_texts, kinds = head
    return Page(blocks, title, og_title, ld_texts, kinds)


def _noscript_words(root: Any) -> int:
    """The words the ``<noscript>`` elements under ``root`` hold (not their styles', scripts' or
    comments')."""
    words = 0
    for element in root.iter("noscript"):
        for inner in element.iter():
            if isinstance(inner.tag, str) and inner.tag not in ("style", "script"):
                words += len((inner.text or "").split())
            if inner is not element:
                words += len((inner.tail or "").split())
    return words


def _walk(root: Any, noscript: bool = False) -> list[Block]:
    """The blocks under ``root`` in reading order (what ``<noscript>`` holds with ``noscript``)."""
    blocks: list[Block] = []
    # The text of the block being read, its link characters and links, and its owner: the block
    # element's tag, bits, path and the labels of its last four block elements.
    parts: list[str] = []
    link_chars = links = 0
    link_ended = False
    owner: tuple[str, int, tuple[int, ...], tuple[str, ...]] | None = None
    # The bits of the element being read (its families and its ancestors'); the open elements:
    # (the bits of the element around each, what the walk does at its end: _IS_* bits); the
    # open block elements: their tags, labels and numbers (the path).
    bits = 0
    stack: list[tuple[int, int]] = []
    block_tags: list[str] = []
    labels: list[str] = []
    path: tuple[int, ...] = ()
    in_link = in_pre = blocks_seen = 0
    known_facts, named, word_bits = _TAG_FACTS.get, _NAMED, name_bits
    events = etree.iterwalk(root, events=("start", "end"))
    for event, el in events:
        if event == "start":
            tag = el.tag
            tag, kind, tag_bit = known_facts(tag) or _tag_facts(tag)
            if kind & _IS_SKIPPED and not (noscript and tag == "noscript"):
                # (comments and processing instructions too: only their tail is text)
                events.skip_subtree()
                stack.append((bits, 0))
                continue
            outer = bits
            bits |= tag_bit
            ident = cls = ""
            for key, value in el.items():  # one pass over the attributes (most elements have one or two)
                if key in named:
                    bits |= word_bits(value)  # (each value's families: sites repeat their class values)
                    if key == "class":
                        cls = value
                    elif key == "id":
                        ident = value
                elif key == "hidden" or (key == "aria-hidden" and value == "true") or \
                        (key == "style" and _DISPLAY_NONE.search(value)):
                    bits |= _HIDDEN_BIT
            if kind:
                if kind & _IS_CELL:
                    # A cell is a block of its own only when it holds blocks; else its text stays in the row.
                    if _holds_blocks(el):
                        kind = _IS_BLOCK
                    else:
                        kind = 0
                        parts.append(" \t ")
                        link_ended = False
                if kind & _IS_BLOCK:
                    if parts:
                        if owner is not None:
                            _flush(blocks, parts, owner, link_chars, links)
                        parts = []
                    link_chars = links = 0
                    label = tag + (f"#{ident}" if ident else "")
                    classes = cls.split()[:2]
                    if classes:
                        label += "." + ".".join(classes)
                    labels.append(label)
                    block_tags.append(tag)
                    blocks_seen += 1  # a number per block element, in document order: its id in paths
                    path += (blocks_seen,)
                    owner = (tag, bits, path, tuple(labels[-4:]))
                elif kind & _IS_BR:
                    parts.append("\n" if in_pre else " ")
                    link_ended = False
                if kind & _IS_LINK:
                    in_link += 1
                    # Links side by side with no space between them ("Privacy NoticeTerms of Use") are two words.
                    if link_ended and parts and parts[-1][-1:].isalnum():
                        parts.append(" ")
                    links += 1
                if kind & _IS_PRE:
                    in_pre += 1
            stack.append((outer, kind))
            text = el.text
        else:
            bits, kind = stack.pop()
            if kind:
                if kind & _IS_LINK:
                    in_link -= 1
                    link_ended = True
                if kind & _IS_PRE:
                    in_pre -= 1
                if kind & _IS_BLOCK:
                    if parts:
                        if owner is not None:
                            _flush(blocks, parts, owner, link_chars, links)
                        parts = []
                    link_chars = links = 0
                    labels.pop()
                    block_tags.pop()
                    path = path[:-1]
                    # Back to the enclosing block: its text continues after this one, with the
                    # families of the element it lies in.
                    owner = (block_tags[-1], bits, path, tuple(labels[-4:])) if path else None
            text = el.tail
        if text:
            link_ended = False
            # White space that would start a block's text is left out (its text is collapsed), but
            # in <pre>, where it indents the first line.
            if parts or in_pre or not text.isspace():
                parts.append(text)
                if in_link:
                    link_chars += len(text.strip())
    if parts and owner is not None:
        _flush(blocks, parts, owner, link_chars, links)
    return blocks


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
    # One pass over the page's meta and script elements, in document order.
    og: list[str] = []
    types: set[str] = set()
    scripts = []
    for el in tree.iter("meta", "script"):
        if el.tag == "meta":
            content = el.get("content")
            if content is not None:
                kind = el.get("property")
                if kind == "og:title":
                    og.append(content)
                elif kind == "og:type":
                    types.add(content.strip().lower())
        elif el.get("type") == "application/ld+json":
            scripts.append(el)
    og_title = " ".join(og[0].split()) if og else ""
    ld_texts: list[str] = []
    for script in scripts:
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
