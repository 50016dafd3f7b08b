"""Helpers to compile line patterns once and find the lines they hit, under a time limit.

Every regular expression that runs over document text runs through :class:`Bounded`: the
``regex`` module's ``timeout`` stops it, and :class:`PatternTimeout` names the rule whose
pattern tripped. The pipeline then leaves the document unchanged by that rule (its marks
for this document are discarded) and logs a ``pattern_timeout`` note; the CLI prints one line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from typing import Collection, Iterable, Iterator, Mapping, Sequence

import ahocorasick
import regex
from re import _parser  # type: ignore[attr-defined]  # the stdlib's own pattern parser, for literals and heads

from cleaner import screens
from cleaner.segment import Line, Segments

# The characters regex's \s matches (Unicode White_Space), for str.strip: str.isspace also
# takes the separators U+001C..U+001F, which \s does not.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


# A digit as the rules' patterns read \d (regex's Unicode tables, newer than Python's), and
# the rest of its line: one match per line holding a digit (see digit_lines). It cannot
# backtrack (a class, then a run nothing follows), so it needs no time limit.
_DIGIT_TO_LINE_END = regex.compile(r"\d[^\n]*")


# -- bounded matching ---------------------------------------------------------------------

# A scan may take TIMEOUT seconds plus TIMEOUT_PER_MB for each million characters it scans
# (every built-in pattern runs at well over 5 MB/s; the budget is for runaway backtracking).
TIMEOUT = 2.0
TIMEOUT_PER_MB = 2.0
# Built-in patterns (reviewed: none backtracks worse than quadratically, and
# tests/test_pathological.py runs each on adversarial lines) skip the clock on strings
# shorter than this: arming the timeout costs several times a failing match on one line.
# Patterns from the user's config are always timed.
UNTIMED_BELOW = 2000


class PatternTimeout(RuntimeError):
    """A rule's regular expression ran past its time limit (catastrophic backtracking), or
    a rule that is no pattern (``pattern`` None: the mojibake repair) ran past its own.

    >>> str(PatternTimeout("user_drop_pattern", "(a|aa)+$", 2.0))
    "rule user_drop_pattern: pattern '(a|aa)+$' ran over 2 s and was stopped"
    >>> str(PatternTimeout("fix_mojibake", None, 2.5))
    'rule fix_mojibake: ran over 2.5 s and was stopped'
    """

    def __init__(self, rule: str, pattern: str | None, seconds: float):
        self.rule, self.pattern, self.seconds = rule, pattern, seconds
        what = "" if pattern is None else f"pattern {pattern!r} "
        super().__init__(f"rule {rule}: {what}ran over {seconds:g} s and was stopped")

    def note(self) -> dict:
        pattern = {} if self.pattern is None else {"pattern": self.pattern}
        return {"rule": self.rule, **pattern, "seconds": round(self.seconds, 3)}


def timeout_message(stage: str, detail: dict) -> str:
    """One line for a ``pattern_timeout`` note (what the CLI prints, what batch lists).

    >>> timeout_message("normalise", {"rule": "fix_mojibake", "seconds": 2.4})
    'rule fix_mojibake (normalise): ran over 2.4 s and was stopped; the rule left this document unchanged'
    """
    what = f"pattern {detail['pattern']!r} " if "pattern" in detail else ""
    return (f"rule {detail.get('rule')} ({stage}): {what}ran over "
            f"{detail.get('seconds')} s and was stopped; the rule left this document unchanged")


def budget(length: int) -> float:
    """Seconds a scan over ``length`` characters may take."""
    return TIMEOUT + TIMEOUT_PER_MB * length / 1e6


class Bounded:
    """A compiled pattern whose searches stop at a time limit, naming their rule.

    >>> Bounded("demo", regex.compile(r"\\d+")).search("ab 12").group()
    '12'
    """

    __slots__ = ("rule", "compiled", "source", "reviewed")

    def __init__(self, rule: str, compiled: regex.Pattern[str], source: str | None = None, reviewed: bool = False):
        self.rule = rule
        self.compiled = compiled
        self.source = source if source is not None else compiled.pattern
        self.reviewed = reviewed  # a built-in pattern: short strings run without the clock

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def _tripped(self, seconds: float) -> PatternTimeout:
        return PatternTimeout(self.rule, self.source, seconds)

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        if self.reviewed and len(string) < UNTIMED_BELOW:
            return self.compiled.search(string, pos, endpos)
        limit = budget(len(string) - pos if endpos is None else endpos - pos)
        try:
            return self.compiled.search(string, pos, endpos, timeout=limit)
        except TimeoutError:
            raise self._tripped(limit) from None

    def match(self, string: str, pos: int = 0, endpos: int | None = None):
        if self.reviewed and len(string) < UNTIMED_BELOW:
            return self.compiled.match(string, pos, endpos)
        limit = budget(len(string) - pos if endpos is None else endpos - pos)
        try:
            return self.compiled.match(string, pos, endpos, timeout=limit)
        except TimeoutError:
            raise self._tripped(limit) from None

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        if self.reviewed and len(string) < UNTIMED_BELOW:
            yield from self.compiled.finditer(string, pos, endpos)
            return
        limit = budget((len(string) if endpos is None else endpos) - pos)
        try:
            yield from self.compiled.finditer(string, pos, endpos, timeout=limit)
        except TimeoutError:
            raise self._tripped(limit) from None

    def findall(self, string: str) -> list:
        limit = budget(len(string))
        try:
            return self.compiled.findall(string, timeout=limit)
        except TimeoutError:
            raise self._tripped(limit) from None


def bounded(rule: str, pattern: str, flags: int = 0) -> Bounded:
    """Compile a built-in ``pattern`` for ``rule``, bounded in time on long strings."""
    return Bounded(rule, regex.compile(pattern, flags), reviewed=True)



_LINE_SPACE = r"[^\S\n]"
# Inside a character class a nested class cannot be written: every space but the line break.
_CLASS_SPACE = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in WHITE_SPACE if c != "\n")


def _spaces_within_lines(pattern: str, possessive: bool) -> str:
    """``pattern`` with every ``\\s`` limited to one line: outside character classes it
    becomes ``[^\\S\\n]`` (possessive before ``*``, ``+`` or ``?`` when asked), inside
    them the list of spaces without the line break.

    >>> _spaces_within_lines(r"a\\s*[\\d\\s]", True).startswith(r"a[^\\S\\n]*+[\\d\\x09")
    True
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    class_from = -1  # where the current character class's members start; -1 outside one
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            if pattern[i + 1] != "s":
                out.append(pattern[i : i + 2])
            elif class_from >= 0:
                out.append(_CLASS_SPACE)
            else:
                out.append(_LINE_SPACE)
                quantifier = pattern[i + 2 : i + 3]
                if possessive and quantifier in ("*", "+", "?") and pattern[i + 3 : i + 4] not in ("*", "+", "?"):
                    out.append(quantifier + "+")
                    i += 1
            i += 2
            continue
        if class_from < 0 and c == "[":
            class_from = i + 2 if pattern[i + 1 : i + 2] == "^" else i + 1
        elif class_from >= 0 and c == "]" and i > class_from:  # a "]" first in the class is a member
            class_from = -1
        out.append(c)
        i += 1
    return "".join(out)


