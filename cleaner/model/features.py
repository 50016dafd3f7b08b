"""The line model's features: one row per content line, built once per document, vectorised.

A line's own facts (length, words, punctuation, digits, case, bullets and pipes, link-like
tokens, prose measures that need no stoplist, stopword share where a list fits, repetition
within the page, the named rules' hits, the learned weights of its words
(:mod:`cleaner.model.lexicon`)) are read once per line; everything else is numpy over
those columns: the same facts over windows of neighbouring lines (±1, ±3, ±10), the line's
position (from the start, the end, the densest prose region, the longest line), page-level
figures the decision can adapt to (a page of mostly prose against a news page where a tenth of
the lines are the article), and runs of same-shaped lines (tables, lists, menus) as units.

>>> from cleaner.segment import Segments
>>> seg = Segments("Home | News | Sport\\n\\nThe harbour reopened on Monday after two years of repairs.\\n12")
>>> x = line_features(seg, [])
>>> x.shape == (3, len(FEATURES))
True
>>> [float(v) for v in x[:, FEATURES.index("ends_sentence")]]
[0.0, 1.0, 0.0]
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import chain, count, repeat
from operator import attrgetter
from typing import Iterable, Sequence

import re

import numpy as np
import regex

from cleaner.document import Span
from cleaner.lines import Lines
from cleaner.model.lexicon import COLUMNS as LEXICON_COLUMNS
from cleaner.model.lexicon import STRIP as _STRIP
from cleaner.model.lexicon import Lexicon
from cleaner.segment import Segments
from cleaner.stopwords import GUESS_SAMPLE, stoplists

# The detection stages whose marks are features (share of the line's characters marked).
RULE_STAGES = ("fragments", "chrome", "counters", "dates", "tails", "residue")

_PUNCT = re.compile(r"[^\w\s]")
_UPPER = regex.compile(r"\p{Lu}")
# Character classes, one bit each, of every code point of the Basic Multilingual Plane (those
# above count as U+FFFF: punctuation, as emoji are).
_PUNCT_BIT, _UPPER_BIT, _SPACE_BIT, _TITLE_BIT = 1, 2, 4, 8
# Fields of a line, for map() over many lines.
_START, _END, _INDEX, _PARA = (attrgetter(name) for name in ("start", "end", "index", "para"))


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """The bits of each code point: ``_PUNCT`` and ``_UPPER`` match it, it is white space
    (``str.isspace``, what ``str.split`` splits on), it is upper case (``str.isupper``).
    Worked out for the Basic Multilingual Plane; the code points above it count as U+FFFF
    (punctuation, as emoji are). Built once per process (tens of milliseconds)."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, chars in ((_PUNCT_BIT, "".join(_PUNCT.findall(every))), (_UPPER_BIT, "".join(_UPPER.findall(every))),
                       (_SPACE_BIT, "".join(filter(str.isspace, every))), (_TITLE_BIT, "".join(filter(str.isupper, every)))):
        table[np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)] |= bit
    return np.concatenate([table, np.full(0x110000 - 0x10000, table[0xFFFF], dtype=np.uint8)])


