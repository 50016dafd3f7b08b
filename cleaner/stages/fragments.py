"""Fragments: a related-article kicker or headline glued onto the end of a paragraph.

Scrapers that drop the markup between a paragraph and a teaser box leave
"...including in Iraq.MIDDLE EASTIran-backed militia used drones...: Sources". The seam is
a sentence end (or a lowercase word) running straight, with no space, into an uppercase
run or a capitalised word; what follows it to the end of the line reads like a headline
(no final full stop, few words, no sentence break inside).
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.patterns import bounded

from cleaner.document import Document, Span
from cleaner.patterns import line_at
from cleaner.segment import Segments
from cleaner.stages.base import Settings, Stage, rule, threshold

# A sentence end after a real word (two lowercase letters, so "U.S." and "e.g." never seam),
# running into an uppercase letter; the seam is the end of the sentence end. It starts on a
# character that is rare in running text (a full stop), with the lowercase context as
# lookbehind: starting on a lowercase letter made the scanner try nearly every character.
_SENTENCE_SEAM = bounded("merged_fragment", r"(?<=\p{Ll}{2})[.!?][\"”’»)]?(?=\p{Lu})")
# An uppercase run (two capitals, then capitals and spaces, ending on a capital) between a
# lowercase letter and the lowercase rest of the glued word ("IraqMIDDLE EASTIran"); the
# seam is the start of the run. The run is possessive: no backtracking on a long run of
# capitals.
_CAPITALS_SEAM = bounded("merged_fragment", r"(?<=\p{Ll})\p{Lu}{2}[\p{Lu} ]++(?<=\p{Lu})(?=\p{Ll})")
_SENTENCE_BREAK = bounded("merged_fragment", r"\p{Ll}[.!?][\"”’»)]?\s+\p{Lu}")
# What makes a seam part of an address or a name in code rather than a glue point: a path,
# query or e-mail sign in the word before it ("reg-fp?RegAction=", "mail@Host.Org"), a
# generic top-level domain after it ("DoSchu.Com"), or one more dot before a letter in the
# word on either side ("window.harbourApp.Register", "GeneralMills.PandoSites.Register").
_ADDRESS_SIGNS = frozenset("/=@\\")
_DOMAIN = bounded("merged_fragment", r"(?i:com|org|edu)(?![\p{L}\p{N}])")
_DOTTED = bounded("merged_fragment", r"\.\p{L}")
# Code flattened into a line: a seam before a method call ("client.FindAccount(ctx, ...)")
# is a dotted name too, and its tail holds braces, semicolons, assignments, comments or
# calls, which no headline does.
_CODE = bounded("merged_fragment", r"[{};=]|//|\p{L}\(")


def in_address(word_before: str, word_after: str) -> bool:
    """Whether a seam between the two halves of one unspaced word lies inside a web address,
    an e-mail address or a dotted name, where no paragraph ends.

    >>> in_address("DoSchu.", "Com"), in_address("window.harbourApp.", "Register(name)")
    (True, True)
    >>> in_address("Iraq.", "MIDDLE"), in_address("Freitag.", "Zentralbank")
    (False, False)
    """
    return (not _ADDRESS_SIGNS.isdisjoint(word_before) or _DOMAIN.match(word_after) is not None
            or _DOTTED.search(word_before) is not None or _DOTTED.search(word_after) is not None)


@rule(thresholds=("min_head_words", "max_tail_words"))
def merged_fragment(head: str, tail: str, min_head_words: int, max_tail_words: int) -> bool:
    """A headline-like tail glued onto a sentence that ends a real paragraph.

    >>> merged_fragment("The force controls militias abroad, including in Iraq.",
    ...                 "MIDDLE EASTIran-backed militia used drones in attack: Sources", 6, 30)
    True
    >>> merged_fragment("We met at the U.S.", "Embassy in Rome.", 3, 30)
    False
    >>> merged_fragment("Dieser Beitrag erschien zuerst im Blog DoSchu.", "Com • Porträt: Anna Beispiel", 6, 30)
    False
    >>> merged_fragment("err := store.Save(ctx, id) // 1. Write the identity, then read it back with the client.",
    ...                 "Get(ctx, id) require.NoError(t, err)", 6, 30)
    False
    """
    tail = tail.rstrip()
    words = len(tail.split())
    if not 3 <= words <= max_tail_words:
        return False
    if tail.endswith(".") or _SENTENCE_BREAK.search(tail) or _CODE.search(tail):
        return False
    head_words = head.split()
    if len(head_words) < min_head_words:
        return False
    return not in_address(head_words[-1], tail.split(None, 1)[0])


@dataclass(frozen=True)
class FragmentsSettings(Settings):
    """The fragments stage's thresholds (``[thresholds.fragments]``)."""

    min_head_words: int = threshold(6, 'the paragraph before the seam has at least this many words')
    max_tail_words: int = threshold(30, 'the glued tail has at most this many words')


class Fragments(Stage):
    name = "fragments"
    description = "Related-article kickers and headlines glued onto the end of a paragraph."
    rules = (merged_fragment,)
    settings = FragmentsSettings

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        if not self.on("merged_fragment"):
            return []
        spans: list[Span] = []
        text = segments.text
        # (start, seam) of both kinds of seam, in the order of the text. Two scans with one
        # pattern each take about a third less time than one scan of their alternation, and
        # find the same seams: one kind's characters (sentence ends, quotes) are never the
        # other's (capitals, spaces), so no seam of one kind overlaps one of the other.
        seams = sorted([(match.start(), match.end()) for match in _SENTENCE_SEAM.finditer(text)]
                       + [(match.start(), match.start()) for match in _CAPITALS_SEAM.finditer(text)])
        last_line = -1
        for start, seam in seams:
            line = line_at(segments, start)
            if line.index == last_line:
                continue
            head, tail = text[line.start : seam], text[seam : line.end]
            if merged_fragment(head, tail, self.t.min_head_words, self.t.max_tail_words):
                last_line = line.index
                spans.append(self.span(seam, line.end, "merged_fragment", {"tail": tail.strip()}))
        return spans
