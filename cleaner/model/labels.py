"""Line labels for training, from aligning a page's input lines with its gold text or snippets.

A line of three or more tokens is content when at least half of its tokens sit in a run of
three that the gold text also has. A shorter line (a heading, a label, a list item) is content
when it is a whole line of the gold text, or when its tokens follow each other in the gold
text and the nearest long lines around it are content too. The page's headline is content
even where a set's gold text leaves it out (fundus keeps only the body). With snippets instead
of a gold text (``with`` must be kept, ``without`` must go) only the lines a snippet covers get
a label.

With ``surplus=False`` (the block model's labels) the words are counted as WCXB counts them,
a page's bag of words: a content line whose removal raises the page's word F1 is chrome (a
second copy of what the gold text holds once, such as a teaser of the article in a list of
others, or a line of mostly other words). The block model can tell such copies apart by where
they sit in the page; the line model, reading flat text, learned worse from them (see
bench/EXPERIMENTS.md). The block model's training gives no title: the headline is judged by the
gold text as every other line, and the gold texts leave it out.

Labels: 1 content, 0 chrome, -1 unknown (left out of training).

>>> gold = "Harbour reopens\\n\\nThe harbour reopened on Monday after two years of repairs."
>>> lines = ["Home", "Harbour reopens", "The harbour reopened on Monday after two years of repairs.",
...          "Share this article on social media now"]
>>> align(lines, gold)
[0, 1, 1, 0]
>>> lines = ["Harbour reopens after repairs", "Body text of the article here.", "Harbour reopens after repairs"]
>>> align(lines, "Body text of the article here.", title="Harbour reopens after repairs | Coast News")
[1, 1, 1]
>>> align(lines, "Body text of the article here.", surplus=False)
[0, 1, 0]
>>> align(["Lea también: otra cosa", "La deuda externa total aumentó"], snippets_with=["deuda externa total"],
...       snippets_without=["Lea también: otra cosa"])
[0, 1]
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from cleaner.model.score import tokens

CONTENT, CHROME, UNKNOWN = 1, 0, -1
NGRAM = 3
MIN_COVER = 0.5
SHORT = NGRAM - 1
TITLE_OVERLAP = 0.6  # share of words a line shares with the page's title to be its headline
AROUND = 3  # lines on each side read for the content around a line


def _ngrams(toks: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}


def _covered(toks: list[str], grams: set[tuple[str, ...]]) -> float:
    """Share of tokens that lie inside a run of :data:`NGRAM` tokens found in ``grams``."""
    covered = [False] * len(toks)
    for i in range(len(toks) - NGRAM + 1):
        if tuple(toks[i:i + NGRAM]) in grams:
            covered[i:i + NGRAM] = [True] * NGRAM
    return sum(covered) / len(toks)


def align(lines: Sequence[str], gold: str = "", snippets_with: Sequence[str] = (),
          snippets_without: Sequence[str] = (), title: str = "", surplus: bool = True) -> list[int]:
    """One label per line (see the module docstring). A line that is the page's ``title``
    (most of its words) is content: the headline belongs to the article, whether or not a
    set's gold text holds it. With ``surplus=False``, the content lines the page's word F1
    is better without are chrome."""
    labels = _align(lines, gold, snippets_with, snippets_without, surplus)
    title_tokens = set(tokens(title))
    if len(title_tokens) >= 3:
        for i, line in enumerate(lines):
            line_tokens = set(tokens(line))
            if line_tokens and len(line_tokens & title_tokens) / len(line_tokens | title_tokens) >= TITLE_OVERLAP:
                labels[i] = CONTENT
    return labels


def _align(lines: Sequence[str], gold: str, snippets_with: Sequence[str],
           snippets_without: Sequence[str], surplus: bool) -> list[int]:
    if not gold:
        return _align_snippets(lines, snippets_with, snippets_without)
    gold_tokens = tokens(gold)
    grams = _ngrams(gold_tokens, NGRAM)
    short_grams = {n: _ngrams(gold_tokens, n) for n in range(1, SHORT + 1)}
    gold_lines = {tuple(tokens(line)) for line in gold.splitlines() if line.strip()}
    line_tokens = [tokens(line) for line in lines]
    labels = [UNKNOWN] * len(lines)
    for i, toks in enumerate(line_tokens):
        if len(toks) > SHORT:
            labels[i] = CONTENT if _covered(toks, grams) >= MIN_COVER else CHROME
    long_labels = [(i, lab) for i, lab in enumerate(labels) if lab != UNKNOWN]
    for i, toks in enumerate(line_tokens):
        if not toks or len(toks) > SHORT:
            continue
        if tuple(toks) in gold_lines:
            labels[i] = CONTENT
        elif tuple(toks) in short_grams[len(toks)] and _between_content(i, long_labels):
            labels[i] = CONTENT
        else:
            labels[i] = CHROME
    if not surplus:
        _drop_surplus(labels, line_tokens, Counter(gold_tokens))
    return labels


def _drop_surplus(labels: list[int], line_tokens: list[list[str]], gold: Counter[str]) -> None:
    """Turn to chrome, in place, the content lines whose removal raises the page's word F1
    (``2 * overlap / (words kept + gold words)``, the overlap counted token by token): one at a
    time, the lines with the fewest content lines around them first (of two copies, the one in
    a menu or a list of teasers goes) and the later first among equals, until none is left."""
    kept: Counter[str] = Counter()
    for toks, label in zip(line_tokens, labels):
        if label == CONTENT:
            kept.update(toks)
    overlap = sum(min(n, gold[t]) for t, n in kept.items())
    out, total = sum(kept.values()), sum(gold.values())
    content = [label == CONTENT for label in labels]
    around = [sum(content[max(0, i - AROUND):i]) + sum(content[i + 1:i + 1 + AROUND]) for i in range(len(labels))]
    order = sorted((i for i, c in enumerate(content) if c), key=lambda i: (around[i], -i))
    changed = True
    while changed:
        changed = False
        for i in order:
            if labels[i] != CONTENT:
                continue
            own = Counter(line_tokens[i])
            lost = sum(min(kept[t], gold[t]) - min(kept[t] - n, gold[t]) for t, n in own.items())
            size = len(line_tokens[i])
            if (overlap - lost) * (out + total) > overlap * (out - size + total):
                kept.subtract(own)
                labels[i] = CHROME
                overlap, out, changed = overlap - lost, out - size, True


def _between_content(i: int, long_labels: list[tuple[int, int]], reach: int = 3) -> bool:
    """Whether the nearest long lines above and below line ``i`` (within ``reach`` lines) are
    content: a short line inside the article's text, not in a menu above or below it."""
    above = [lab for j, lab in long_labels if i - reach <= j < i]
    below = [lab for j, lab in long_labels if i < j <= i + reach]
    return bool(above and above[-1] == CONTENT) and bool(below and below[0] == CONTENT)


def _collapse(text: str) -> str:
    return " ".join(text.split()).lower()


def _align_snippets(lines: Sequence[str], keep: Sequence[str], drop: Sequence[str]) -> list[int]:
    keep_c = [_collapse(s) for s in keep if s.strip()]
    drop_c = [_collapse(s) for s in drop if s.strip()]
    labels = []
    for line in lines:
        text = _collapse(line)
        label = UNKNOWN
        if text and len(text) >= 8:
            if any(s in text or (len(text) >= 20 and text in s) for s in keep_c):
                label = CONTENT
            elif any(s in text or (len(text) >= 20 and text in s) for s in drop_c):
                label = CHROME
        labels.append(label)
    return labels
