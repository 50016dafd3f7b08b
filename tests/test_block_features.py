"""The block model's features as written: the fast paths give what the plain definitions give."""

from __future__ import annotations

import random

import numpy as np
import pytest

from cleaner.model import score
from cleaner.model.block_features import NGRAM, _covers


def _regex_tokens(text: str) -> list[str]:
    return score._TOKEN.findall(text.lower())


def test_tokens_are_the_token_patterns_for_every_character():
    # Every character of the Basic Multilingual Plane and a sample beyond, alone, inside a word
    # and beside characters already sorted: re's fast path must never change a token.
    points = [*range(0x10000), *range(0x10000, 0x110000, 97)]
    for start in range(0, len(points), 512):
        chars = [chr(c) for c in points[start:start + 512] if not 0xD800 <= c < 0xE000]
        for char in chars:
            text = f"ab{char}cd {char} Zürich{char}"
            assert score.tokens(text) == _regex_tokens(text), hex(ord(char))
        text = "".join(chars)
        assert score.tokens(text) == _regex_tokens(text)


@pytest.mark.parametrize("text", ["Harbour_2 reopens, 25%", "港が再開 Zürich", "x² ¹ ŞEHİR İstanbul", "", "ÀÉÎ ñ 42"])
def test_tokens_of_mixed_texts(text):
    assert score.tokens(text) == _regex_tokens(text)


def _cover_one_by_one(toks, texts):
    """A block's share of tokens found in the texts, as the feature is defined."""
    grams = {tuple(t[i:i + NGRAM]) for t in texts for i in range(len(t) - NGRAM + 1)}
    words = {w for t in texts for w in t}
    if not toks:
        return 0.0
    if len(toks) < NGRAM:
        return sum(t in words for t in toks) / len(toks)
    covered = [False] * len(toks)
    for i in range(len(toks) - NGRAM + 1):
        if tuple(toks[i:i + NGRAM]) in grams:
            covered[i:i + NGRAM] = [True] * NGRAM
    return sum(covered) / len(toks)


@pytest.mark.parametrize("seed", range(40))
def test_covers_of_all_blocks_at_once_are_each_blocks_cover(seed):
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(rng.choice([3, 8, 30]))]
    texts = [[rng.choice(vocab) for _ in range(rng.randint(0, 40))] for _ in range(rng.randint(0, 3))]
    blocks = [[rng.choice(vocab + ["zz", "yy"]) for _ in range(rng.choice([0, 1, 2, 3, 4, 7, 20]))]
              for _ in range(rng.randint(0, 25))]
    got = _covers(blocks, texts)
    assert got.shape == (len(blocks),)
    assert got.tolist() == [_cover_one_by_one(b, texts) for b in blocks]


def test_covers_edges():
    assert _covers([], [["a", "b", "c"]]).shape == (0,)
    assert _covers([["a", "b", "c"], ["a"]], []).tolist() == [0.0, 0.0]
    # Runs end at a block's edge: two blocks side by side are not one run.
    assert _covers([["a", "b"], ["c", "d"]], [["b", "c", "d"]]).tolist() == [0.5, 1.0]
    assert _covers([["x", "a", "b"], ["c"]], [["a", "b", "c"]]).tolist() == [0.0, 1.0]
    assert np.array_equal(_covers([["a", "b", "c", "d"]], [["a", "b"], ["c", "d"]]), [0.0])


def test_covers_past_what_64_bit_codes_hold(monkeypatch):
    # Pages of more than two million distinct words code their runs with Python integers.
    from cleaner.model import block_features

    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(12)]
    texts = [[rng.choice(vocab) for _ in range(60)]]
    blocks = [[rng.choice(vocab) for _ in range(rng.choice([1, 2, 5, 9]))] for _ in range(30)]
    expected = [_cover_one_by_one(b, texts) for b in blocks]
    monkeypatch.setattr(block_features, "_CODES_FIT", 100)
    assert _covers(blocks, texts).tolist() == expected


# A listing: three item cards of one shape in two rows (their class names differ by a digit and
# their ids differ), then an article paragraph under another parent.
_LISTING = ('<html><body><div class="row"><div class="card c1" id="a1"><p class="name">Blue kettle</p></div>'
            '<div class="card c2" id="a2"><p class="name">Red kettle with a lid</p></div></div>'
            '<div class="row"><div class="card c3" id="a3"><p class="name">Green kettle</p></div></div>'
            '<section><p>The harbour reopened on Monday after two years of repairs.</p></section></body></html>')


def _listing():
    from cleaner.io.dom import dom_blocks, parse

    return dom_blocks(parse(_LISTING))