# A list item's marker, as text dumps of HTML lists write it: "* ", "• ", "+ ", "o ", "- ", "1. ".
_MARKER = r"(?:[*•·+o–—-]|\d{1,2}[.)])"
_LIST_MARKER = rf"(?:{_MARKER}[^\S\n]++)?+"


def line_pattern(pattern: str, possessive: bool = False, list_items: bool = False) -> str:
    """Make a per-line pattern safe to run over a whole text in MULTILINE mode.

    ``^``/``$`` anchors allow surrounding spaces, and ``\\s`` never crosses a line break.
    A pattern already ending in ``\\s*$`` gets no second run of spaces before ``$`` (two
    adjacent runs of the same class backtrack quadratically on a line of spaces).

    >>> line_pattern(r"^share\\s*$")
    '^[^\\\\S\\\\n]*share[^\\\\S\\\\n]*$'

    ``possessive`` (for the built-in phrase lists, where no ``\\s`` run is ever followed by
    something that could match a space) makes every run of spaces possessive, so a line
    of a million spaces is rejected in one pass instead of quadratic backtracking.

    >>> line_pattern(r"^share\\s*[:!.]?$", possessive=True)
    '^[^\\\\S\\\\n]*+share[^\\\\S\\\\n]*+[:!.]?[^\\\\S\\\\n]*+$'

    ``list_items`` lets a ``^``-anchored pattern also match the line as a list item of a
    text dump ("* Impressum", "1. Startseite").
    """
    space = _LINE_SPACE
    body = _spaces_within_lines(pattern, possessive)
    run = space + ("*+" if possessive else "*")
    if body.startswith("^"):
        body = "^" + run + (_LIST_MARKER if list_items else "") + body[1:]
    if body.endswith("$") and not body.endswith(r"\$"):
        if not body[:-1].endswith((space + "*", space + "*+")):
            body = body[:-1] + run + "$"
    return body


