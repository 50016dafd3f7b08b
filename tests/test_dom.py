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
