"""Blocks: a line classifier for plain text, in the spirit of jusText, with a main block.

1. Every content line gets features (words, stopword density for the page's language,
   sentence end, links, digits) and a first label: ``good`` (prose), ``near_good``,
   ``short`` or ``bad`` (links, symbols, no words).
2. The main block is the run of lines with the highest score (good lines add their words,
   short and bad lines subtract): the article. Chrome clusters above, below and between
   articles' paragraphs are long runs of short and bad lines and fall outside it. Further
   runs count too: above the best run even weak ones (an intro, the article's first part
   before a gallery), below it only strong ones (what follows an article is mostly
   comments, author bios and teasers). Prose a few lines above a run is its lead.
3. Inside the main block, short and near-good lines stay (headings, captions, list items of
   the article); bad lines go. Outside it only strong prose stays.

Every removal carries the line's features and labels in its ``detail``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import chain, islice, repeat
from operator import attrgetter
from typing import Any

import re


from cleaner.document import Document, Span
from cleaner.lines import Lines
from cleaner.patterns import line_at
from cleaner.segment import Line, Segments
from cleaner.stages.base import Settings, Stage, rule, threshold
from cleaner.stopwords import GUESS_SAMPLE, stoplists

_STRIP = ".,;:!?\"'()[]{}«»„“”‘’–—-*•·|/"
# A quantity at the start of a line, after an optional list marker: a number, a decimal, a
# fraction (1/2, ½, 1 ½), a range (2-3), then a word ("250 g Mehl", "1 ½ cups flour", "2 EL").
_QUANTITY = re.compile(
    r"\s*(?:[-–•*·]\s*)?(\d+(?:[.,]\d+)?(?:\s*/\s*\d\b)?|[½¼¾⅓⅔⅛]|\d+\s*[½¼¾⅓⅔⅛])"
    r"(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?\s*[^\W\d_]")
_DIGITS = re.compile(r"\d+")
_QUANTITY_START = frozenset("0123456789-–•*·½¼¾⅓⅔⅛")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a date or a dated entry, not a quantity


def line_features(table: Lines, stop: frozenset[str]) -> list[dict[str, Any]]:
    """The features of each row of ``table``: its facts (see :mod:`cleaner.lines`) and the
    share of its words in the page's stoplist ``stop``. Copies of a line share one dict.

    >>> f = line_features(Lines.of(Segments("The harbour reopened on Monday after repairs.")), frozenset({"the", "on", "after"}))[0]
    >>> (f["words"], round(f["stop"], 2), f["sentence"], f["link"])
    (7, 0.43, True, False)
    """
    known: dict[str, dict[str, Any]] = {}
    feats = []
    for row, text in enumerate(table.texts):
        f = known.get(text)
        if f is None:
            n = table.words[row]
            # Each word stripped of the punctuation around it by str.strip mapped in C, no
            # Python step per word.
            stops = sum(map(stop.__contains__, map(str.strip, table.tokens[row], repeat(_STRIP)))) if stop else 0
            f = known[text] = {
                "words": n,
                "chars": table.chars[row],
                "stop": stops / n if n and stop else 0.0,
                "sentence": table.ends_sentence[row],
                "link": table.links[row],
                "letters": table.letters[row],
                "digits": table.digits[row],
                "unspaced": table.unspaced[row],  # no stoplist holds its words
            }
        feats.append(f)
    return feats


def distinct_words(segments: Segments, sample: int) -> tuple[dict[str, list[str]], set[str]]:
    """Each distinct content line's text with its words in lower case
    (``text.lower().split()``), in the order of first appearance; and the distinct words of
    the text's first ``sample`` characters in lower case (what :meth:`Stoplists.guess`
    reads), from the same lines.

    str.lower maps each character on its own, except the Greek capital sigma, whose form
    depends on the letters around it; that look-around stops at a line break. So the
    lowered sample's words are its lines' lowered words, the last line cut at ``sample``.

    >>> words, sample_words = distinct_words(Segments("Home\\nThe Harbour\\n\\nHome\\nNews today"), 26)
    >>> list(words.items())[:2], sorted(sample_words)
    ([('Home', ['home']), ('The Harbour', ['the', 'harbour'])], ['harbour', 'home', 'new', 'the'])
    """
    table = Lines.of(segments)
    lines, texts = table.content, table.texts
    words_of = dict(zip(texts, table.tokens))
    # The lines that end inside the sample (ends ascend), then the one the sample cuts.
    whole = bisect_right(lines, sample, key=attrgetter("end"))
    sample_words = set(chain.from_iterable(map(words_of.__getitem__, texts[:whole])))
    if whole < len(lines) and lines[whole].start < sample:
        sample_words.update(segments.text[lines[whole].start:sample].lower().split())
    return words_of, sample_words


def first_label(f: dict[str, Any], t: BlocksSettings, has_stoplist: bool) -> str:
    """good, near_good, short or bad, from one line's features alone.

    >>> t = BlocksSettings(good_words=10, good_stop=0.2, short_words=5, near_stop=0.1)
    >>> first_label({"words": 14, "stop": 0.35, "sentence": True, "link": False, "letters": 0.8}, t, True)
    'good'
    >>> first_label({"words": 3, "stop": 0.0, "sentence": False, "link": True, "letters": 0.7}, t, True)
    'bad'
    """
    if f["words"] == 0 or f["letters"] < 0.5:
        return "bad"
    if f["link"] and f["words"] < t.good_words:
        return "bad"
    if f["words"] < t.short_words:
        return "short"
    # Stopwords tell prose only where the page's list can hold the line's words: not in a
    # Thai or Chinese line of a page whose menus made the guess English.
    listed = has_stoplist and not f.get("unspaced", False)
    stop_ok = f["stop"] >= t.good_stop or not listed
    if f["words"] >= t.good_words and stop_ok and (f["sentence"] or f["words"] >= 2 * t.good_words):
        return "good"
    if f["stop"] >= t.near_stop or not listed:
        return "near_good"
    return "bad"


def line_scores(labels: list[str], words: list[int], t: BlocksSettings) -> list[float]:
    """What each line adds to a block's score: good lines their words, the others a cost."""
    cost = {"short": -t.short_cost, "bad": -t.bad_cost}
    return [
        n if label == "good" else n * t.near_weight if label == "near_good" else cost[label]
        for label, n in zip(labels, words)
    ]