@lru_cache(maxsize=64)
def compile_alternation(patterns: tuple[str, ...], rule: str = "user_pattern") -> Bounded:
    """One bounded regex for many line patterns; group ``p<i>`` tells which one matched."""
    if not patterns:
        return Bounded(rule, regex.compile(r"(?!)"), "")
    joined = "|".join(f"(?P<p{i}>{line_pattern(p)})" for i, p in enumerate(patterns))
    compiled = regex.compile(joined, regex.IGNORECASE | regex.MULTILINE | regex.VERSION0)
    return Bounded(rule, compiled, " | ".join(patterns))


def matched_index(match: regex.Match[str]) -> int:
    name = match.lastgroup
    if name is not None and name.startswith("p"):
        return int(name[1:])
    for key, value in match.groupdict().items():
        if value is not None:
            return int(key[1:])
    return -1


def line_at(segments: Segments, pos: int) -> Line:
    """The line containing offset ``pos``."""
    starts = segments.line_starts
    return segments.lines[bisect_right(starts, pos) - 1]


def digit_lines(segments: Segments, end: int | None = None) -> list[Line]:
    """The lines holding a digit (before offset ``end``), in order: a screen for rules whose
    every match holds one. One scan of the text (one match per such line) costs less than
    a search per line.

    >>> [line.text for line in digit_lines(Segments("Home\\n12 Comments\\n\\nIn 2024 and 2025."))]
    ['12 Comments', 'In 2024 and 2025.']
    """
    text = segments.text
    return [line_at(segments, match.start()) for match in _DIGIT_TO_LINE_END.finditer(text, 0, len(text) if end is None else end)]


# -- prefiltering: a literal every match must contain --------------------------------------

def required_literals(pattern: str, min_length: int = 1) -> frozenset[str] | None:
    """Literal strings, one of which every match of ``pattern`` contains (lowercased).

    Used to find candidate lines with one fast scan before running the full patterns.
    ``None`` when no such set of strings of at least ``min_length`` characters exists.

    >>> sorted(required_literals(r"\\bsubscribe (?:to|for) our (?:newsletter|digest)\\b"))
    ['subscribe for our digest', 'subscribe for our newsletter', 'subscribe to our digest', 'subscribe to our newsletter']
    >>> sorted(required_literals(r"^(?:advertisement|sponsored content)$"))
    ['advertisement', 'sponsored content']
    >>> required_literals(r"\\d+ \\w+", min_length=2) is None
    True
    """
    return _literals(_parsed(pattern), min_length)


def _parsed(pattern: str) -> list | None:
    """The pattern through :func:`fold_case`, parsed by the stdlib's own pattern parser
    (None if it cannot)."""
    try:
        return list(_parser.parse(fold_case(pattern)))
    except Exception:
        return None


def _literals(tree: list | None, min_length: int = 1) -> frozenset[str] | None:
    best = None if tree is None else _factor(tree, _parser)
    if best is None or min(len(s) for s in best) < min_length:
        return None
    return frozenset(best)


