"""The block model's features: the line model's features of each block's text, and its DOM facts.

An HTML page walked into blocks (:mod:`cleaner.io.dom`) is laid out as a text, one block a
line, one line a paragraph. That text gets the line model's features
(:func:`cleaner.model.features.line_features`: the block's words, punctuation, neighbours,
place, the named rules' hits), and beside them what the markup says: the families of tags and
class names the block lies in, its own tag, link share, depth and distance in the tree from the
page's main block, how many siblings share its parent, whether trafilatura's extraction and the
page's JSON-LD body hold its text, and how like the page's title it is; and the same facts
summed over its ancestors and over its peers, the blocks of its shape (a listing's items).

>>> from cleaner.io.dom import dom_blocks, parse
>>> page = dom_blocks(parse('<html><body><ul><li><a href="/">Home</a></li></ul>'
...                         '<p>The harbour reopened on Monday after two years of repairs.</p></body></html>'))
>>> x = dom_features(page, "The harbour reopened on Monday after two years of repairs.")
>>> x.shape == (2, len(DOM_FEATURES))
True
>>> [float(v) for v in x[:, DOM_FEATURES.index("extracted")]]
[0.0, 1.0]
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Sequence

import numpy as np

from cleaner.io.dom import FAMILIES, PAGE_KINDS, Page
from cleaner.model.features import _window_mean
from cleaner.model.score import tokens

# The block element's own tag, one column per group.
OWN_TAGS: dict[str, tuple[str, ...]] = {
    "p": ("p",), "div": ("div", "section", "article", "main", "body", "html", "center"),
    "li": ("li",), "h1": ("h1",), "h2": ("h2",), "h3": ("h3",), "h4": ("h4", "h5", "h6"),
    "pre": ("pre",), "row": ("tr", "td", "th", "table", "tbody", "thead", "tfoot", "caption"),
    "quote": ("blockquote",), "def": ("dd", "dt", "dl"), "caption": ("figcaption", "figure"),
    "chrome": ("nav", "header", "footer", "aside", "form", "fieldset", "legend", "address", "menu"),
}
_OWN_TAG_INDEX = {tag: i for i, group in enumerate(OWN_TAGS.values()) for tag in group}
NGRAM = 3
# The ancestors (this many levels above the block element) whose blocks are summed up: what
# share of their words trafilatura extracted, how many words and blocks they hold, their link share.
_UP = (1, 2, 3, 5)

DOM_FEATURES: tuple[str, ...] = (
    *FAMILIES, *(f"tag_{name}" for name in OWN_TAGS), "tag_other",
    "depth", "depth_to_main", "main_to_common", "in_main_parent", "log_siblings", "sibling_same_tag",
    "link_share", "log_links", "links_per_word", "hidden",
    "extracted", "extracted_w1", "extracted_w3", "extracted_exact", "ld_body", "like_title",
    "page_extracted_share", "page_extracted_empty", "page_log_blocks", "page_has_ld",
    "from_title_block", "after_title_block", *(f"page_says_{kind}" for kind in PAGE_KINDS),
    *(f"{name}_up{d}" for d in _UP for name in ("extracted", "log_words", "link_share", "log_blocks", "words_share")),
    "peers_extracted", "log_peers", "peers_words_share", "peers_link_share", "log_peer_parents",
)
# The DOM facts the second pass reads beside the scores.
CARRIED = ("extracted", "extracted_w3", "link_share", "in_main_parent", "depth_to_main")


_CODES_FIT = 2 ** 63


def _covers(toks: Sequence[Sequence[str]], texts: Sequence[Sequence[str]]) -> np.ndarray:
    """For each block's tokens, the share found in the texts (token lists): inside a run of
    :data:`NGRAM` tokens of one of them, or, for a block shorter than that, as words of them.
    All the page's blocks at once: each token a number, each run of them a code.

    >>> [float(c) for c in _covers(["a b c d e".split(), ["x", "b"], ["b", "c", "x"], []], ["q b c d".split()])]
    [0.6, 0.5, 0.0, 0.0]
    """
    n = len(toks)
    # Each token a number: the place of its first occurrence in the texts' tokens followed by
    # the blocks' (a dict built from the end keeps each token's first place), so that a token
    # is a word of the texts when its number is under the texts' length.
    every = [*chain.from_iterable(texts), *chain.from_iterable(toks)]
    size = max(len(every), 1)
    first = dict(zip(reversed(every), range(len(every) - 1, -1, -1)))
    numbers = np.fromiter(map(first.__getitem__, every), dtype=np.int64, count=len(every))
    words = len(every) - sum(map(len, toks))
    # Codes fit 64 bits up to two million tokens; past that they are Python integers.
    dtype = np.int64 if size ** NGRAM < _CODES_FIT else object

    def codes(seq: np.ndarray) -> np.ndarray:  # one code per run of NGRAM numbers
        runs = max(len(seq) - NGRAM + 1, 0)
        code = np.zeros(runs, dtype=dtype)
        seq = seq.astype(dtype, copy=False)
        for k in range(NGRAM):
            code = code * size + seq[k:k + runs]
        return code

    text_ends = np.cumsum([len(text) for text in texts], dtype=np.int64)
    found = np.concatenate([codes(numbers[end - len(text):end]) for text, end in zip(texts, text_ends.tolist())]
                           or [np.zeros(0, dtype=dtype)])
    found.sort()
    lengths = np.array([len(t) for t in toks], dtype=np.int64)
    flat = numbers[words:]
    ends = np.repeat(np.cumsum(lengths), lengths)  # where each token's block ends
    covered = np.zeros(len(flat), dtype=bool)
    # Blocks of NGRAM tokens or more: a token is covered by a run it lies in that the texts hold
    # (looked up in the texts' codes, sorted).
    run = codes(flat)
    if len(run) and len(found):
        held = found[np.minimum(np.searchsorted(found, run), len(found) - 1)] == run
        hit = (np.arange(len(run)) + NGRAM <= ends[:len(run)]) & held
        for k in range(NGRAM):
            covered[k:k + len(run)] |= hit
    # Shorter blocks: a token is covered when it is a word of the texts.
    short = np.repeat(lengths < NGRAM, lengths)
    covered[short] = flat[short] < words
    out = np.zeros(n)
    some = lengths > 0
    if some.any():
        out[some] = np.add.reduceat(covered.astype(np.int64), (np.cumsum(lengths) - lengths)[some]) / lengths[some]
    return out


# The second pass's tree context: the word-weighted mean and the highest first-pass score of the
# blocks under each block's ancestor this many levels up, and the mean of its peers'.
_GROUP_UP = (1, 2, 3)
TREE_CONTEXT: tuple[str, ...] = (*(f"{name}_up{d}" for d in _GROUP_UP for name in ("score_mean", "score_max")),
                                 "score_peers", "log_peers", "peers_words_share")
# What differs between blocks of one shape: ids, and digits ("card c1", "card c2").
_NOT_SHAPE = re.compile(r"#[^.>\s]*|\d+")


def shapes(page: Page) -> np.ndarray:
    """A number per block for its shape: the tags and class names of the block and its three
    block ancestors, and its own tag whole (an h2 is not an h3). Blocks of one shape are peers:
    a listing's items, a thread's posts, a menu's links, wherever they lie on the page.
    Numbered from 0 in order of appearance; computed once a page (the array is shared)."""
    found = page.memo.get("shapes")
    if found is None:
        numbers: dict[tuple[str, str], int] = {}
        found = page.memo["shapes"] = np.array(
            [numbers.setdefault((_shape(b.dom_path), b.tag), len(numbers)) for b in page.blocks], dtype=np.int64)
        found.flags.writeable = False
    return found


@lru_cache(maxsize=16384)
def _shape(dom_path: str) -> str:
    return _NOT_SHAPE.sub("", dom_path)


def ancestors(page: Page) -> np.ndarray:
    """Each block's path (:attr:`cleaner.io.dom.Block.path`) as a row, right-aligned: column
    ``-1 - d`` holds its block ancestor ``d`` levels up (``-1``: the block element itself), 0
    past the root (block numbers start at 1). A number stands for one element wherever it is.
    Computed once a page (the array is shared)."""
    found = page.memo.get("ancestors")
    if found is None:
        paths = [b.path for b in page.blocks]
        lengths = np.fromiter(map(len, paths), dtype=np.intp, count=len(paths))
        deepest = int(lengths.max()) if len(paths) else 0
        found = page.memo["ancestors"] = np.zeros((len(paths), deepest), dtype=np.int64)
        # The numbers of all the paths, one after the other, into each row's last places (a mask
        # fills its places row by row, left to right).
        found[np.arange(deepest) >= (deepest - lengths)[:, None]] = np.fromiter(
            chain.from_iterable(paths), dtype=np.int64, count=int(lengths.sum()))
        found.flags.writeable = False
    return found


def _up(rows: np.ndarray, d: int) -> np.ndarray:
    """The column of :func:`ancestors` ``d`` levels above the block (0 past the root)."""
    return rows[:, -1 - d] if rows.shape[1] > d else np.zeros(rows.shape[0], dtype=np.int64)


def tree_groups(page: Page) -> np.ndarray:
    """For each block, the groups it belongs to (blocks x groups): its block ancestors
    :data:`_GROUP_UP` levels up (0 past the root), and its shape (:func:`shapes`)."""
    rows = ancestors(page)
    return np.column_stack([*(_up(rows, d) for d in _GROUP_UP), shapes(page)])


def tree_context(scores: np.ndarray, x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The columns of :data:`TREE_CONTEXT` from the first pass's ``scores``, the rows ``x``
    (for the blocks' words) and :func:`tree_groups`."""
    from cleaner.model.features import INDEX

    if len(scores) == 0:
        return np.zeros((0, len(TREE_CONTEXT)))
    words = np.expm1(x[:, INDEX["log_words"]]) + 1.0  # a block of no word counts too
    weighted = words * scores
    out = []
    for k in range(groups.shape[1]):
        group = groups[:, k]  # numbers from 0: a bin each (the bins of numbers no block has stay empty)
        total = np.bincount(group, weights=words)[group]
        mean = np.bincount(group, weights=weighted)[group] / total
        if k < len(_GROUP_UP):
            top = np.full(int(group.max()) + 1, -1.0)
            np.maximum.at(top, group, scores)
            out += [mean, top[group]]
        else:
            out += [mean, np.log(np.bincount(group)[group]), total / float(words.sum())]
    return np.column_stack(out)


