"""Line labels for training, from aligning a page's input lines with its gold text or snippets.

A line of three or more tokens is content when at least half of its tokens sit in a run of
three that the gold text also has. A shorter line (a heading, a label, a list item) is content
when it is a whole line of the gold text, or when its tokens follow each other in the gold
text and the nearest long lines around it are content too. The page's headline is content
even where a set's gold text leaves it out (fundus keeps only the body). With snippets instead of a gold
text (``with`` must be kept, ``without`` must go) only the lines a snippet covers get a label.

Labels: 1 content, 0 chrome, -1 unknown (left out of training).

>>> gold = "Harbour reopens\\n\\nThe harbour reopened on Monday after two years of repairs."
>>> lines = ["Home", "Harbour reopens", "The harbour reopened on Monday after two years of repairs.",
...          "Share this article on social media now"]
>>> align(lines, gold)
[0, 1, 1, 0]
>>> align(["Harbour reopens after repairs", "Body text of the article here."], "Body text of the article here.",
...       title="Harbour reopens after repairs | Coast News")
[1, 1]
>>> align(["Lea también: otra cosa", "La deuda externa total aumentó"], snippets_with=["deuda externa total"],
...       snippets_without=["Lea también: otra cosa"])
[0, 1]
"""

from __future__ import annotations

from typing import Sequence

from cleaner.model.score import tokens

CONTENT, CHROME, UNKNOWN = 1, 0, -1
NGRAM = 3
MIN_COVER = 0.5
SHORT = NGRAM - 1
TITLE_OVERLAP = 0.6  # share of words a line shares with the page's title to be its headline  # lines of at most this many tokens are judged by their neighbours


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
          snippets_without: Sequence[str] = (), title: str = "") -> list[int]:
    """One label per line (see the module docstring). A line that is the page's ``title``
    (most of its words) is content: the headline belongs to the article, whether or not a
    set's gold text holds it."""
    labels = _align(lines, gold, snippets_with, snippets_without)
    title_tokens = set(tokens(title))
    if len(title_tokens) >= 3:
        for i, line in enumerate(lines):
            line_tokens = set(tokens(line))
            if line_tokens and len(line_tokens & title_tokens) / len(line_tokens | title_tokens) >= TITLE_OVERLAP:
                labels[i] = CONTENT
    return labels


def _align(lines: Sequence[str], gold: str, snippets_with: Sequence[str],
           snippets_without: Sequence[str]) -> list[int]:
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
    return labels


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