def _factor(items, p) -> set[str] | None:
    """Best necessary-literal set for a sequence of parsed items. A run of items that each
    match one of a few strings exactly (a literal, ``[ab]``, ``(?:to|for)``, ``(?:the )?``)
    is multiplied out into the strings the run matches, while there are at most 64."""
    candidates: list[set[str]] = []
    run = {""}

    def close_run() -> None:
        nonlocal run
        if "" not in run:
            candidates.append(run)
        run = {""}

    for op, arg in items:
        if op in (p.AT, p.ASSERT, p.ASSERT_NOT):  # zero-width: the strings around it are adjacent
            continue
        strings, whole = _prefixes([(op, arg)], p)
        if whole:
            combined = {head + tail for head in run for tail in strings}
            if len(combined) > _MAX_HEADS:
                close_run()
                combined = strings
            run = combined
            continue
        close_run()
        sub: set[str] | None = None
        if op is p.SUBPATTERN:
            sub = _factor(list(arg[-1]), p)
        elif op is p.BRANCH:
            sets = [_factor(list(branch), p) for branch in arg[1]]
            if all(s is not None for s in sets):
                sub = set().union(*sets)  # type: ignore[arg-type]
        elif op in (p.MAX_REPEAT, p.MIN_REPEAT) and arg[0] >= 1:
            sub = _factor(list(arg[2]), p)
        if sub:
            candidates.append(sub)
    close_run()
    if not candidates:
        return None
    return _shortest_needed(max(candidates, key=lambda s: (min(len(x) for x in s), -len(s))))


def _shortest_needed(strings: set[str]) -> set[str]:
    """``strings`` without those holding another of them: a text holding one of the
    strings holds one of these.

    >>> sorted(_shortest_needed({"mar", " mar", "may", "in may"}))
    ['mar', 'may']
    """
    return {s for s in strings if not any(t != s and t in s for t in strings)}


# Letters the phrase patterns (IGNORECASE) match as another letter that str.lower() keeps
# apart: the long s as "s", the final sigma as "σ", the micro sign as "μ", Greek symbol
# forms, old Cyrillic letter forms. tests/test_rules.py derives this list from the regex module.
_FOLDED_APART = "µſ\u0345ςϐϑϕϖϰϱϵᲀᲁᲂᲃᲄᲅᲆᲇᲈẛ\u1fbe"  # escaped: combining, and changed by NFC
_FOLD_APART = str.maketrans({c: c.casefold() for c in _FOLDED_APART})


def fold_case(text: str) -> str:
    """``text`` lowercased for the phrase needles, one character for one, so that two
    characters the phrase patterns (IGNORECASE) take as the same letter come out the same.
    Needles are folded so too. "İ", the one character whose lowercase is two ("i" and a
    combining dot), becomes "i"; the letters :func:`str.lower` keeps apart from their
    pattern letter become it ("ſ" becomes "s", "ς" becomes "σ").

    >>> fold_case("İLGİLİ Haberler"), fold_case("ſhare"), fold_case("ΣΧΌΛΙΑ ΧΡΉΣΤΗΣ")
    ('ilgili haberler', 'share', 'σχόλια χρήστησ')
    """
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    text = text.lower()
    # One substring search per letter beats a character class over the text five times over
    # (and skips at once those of a wider kind than the text's: "µ" is the one below U+0100).
    if any(letter in text for letter in _FOLDED_APART):
        text = text.translate(_FOLD_APART)
    return text


# -- anchored patterns: matched from the head of the line -----------------------------------

# The flags every phrase pattern is compiled with.
_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.VERSION0
# The head of a line as line_pattern(..., possessive=True, list_items=True) reads it before a
# pattern's first item: its spaces, then a list marker. Both runs are possessive (only the
# marker's one or two digits can give one back), so it needs no time limit, and where it
# ends is fixed by the line alone.
_LINE_HEAD = regex.compile("^" + _LINE_SPACE + "*+" + _LIST_MARKER, _FLAGS)
# A line break followed by a non-empty head: the lines whose head is past their first
# character. A few characters from a line break on, so no time limit either.
_INDENTED_LINE = regex.compile(r"\n(?:" + _LINE_SPACE + "|" + _MARKER + _LINE_SPACE + ")", _FLAGS)


def line_head(line: str) -> int:
    """Where a line's content starts past its spaces and list marker, as the phrase
    patterns' ``^`` reads it (see :func:`line_pattern`).

    >>> line_head("Home"), line_head("  * Home"), line_head("12. Home"), line_head("123. Home")
    (0, 4, 4, 0)
    >>> line_head("o Home"), line_head("Ö Home")
    (2, 0)
    """
    # A line starting with a letter other than the marker "o" starts with neither a space nor
    # a list marker (letters are no digits): its head is at 0, found without the regex
    # (tests/test_rules.py tries every letter).
    if line[:1].isalpha() and line[0] not in "oO":
        return 0
    return _LINE_HEAD.match(line).end()


