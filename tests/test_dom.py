"""The DOM walk: an HTML page into text blocks with their facts (cleaner/io/dom.py)."""

from __future__ import annotations

from cleaner.io.dom import FAMILIES, dom_blocks, name_bits, parse


def blocks(html: str):
    return dom_blocks(parse(html)).blocks


PAGE = """<html><head><title>Harbour reopens | Daily</title>
<meta property="og:title" content="Harbour reopens after two years">
<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "The harbour reopened on Monday."}</script>
<style>p { color: red }</style></head>
<body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>
<main><article class="post-content">
<h1>Harbour reopens</h1>
<p>The harbour reopened on <b>Monday</b> after two years of <a href="/r">repairs</a>.</p>
<div>Loose text of a div<p>with a paragraph inside</p>and its tail.</div>
<pre>line one
  line two</pre>
<table><tr><td>Ships</td><td>12</td></tr><tr><td>Crews</td><td>40</td></tr></table>
<script>var hidden = "never text";</script>
</article>
<section id="comments"><p>Great news!</p></section>
<div style="display: none">Hidden offer</div>
</main>
<footer><p>&copy; 2025 Daily</p></footer>
</body></html>"""


def test_blocks_in_reading_order_without_scripts_or_styles():
    texts = [b.text for b in blocks(PAGE)]
    assert texts == [
        "Home", "News", "Harbour reopens", "The harbour reopened on Monday after two years of repairs.",
        "Loose text of a div", "with a paragraph inside", "and its tail.", "line one\n  line two",
        "Ships 12", "Crews 40", "Great news!", "Hidden offer", "© 2025 Daily",
    ]
    assert not any("never text" in t or "color" in t for t in texts)


def test_what_noscript_holds_is_read_when_it_is_the_page_s_text():
    # A page its scripts build that serves its posts to readers without them (as forum
    # software does) is read from its <noscript>, without the styles inside.
    served = ('<html><body><div id="app">Loading</div><noscript><style>p { margin: 0 }</style>'
              '<div class="post"><p>First post of the thread.</p><p>A reply to it.</p></div></noscript></body></html>')
    assert [b.text for b in blocks(served)] == ["Loading", "First post of the thread.", "A reply to it."]
    # A message to readers without scripts, beside the page's own text, is not read; nor are
    # the words of a comment in it counted (in a tree parsed with its comments kept).
    from lxml import html as lxml_html

    message = ('<html><body><article><p>The harbour reopened on Monday after two years.</p></article>'
               '<noscript><!-- the tag manager of the site, loaded for readers without scripts, as its '
               'vendor asks --><p>Please enable JavaScript.</p></noscript></body></html>')
    assert [b.text for b in blocks(message)] == ["The harbour reopened on Monday after two years."]
    assert [b.text for b in dom_blocks(lxml_html.document_fromstring(message)).blocks] == [
        "The harbour reopened on Monday after two years."]


def test_block_facts():
    by_text = {b.text: b for b in blocks(PAGE)}
    home = by_text["Home"]
    assert home.tag == "li" and home.has("nav") and home.has("header") and home.link_share == 1.0
    para = by_text["The harbour reopened on Monday after two years of repairs."]
    assert para.has("article") and para.has("content") and not para.has("nav")
    assert 0 < para.link_share < 0.2 and para.links == 1
    assert by_text["Great news!"].has("comment")
    assert by_text["Hidden offer"].hidden and not para.hidden
    assert by_text["© 2025 Daily"].has("footer")
    assert by_text["Ships 12"].tag == "tr" and by_text["Ships 12"].has("table")
    assert by_text["line one\n  line two"].tag == "pre"
    # The tail of a nested block belongs to the block around it, with its path.
    tail = by_text["and its tail."]
    assert tail.tag == "div" and tail.path == by_text["Loose text of a div"].path
    assert by_text["with a paragraph inside"].path[:-1] == tail.path
    assert "article.post-content" in para.dom_path


def test_head_signals():
    page = dom_blocks(parse(PAGE))
    assert page.title == "Harbour reopens | Daily"
    assert page.og_title == "Harbour reopens after two years"
    assert page.ld_texts == ["The harbour reopened on Monday."]
    assert page.kinds == {"article"}


def test_links_side_by_side_are_words_apart():
    html = '<html><body><footer><a href="/p">Privacy Notice</a><a href="/t">Terms</a></footer></body></html>'
    assert [b.text for b in blocks(html)] == ["Privacy Notice Terms"]