def _class_counts(segments: Segments) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per content line: punctuation marks, upper-case letters, and words starting with an
    upper-case letter, counted over the whole text at once.

    >>> [v.tolist() for v in _class_counts(Segments("Home | News\\n\\nThe Harbour, reopened."))]
    [[1.0, 2.0], [2.0, 2.0], [2.0, 2.0]]
    """
    bits = _class_table().take(np.frombuffer(segments.text.encode("utf-32-le"), dtype=np.uint32))
    # One row of 0/1 per count, one column per character, and a last column of 0 (a line may
    # end where the text does, and reduceat reads from each bound on).
    flags = np.zeros((3, len(bits) + 1), dtype=np.uint8)
    for row, bit in zip(flags, (_PUNCT_BIT, _UPPER_BIT, _TITLE_BIT)):
        np.bitwise_and(bits, bit, out=row[:-1])
        row[:-1] >>= bit.bit_length() - 1
    # an upper-case letter after white space (or first) starts a word
    flags[2, 1:-1] &= (bits[:-1] & _SPACE_BIT) >> (_SPACE_BIT.bit_length() - 1)
    # Summed over each line: the sums from each line's start to its end, and (thrown away)
    # from its end to the next line's start; content lines are never empty.
    content = segments.content
    bounds = np.empty(2 * len(content), dtype=np.intp)
    bounds[0::2] = np.fromiter(map(_START, content), dtype=np.intp, count=len(content))
    bounds[1::2] = np.fromiter(map(_END, content), dtype=np.intp, count=len(content))
    counts = np.add.reduceat(flags, bounds, axis=1, dtype=np.int64)[:, 0::2].astype(np.float64)
    return counts[0], counts[1], counts[2]

# A line's own facts, in the order :func:`_own_facts` fills them.
OWN = (
    "log_chars", "log_words", "ends_sentence", "ends_full_stop", "ends_colon", "letters", "digits",
    "punct", "upper", "all_caps", "title_words", "short_words", "mean_word_len", "commas",
    "stopwords", "unspaced", "links", "bullet", "numbered", "separators", "key_value",
    "digits_only", "repeats", "first_in_para", "last_in_para", "log_para_lines", "blank_before",
    "blank_after", "like_first_line", *LEXICON_COLUMNS,
)
_OWN = {name: i for i, name in enumerate(OWN)}
# Facts averaged over windows of neighbours.
_WINDOWED = ("log_words", "ends_sentence", "links", "stopwords", "short_words", "title_words",
             "digits", "separators", "rules_any", "punct", "repeats", "word_weight")
_WINDOWS = (1, 3, 10)
# Neighbours read one by one.
_NEIGHBOURS = ("log_words", "ends_sentence")
_STEPS = (-2, -1, 1, 2)

FEATURES: tuple[str, ...] = (
    *OWN,
    *(f"rule_{stage}" for stage in RULE_STAGES), "rules_any",
    *(f"{name}_w{w}" for w in _WINDOWS for name in _WINDOWED),
    *(f"{name}_{'p' if s < 0 else 'n'}{abs(s)}" for s in _STEPS for name in _NEIGHBOURS),
    "pos_start", "pos_end", "pos_chars", "from_prose_centre", "from_prose_centre_abs",
    "from_longest", "in_prose_region", "in_best_run", "from_best_run", "best_run_share",
    "from_title", "after_title",
    "page_log_lines", "page_ends", "page_mean_words", "page_long_share", "page_stopwords",
    "page_log_max_words", "words_to_max", "words_to_mean",
    "run_log_len", "run_mean_words", "run_ends",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


def word_codes(tokens: list[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The lines' words as :class:`cleaner.model.lexicon.Lexicon` reads them: the distinct
    words (tokens stripped of punctuation), each token's word, line after line, and each
    line's number of tokens.

    >>> words, codes, per_line = word_codes([["the", "harbour."], ["(the)", "harbour"], []])
    >>> words, codes.tolist(), per_line.tolist()
    (['the', 'harbour'], [0, 1, 0, 1], [2, 2, 0])
    """
    per_line = np.fromiter(map(len, tokens), dtype=np.intp, count=len(tokens))
    words, codes = _numbered(map(str.strip, chain.from_iterable(tokens), repeat(_STRIP)), int(per_line.sum()))
    return words, codes, per_line


def _numbered(items: Iterable[str], total: int) -> tuple[list[str], np.ndarray]:
    """The distinct ``items`` (``total`` of them in all) in the order they first come, and
    each item's number among them.

    >>> words, codes = _numbered(iter(["the", "harbour", "the", "quay"]), 4)
    >>> words, codes.tolist()
    (['the', 'harbour', 'quay'], [0, 1, 0, 2])
    """
    # One dict operation per item: setdefault keeps the position where an item first came
    # and returns it for every copy; those positions are then renumbered 0, 1, 2, ... in numpy.
    first: dict[str, int] = {}
    at = np.fromiter(map(first.setdefault, items, count()), dtype=np.intp, count=total)
    number = np.empty(total, dtype=np.intp)
    number[np.fromiter(first.values(), dtype=np.intp, count=len(first))] = np.arange(len(first))
    return list(first), number[at]