def best_run(scores: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """The contiguous run in ``scores[lo:hi]`` with the highest sum (Kadane's algorithm).

    >>> best_run([-3, 30, -3, 40, -6, -6], 0, 6)
    (67, 1, 3)
    """
    best, best_span = 0.0, (lo, lo - 1)
    run, start = 0.0, lo
    for i in range(lo, hi):
        score = scores[i]
        if run <= 0:
            run, start = score, i
        else:
            run += score
        if run > best:
            best, best_span = run, (start, i)
    return (best, *best_span)


def main_blocks(scores: list[float], share: float, after_share: float | None = None,
                max_blocks: int = 200) -> list[tuple[int, int]]:
    """The best run, then, left and right of it, further runs scoring at least ``share`` of
    it (an article interrupted by an advertisement block is still one article); right of
    the best run, ``after_share`` when given.

    Each further block costs a scan of what is left of the page, so at most ``max_blocks``
    are looked for: a very long page of many equal blocks would otherwise take time that
    grows with the square of its length (no dev page has more than about a hundred).

    >>> main_blocks([40, -30, -30, -30, 35, -30, 5], 0.5)
    [(0, 0), (4, 4)]
    >>> main_blocks([15, -30, -30, 40, -30, -30, 15], 0.25, 0.5)
    [(0, 0), (3, 3)]
    """
    best, first, last = best_run(scores, 0, len(scores))
    if last < first:
        return []
    after = share if after_share is None else after_share
    blocks = [(first, last)]
    pending = [(0, first), (last + 1, len(scores))]
    while pending and len(blocks) <= max_blocks:
        lo, hi = pending.pop()
        score, a, b = best_run(scores, lo, hi)
        if b >= a and score >= (share if a < first else after) * best:
            blocks.append((a, b))
            pending += [(lo, a), (b + 1, hi)]
    return sorted(blocks)


@rule(thresholds=("dump_chrome_lines", "dump_short_lines", "dump_menu_run"))
def page_dump(chrome_lines: int, short_lines: int, menu_run: int, t: BlocksSettings) -> bool:
    """A full-page text dump (menus, footers and all) rather than an extracted article.

    Dumps carry clusters of chrome the phrase, counter and date stages recognise (navigation
    labels, consent notices, share buttons: ``chrome_lines`` counts distinct texts), and long
    runs of menu entries: many lines of a few words. Extracted text has little of either: a
    recipe's ingredients or a gallery's repeated "show picture" labels are not enough. In a
    language without phrase lists a long unbroken run of menu entries (``menu_run`` lines of
    a few words, no sentence end, no leading figure) stands in for the recognised chrome.
    Only dumps get the main-block treatment, so clean text is never thinned out.

    >>> t = BlocksSettings(dump_chrome_lines=3, dump_short_lines=20, dump_menu_run=12)
    >>> page_dump(5, 60, 0, t), page_dump(1, 60, 0, t), page_dump(30, 12, 0, t), page_dump(0, 60, 14, t)
    (True, False, False, True)
    """
    return ((chrome_lines >= t.dump_chrome_lines or menu_run >= t.dump_menu_run)
            and short_lines >= t.dump_short_lines)


def longest_menu_run(table: Lines, max_words: int, enough: int | None = None) -> int:
    """The longest run of consecutive lines that read like menu entries: at most
    ``max_words`` words, no sentence end, not starting with a figure (a table's rows).
    With ``enough``, the first run that long ends the search.

    >>> table = Lines.of(Segments("Home\\nNews\\nSport\\nThe end.\\nA\\nB\\nC\\nD\\n"))
    >>> longest_menu_run(table, 3), longest_menu_run(table, 3, enough=3)
    (4, 3)
    """
    best = run = 0
    for text, words, ends in zip(table.texts, table.words, table.ends_sentence):
        if words <= max_words and not ends and not text.lstrip()[0].isdigit():
            run += 1
            if run > best:
                best = run
                if best == enough:
                    break
        else:
            run = 0
    return best


def distinct_marked(text: str, marks: list[Span] | tuple, enough: int) -> int:
    """How many distinct texts (stripped) the marks cover, counted up to ``enough``: a
    gallery's "show picture" label repeated under every photo is one.

    >>> marks = [Span(0, 4, "chrome", "r"), Span(5, 9, "chrome", "r"), Span(10, 15, "chrome", "r")]
    >>> distinct_marked("Home\\nHome\\nShare", marks, 5), distinct_marked("Home\\nHome\\nShare", marks, 1)
    (2, 1)
    """
    seen: set[str] = set()
    for mark in marks:
        seen.add(text[mark.start:mark.end].strip())
        if len(seen) >= enough:
            break
    return len(seen)


def heading_above(lines: list[Line], feats: list[dict[str, Any]], first: int,
                  marked: set[int], reach: int) -> int | None:
    """The article's title: the nearest line above a main block that reads like a heading
    (a few words, no sentence end), looking past lines other stages marked as chrome and
    at most ``reach`` others (a byline, a date)."""
    seen = 0
    for i in range(first - 1, -1, -1):
        if lines[i].start in marked:
            continue
        f = feats[i]
        if 2 <= f["words"] <= 15 and not f["sentence"] and not f["link"] and f["letters"] >= 0.5:
            return i
        seen += 1
        if seen >= reach:
            return None
    return None


@rule(thresholds=("lead_words", "lead_reach"))
def lead_above(f: dict[str, Any], label: str, t: BlocksSettings) -> bool:
    """A prose line a few lines above a main block, kept: the article's lead or standfirst.

    Between a headline and the body, pages put a date, a byline, share buttons and a photo
    credit; these cost more than a one-paragraph lead adds, so the lead falls outside the
    main block. Chrome above an article is mostly menus of short lines; a line of prose
    (good or near-good, at least ``lead_words`` words) at most ``lead_reach`` lines above a
    block belongs to the article. Below a block the same lines are mostly teasers and bios,
    so nothing is kept there.

    >>> t = BlocksSettings(lead_words=10)
    >>> lead_above({"words": 18}, "near_good", t), lead_above({"words": 18}, "bad", t), lead_above({"words": 6}, "good", t)
    (True, False, False)
    """
    return label in ("good", "near_good") and f["words"] >= t.lead_words


def quantity_line(text: str, f: dict[str, Any], t: BlocksSettings) -> int | None:
    """The leading number of a line that starts with a quantity and a word ("250 g Mehl",
    "1 ½ cups flour"), at most ``list_max_words`` words and no year in it; else None.

    >>> t = BlocksSettings(list_max_words=8)
    >>> quantity_line("250 g Mehl", {"words": 3}, t), quantity_line("- 1/2 block of tofu, diced", {"words": 6}, t)
    (250, 1)
    >>> quantity_line("27 April 2022", {"words": 3}, t), quantity_line("Mehl", {"words": 1}, t)
    (None, None)
    """
    m = _QUANTITY.match(text)
    if m is None or f["words"] > t.list_max_words or _YEAR.search(text):
        return None
    digits = _DIGITS.match(m.group(1))
    return int(digits.group()) if digits else 0  # ½ and the like: no rank


@rule(thresholds=("list_min_lines", "list_max_words", "list_reach"))
def quantity_list(numbers: list[int], distance: int, t: BlocksSettings) -> bool:
    """A run of lines that start with quantities near a main block, kept: the article's
    ingredients or specifications ("250 g Mehl", "2 EL Zucker", "1 ½ cups flour").

    At least ``list_min_lines`` of them, at most one other line between two (a sub-heading:
    "Für die Füllung:"), the nearest at most ``list_reach`` lines from a main block. Menus
    are words, not quantities; a ranked list ("1 ...", "2 ...", "3 ...") counts up, and its
    numbers are ranks, so it is not one.

    >>> t = BlocksSettings(list_min_lines=4, list_reach=15)
    >>> quantity_list([250, 2, 1, 500], 3, t), quantity_list([1, 2, 3, 4], 3, t), quantity_list([250, 2, 1, 500], 40, t)
    (True, False, False)
    """
    if len(numbers) < t.list_min_lines or distance > t.list_reach:
        return False
    counting_up = sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1)
    return counting_up < len(numbers) // 2