def anchored(pattern: str, tree: list | None = None) -> bool:
    """Whether ``pattern`` is anchored as a whole: ``^`` first, no top-level ``|``.

    Such a pattern, wrapped by :func:`line_pattern` with ``list_items``, is ``^``, the line's
    head (:data:`_LINE_HEAD`), then ``line_pattern(pattern[1:], possessive=True)``: it matches
    a line exactly when that rest matches at the line's head.

    >>> anchored(r"^share\\s*$"), anchored(r"^home|menu$"), anchored(r"\\bshare\\b")
    (True, False, False)
    """
    tree = _parsed(pattern) if tree is None else tree
    if not tree or not pattern.startswith("^") or pattern.startswith("^^"):
        return False
    return tree[0] == (_parser.AT, _parser.AT_BEGINNING)


_MAX_HEADS = 64


def line_heads(pattern: str, tree: list | None = None) -> frozenset[str] | None:
    """For an :func:`anchored` pattern: strings (lowercased), one of which every match
    starts with at the line's head; None when there is no such set of non-empty strings
    (of at most 64 strings), or the pattern is not anchored.

    >>> sorted(line_heads(r"^(?:print|save) (?:the )?(?:recipe|pdf)$"))
    ['print pdf', 'print recipe', 'print the pdf', 'print the recipe', 'save pdf', 'save recipe', 'save the pdf', 'save the recipe']
    >>> sorted(line_heads(r"^folg(?:e|t) uns\\b")), line_heads(r"^\\d+ comments"), line_heads(r"^(?:the )?\\w+")
    (['folge uns', 'folgt uns'], None, None)
    """
    tree = _parsed(pattern) if tree is None else tree
    if tree is None or not anchored(pattern, tree):
        return None
    heads, _ = _prefixes(tree[1:], _parser)
    if "" in heads:
        return None
    return frozenset(heads)


def _prefixes(items, p) -> tuple[set[str], bool]:
    """Strings one of which starts every match of a parsed sequence, and whether every
    match is one of them exactly (then what follows can be appended)."""
    heads = {""}
    for op, arg in items:
        whole = True
        if op in (p.AT, p.ASSERT, p.ASSERT_NOT):  # zero-width: a match starts with what follows
            continue
        if op is p.LITERAL:
            options: set[str] = {chr(arg)}
        elif op is p.IN and all(kind is p.LITERAL for kind, _ in arg):  # [et], (?:e|t)
            options = {chr(code) for _, code in arg}
        elif op is p.SUBPATTERN:
            options, whole = _prefixes(list(arg[-1]), p)
        elif op is p.BRANCH:
            options = set()
            for branch in arg[1]:
                sub, sub_whole = _prefixes(list(branch), p)
                options |= sub
                whole = whole and sub_whole
        elif op is p.MAX_REPEAT and arg[:2] == (0, 1):  # optional
            options, whole = _prefixes(list(arg[2]), p)
            if not whole:
                return heads, False
            options.add("")
        else:
            return heads, False
        if "" in options and not whole:
            return heads, False
        combined = {head + option for head in heads for option in options}
        if len(combined) > _MAX_HEADS:
            return heads, False
        heads = combined
        if not whole:
            return heads, False
    return heads, True


PatternNeedles = tuple[bool, tuple[str, ...]]


def pattern_needles(pattern: str) -> PatternNeedles:
    """Whether a pattern is :func:`anchored`, and the needles a :class:`PhraseSet` finds its
    candidate lines by: a line break and one of its :func:`line_heads` when it has them,
    else its :func:`required_literals`; none when it requires no literal (it is then tried
    on every line).

    >>> pattern_needles(r"^(?:share|print)$"), pattern_needles(r"\\bfollow us\\b"), pattern_needles(r"\\d+")
    ((True, ('\\nprint', '\\nshare')), (False, ('follow us',)), (False, ()))
    """
    tree = _parsed(pattern)
    is_anchored = anchored(pattern, tree)
    heads = line_heads(pattern, tree) if is_anchored else None
    needles = ["\n" + head for head in heads] if heads is not None else _literals(tree) or ()
    return is_anchored, tuple(sorted(needles))


