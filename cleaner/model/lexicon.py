"""Word weights learned from the labelled lines: how much a word leans a line toward content
or toward chrome.

Chrome speaks a vocabulary of its own in every language ("Impressum", "Anzeige", "sitemap",
"wishlist", "©", a language switcher's "Español", "Polski"), and prose another ("allowing",
"increasingly", "sagte"). Instead of phrase lists, the training counts, for every word, the
labelled lines holding it that are content and that are chrome, and keeps the word's log-odds
of content against the base rate, shrunk toward 0 for rare words. A word earns a weight only
when lines of :data:`MIN_PAGES` pages or more hold it, so the names and menu entries of a
site with fewer training pages get none (a site with that many can weigh its own: counting
sites instead of pages did worse on raw dumps held out). The line features read each line's mean, lowest and highest weight, the
share of its words that have one, and that share over the whole page
(:func:`cleaner.model.features.line_features`): a page in a language the training barely
saw has few words weighed, and the trees learn to rely on the weights only where the page's
share is high (the line model's training also shows it a quarter of the pages with no weights
at all). The weights are stored in the model file with the trees that read them, and each
model learns its own from its own rows: the block model from its blocks.

>>> lexicon = learn([Sample(f"p{i}", ["sitemap", "the", "harbour"], np.array([0, 1, 2]), np.array([1, 2]),
...                         np.array([0, 1])) for i in range(6)], min_pages=5, shrink=1.0)
>>> sorted(lexicon.weights_of().items())
[('harbour', 2.565), ('sitemap', -2.565), ('the', 2.565)]
>>> lexicon.columns(["sitemap", "harbour", "ahoy"], np.array([0, 2, 1, 2]), np.array([1, 0, 3])).round(3).tolist()
[[-2.565, 0.0, 0.855], [-2.565, 0.0, 0.0], [0.0, 0.0, 2.565], [1.0, 0.0, 0.333], [0.5, 0.5, 0.5]]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

# A word's weight needs lines of this many pages (a site's own words stay out).
MIN_PAGES = 5
# Counts added at the base rate: a word of few lines is pulled toward weight 0.
SHRINK = 10.0
# Weights nearer 0 than this are left out (they say nothing; the file stays small).
MIN_WEIGHT = 0.1
# What a token is stripped of to be a word (as cleaner.model.features reads words).
STRIP = ".,;:!?\"'()[]{}«»„“”‘’–—-*•·|/"
# The columns :meth:`Lexicon.columns` fills, in this order.
COLUMNS = ("word_weight", "word_weight_min", "word_weight_max", "words_weighed", "page_words_weighed")


class Sample(NamedTuple):
    """The labelled lines of one input of a page, for :func:`learn`: its distinct words
    (``vocab``), each token's word (``codes``, line after line), each line's number of
    tokens (``per_line``) and label (1 content, 0 chrome, -1 unknown)."""

    page: str
    vocab: Sequence[str]
    codes: np.ndarray
    per_line: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Lexicon:
    """Words and their weights (log-odds of content against the base rate; 0 for a word the
    lexicon lacks)."""

    words: tuple[str, ...] = ()
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @cached_property
    def _index(self) -> dict[str, float]:
        return dict(zip(self.words, self.weights.astype(np.float64).tolist()))

    def __len__(self) -> int:
        return len(self.words)

    def weights_of(self) -> dict[str, float]:
        return {w: round(v, 3) for w, v in self._index.items()}

    def columns(self, vocab: Sequence[str], codes: np.ndarray, per_line: np.ndarray) -> np.ndarray:
        """One row per :data:`COLUMNS`, one column per line: the mean of its tokens' weights,
        the lowest (at most 0), the highest (at least 0), the share of its tokens that have a
        weight, and that share over all the lines. ``vocab`` holds the distinct words,
        ``codes`` each token's word, line after line, ``per_line`` each line's tokens."""
        n = len(per_line)
        out = np.zeros((len(COLUMNS), n))
        if not self.words or not len(codes):
            return out
        get = self._index.get
        values = np.fromiter(map(get, vocab, repeat(0.0)), dtype=np.float64, count=len(vocab))[codes]
        known = values != 0.0  # a word the lexicon holds weighs at least MIN_WEIGHT
        line = np.repeat(np.arange(n), per_line)
        out[0] = np.bincount(line, weights=values, minlength=n) / np.maximum(per_line, 1)
        out[3] = np.bincount(line, weights=known, minlength=n) / np.maximum(per_line, 1)
        out[4] = np.count_nonzero(known) / len(known)  # (known.mean(), without its checks)
        filled = np.flatnonzero(per_line)
        starts = (np.cumsum(per_line) - per_line)[filled]
        out[1, filled] = np.minimum(np.minimum.reduceat(values, starts), 0.0)
        out[2, filled] = np.maximum(np.maximum.reduceat(values, starts), 0.0)
        return out

    def chrome_words(self, text: str, top: int = 3) -> dict[str, float]:
        """The words of ``text`` weighed most toward chrome (negative weights), most first:
        what a line's word weights say, for the log.

        >>> Lexicon(("sitemap", "harbour", "impressum"), np.array([-2.0, 1.0, -3.0])).chrome_words("Impressum | Sitemap | Harbour")
        {'impressum': -3.0, 'sitemap': -2.0}
        """
        get = self._index.get
        weighed = {word: weight for word in (token.strip(STRIP) for token in text.lower().split())
                   if (weight := get(word, 0.0)) < 0}
        return {word: round(weighed[word], 2) for word in sorted(weighed, key=weighed.__getitem__)[:top]}

    def to_arrays(self) -> dict[str, Any]:
        return {"lexicon_words": np.array(self.words, dtype=str), "lexicon_weights": self.weights}

    @classmethod
    def from_arrays(cls, arrays: Any) -> Lexicon:
        if "lexicon_words" not in arrays:
            return cls()
        return cls(tuple(arrays["lexicon_words"].tolist()), np.asarray(arrays["lexicon_weights"], dtype=np.float32))


def learn(samples: Iterable[Sample], min_pages: int = MIN_PAGES, shrink: float = SHRINK,
          min_weight: float = MIN_WEIGHT) -> Lexicon:
    """The weights of the words of labelled lines (each line counts a word once): log-odds
    that a line holding the word is content, against the rate of content lines, with
    ``shrink`` lines at that rate added to each word. Words with digits are left out."""
    content: Counter[str] = Counter()
    chrome: Counter[str] = Counter()
    pages: dict[str, set[str]] = {}
    total = [0, 0]
    for sample in samples:
        n = len(sample.per_line)
        labels = np.asarray(sample.labels)
        total[0] += int((labels == 0).sum())
        total[1] += int((labels == 1).sum())
        if not len(sample.codes):
            continue
        line = np.repeat(np.arange(n), sample.per_line)
        pairs = np.unique(sample.codes.astype(np.int64) * n + line)  # each word once a line
        words, lines = pairs // n, pairs % n
        label = labels[lines]
        yes = np.bincount(words[label == 1], minlength=len(sample.vocab))
        no = np.bincount(words[label == 0], minlength=len(sample.vocab))
        seen = np.flatnonzero(yes + no).tolist()
        vocab = sample.vocab
        content.update({vocab[i]: int(yes[i]) for i in seen if yes[i]})
        chrome.update({vocab[i]: int(no[i]) for i in seen if no[i]})
        pages.setdefault(sample.page, set()).update(vocab[i] for i in seen)
    if not total[0] or not total[1]:
        return Lexicon()
    spread: Counter[str] = Counter()
    for words_of_page in pages.values():
        spread.update(words_of_page)
    rate = total[1] / (total[0] + total[1])
    prior = np.log(rate / (1.0 - rate))
    kept: dict[str, float] = {}
    for word, n_pages in spread.items():
        if n_pages < min_pages or not word or any(ch.isdigit() for ch in word):
            continue
        yes_n, no_n = content[word], chrome[word]
        p = (yes_n + shrink * rate) / (yes_n + no_n + shrink)
        weight = float(np.log(p / (1.0 - p)) - prior)
        if abs(weight) >= min_weight:
            kept[word] = round(weight, 3)
    ordered = tuple(sorted(kept))
    return Lexicon(ordered, np.array([kept[w] for w in ordered], dtype=np.float32))