def test_name_families_match_whole_words_or_long_prefixes():
    def families(names):
        return {f for i, f in enumerate(FAMILIES) if name_bits(names) >> i & 1}

    assert families("commentBox") == {"named_comment"}
    assert families("commentList") == {"named_comment", "named_card"}
    assert families("ad-slot") == {"named_promo"}
    assert families("shadow address headerless") == {"named_header"}   # "header" starts a part
    assert families("x") == set()


def test_pages_without_body_or_text_and_broken_json_ld():
    assert blocks("<html><body></body></html>") == []
    assert dom_blocks(None).blocks == []
    page = dom_blocks(parse('<html><head><script type="application/ld+json">{bad</script></head>'
                            "<body><p>Only text.</p></body></html>"))
    assert [b.text for b in page.blocks] == ["Only text."] and page.ld_texts == []


def test_deep_nesting_walks_without_recursion():
    html = "<html><body>" + "<div>" * 250 + "<p>Deep text.</p>" + "</div>" * 250 + "</body></html>"
    assert [b.text for b in blocks(html)] == ["Deep text."]


# The walk as written, one element at a time: the blocks a plain recursive reading of the
# tree gives, which the one-pass walk must give on any page.

def _plain_blocks(tree):
    from cleaner.io.dom import _noscript_words

    blocks = _plain_walk(tree)
    root = tree.find("body") if tree.find("body") is not None else tree
    served = _noscript_words(root)
    return _plain_walk(tree, noscript=True) if served and served > sum(len(b.text.split()) for b in blocks) else blocks


def _plain_walk(tree, noscript=False):
    from cleaner.io.dom import _BIT, _CELLS, _DISPLAY_NONE, _NAMED, _TAG_BIT, BLOCK_TAGS, SKIPPED, Block

    body = tree.find("body")
    root = body if body is not None else tree
    blocks: list[Block] = []
    state = {"parts": [], "link_chars": 0, "links": 0, "link_ended": False, "owner": None, "seen": 0}

    def flush():
        if state["owner"] is not None and state["parts"]:
            tag, bits, path, labels = state["owner"]
            raw = "".join(state["parts"])
            if tag == "pre":
                text = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n"))
            else:
                text = " ".join(raw.split())
            if text.strip():
                blocks.append(Block(text, tag, bits, len(path), path, state["link_chars"], state["links"],
                                    bool(bits & _BIT["named_hidden"]), " > ".join(labels[-4:])))
        state.update(parts=[], link_chars=0, links=0)

    def add(text, in_link):
        if text:
            state["parts"].append(text)
            state["link_ended"] = False
            if in_link:
                state["link_chars"] += len(text.strip())

    def own_bits(el, tag):
        bits = _TAG_BIT.get(tag, 0)
        names = "".join(" " + value for key, value in el.items() if key in _NAMED)
        if el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
                _DISPLAY_NONE.search(el.get("style") or ""):
            bits |= _BIT["named_hidden"]
        return bits | (name_bits(names) if names else 0)

    def is_block(el, tag):
        if tag not in BLOCK_TAGS:
            return False
        return tag not in _CELLS or any(isinstance(d.tag, str) and d.tag.lower() in BLOCK_TAGS
                                        for d in el.iterdescendants())

    def visit(el, parent_bits, path, labels, block_tag, in_link, in_pre):
        tag = el.tag.lower()
        bits = parent_bits | own_bits(el, tag)
        block = is_block(el, tag)
        if block:
            flush()
            state["seen"] += 1
            path = (*path, state["seen"])
            label = tag + (f"#{el.get('id')}" if el.get("id") else "")
            label += "".join(f".{c}" for c in (el.get("class") or "").split()[:2])
            labels = [*labels, label]
            block_tag = tag
            state["owner"] = (tag, bits, path, labels)
        elif tag == "br":
            add("\n" if in_pre else " ", in_link)
        elif tag in _CELLS:
            add(" \t ", in_link)
        if tag == "a":
            in_link += 1
            if state["link_ended"] and state["parts"] and state["parts"][-1][-1:].isalnum():
                state["parts"].append(" ")
            state["links"] += 1
        in_pre += tag == "pre"
        add(el.text, in_link)
        for child in el:
            if isinstance(child.tag, str) and (child.tag.lower() not in SKIPPED or noscript and child.tag.lower() == "noscript"):
                child_block = visit(child, bits, path, labels, block_tag, in_link, in_pre)
                if child.tag.lower() == "a":
                    state["link_ended"] = True
                if child_block:  # back in this element: its block's text goes on
                    flush()
                    state["owner"] = (block_tag, bits, path, labels) if path else None
            add(child.tail, in_link)
        return block

    if isinstance(root.tag, str) and root.tag.lower() not in SKIPPED:
        if visit(root, 0, (), [], "body", 0, 0):
            flush()
            state["owner"] = None
        add(root.tail, 0)
        flush()
    return blocks


