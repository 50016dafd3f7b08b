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