def dom_features(page: Page, extracted: str) -> np.ndarray:
    """One row of :data:`DOM_FEATURES` per block of ``page``; ``extracted`` is trafilatura's
    main text of the same page (empty when it found none)."""
    blocks = page.blocks
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(DOM_FEATURES)))
    texts = [b.text for b in blocks]
    known = {text: tokens(text) for text in dict.fromkeys(texts)}  # menus repeat their blocks
    toks = list(map(known.__getitem__, texts))
    words = np.fromiter(map(len, toks), dtype=np.float64, count=n)

    def column(name: str) -> np.ndarray:  # a number of each block's, as floats
        return np.fromiter(map(attrgetter(name), blocks), dtype=np.float64, count=n)

    bits = np.fromiter(map(attrgetter("bits"), blocks), dtype=np.int64, count=n)
    families = ((bits[:, None] >> np.arange(len(FAMILIES))) & 1).astype(np.float64)
    own = np.zeros((n, len(OWN_TAGS) + 1))
    own[np.arange(n), [_OWN_TAG_INDEX.get(b.tag, len(OWN_TAGS)) for b in blocks]] = 1.0

    extracted_tokens = tokens(extracted)
    in_extracted = _covers(toks, [extracted_tokens])
    lines = {" ".join(line.split()) for line in extracted.splitlines()}
    exact = np.fromiter(map(lines.__contains__, texts), dtype=np.float64, count=n)
    ld_tokens = [tokens(text) for text in page.ld_texts]
    has_ld = any(len(t) >= NGRAM for t in ld_tokens)  # a JSON-LD body of one run of NGRAM words at least
    ld = _covers(toks, ld_tokens) if has_ld else np.zeros(n)
    titles = [title for title in {frozenset(tokens(page.title)), frozenset(tokens(page.og_title))} if title]
    like_title = _likeness(toks, titles)

    # The page's main block: the one with most words that the extraction holds (or most words).
    weight = words * (0.2 + in_extracted)
    main = int(np.argmax(weight))
    main_path = blocks[main].path
    rows = ancestors(page)
    depth = column("depth")
    # How many outer ancestors each block shares with the main block: how many numbers of the
    # main block's path its own path holds (a path holding an element holds those above it).
    on_main_path = np.zeros(int(rows.max()) + 1, dtype=bool)  # by block number (0, past the root, is on none)
    on_main_path[list(main_path)] = True
    common = on_main_path[rows].sum(axis=1).astype(np.float64)
    in_main_parent = (common >= len(main_path) - 1).astype(np.float64)
    parents = _up(rows, 1)
    tag_numbers: dict[str, int] = {}
    tags = np.array([tag_numbers.setdefault(b.tag, len(tag_numbers)) for b in blocks], dtype=np.int64)
    siblings = _group_sizes(parents)
    log_siblings = np.log1p(siblings)
    sibling_same = _group_sizes(parents * len(tag_numbers) + tags) / siblings

    chars = np.fromiter(map(len, texts), dtype=np.float64, count=n)
    link_chars = column("link_chars")
    link_share = np.where(chars > 0, np.minimum(link_chars / np.maximum(chars, 1.0), 1.0), 0.0)
    links = column("links")
    hidden = column("hidden")
    total = max(float(words.sum()), 1.0)
    page_figures = np.array([min(len(extracted_tokens) / total, 2.0), float(not extracted_tokens),
                             np.log1p(n), float(has_ld)])
    extracted_column = in_extracted[:, None]
    title_block = headline_block(like_title)
    index = np.arange(n, dtype=np.float64)
    title_columns = [(index - title_block) / n if title_block >= 0 else np.ones(n),
                     index >= title_block if title_block >= 0 else np.zeros(n)]
    up = []
    for d in _UP:
        group = _up(rows, d)
        group_words = np.bincount(group, weights=words)
        group_extracted = np.bincount(group, weights=words * in_extracted)
        group_chars = np.bincount(group, weights=chars)
        group_links = np.bincount(group, weights=link_chars)
        group_blocks = np.bincount(group).astype(np.float64)
        up += [group_extracted[group] / np.maximum(group_words[group], 1.0), np.log1p(group_words[group]),
               group_links[group] / np.maximum(group_chars[group], 1.0), np.log1p(group_blocks[group]),
               group_words[group] / total]
    # The block's peers (its shape): what share of their words trafilatura extracted, how many
    # they are, their words' share of the page, their link share, under how many parents.
    group = shapes(page)  # numbered from 0 in order of appearance
    group_words = np.bincount(group, weights=words)
    parent_span = int(parents.max()) + 1
    group_parents = np.bincount(np.unique(group * parent_span + parents) // parent_span)
    up += [np.bincount(group, weights=words * in_extracted)[group] / np.maximum(group_words[group], 1.0),
           np.log(np.bincount(group)[group]), group_words[group] / total,
           np.bincount(group, weights=link_chars)[group] / np.maximum(np.bincount(group, weights=chars)[group], 1.0),
           np.log(group_parents[group])]
    return np.column_stack([
        families, own,
        depth, depth - common, len(main_path) - common, in_main_parent, log_siblings, sibling_same,
        link_share, np.log1p(links), links / np.maximum(words, 1.0), hidden,
        in_extracted, _window_mean(extracted_column, 1)[:, 0], _window_mean(extracted_column, 3)[:, 0], exact, ld,
        like_title, np.broadcast_to(page_figures, (n, len(page_figures))),
        *title_columns, np.broadcast_to([float(kind in page.kinds) for kind in PAGE_KINDS], (n, len(PAGE_KINDS))), *up,
    ])


def _group_sizes(keys: np.ndarray) -> np.ndarray:
    """For each entry, how many entries share its key (as floats); keys are numbers from 0."""
    return np.bincount(keys)[keys].astype(np.float64)


def headline_block(like_title: np.ndarray) -> int:
    """The page's headline: the block most like its title (the first of equals), where the
    article starts on most pages; -1 where no block shares half its words with a title.

    >>> headline_block(np.array([0.2, 0.9, 0.9])), headline_block(np.array([0.3, 0.4])), headline_block(np.zeros(0))
    (1, -1, -1)
    """
    return int(np.argmax(like_title)) if len(like_title) and like_title.max() >= 0.5 else -1


def _likeness(toks: Sequence[Sequence[str]], titles: Sequence[frozenset[str]]) -> np.ndarray:
    """For each block's tokens, the highest Jaccard similarity of their set with one of the
    titles' sets of tokens (0 for a block of no token, and without titles).

    >>> [float(v) for v in _likeness([["a", "b", "a"], ["c"], []], [frozenset("ab"), frozenset("bc")])]
    [1.0, 0.5, 0.0]
    """
    n = len(toks)
    best = np.zeros(n)
    if not titles:
        return best
    distinct = np.fromiter(map(len, map(set, toks)), dtype=np.float64, count=n)
    some = distinct > 0
    for title in titles:
        shared = np.fromiter(map(len, map(title.intersection, toks)), dtype=np.float64, count=n)
        likeness = np.zeros(n)
        likeness[some] = shared[some] / (distinct[some] + len(title) - shared[some])  # shared over union
        best = np.maximum(best, likeness)
    return best


def carried(x_dom: np.ndarray) -> np.ndarray:
    """The columns of :data:`CARRIED` (the second pass reads them beside the scores)."""
    return x_dom[:, [DOM_FEATURES.index(name) for name in CARRIED]]


# What the page model reads to choose between the blocks kept and trafilatura's extraction.
PAGE_FEATURES: tuple[str, ...] = (
    "log_kept_words", "log_extracted_words", "kept_to_extracted", "kept_in_extracted", "extracted_in_kept",
    "kept_words_share", "log_blocks", "kept_blocks_share", "mean_kept_score", "mean_score", "uncertain_share",
    "kept_link_share", "log_kept_parents", "log_kept_runs", "extracted_empty", "has_ld", "title_found",
)


def page_features(page: Page, x: np.ndarray, scores: np.ndarray, keep: np.ndarray, width: int) -> np.ndarray:
    """One row of :data:`PAGE_FEATURES`: how the blocks the model keeps (``keep``, from
    ``scores``) compare with trafilatura's extraction; ``x`` the blocks' rows, whose DOM
    features start at column ``width``."""
    from cleaner.model.features import INDEX

    dom = x[:, width:]
    words = np.expm1(x[:, INDEX["log_words"]])
    cover = dom[:, DOM_FEATURES.index("extracted")]
    kept = keep.astype(np.float64)
    kept_words = float((words * kept).sum())
    extracted_words = float((words * cover).sum())
    both = float((words * cover * kept).sum())
    total = max(float(words.sum()), 1.0)
    link_chars = sum(b.link_chars for b, k in zip(page.blocks, keep.tolist()) if k)
    kept_chars = sum(len(b.text) for b, k in zip(page.blocks, keep.tolist()) if k)
    parents = {b.path[-2] if len(b.path) > 1 else 0 for b, k in zip(page.blocks, keep.tolist()) if k}
    runs = int(keep[0]) + int(np.count_nonzero(keep[1:] & ~keep[:-1])) if len(keep) else 0
    return np.array([[
        np.log1p(kept_words), np.log1p(extracted_words), np.log1p(kept_words) - np.log1p(extracted_words),
        both / max(kept_words, 1.0), both / max(extracted_words, 1.0), kept_words / total,
        np.log1p(len(keep)), float(kept.mean()) if len(keep) else 0.0,
        float(scores[keep].mean()) if keep.any() else 0.0, float(scores.mean()) if len(scores) else 0.0,
        float(((scores > 0.2) & (scores < 0.8)).mean()) if len(scores) else 0.0,
        link_chars / max(kept_chars, 1), np.log1p(len(parents)), np.log1p(runs),
        dom[0, DOM_FEATURES.index("page_extracted_empty")], dom[0, DOM_FEATURES.index("page_has_ld")],
        float(dom[:, DOM_FEATURES.index("after_title_block")].any()),
    ]])