TRICKY = [
    PAGE,
    # a block inside an inline element with a class: the tail after it reads the inline's families
    '<html><body><div class="main"><span class="comment-box">before<p>inside</p>after</span>end</div></body></html>',
    # links side by side, across a nested block, and links holding blocks
    '<html><body><p><a href="#">One</a><a href="#">Two</a><a>Three<div>Four</div></a>Five</p></body></html>',
    # pre with br, nested inline code, and trailing spaces on its lines
    '<html><body><pre>a  <br>b<code>c\n  d   </code>\n\n</pre><p>x<br>y</p></body></html>',
    # cells with and without blocks, a caption, a comment and script tails
    '<html><body><table><caption>Cap</caption><tr><td>a</td><th>b<p>c</p>d</th></tr></table>'
    '<div>x<!-- note -->y<script>s</script>z<noscript>n</noscript>w</div></body></html>',
    # hidden markers, role and itemprop names, deep paths over four labels
    '<html><body><div id="a"><section class="b c d"><article role="main"><div itemprop="articleBody">'
    '<div style="display:none"><p>hidden</p></div><p aria-hidden="true">aria</p><p hidden>attr</p>'
    '<p>shown</p></div></article></section></div></body></html>',
]


def _random_page(rng) -> str:
    tags = ["div", "p", "span", "a", "b", "li", "ul", "table", "tr", "td", "th", "pre", "br", "h2", "section",
            "nav", "script", "noscript", "em", "code", "aside", "footer", "blockquote", "dd"]
    names = ["comment", "postBody", "share-bar", "ad", "shadow", "nav", "sidebarLeft", "x1", "Über", "related-posts"]
    texts = ["", " ", "\n", "word", " two words ", "Zürich\n", "a\u00a0b", "end."]

    def element(depth):
        tag = rng.choice(tags)
        attrs = ""
        if rng.random() < 0.4:
            attrs += f' class="{rng.choice(names)} {rng.choice(names)}"'
        if rng.random() < 0.15:
            attrs += f' id="{rng.choice(names)}"'
        if rng.random() < 0.05:
            attrs += rng.choice([' hidden', ' aria-hidden="true"', ' style="display: none"'])
        if tag == "br":
            return f"<br{attrs}>" + rng.choice(texts)
        inner = rng.choice(texts)
        if depth < 6:
            for _ in range(rng.randint(0, 4)):
                inner += element(depth + 1) if rng.random() < 0.8 else "<!-- c -->"
                inner += rng.choice(texts)
        return f"<{tag}{attrs}>{inner}</{tag}>" + rng.choice(texts)

    return "<html><head><title>t</title></head><body>" + "".join(element(0) for _ in range(3)) + "</body></html>"


def test_the_walk_gives_the_blocks_of_a_plain_reading_on_tricky_pages():
    from lxml import html as lxml_html

    trees = [parse(html) for html in TRICKY]
    trees.append(lxml_html.fragment_fromstring('<div>zero<p>one</p>two</div>'))  # no body element
    for tree in trees:
        assert dom_blocks(tree).blocks == _plain_blocks(tree)
        assert dom_blocks(tree).blocks


def test_the_walk_gives_the_blocks_of_a_plain_reading_on_random_pages():
    import random

    rng = random.Random(17)
    for _ in range(300):
        html = _random_page(rng)
        tree = parse(html)
        assert dom_blocks(tree).blocks == _plain_blocks(tree), html