# The depth of the nodes scan_order orders: deeper ones gain nothing measurable, and ranking
# whole needles takes 5 ms instead of 2 when the phrase set is built.
_SCAN_ORDER_DEPTH = 4


def scan_order(needles: Iterable[str]) -> list[str]:
    """``needles`` in the order to add them to an automaton: by their first characters, the
    ones most used there first. pyahocorasick keeps a node's children in the order they were
    added and looks a character up by going through them one by one; a scan spends its
    steps in the nodes near the root, and the characters of a text are mostly ones the
    needles use a lot, so they are found after fewer steps (a tenth off the chrome scan).

    >>> scan_order(["bad", "ab", "add"])  # "a" and "d" thrice, "b" twice
    ['add', 'ab', 'bad']
    """
    needles = list(needles)
    heads = [needle[:_SCAN_ORDER_DEPTH] for needle in needles]
    # Each character becomes the one whose code is its rank: the strings sort as the ranks do.
    by_rank = {ord(char): i for i, (char, _) in enumerate(Counter("".join(heads)).most_common())}
    ranked = [head.translate(by_rank) for head in heads]
    return [needles[i] for i in sorted(range(len(needles)), key=ranked.__getitem__)]


class PhraseSet:
    """Many line patterns, matched fast: an Aho-Corasick automaton finds, in one pass over
    a lowercased text, the strings the patterns require; only the patterns whose strings
    occur in a line are tried there, each compiled on first use.

    A pattern anchored with ``^`` (see :func:`anchored`) requires one of its
    :func:`line_heads` at the head of a line: the automaton looks for it after a line
    break, which leaves out its other occurrences in the line. Any other pattern requires
    one of its :func:`required_literals` anywhere.

    >>> phrases = PhraseSet(("^advertisement$", r"\\bfollow us on\\b"))
    >>> phrases.search("Follow us on Mastodon"), phrases.search("Nothing here")
    (1, None)
    """

    def __init__(self, patterns: tuple[str, ...], known: Mapping[str, PatternNeedles] | None = None):
        """``known``: :func:`pattern_needles` of some of the patterns, worked out before
        (deriving them parses every pattern: a tenth of a second for the phrase lists)."""
        self.patterns = patterns
        # needle (a line break and a head, or a literal) -> indices of the patterns requiring it
        self.users: dict[str, tuple[int, ...]] = {}
        # index -> the part after "^" of an anchored pattern, matched from the line's head
        self.bodies: dict[int, str] = {}
        always = []
        for index, pattern in enumerate(patterns):
            derived = known.get(pattern) if known is not None else None
            is_anchored, needles = derived if derived is not None else pattern_needles(pattern)
            if is_anchored:
                self.bodies[index] = pattern[1:]
            if not needles:
                always.append(index)  # no required literal: tried on every line
            for needle in needles:
                self.users[needle] = (*self.users.get(needle, ()), index)
        self.always = tuple(always)
        # How many characters past a line's head the longest head needle reaches (see hits_by_line)
        self.head_reach = max((len(needle) - 1 for needle in self.users if needle.startswith("\n")), default=0)
        self._regexes: list[Bounded | None] = [None] * len(patterns)  # see _regex
        self.automaton = ahocorasick.Automaton()
        for needle in scan_order(self.users):
            self.automaton.add_word(needle, needle)
        if self.users:
            self.automaton.make_automaton()

    def needles(self, lowered: str) -> set[str]:
        """The needles in ``lowered`` (one line, through :func:`fold_case`); its head follows
        a line break.

        >>> sorted(PhraseSet(("^advertisement$", r"\\bfollow us on\\b")).needles("- advertisement"))
        ['\\nadvertisement']
        """
        if not self.users:
            return set()
        found = {needle for _, needle in self.automaton.iter("\n" + lowered)}
        head = line_head(lowered)
        if head:
            found.update(needle for _, needle in self.automaton.iter("\n" + lowered[head:]))
        return found

    def hits_by_line(self, lowered: str, line_starts: list[int]) -> dict[int, set[str]]:
        """The needles in ``lowered`` (a text through :func:`fold_case`), grouped by the index
        of the line each ends on (``line_starts``: the lines' start offsets, ascending).

        >>> PhraseSet(("^advertisement$", r"\\bfollow us on\\b")).hits_by_line("x\\nfollow us on\\nad", [0, 2, 16])
        {1: {'follow us on'}}
        >>> PhraseSet(("^advertisement$",)).hits_by_line("advertisement\\n  - advertisement\\nno advertisement", [0, 14, 32])
        {0: {'\\nadvertisement'}, 1: {'\\nadvertisement'}}
        """
        found: dict[int, set[str]] = {}
        if not self.users:
            return found
        # The text after a line break: a line's head starts after one (offsets shift by one).
        text = "\n" + lowered
        # One loop in this frame, not a generator per hit: a page dump has hundreds of hits.
        for end, needle in self.automaton.iter(text):
            index = bisect_right(line_starts, end - 1) - 1  # a needle's last character is in its line
            needles = found.get(index)
            if needles is None:
                found[index] = {needle}
            else:
                needles.add(needle)
        # Lines with spaces or a list marker before their head: their heads, one by one. Only
        # what a head needle can reach is scanned: the rest of the line was scanned above.
        for indented in _INDENTED_LINE.finditer(text):
            start = indented.start()  # the line's offset in lowered
            index = bisect_right(line_starts, start) - 1
            end = line_starts[index + 1] - 1 if index + 1 < len(line_starts) else len(lowered)
            head = _LINE_HEAD.match(lowered, start, end).end()
            for _, needle in self.automaton.iter("\n" + lowered[head : min(end, head + self.head_reach)]):
                found.setdefault(index, set()).add(needle)
        return found

    def search(self, line: str, needles: Collection[str] | None = None,
               only: frozenset[int] | None = None) -> int | None:
        """Index of the first pattern (in list order) that matches the line, or None.

        ``needles`` are the needles the line holds, when a scan of the whole text already
        found them; ``only`` limits the search to these pattern indices.
        """
        if needles is None:
            needles = self.needles(fold_case(line))
        users = self.users
        if len(needles) == 1 and not self.always:
            tried: Sequence[int] = users[next(iter(needles))]  # ascending: indices are added in list order
        else:
            tried = sorted(set(self.always).union(*(users[needle] for needle in needles)))
        head = -1  # the line's head, found once when an anchored pattern is tried
        for index in tried:
            if only is not None and index not in only:
                continue
            if head < 0 and index in self.bodies:
                head = line_head(line)
            if self._span(index, line, head) is not None:
                return index
        return None

    def _regex(self, index: int) -> Bounded:
        """What :meth:`search` runs for pattern ``index`` (compiled on first use): an anchored
        pattern's body, matched at the line's head, or the whole pattern."""
        body = self.bodies.get(index)
        compiled = _compiled(self.patterns[index]) if body is None else _compiled_body(body)
        self._regexes[index] = compiled
        return compiled

    def _span(self, index: int, line: str, head: int = -1) -> tuple[int, int] | None:
        """Where pattern ``index`` matches ``line``. An anchored pattern's body is matched at
        the line's head (``head``, when known): the same match as the whole pattern's, which
        starts at 0. With the screens off every pattern runs whole, the reference."""
        body = self.bodies.get(index)
        if body is None or not screens.on():
            match = _compiled(self.patterns[index]).search(line)
            return match.span() if match else None
        match = (self._regexes[index] or self._regex(index)).match(line, line_head(line) if head < 0 else head)
        return (0, match.end()) if match else None

    def match_text(self, index: int, line: str) -> str:
        span = self._span(index, line)
        return line[span[0] : span[1]].strip() if span else ""


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> Bounded:
    compiled = regex.compile(line_pattern(pattern, possessive=True, list_items=True), _FLAGS)
    return Bounded("chrome_phrase", compiled, pattern, reviewed=True)


@lru_cache(maxsize=4096)
def _compiled_body(body: str) -> Bounded:
    """An anchored phrase pattern without its ``^`` and the line head the wrapper puts after
    it, for matching at the head: a shorter pattern, quicker to compile."""
    return Bounded("chrome_phrase", regex.compile(line_pattern(body, possessive=True), _FLAGS), "^" + body, reviewed=True)