def test_blocks_of_one_shape_are_peers_whatever_their_ids_digits_and_parents():
    from cleaner.model.block_features import tree_groups

    page = _listing()
    groups = tree_groups(page)
    assert groups.shape == (4, 4)
    peers = groups[:, -1]
    assert peers[0] == peers[1] == peers[2] != peers[3]
    # Parents: the first two cards' paragraphs have different parents (their cards), and the
    # cards of one row share the row two levels up.
    assert groups[0, 0] != groups[1, 0] and groups[0, 1] == groups[1, 1] != groups[2, 1]


def test_the_peers_dom_facts_sum_up_the_blocks_of_one_shape():
    from cleaner.model.block_features import DOM_FEATURES, dom_features

    x = dom_features(_listing(), "Red kettle with a lid")
    col = {name: x[:, DOM_FEATURES.index(name)] for name in
           ("peers_extracted", "log_peers", "peers_words_share", "log_peer_parents")}
    # The extraction holds the second card and "kettle" of the two-word ones: 7 of the cards' 9
    # words; three peers, each under a parent of its own; 9 words of the page's 19.
    assert col["peers_extracted"].tolist() == pytest.approx([7 / 9] * 3 + [0.0])
    assert col["log_peers"].tolist() == pytest.approx([np.log(3)] * 3 + [0.0])
    assert col["peers_words_share"].tolist() == pytest.approx([9 / 19] * 3 + [10 / 19])
    assert col["log_peer_parents"].tolist() == pytest.approx([np.log(3)] * 3 + [0.0])


def _page_features(page, extracted: str, scores: np.ndarray, keep: np.ndarray) -> dict[str, float]:
    """The page model's row for a page whose blocks have these scores and are kept so, by name."""
    from cleaner.model.block_features import PAGE_FEATURES, page_features
    from cleaner.model.block_model import WIDTH
    from cleaner.pipeline import Pipeline
    from cleaner.stages.extract import block_rows

    x = block_rows(page, extracted, Pipeline().rule_marks)
    return dict(zip(PAGE_FEATURES, page_features(page, x, scores, keep, WIDTH)[0].tolist()))


def test_the_page_model_reads_how_the_blocks_kept_compare_with_the_extraction():
    page, extracted = _listing(), "The harbour reopened on Monday after two years of repairs."
    scores = np.array([0.9, 0.6, 0.1, 0.95])
    got = _page_features(page, extracted, scores, scores >= 0.5)
    # Kept: the first two cards (2 and 5 words) and the paragraph (10 words), which is all the
    # extraction holds; the third card (2 words) is left out. Three parents, two runs, no links.
    assert got == pytest.approx({
        "log_kept_words": np.log1p(17), "log_extracted_words": np.log1p(10),
        "kept_to_extracted": np.log1p(17) - np.log1p(10), "kept_in_extracted": 10 / 17, "extracted_in_kept": 1.0,
        "kept_words_share": 17 / 19, "log_blocks": np.log1p(4), "kept_blocks_share": 0.75,
        "mean_kept_score": (0.9 + 0.6 + 0.95) / 3, "mean_score": 2.55 / 4, "uncertain_share": 0.25,
        "kept_link_share": 0.0, "log_kept_parents": np.log1p(3), "log_kept_runs": np.log1p(2),
        "extracted_empty": 0.0, "has_ld": 0.0, "title_found": 0.0,
    })
    nothing = _page_features(page, extracted, scores, np.zeros(4, dtype=bool))
    assert nothing["log_kept_words"] == nothing["mean_kept_score"] == nothing["log_kept_runs"] == 0.0
    assert nothing["extracted_in_kept"] == 0.0


def test_the_page_model_reads_the_links_title_and_json_ld_of_the_blocks_kept():
    from cleaner.io.dom import dom_blocks, parse

    page = dom_blocks(parse(
        '<html><head><title>Harbour reopens after repairs</title><script type="application/ld+json">'
        '{"@type": "NewsArticle", "articleBody": "The harbour reopened."}</script></head><body>'
        '<h1>Harbour reopens after repairs</h1><p><a href="/a">Read more news</a> here</p>'
        '<p>The harbour reopened on Monday after two years of repairs.</p></body></html>'))
    got = _page_features(page, "", np.full(3, 0.9), np.ones(3, dtype=bool))
    chars = sum(len(block.text) for block in page.blocks)
    assert got["kept_link_share"] == pytest.approx(len("Read more news") / chars)
    assert got["extracted_empty"] == got["has_ld"] == got["title_found"] == 1.0
    assert got["log_extracted_words"] == got["kept_in_extracted"] == 0.0