def test_name_families_as_the_words_of_the_families_say():
    import random
    import re

    from cleaner.io.dom import _WORD_FAMILY

    # A family word starts a part (split at anything not a letter or digit, and at
    # lower-to-upper changes); one of four letters or more may run on, a shorter one may not.
    pattern = re.compile(r"(?<![a-z0-9])(?:(%s)|(%s)(?![a-z0-9]))" % (
        "|".join(sorted((w for w in _WORD_FAMILY if len(w) >= 4), key=len, reverse=True)),
        "|".join(sorted((w for w in _WORD_FAMILY if len(w) < 4), key=len, reverse=True))))

    def expected(names):
        bits = 0
        for match in pattern.finditer(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", names).lower()):
            bits |= _WORD_FAMILY[match.group(1) or match.group(2)]
        return bits

    rng = random.Random(3)
    words = [*_WORD_FAMILY, "x", "9", "Box", "LEFT", "é", "İ", "_", "-", " ", "\u00a0", "ad"]
    for _ in range(3000):
        names = "".join(rng.choice(words).capitalize() if rng.random() < 0.3 else rng.choice(words)
                        for _ in range(rng.randint(1, 5)))
        assert name_bits(names) == expected(names), names


def test_head_signals_read_every_meta_and_script_in_document_order():
    html = """<html><head><title> Harbour
    reopens </title><meta property="og:title"><meta property="og:title" content=" First  title ">
    <meta property="og:title" content="Second title"><meta name="og:type" content="product">
    <script type="application/ld+json">{"@type": "Product", "description": "One."}</script>
    <script>var x = {"description": "never"};</script></head>
    <body><p>Text.</p><meta property="og:type" content=" Article ">
    <script type="application/ld+json">[{"articleBody": "Two."}, {"@type": ["QAPage"]}]</script></body></html>"""
    tree = parse(html)
    page = dom_blocks(tree)
    assert page.title == "Harbour reopens" and page.og_title == "First title"
    assert page.ld_texts == ["One.", "Two."]
    assert page.kinds == {"article", "product", "forum"}
    # as the XPath queries read them
    assert [str(c) for c in tree.xpath('//meta[@property="og:title"]/@content')][0].split() == ["First", "title"]
    assert len(tree.xpath('//script[@type="application/ld+json"]')) == 2


def test_tag_facts_are_the_tags_kind_and_family_bit_in_lower_case():
    from lxml import etree

    from cleaner.io.dom import _IS_SKIPPED, _TAG_BIT, _TAG_KIND, _tag_facts

    for tag in ["div", "DIV", "Pre", "a", "td", "script", "span", "my-widget", "NAV", "h2"]:
        assert _tag_facts(tag) == (tag.lower(), _TAG_KIND.get(tag.lower(), 0), _TAG_BIT.get(tag.lower(), 0))
    for tag in (etree.Comment, etree.ProcessingInstruction, etree.Entity):
        assert _tag_facts(tag)[1] == _IS_SKIPPED


def test_upper_case_tags_read_as_in_lower_case():
    from lxml import html as lxml_html

    tree = lxml_html.fromstring("<html><body><div>a<P>b</P>c</div></body></html>")
    tree.find("body/div").tag = "DIV"  # (the HTML parser gives lower case; a tree built otherwise may not)
    page = dom_blocks(tree)
    assert [(b.tag, b.text) for b in page.blocks] == [("div", "a"), ("p", "b"), ("div", "c")]
    assert page.blocks == _plain_blocks(tree)


def test_pages_parse_to_the_tree_trafilatura_parses_with_plain_elements():
    # parse() mirrors trafilatura's load_html (repairs, bytes, rejection) with elements looked
    # up in C: the same tree, and no per-element class (a form's input is a plain element).
    import random

    from lxml import etree
    from lxml.html import HtmlElement
    from trafilatura.utils import load_html

    rng = random.Random(5)
    pages = [PAGE, *TRICKY, *(_random_page(rng) for _ in range(50)), "", "plain text, no markup", "<p>a fragment</p>",
             '<?xml version="1.0" encoding="utf-8"?><html><body><p>Déjà vu</p></body></html>',
             "<!DOCTYPE html>\n<html><body><p>a</p></body></html>", "<html/>\n<body><p>b</p></body>",
             "<html><body><form><label>Name</label><input name=q><select><option>x</option></select></form></body></html>"]
    for html in pages:
        ours, theirs = parse(html), load_html(html)
        assert (ours is None) == (theirs is None), html
        if ours is not None:
            assert etree.tostring(ours) == etree.tostring(theirs), html
            assert {type(element) for element in ours.iter()} == {HtmlElement}, html


def test_pages_parsed_in_threads_at_once_parse_as_one_by_one():
    # Each thread parses with a parser of its own (an lxml parser is not for two at once).
    import random
    from concurrent.futures import ThreadPoolExecutor

    from lxml import etree

    rng = random.Random(11)
    pages = [_random_page(rng) for _ in range(200)]
    alone = [etree.tostring(parse(html)) for html in pages]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda html: etree.tostring(parse(html)), pages))
    assert together == alone