@rule(thresholds=("min_lines", "good_words", "short_words", "good_stop", "near_stop", "near_weight", "short_cost", "bad_cost", "block_share", "after_share", "max_blocks", "heading_reach"))
def outside_main_block(inside: bool, kept: bool) -> bool:
    """A line outside the article's main blocks (and their titles and leads): chrome above,
    below or beside the article, unless ``kept`` as one of its quantity lists.

    >>> outside_main_block(False, False), outside_main_block(True, False), outside_main_block(False, True)
    (True, False, False)
    """
    return not inside and not kept


@rule
def repeated_line(label: str, copies: int) -> bool:
    """A heading-like line inside the main block (short or near-good) whose text the page
    repeats elsewhere: a teaser headline shown twice, a label under every picture, a menu
    entry. An article's own headings and captions appear once; the page's first line (its
    title, which the headline repeats) is not counted.

    >>> repeated_line("near_good", 2), repeated_line("good", 3), repeated_line("short", 1)
    (True, False, False)
    """
    return label in ("short", "near_good") and copies >= 2


@rule
def bad_line(label: str) -> bool:
    """A line inside the main block made of links, symbols or figures without words."""
    return label == "bad"


class _Rounded(dict):
    """``round(x, 2)`` of each ratio looked up, computed once: a page's ratios repeat
    (0.0, 1.0, 0.5 ...), and a lookup costs a fraction of a rounding.

    >>> rounded = _Rounded()
    >>> rounded[2 / 3], rounded[0.125], len(rounded)
    (0.67, 0.12, 2)
    """

    def __missing__(self, x: float) -> float:
        value = self[x] = round(x, 2)
        return value


