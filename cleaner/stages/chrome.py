"""Chrome: promotion, call-to-action, consent and navigation lines, from per-language lists.

The phrase lists live in ``cleaner/rules/chrome/<lang>.txt``; all languages are matched at
once. A line is chrome when a phrase hits it and the line is short (``max_words``): a long
paragraph that mentions a newsletter is content. Phrases of the ``notice`` family (copyright
and reprint notices, advertiser disclosures, appeals for donations, a site's own cookie
consent notice) are worded so that only chrome uses them, and mark lines up to
``notice_words`` long.
One Aho-Corasick pass over the text (see :class:`cleaner.patterns.PhraseSet`) finds the
strings the patterns require (at the head of a line, for the patterns anchored there) and so
the candidate lines; the full patterns only run there, and only those whose strings the line
holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from functools import lru_cache

from cleaner.document import Document, Span
from cleaner.patterns import PatternTimeout, PhraseSet, compile_alternation, fold_case, line_at, matched_index
from cleaner.rules import load_needles, load_sections
from cleaner.segment import Line, Segments
from cleaner.stages.base import Settings, Stage, rule, threshold


NOTICE = "notice"  # the family of phrases that mark longer lines too
# A line's verdict depends on its text alone, so the verdicts are kept from one document to the
# next (a site's menus repeat on its pages, and an HTML page's blocks are read twice: laid out
# for the block model, then as the text kept), up to this many distinct lines.
VERDICTS_KEPT = 50_000


@rule(thresholds=("max_words", "notice_words"))
def chrome_phrase(words: int, max_words: int, family: str = "", notice_words: int = 60) -> bool:
    """A short line holding a promotion, call to action, consent or navigation phrase; a
    notice (copyright, disclosure, donation appeal, cookie consent) may run to ``notice_words``.

    >>> chrome_phrase(words=12, max_words=25)
    True
    >>> chrome_phrase(words=40, max_words=25), chrome_phrase(40, 25, "notice", 60)
    (False, True)
    """
    return words <= (notice_words if family == NOTICE else max_words)


@rule
def user_drop_pattern(line: Line) -> bool:
    """A line on which a match of one of the config's ``[patterns] drop`` expressions starts
    (a match starting on a blank line drops nothing).

    >>> user_drop_pattern(Line(0, 0, 9, "Sponsored", 0)), user_drop_pattern(Line(1, 10, 10, "", -1))
    (True, False)
    """
    return not line.blank


@lru_cache(maxsize=8)
def phrase_set(patterns: tuple[str, ...]) -> PhraseSet:
    return PhraseSet(patterns, load_needles("chrome"))


@dataclass(frozen=True)
class ChromeSettings(Settings):
    """The chrome stage's thresholds (``[thresholds.chrome]``)."""

    max_words: int = threshold(25, 'a phrase hit only marks lines of at most this many words')
    notice_words: int = threshold(60, 'a notice phrase (copyright, disclosure, donation appeal, cookie consent) marks lines of at most this many words')


class Chrome(Stage):
    name = "chrome"
    description = "Promotion, call-to-action, consent and navigation lines (phrase lists per language)."
    rules = (chrome_phrase, user_drop_pattern)
    settings = ChromeSettings

    def __init__(self, config=None):
        super().__init__(config)
        self.entries = load_sections("chrome")
        self.phrases = phrase_set(tuple(p for _, _, p in self.entries))
        self.notices = frozenset(i for i, (_, family, _) in enumerate(self.entries) if family == NOTICE)
        self.user = compile_alternation(tuple(self.config.drop_patterns), "user_drop_pattern")
        self._verdicts: dict[str, dict | None] = {}

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        spans: list[Span] = []
        marked: set[int] = set()
        if self.on("user_drop_pattern") and self.config.drop_patterns:
            try:
                spans = self._user_drops(segments)
            except PatternTimeout as exc:  # the user's patterns leave this document unchanged
                self.timed_out(doc, exc)
            marked = {line_at(segments, span.start).index for span in spans}
        if self.on("chrome_phrase"):
            max_words = self.t.max_words
            # Each distinct line is matched once; without screening (the reference), every line.
            verdicts = self._verdicts if self.screening else {}
            if len(verdicts) > VERDICTS_KEPT:
                verdicts.clear()
            for line, needles in self._candidate_lines(segments):
                if line.index in marked:
                    continue
                if line.text not in verdicts or not self.screening:
                    verdicts[line.text] = self._phrase_hit(line.text, needles, max_words)
                detail = verdicts[line.text]
                if detail is not None:
                    marked.add(line.index)
                    spans.append(self.span(line.start, line.end, "chrome_phrase", dict(detail)))
        return spans

    def _phrase_hit(self, text: str, needles: set[str] | None, max_words: int) -> dict | None:
        """The detail of a chrome phrase hit on a line, or None."""
        notice_words = self.t.notice_words
        # Counted up to one past the larger threshold, which is all the thresholds tell apart:
        # a long paragraph is not split into all its words.
        words = len(text.split(None, max(max_words, notice_words)))
        if chrome_phrase(words, max_words):
            index = self.phrases.search(text, needles)
        elif self.notices and chrome_phrase(words, max_words, NOTICE, notice_words):
            index = self.phrases.search(text, needles, only=self.notices)  # a longer line: notices only
        else:
            return None
        if index is None:
            return None
        lang, family, _ = self.entries[index]
        return {"family": family, "lang": lang, "match": self.phrases.match_text(index, text)}

    def _user_drops(self, segments: Segments) -> list[Span]:
        spans: list[Span] = []
        marked: set[int] = set()
        for match in self.user.finditer(segments.text):
            line = line_at(segments, match.start())
            if line.index in marked or not user_drop_pattern(line):
                continue
            marked.add(line.index)
            pattern = self.config.drop_patterns[matched_index(match)]
            spans.append(self.span(line.start, line.end, "user_drop_pattern", {"pattern": pattern}))
        return spans

    def _candidate_lines(self, segments: Segments) -> list[tuple[Line, set[str] | None]]:
        """Lines holding a string some phrase requires, with those strings (the phrase set's
        needles): one pass over the text, not a full match per line."""
        if not self.screening:  # every pattern on every line, the reference
            return [(line, set(self.phrases.users)) for line in segments.content]
        lowered = fold_case(segments.text)
        if len(lowered) != len(segments.text) or self.phrases.always:
            # A character whose lowercase is longer (fold_case maps the one Python 3.11
            # knows): offsets would not line up, so each line is screened on its own.
            return [(line, None) for line in segments.content]
        found = self.phrases.hits_by_line(lowered, segments.line_starts)
        lines = segments.lines
        return [(lines[index], found[index]) for index in sorted(found) if not lines[index].blank]