def test_the_tree_context_is_the_scores_of_the_blocks_around_and_alike():
    from cleaner.model.block_features import TREE_CONTEXT, tree_context, tree_groups
    from cleaner.model.features import INDEX, FEATURES

    page = _listing()
    words = np.array([2.0, 5.0, 2.0, 10.0])
    x = np.zeros((4, len(FEATURES)))
    x[:, INDEX["log_words"]] = np.log1p(words)
    scores = np.array([0.2, 0.8, 0.5, 0.9])
    got = tree_context(scores, x, tree_groups(page))
    assert got.shape == (4, len(TREE_CONTEXT))
    col = {name: got[:, TREE_CONTEXT.index(name)] for name in TREE_CONTEXT}
    # The peers' mean is weighted by words (plus one, so that a block of no word counts).
    peers = (3 * 0.2 + 6 * 0.8 + 3 * 0.5) / 12
    assert col["score_peers"].tolist() == pytest.approx([peers] * 3 + [0.9])
    assert col["score_max_up2"].tolist() == pytest.approx([0.8, 0.8, 0.5, 0.9])
    assert col["score_mean_up1"].tolist() == pytest.approx(scores.tolist())
    assert tree_context(np.zeros(0), np.zeros((0, len(FEATURES))), np.zeros((0, 4), dtype=np.int64)).shape \
        == (0, len(TREE_CONTEXT))


def test_the_block_models_second_pass_needs_the_pages_groups():
    from cleaner.model.block_model import BlockModel
    from cleaner.model.features import FEATURES

    with pytest.raises(ValueError, match="tree_groups"):
        BlockModel.second_input(np.zeros(2), np.zeros((2, len(FEATURES))))


@pytest.mark.parametrize("seed", range(10))
def test_the_tree_context_is_each_groups_scores_one_block_at_a_time(seed):
    from cleaner.model.block_features import _GROUP_UP, TREE_CONTEXT, tree_context
    from cleaner.model.features import INDEX, FEATURES

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    groups = np.column_stack([rng.choice([0, 3, 7, 40], n), rng.integers(0, 5, n), rng.integers(1, 3, n),
                              rng.integers(0, 6, n)])
    scores = rng.random(n)
    words = rng.integers(0, 20, n).astype(np.float64)
    x = np.zeros((n, len(FEATURES)))
    x[:, INDEX["log_words"]] = np.log1p(words)
    got = tree_context(scores, x, groups)
    weights = np.expm1(x[:, INDEX["log_words"]]) + 1.0
    for i in range(n):
        expected = []
        for k in range(groups.shape[1]):
            members = [j for j in range(n) if groups[j, k] == groups[i, k]]
            total = sum(weights[j] for j in members)
            mean = sum(weights[j] * scores[j] for j in members) / total
            if k < len(_GROUP_UP):
                expected += [mean, max(scores[j] for j in members)]
            else:
                expected += [mean, np.log(len(members)), total / weights.sum()]
        assert got[i].tolist() == pytest.approx(expected), (i, TREE_CONTEXT)


def test_group_sizes_count_the_entries_of_each_key():
    from collections import Counter

    from cleaner.model.block_features import _group_sizes

    keys = np.array([4, 0, 4, 9, 4, 0])
    counts = Counter(keys.tolist())
    assert _group_sizes(keys).tolist() == [float(counts[k]) for k in keys.tolist()]


def test_a_page_of_other_blocks_computes_its_own_paths_and_shapes():
    from dataclasses import replace

    from cleaner.model.block_features import ancestors, shapes

    page = _listing()
    assert ancestors(page).shape[0] == shapes(page).shape[0] == 4
    fewer = replace(page, blocks=page.blocks[:2])
    assert ancestors(fewer).shape[0] == shapes(fewer).shape[0] == 2
    assert np.array_equal(ancestors(fewer), ancestors(page)[:2, -ancestors(fewer).shape[1]:])


@pytest.mark.parametrize("seed", range(10))
def test_ancestors_are_the_paths_right_aligned(seed):
    from cleaner.io.dom import Block, Page
    from cleaner.model.block_features import ancestors

    rng = random.Random(seed)
    paths = [tuple(rng.sample(range(1, 60), rng.randint(1, 7))) for _ in range(rng.randint(1, 20))]
    page = Page([Block("text", "p", 0, len(path), path) for path in paths])
    deepest = max(map(len, paths))
    assert ancestors(page).tolist() == [[0] * (deepest - len(path)) + list(path) for path in paths]
    assert ancestors(Page([])).shape == (0, 0)