@dataclass(frozen=True)
class BlocksSettings(Settings):
    """The blocks stage's thresholds (``[thresholds.blocks]``)."""

    good_words: int = threshold(10, 'a good (prose) line has at least this many words')
    short_words: int = threshold(5, 'a line with fewer words is short')
    good_stop: float = threshold(0.2, 'a good line has at least this share of stopwords (when the language has a list)')
    near_stop: float = threshold(0.1, 'a near-good line has at least this share of stopwords')
    near_weight: float = threshold(0.5, 'a near-good line adds this share of its words to the main-block score')
    short_cost: int = threshold(15, 'a short line subtracts this from the main-block score')
    bad_cost: int = threshold(30, 'a bad line subtracts this from the main-block score')
    block_share: float = threshold(0.1, 'a further block above the best one is kept when it scores at least this share of it')
    after_share: float = threshold(0.5, 'a further block below the best one is kept when it scores at least this share of it')
    max_blocks: int = threshold(200, 'at most this many further blocks are looked for (each costs a scan of the rest of the page)')
    heading_reach: int = threshold(1, 'how many unmarked lines above a main block are searched for its title')
    lead_reach: int = threshold(12, 'how many lines above a main block are searched for lead paragraphs (lead_above)')
    lead_words: int = threshold(10, 'a lead paragraph above a main block has at least this many words')
    list_min_lines: int = threshold(4, 'a quantity list (quantity_list) has at least this many lines starting with a quantity')
    list_max_words: int = threshold(8, 'a line of a quantity list has at most this many words')
    list_reach: int = threshold(15, 'a quantity list is at most this many lines from a main block')
    min_lines: int = threshold(4, 'documents with fewer content lines are left alone')
    dump_chrome_lines: int = threshold(2, 'a page dump has at least this many distinct lines marked by earlier stages')
    dump_short_lines: int = threshold(10, 'and at least this many short lines (fewer than short_words words)')
    dump_menu_run: int = threshold(30, 'or, instead of the marked lines, a run of at least this many menu-like lines')
    menu_words: int = threshold(3, 'a menu-like line has at most this many words, no sentence end, no leading figure')