def with_lexicon(x: np.ndarray, weights: np.ndarray) -> None:
    """Write into the rows ``x`` of :func:`line_features` (or of block rows, which start with
    them) the lexicon columns ``weights`` (as :meth:`Lexicon.columns` gives them) and their
    window means: the training's out-of-fold weights."""
    for name, values in zip(LEXICON_COLUMNS, weights):
        x[:, INDEX[name]] = values
    for w, means in zip(_WINDOWS, _row_window_means(weights[:1], _WINDOWS)):
        x[:, INDEX[f"word_weight_w{w}"]] = means[0]


def _word_facts(tokens: list[list[str]], stop: frozenset[str],
                lexicon: Lexicon | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per line (a list of its lower-cased tokens): the short words (at most three characters
    once stripped of punctuation), the stopwords, how much its words overlap those of the
    first line (distinct words shared over distinct words of the two; 0 for the first line),
    and the :data:`LEXICON_COLUMNS` of its words' weights in ``lexicon`` (zeros without one).

    Each distinct token is judged once, then counted per line with numpy.

    >>> [v.tolist() for v in _word_facts([["the", "harbour."], ["the", "(old)", "the"], []], frozenset({"the"}))[:3]]
    [[1.0, 3.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.3333333333333333, 0.0]]
    """
    n = len(tokens)
    per_line = np.fromiter(map(len, tokens), dtype=np.intp, count=n)
    vocabulary, codes = _numbered(chain.from_iterable(tokens), int(per_line.sum()))  # the distinct tokens, each token's number
    bare = list(map(str.strip, vocabulary, repeat(_STRIP)))
    line = np.repeat(np.arange(n), per_line)
    short = np.fromiter(map(len, bare), dtype=np.intp, count=len(bare)) <= 3
    stops = np.fromiter(map(stop.__contains__, bare), dtype=bool, count=len(bare))
    # The overlap with the first line, for the lines holding one of its tokens (the first
    # line's are the first codes): distinct words shared, over the distinct words of the two.
    like_first = np.zeros(n)
    if n:
        in_first = np.zeros(len(vocabulary), dtype=bool)
        in_first[codes[:per_line[0]]] = True
        rows = np.flatnonzero(np.bincount(line, weights=in_first[codes], minlength=n)[1:]) + 1
        first = set(tokens[0])
        distinct = list(map(set, map(tokens.__getitem__, rows.tolist())))
        shared = np.fromiter(map(len, map(first.intersection, distinct)), dtype=np.int64, count=len(rows))
        size = np.fromiter(map(len, distinct), dtype=np.int64, count=len(rows))
        like_first[rows] = shared / (len(first) + size - shared)
    weights = (lexicon.columns(bare, codes, per_line) if lexicon is not None
               else np.zeros((len(LEXICON_COLUMNS), n)))
    return (np.bincount(line, weights=short[codes], minlength=n), np.bincount(line, weights=stops[codes], minlength=n),
            like_first, weights)


def _own_facts(segments: Segments, stop: frozenset[str], lexicon: Lexicon | None = None) -> np.ndarray:
    """One row of :data:`OWN` per content line: the shared facts of :class:`Lines`, and the
    few only the model reads (punctuation and case shares, short and stop words, paragraphs).
    (Column-major: each fact is written as one run of memory.)"""
    table = Lines.of(segments)
    content = segments.content
    n = len(content)
    texts = table.texts
    tokens = table.tokens
    words = np.asarray(table.words, dtype=np.float64)
    spaced = np.fromiter(map(len, tokens), dtype=np.float64, count=n)
    per_word = np.maximum(spaced, 1)
    chars = np.maximum(np.asarray(table.chars, dtype=np.float64), 1)
    punct, upper, title = _class_counts(segments)
    short, stops, like_first, weights = _word_facts(tokens, stop, lexicon)
    letters = np.asarray(table.letters, dtype=np.float64)
    index = np.fromiter(map(_INDEX, content), dtype=np.int64, count=n)
    # First and last line of each line's paragraph; whether each line of the text is blank.
    paragraphs = np.fromiter(chain.from_iterable(segments.paragraphs), dtype=np.int64, count=2 * len(segments.paragraphs))
    para = paragraphs.reshape(-1, 2)[np.fromiter(map(_PARA, content), dtype=np.int64, count=n)]
    blank = np.append(np.fromiter(map(_PARA, segments.lines), dtype=np.int64, count=len(segments.lines)) < 0, True)
    own = np.empty((len(OWN), n))
    # The yes/no facts of the table, one byte each (bytes() reads a list of bools in C).
    flags = {"ends_sentence": table.ends_sentence, "ends_full_stop": table.ends_full_stop, "all_caps": table.all_caps,
             "unspaced": table.unspaced, "links": table.links, "bullet": table.bullet, "numbered": table.numbered,
             "separators": table.pipes, "key_value": table.key_value}
    own[[_OWN[name] for name in flags]] = np.frombuffer(b"".join(map(bytes, flags.values())),
                                                       dtype=np.uint8).reshape(len(flags), n)
    own[_OWN["ends_colon"]] = np.frombuffer(bytes(map(":".__eq__, table.last_char)), dtype=np.uint8)
    for name, values in (
        ("log_chars", np.log1p(chars)),
        ("log_words", np.log1p(words)),
        ("letters", letters),
        ("digits", table.digits),
        ("punct", punct / chars),
        ("upper", np.minimum(upper / np.maximum(letters * chars, 1), 1.0)),
        ("title_words", title / per_word),
        ("short_words", short / per_word),
        ("mean_word_len", np.minimum(chars / np.maximum(words, 1), 30.0)),
        ("commas", np.fromiter(map(str.count, texts, repeat(",")), dtype=np.float64, count=n) / np.maximum(words, 1)),
        ("stopwords", stops / per_word),
        ("digits_only", letters == 0),
        ("repeats", np.log(np.asarray(table.copies, dtype=np.float64))),
        ("first_in_para", index == para[:, 0]),
        ("last_in_para", index == para[:, 1]),
        ("log_para_lines", np.log1p(para[:, 1] - para[:, 0])),
        ("blank_before", (index > 0) & blank[np.maximum(index - 1, 0)]),
        ("blank_after", blank[index + 1]),
        ("like_first_line", like_first),
        *zip(LEXICON_COLUMNS, weights),
    ):
        own[_OWN[name]] = values
    return own.T


def _rule_hits(segments: Segments, marks: Sequence[Span]) -> np.ndarray:
    """Per content line and detection stage, the share of the line's characters it marked."""
    content = segments.content
    hits = np.zeros((len(content), len(RULE_STAGES)), dtype=np.float64)
    if not marks or not content:
        return hits
    column = {stage: j for j, stage in enumerate(RULE_STAGES)}
    ours = [(span.start, span.end, column[span.stage]) for span in marks if span.stage in column]
    if not ours:
        return hits
    span_start, span_end, span_column = np.array(ours, dtype=np.int64).T
    starts = np.fromiter(map(_START, content), dtype=np.int64, count=len(content))
    ends = np.fromiter(map(_END, content), dtype=np.int64, count=len(content))
    # Each span against the lines from the one it starts in to the last that starts before
    # its end, in the order of the marks (the shares add up in that order).
    first = np.maximum(np.searchsorted(starts, span_start, side="right") - 1, 0)
    count = np.maximum(np.searchsorted(starts, span_end, side="left") - first, 0)
    span = np.repeat(np.arange(len(ours)), count)
    line = np.arange(len(span)) - np.repeat(np.cumsum(count) - count, count) + first[span]
    overlap = np.minimum(ends[line], span_end[span]) - np.maximum(starts[line], span_start[span])
    keep = overlap > 0
    line, span = line[keep], span[keep]
    share = overlap[keep] / np.maximum(ends[line] - starts[line], 1)
    np.add.at(hits, (line, span_column[span]), share)
    return np.minimum(hits, 1.0)


def _mean(values: np.ndarray) -> float:
    """The mean of a page's values (``values.mean()``: the same sum over the same count,
    without the checks numpy makes on every call, which weigh on a short page's few values).

    >>> _mean(np.array([0.5, 1.0, 3.0])), _mean(np.array([True, False, False, False]))
    (1.5, 0.25)
    """
    return float(values.sum()) / len(values)


def _window_mean(values: np.ndarray, w: int) -> np.ndarray:
    """Mean of each column over rows i-w .. i+w (cut at the edges), by cumulative sums."""
    return _window_means(values, (w,))[0]


def _window_means(values: np.ndarray, widths: Sequence[int]) -> list[np.ndarray]:
    """:func:`_window_mean` for several widths, from one cumulative sum."""
    return [means.T for means in _row_window_means(values.T, widths)]


def _row_window_means(rows: np.ndarray, widths: Sequence[int]) -> list[np.ndarray]:
    """:func:`_window_means` of the transposed matrix: the mean along each row (a fact in
    page order) over the positions i-w .. i+w."""
    k, n = rows.shape
    widths = tuple(widths)
    # The cumulative sums along each row, from 0, with ``pad`` copies of the first sum (0) before
    # them and of the last after: a window's sum, from position max(i - w, 0) to min(i + w, n -
    # 1), is then the difference of two slices of it, ``pad + w + 1`` and ``pad - w`` from the
    # start, for every i at once (no gathers).
    pad = max(widths)
    cums = np.empty((k, n + 2 * pad + 1))
    cums[:, :pad + 1] = 0.0
    np.cumsum(rows, axis=1, out=cums[:, pad + 1:pad + 1 + n])
    cums[:, pad + 1 + n:] = cums[:, pad + n:pad + n + 1]
    means = np.empty((k, len(widths) * n))
    for j, w in enumerate(widths):
        np.subtract(cums[:, pad + w + 1:pad + w + 1 + n], cums[:, pad - w:pad - w + n], out=means[:, j * n:(j + 1) * n])
    means /= _kept_window_sizes(n, widths) if n <= _KEPT_SIZES else _window_sizes(n, widths)
    return [means[:, j * n:(j + 1) * n] for j in range(len(widths))]


# The window sizes of pages up to this many lines are kept (a few MB at most): they are
# worked out once per page length instead of once per page.
_KEPT_SIZES = 1024


def _window_sizes(n: int, widths: tuple[int, ...]) -> np.ndarray:
    """For pages of ``n`` lines, every window's size (positions i-w .. i+w cut at the page's
    edges), one width after the other (read only: the array may be shared)."""
    at = np.arange(n)
    size = np.concatenate([np.minimum(at + w + 1, n) - np.maximum(at - w, 0) for w in widths])
    size.flags.writeable = False
    return size


_kept_window_sizes = lru_cache(maxsize=128)(_window_sizes)


def _shift_rows(rows: np.ndarray, step: int, out: np.ndarray) -> None:
    """Write into ``out`` each row's values ``step`` positions away (0 beyond the page)."""
    out[:] = 0.0
    if step < 0:
        out[:, -step:] = rows[:, :step]
    else:
        out[:, :-step] = rows[:, step:]


def _shape(words: np.ndarray, ends: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """A line's shape: its length in steps of four words, whether it ends a sentence, whether
    it is mostly digits. Lines of one shape in a row (a table's cells, a list, a menu) make a run."""
    return (np.minimum(words, 12) // 4) * 4 + ends * 2 + (digits > 0.2)


def _runs(shape: np.ndarray) -> np.ndarray:
    """Run number of each row: consecutive rows of the same shape share one."""
    change = np.ones(len(shape), dtype=bool)
    change[1:] = shape[1:] != shape[:-1]
    return np.cumsum(change) - 1


def _best_run(gains: np.ndarray) -> tuple[int, int]:
    """First and last row of the run with the highest sum of gains (Kadane's algorithm).

    >>> _best_run(np.array([-5.0, 10.0, -2.0, 12.0, -5.0, 3.0]))
    (1, 3)
    """
    best, best_span = -np.inf, (0, 0)
    total, start = 0.0, 0
    for i, gain in enumerate(gains.tolist()):
        if total <= 0:
            total, start = 0.0, i
        total += gain
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def line_features(segments: Segments, marks: Sequence[Span], lexicon: Lexicon | None = None) -> np.ndarray:
    """The feature matrix of a document's content lines (``segments.content``), columns as
    :data:`FEATURES`; ``marks`` are the detection stages' marks so far, ``lexicon`` the word
    weights of the model that reads the matrix (without one, its columns are 0). The matrix
    is column-major (each feature's values lie together, as the tree walk reads them)."""
    return line_features_and_runs(segments, marks, lexicon)[0]


def line_features_and_runs(segments: Segments, marks: Sequence[Span],
                           lexicon: Lexicon | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`line_features`, and the run number of each row (the runs of same-shaped lines
    the ``run_*`` features describe, which the line model stage keeps whole or not)."""
    n = len(segments.content)
    if n == 0:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=np.intp)
    lists = stoplists()
    # The language from the words of the lines in the guess's sample, as the table has them.
    table = Lines.of(segments)
    in_sample = bisect_left(segments.content, GUESS_SAMPLE, key=_START)  # lines starting in it
    sample = set(chain.from_iterable(table.tokens[:in_sample]))
    stop = lists.words(lists.guess_from_tokens(sample))
    # One row per feature, filled in place; the matrix returned is its transpose (column-major).
    x = np.empty((len(FEATURES), n))
    own = x[:len(OWN)]
    own[:] = _own_facts(segments, stop, lexicon).T
    hits = x[len(OWN):len(OWN) + len(RULE_STAGES)]
    hits[:] = _rule_hits(segments, marks).T
    x[INDEX["rules_any"]] = hits.max(axis=0)

    words = np.expm1(own[_OWN["log_words"]])
    ends = own[_OWN["ends_sentence"]]
    # The windowed facts, and how much prose each line holds (where sentence-ending lines
    # with many words gather is the page's densest prose region).
    windowed = np.vstack([x[[INDEX[name] for name in _WINDOWED]], words * (0.3 + ends)])
    by_width = dict(zip(_WINDOWS, _row_window_means(windowed, _WINDOWS)))
    for w, means in by_width.items():
        at = INDEX[f"{_WINDOWED[0]}_w{w}"]
        x[at:at + len(_WINDOWED)] = means[:-1]
    dense = by_width[10][-1]
    neighbours = x[[INDEX[name] for name in _NEIGHBOURS]]
    for s in _STEPS:
        at = INDEX[f"{_NEIGHBOURS[0]}_{'p' if s < 0 else 'n'}{abs(s)}"]
        _shift_rows(neighbours, s, x[at:at + len(_NEIGHBOURS)])

    index = np.arange(n, dtype=np.float64)
    chars = np.expm1(own[_OWN["log_chars"]])
    cum_chars = np.cumsum(chars) - chars
    centre = int(np.argmax(dense))
    longest = int(np.argmax(words))
    scale = max(n, 1)
    in_region = dense >= 0.5 * dense[centre]

    mean_words = _mean(words)
    max_words = float(words.max())
    page = np.array([
        np.log1p(n), _mean(ends), np.log1p(mean_words), _mean(words >= 10),
        _mean(own[_OWN["stopwords"]]), np.log1p(max_words),
    ])
    run = _runs(_shape(words, ends, own[_OWN["digits"]]))
    run_len = np.bincount(run).astype(np.float64)
    run_words = np.bincount(run, weights=words) / run_len
    run_ends = np.bincount(run, weights=ends) / run_len

    run_start, run_end = _best_run(np.where((words >= 8) & (ends > 0), np.minimum(words, 40.0), -5.0))
    from_run = np.maximum(run_start - index, 0) + np.maximum(index - run_end, 0)
    # The title line: the later line most like the page's first line (a dump starts with the
    # page's <title>, and the article's heading repeats it).
    like_first = own[_OWN["like_first_line"]]
    title = int(np.argmax(like_first)) if n > 1 and like_first.max() >= 0.5 else -1
    for name, values in (
        ("pos_start", index / scale),
        ("pos_end", (n - 1 - index) / scale),
        ("pos_chars", cum_chars / max(float(chars.sum()), 1.0)),
        ("from_prose_centre", (index - centre) / scale),
        ("from_prose_centre_abs", np.abs(index - centre) / scale),
        ("from_longest", np.abs(index - longest) / scale),
        ("in_prose_region", in_region),
        ("in_best_run", from_run == 0),
        ("from_best_run", from_run / scale),
        ("best_run_share", (run_end - run_start + 1) / scale),
        ("from_title", (index - title) / scale if title >= 0 else 1.0),
        ("after_title", index >= title if title >= 0 else 0.0),
        ("words_to_max", words / max(max_words, 1.0)),
        ("words_to_mean", words / max(mean_words, 1.0)),
        ("run_log_len", np.log1p(run_len[run])),
        ("run_mean_words", np.log1p(run_words[run])),
        ("run_ends", run_ends[run]),
    ):
        x[INDEX[name]] = values
    at = INDEX["page_log_lines"]
    x[at:at + len(page)] = page[:, None]
    return x.T, run


# The second pass reads the first pass's scores along the page, and a few of the line's facts.
_SCORE_WINDOWS = (1, 2, 3, 5, 10, 20)
_CARRIED = ("log_words", "ends_sentence", "rules_any", "pos_start", "pos_end", "page_log_lines",
            "page_long_share", "first_in_para", "run_log_len")
SECOND_PASS: tuple[str, ...] = (
    "score", *(f"score_w{w}" for w in _SCORE_WINDOWS),
    *(f"score_{'p' if s < 0 else 'n'}{abs(s)}" for s in _STEPS),
    "score_min_w2", "score_max_w2", "page_score", "page_kept", "score_to_page", "score_rank",
    *_CARRIED,
)


def score_features(scores: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The second pass's features: each line's first-pass score (a probability), the scores
    around it, the page's scores, and :data:`_CARRIED` facts from ``x``."""
    n = len(scores)
    if n == 0:
        return np.zeros((0, len(SECOND_PASS)))
    x2 = np.empty((len(SECOND_PASS), n))  # one row per feature, returned transposed as in line_features
    x2[0] = scores
    x2[1:1 + len(_SCORE_WINDOWS)] = np.concatenate(_row_window_means(scores[None, :], _SCORE_WINDOWS))
    at = 1 + len(_SCORE_WINDOWS)
    for s in _STEPS:
        _shift_rows(scores[None, :], s, x2[at:at + 1])
        at += 1
    # The lowest and highest score within two lines (the page's edges repeated past them).
    padded = np.concatenate([scores[:1], scores[:1], scores, scores[-1:], scores[-1:]])
    x2[at] = np.minimum.reduce([padded[k:k + n] for k in range(5)])
    x2[at + 1] = np.maximum.reduce([padded[k:k + n] for k in range(5)])
    page = _mean(scores)
    x2[at + 2] = page
    x2[at + 3] = _mean(scores >= 0.5)
    x2[at + 4] = scores - page
    rank = np.empty(n, dtype=np.intp)  # each line's place in the scores' order (argsort of the argsort)
    rank[np.argsort(scores)] = np.arange(n)
    x2[at + 5] = rank / max(n - 1, 1)
    x2[at + 6:] = x[:, [INDEX[name] for name in _CARRIED]].T
    return x2.T
