"""Chrome: promotion, call-to-action, consent and navigation lines, from per-language lists.

The phrase lists live in ``cleaner/rules/chrome/<lang>.txt``; all languages are matched at
once, in one compiled alternation run over the whole text. A line is chrome when a phrase
hits it and the line is short (``max_words``): a long paragraph that mentions a newsletter
is content.
"""

from __future__ import annotations

from cleaner.document import Document, Span
from cleaner.patterns import compile_alternation, line_at, matched_index
from cleaner.rules import load_sections
from cleaner.segment import Segments
from cleaner.stages.base import Stage


def chrome_phrase(words: int, max_words: int) -> bool:
    """A short line holding a promotion, call to action, consent or navigation phrase.

    >>> chrome_phrase(words=12, max_words=25)
    True
    >>> chrome_phrase(words=40, max_words=25)
    False
    """
    return words <= max_words


def user_drop_pattern(words: int) -> bool:
    """A line matching one of the config's ``[patterns] drop`` expressions."""
    return words > 0


class Chrome(Stage):
    name = "chrome"
    description = "Promotion, call-to-action, consent and navigation lines (phrase lists per language)."
    rule_functions = (chrome_phrase, user_drop_pattern)
    thresholds = {
        "max_words": (25, "a phrase hit only marks lines of at most this many words"),
    }

    def __init__(self, config=None):
        super().__init__(config)
        self.entries = load_sections("chrome")
        self.phrases = compile_alternation(tuple(p for _, _, p in self.entries))
        self.user = compile_alternation(tuple(self.config.drop_patterns))

    def detect(self, doc: Document, segments: Segments) -> list[Span]:
        spans: list[Span] = []
        marked: set[int] = set()
        text = segments.text
        if self.on("user_drop_pattern") and self.config.drop_patterns:
            for match in self.user.finditer(text):
                line = line_at(segments, match.start())
                if line.index in marked or line.blank:
                    continue
                marked.add(line.index)
                pattern = self.config.drop_patterns[matched_index(match)]
                spans.append(self.span(line.start, line.end, "user_drop_pattern", {"pattern": pattern}))
        if self.on("chrome_phrase"):
            max_words = self.t["max_words"]
            for match in self.phrases.finditer(text):
                line = line_at(segments, match.start())
                if line.index in marked or line.blank:
                    continue
                if not chrome_phrase(len(line.text.split()), max_words):
                    continue
                marked.add(line.index)
                lang, family, _ = self.entries[matched_index(match)]
                spans.append(
                    self.span(line.start, line.end, "chrome_phrase",
                              {"family": family, "lang": lang, "match": match.group().strip()})
                )
        return spans