class Blocks(Stage):
    name = "blocks"
    replaced_by = "line_model"
    description = "Line classifier (length, stopwords, punctuation, links) and the article's main block."
    rules = (page_dump, lead_above, quantity_list, outside_main_block, repeated_line, bad_line)
    settings = BlocksSettings

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        marks = marks or []
        if len(segments.content) < self.t.min_lines or not self._page_dump(segments, marks):
            return []
        lang, feats, labels = self._first_labels(segments)
        inside, listed = self._main_lines(segments, feats, labels, marks)
        return self._removals(segments, lang, feats, labels, inside, listed)

    def _page_dump(self, segments: Segments, marks: list[Span]) -> bool:
        """Whether the text is a page dump (:func:`page_dump`). It needs chrome (marked lines,
        or a run of menu entries) and short lines: each count is only taken when the ones
        before it leave the question open, and only up to the number page_dump asks for."""
        t, table = self.t, Lines.of(segments)
        chrome_lines = distinct_marked(segments.text, marks, t.dump_chrome_lines)
        short_lines = menu_run = 0
        if chrome_lines < t.dump_chrome_lines and len(table) >= t.dump_menu_run:
            menu_run = longest_menu_run(table, t.menu_words, t.dump_menu_run)
        if chrome_lines >= t.dump_chrome_lines or menu_run >= t.dump_menu_run:
            # Counted up to the number page_dump asks for: a dump's menus come early.
            short = (words for words in table.words if words < t.short_words)
            short_lines = sum(1 for _ in islice(short, t.dump_short_lines))
        return bool(page_dump(chrome_lines, short_lines, menu_run, t))

    def _first_labels(self, segments: Segments) -> tuple[str | None, list[dict[str, Any]], list[str]]:
        """The page's language (its stoplist), and each content line's features and first label."""
        lists = stoplists()
        # The language guess reads the words the table has split already.
        lang = lists.guess_from_tokens(distinct_words(segments, GUESS_SAMPLE)[1])
        stop = lists.words(lang)
        feats = line_features(Lines.of(segments), stop)
        return lang, feats, [first_label(f, self.t, bool(stop)) for f in feats]

    def _main_lines(self, segments: Segments, feats: list[dict[str, Any]], labels: list[str],
                    marks: list[Span]) -> tuple[list[bool], set[int]]:
        """Which content lines belong to the article: its main blocks with their titles and
        leads (per content line); and the line indices of the quantity lists kept beside it."""
        lines, t = segments.content, self.t
        scores = line_scores(labels, [f["words"] for f in feats], t)
        inside = [False] * len(lines)
        marked = {span.start for span in marks}
        blocks = main_blocks(scores, t.block_share, t.after_share, t.max_blocks)
        for first, last in blocks:
            inside[first : last + 1] = [True] * (last + 1 - first)
            title = heading_above(lines, feats, first, marked, t.heading_reach)
            if title is not None:
                inside[title] = True
        # Neither a lead nor a quantity list takes a line an earlier stage marked.
        chrome = self._chrome_lines(segments, lines, marks)
        if blocks and self.on(lead_above.id):
            for i in self._leads(feats, labels, inside, blocks, chrome):
                inside[i] = True
        listed = self._quantity_lists(lines, feats, inside, chrome) if self.on(quantity_list.id) else set()
        return inside, listed

    def _removals(self, segments: Segments, lang: str | None, feats: list[dict[str, Any]], labels: list[str],
                  inside_main: list[bool], listed: set[int]) -> list[Span]:
        """The lines bad_line, repeated_line and outside_main_block remove, each with its
        line's labels and features."""
        lines, normal = segments.content, Lines.of(segments).normal
        # repeated_line compares the lines' words in lower case, joined by single spaces; the
        # page's first line (its title, which the headline repeats) is not counted.
        copies = Counter(normal[1:])
        on_bad, on_repeated, on_outside = self.on(bad_line.id), self.on(repeated_line.id), self.on(outside_main_block.id)
        rounded = _Rounded()
        spans: list[Span] = []
        for line, f, label, inside in zip(lines, feats, labels, inside_main):
            n = None
            if inside and on_bad and bad_line(label):
                rule_id = bad_line.id
            elif (inside and label != "good" and on_repeated
                  and repeated_line(label, n := copies[normal[line.row]])):
                rule_id = repeated_line.id
            elif on_outside and outside_main_block(inside, line.index in listed):
                rule_id = outside_main_block.id
            else:
                continue
            detail = {"label": label, "lang": lang, "words": f["words"], "chars": f["chars"], "stop": rounded[f["stop"]],
                      "sentence": f["sentence"], "link": f["link"], "letters": rounded[f["letters"]],
                      "digits": rounded[f["digits"]]}
            spans.append(Span(line.start, line.end, self.name, rule_id, detail=detail if n is None else {"copies": n, **detail}))
        return spans

    @staticmethod
    def _chrome_lines(segments: Segments, lines: list[Line], marks: list[Span] | tuple) -> set[int]:
        """Positions in ``lines`` of the content lines an earlier stage marked, even in part."""
        # Most marks cover one content line from its start: looked up by that start. The
        # others (a mark from inside a line, or over several) are placed by bisection.
        position = {line.start: k for k, line in enumerate(lines)}
        indices: list[int] | None = None
        chrome: set[int] = set()
        for span in marks:
            k = position.get(span.start)
            if k is not None and span.end <= lines[k].end + 1:  # the line and its line break
                chrome.add(k)
                continue
            if indices is None:
                indices = [line.index for line in lines]  # ascending
            a = line_at(segments, span.start).index
            b = line_at(segments, max(span.start, span.end - 1)).index
            chrome.update(range(bisect_left(indices, a), bisect_right(indices, b)))
        return chrome

    def _quantity_lists(self, lines: list[Line], feats: list[dict[str, Any]], inside: list[bool],
                        chrome: set[int]) -> set[int]:
        """Line indices kept by ``quantity_list``: each run of quantity lines (one other
        line allowed between two) that passes the rule, with the lines between."""
        n = len(lines)
        numbers = [quantity_line(line.text, f, self.t) if line.text.lstrip()[:1] in _QUANTITY_START else None
                   for line, f in zip(lines, feats)]
        if sum(x is not None for x in numbers) < self.t.list_min_lines:
            return set()
        distance = [n] * n  # content lines to the nearest line of a main block
        d = n
        for i in range(n):
            d = 0 if inside[i] else d + 1
            distance[i] = d
        d = n
        for i in range(n - 1, -1, -1):
            d = 0 if inside[i] else d + 1
            distance[i] = min(distance[i], d)
        kept: set[int] = set()
        i = 0
        while i < n:
            if numbers[i] is None or i in chrome:
                i += 1
                continue
            members, last, k, between = [i], i, i + 1, 0
            while k < n and k not in chrome:
                if numbers[k] is not None:
                    members.append(k)
                    last, between = k, 0
                elif between < 1 and not inside[k]:
                    between += 1
                else:
                    break
                k += 1
            if quantity_list([numbers[m] for m in members], min(distance[m] for m in members), self.t):
                kept.update(lines[m].index for m in range(i, last + 1) if not inside[m])
            i = last + 1
        return kept

    def _leads(self, feats: list[dict[str, Any]], labels: list[str], inside: list[bool],
               blocks: list[tuple[int, int]], chrome: set[int]) -> list[int]:
        """Lines kept by ``lead_above``: prose at most ``lead_reach`` lines above each block,
        not reaching into the block before it, and not in ``chrome`` (marked by an earlier
        stage)."""
        keep = []
        for first, _ in blocks:
            for i in range(first - 1, max(-1, first - 1 - self.t.lead_reach), -1):
                if inside[i]:
                    break
                if i not in chrome and lead_above(feats[i], labels[i], self.t):
                    keep.append(i)
        return keep
