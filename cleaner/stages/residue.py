"""Residue: what main-text extraction leaves standing around an article.

Extractors (and full-page dumps) keep lines that no phrase list names but whose shape gives
them away:

- a photo or copyright credit: a short line that ends in a credit ("... © AFP / Name",
  "Foto: Name", "Quelle: Agency", "(Bildquelle: ...)"); the credit is the line's tail;
- the caption of a numbered figure ("Abbildung 4: ...", "Figure 2. ..."), whose picture the
  text lost;
- the list of related headlines under a bare "Related articles" / "Lesen Sie auch" header
  that the chrome stage marked: the headlines themselves are not phrases, but short lines
  that are not sentences, right under such a header, are its list;
- a sharing widget flattened into the end of a line ("... Share this: Twitter Facebook
  Like this: Loading..."), with whatever the page put after it on that line (related
  posts, the author box, the footer): the line's tail from the widget's label on;
- a line whose Latin words are spelled with look-alike letters from other scripts
  ("Аdvеrtіѕе wіth us", Cyrillic а, е, і, ѕ among Latin ones): text disguised so that
  filters miss it, which is what advertising and spam do, never an article;
- a label left at the end with nothing after it ("Weitere Informationen:"): its list or
  link was lost. It is found past what the other stages removed, so cleaning the clean
  text finds nothing more.

The stage runs after the others and reads their marks; it never unmarks anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import re
from functools import lru_cache
from typing import Callable

import regex

from cleaner.document import Document, Span
from cleaner.lines import Lines
from cleaner.patterns import Bounded, bounded, line_at
from cleaner.segment import FULL_STOPS, Line, Segments, word_count
from cleaner.stages.base import Settings, Stage, rule, threshold

# Where a credit starts: a copyright sign, or a credit label and its colon, in the languages
# of the phrase lists. The credit is what follows the last such marker on the line. A label
# is matched at its colon, the label before it a lookbehind: the scanner then stops only at
# the rare "©", "(" and ":", not at every word (it runs about twice as fast), and each match
# still ends where the credit begins. Every label ends in a letter: the first lookbehind
# turns away at once the colons of times and scores.
_CREDIT = bounded("credit_line", (
    r"©|\(c\)(?=\s)|:(?<=\p{L}\s*:)(?<=\b(?:fotos?|fotograf(?:ie)?|photos?|photograph(?:er|y)?|bild|bilder|bildquelle|"
    r"bildnachweis|fotonachweis|images?|imagen|picture|credits?|crédits?|quelle|quellen|source|"
    r"sources|fuente|fonte|źródło|zdjęcie|"
    # and in the other languages of the phrase lists: it, nl, pt, es; ru, uk; sv, da/no; cs,
    # tr, fi, hu, ro; el; id/ms; vi; ar
    r"immagin[ei]|crediti|bron|beeld|imagem|créditos?|фото|источник|джерело|källa|kilde|billede|"
    r"bilde|zdroj|fotoğraf|kaynak|görsel|kuva|lähde|fotó|forrás|kép|sursa|sursă|imagine|"
    r"φωτογραφία|πηγή|sumber|gambar|ảnh|nguồn|المصدر|صورة)\s*:)"
), regex.IGNORECASE)
# A numbered figure's caption: "Abbildung 4:", "Abb. 2.", "Figure 3:", "Fig. 1a.", "Rysunek 2:".
# The same in the other languages of the phrase lists, and with the number first in
# Hungarian ("2. ábra:").
_FIGURE = bounded("figure_caption", (
    r"^\s*(?:(?:abbildung|abb\.|figure|fig\.|grafik|bild|illustration|figura|rysunek|ryc\.|afbeelding|"
    r"рисунок|рис\.|малюнок|figur|obrázek|obr\.|şekil|kuva|kuvio|σχήμα|εικόνα|gambar|hình|شكل)\s*\d{1,3}[a-z]?"
    r"|\d{1,3}[a-z]?\.\s*ábra)\s*[:.]\s*\S"
), regex.IGNORECASE)
# A decimal digit, as the caption pattern reads one.
_DIGIT = regex.compile(r"\d")
# A bare header: a few words and at most a closing colon or question mark ("Related stories",
# "Lesen Sie auch:", "Schon gelesen?"), not a teaser with its headline after the colon.
_BARE_HEADER = bounded("related_list", r"^[\p{L}\p{M}\s'’\-]+[:?]?\s*$")
# A sentence ends here (segment's full stops of every script, but not an ellipsis or a
# question mark, which end teasers and headlines too): running text, not a headline.
_SENTENCE_END = bounded("related_list", r"(?<![.…])[%s]\s*$" % regex.escape(
    "".join(mark for mark in FULL_STOPS if mark not in "?？؟…")))

# A sharing widget's label with a colon, followed closely by the name of a platform: the
# widget of blog software (WordPress's "Share this:", "Teilen mit:", "Like this:", ...).
_SHARE_LABEL = (
    r"(?<!\S)(?:share this|like this|rate this|teilen mit|teilen sie dies mit|diesen beitrag teilen|"
    r"gefällt mir|bewerten|partager(?: cet article)?|j[’']aime|compartir esto|me gusta|condividi|mi piace|"
    r"compartilhe isso|partilhar|curtir isso|delen|vind ik leuk|udostępnij|podoba mi się)\s*"
)
_SHARE_PLATFORM = (
    r"(?=[^\n]{0,40}?\b(?:twitter|facebook|e-?mail|google|linkedin|pinterest|whatsapp|telegram|reddit|"
    r"tumblr|pocket|skype|drucken|print|imprimer|imprimir|stampa)\b)"
)


@lru_cache(maxsize=None)
def _share_widget() -> Bounded:
    """The sharing widget's pattern, compiled on first use: with the screens on, only a line
    holding a widget (few texts have one) reaches it."""
    return bounded("share_widget_tail", _SHARE_LABEL + ":" + _SHARE_PLATFORM, regex.IGNORECASE)


# Its screen: the same widget found from its colon, the label a lookbehind. A line holds a
# match of one if and only if it holds one of the other, and the scanner stops only at
# colons, not at every word: several times faster on lines that hold none.
_SHARE_WIDGET_COLON = bounded("share_widget_tail", f":(?<={_SHARE_LABEL}:){_SHARE_PLATFORM}", regex.IGNORECASE)

# A word that mixes Latin letters with Cyrillic, Greek, Armenian or full-width look-alikes.
# Not look-alikes: the micro sign and Greek mu ("10μm" is a unit), and the Greek letters no
# Latin letter looks like, which formulas write beside Latin ones ("θPT", "λmax", "ΔG").
_LOOKALIKE = r"[\p{Cyrillic}\p{Armenian}\uFF21-\uFF3A\uFF41-\uFF5A\p{Greek}--[μµθλπσςφψωξζδΔΣΩΓΛΠΦΨΘΞ]]"
# Blocks holding every letter of those scripts (Greek and Coptic, Cyrillic and Armenian,
# the phonetic extensions, Greek Extended, the Ohm sign, Cyrillic Extended, Armenian
# ligatures, the full-width forms; beyond the Basic Multilingual Plane, where a few blocks
# hold Ancient Greek numbers, musical notation and more, every character: the class scans
# two and a half times as fast with one range there as with those blocks. A test checks that no
# letter is missing): the standard library's re finds the few lines holding any of them
# much faster than the pattern below runs on every line.
_LOOKALIKE_SCRIPTS = re.compile(
    "[\u0370-\u058f\u1c80-\u1c8f\u1d00-\u1dbf\u1f00-\u1fff\u2126\u2de0-\u2dff\ua640-\ua69f"
    "\uab30-\uab6f\ufb13-\ufb17\ufe2e\ufe2f\uff00-\uffef\U00010000-\U0010ffff]")
_MIXED_WORD = bounded("mixed_script_line", rf"\b(?:\p{{Latin}}+{_LOOKALIKE}|{_LOOKALIKE}+\p{{Latin}})",
                      regex.VERSION1)

# The phrase-list families whose bare header introduces a list of other articles.
RELATED_FAMILIES = frozenset({"read_more", "related"})

# Every credit marker holds one of these (a label ends in a colon), as credit_line's own
# screen says: lines_holding finds the lines holding one.
_CREDIT_MARKS = (":", "©", "(c", "(C")


def lines_holding(segments: Segments, needles: tuple[str, ...]) -> list[Line]:
    """The lines holding any of ``needles`` (strings without a line break), in order: a screen
    for rules whose every match holds one. ``str.find`` over the whole text, one hit a line,
    costs much less than a test on every line.

    >>> [line.text for line in lines_holding(Segments("Home\\n© AFP\\nFoto: AFP (c) x\\nEnd"), (":", "©"))]
    ['© AFP', 'Foto: AFP (c) x']
    """
    text = segments.text
    found: dict[int, Line] = {}
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            line = line_at(segments, at)
            found[line.index] = line
            at = text.find(needle, line.end)  # from the end of its line: the next line's hits
    return [found[index] for index in sorted(found)]


def _holds_credit_mark(text: str, *_: object) -> bool:
    """Every credit marker holds one of :data:`_CREDIT_MARKS` (a label ends in a colon)."""
    return ":" in text or "©" in text or "(c" in text or "(C" in text


def _credit_mark_lines(segments: Segments) -> list[Line]:
    return lines_holding(segments, _CREDIT_MARKS)


@rule(thresholds=("credit_max_words", "credit_tail_words"), pre_check=_holds_credit_mark, lines=_credit_mark_lines)
def credit_line(text: str, max_words: int, tail_words: int) -> bool:
    """A short line that ends in a photo or copyright credit ("... © AFP / Name", "Foto: Name").

    >>> credit_line("Eileen Gu, Freestylerin. © GETTY IMAGES / MADDIE MEYER", 30, 8)
    True
    >>> credit_line("Quelle: Deutscher Jagdverband (DJV), 02. Februar 2022, Berlin", 30, 8)
    True
    >>> credit_line("Photo: a long explanation of what the picture shows and why it matters here, in full", 30, 8)
    False
    >>> credit_line("The © sign marks a copyright.", 30, 8)
    False
    """
    words = len(text.split())
    if words > max_words:
        return False
    last = None
    for last in _CREDIT.finditer(text):  # noqa: B007 (the last marker on the line)
        pass
    if last is None:
        return False
    tail = text[last.end():].split()
    return 1 <= len(tail) <= tail_words and not _looks_like_sentence_tail(tail)


def _looks_like_sentence_tail(tail: list[str]) -> bool:
    """A tail that goes on as a sentence ("... © sign marks a copyright.") is not a credit:
    credits are names, not clauses; a clause has lower-case words after its first."""
    lower = sum(1 for word in tail[1:] if word[:1].islower())
    return len(tail) >= 3 and lower > len(tail) // 2


def _lines_with_digits(segments: Segments) -> list[Line]:
    """The content lines holding a decimal digit as ``\\d`` takes one: those the line table
    counts digits in, and the lines beyond ASCII where the pattern finds one the table does not
    count (the regex module may know digits of a newer Unicode than the standard library)."""
    digits = Lines.of(segments).digits
    return [line for line in segments.content
            if digits[line.row] or (not line.text.isascii() and _DIGIT.search(line.text))]


@rule(thresholds=("caption_words",), lines=_lines_with_digits)  # every caption holds its figure's number
def figure_caption(text: str, max_words: int) -> bool:
    """The caption of a numbered figure, on a line of its own: its picture is gone.

    >>> figure_caption("Abbildung 4: klassische Schwachschicht.", 40), figure_caption("Fig. 2. Harbour at dawn", 40)
    (True, True)
    >>> figure_caption("Figure 2 shows that the harbour fees rose in every quarter of the year.", 40)
    False
    """
    return bool(_FIGURE.match(text)) and len(text.split()) <= max_words  # most lines fail the match at once


@rule(thresholds=("header_words", "headline_words", "list_lines", "prose_words"))
def related_list(text: str, max_words: int) -> bool:
    """A headline in the list right under a bare "Related articles" / "Lesen Sie auch" header.

    A headline is short and is not a sentence, nor a table's row.

    >>> related_list("Luftwaffe trainiert auf neuen Hubschraubern", 20)
    True
    >>> related_list("Sie ist die letzte Etappe des Rennens.", 20)
    False
    >>> related_list("金融庁は24年12月、イオン銀にマネロン対策の不備で業務改善命令を出した。", 20)
    False
    >>> related_list("| Processor: | Intel Core i3 | Screen: | 15.6-inch |", 20)  # a table's row
    False
    """
    text = text.strip()
    return word_count(text) <= max_words and not _SENTENCE_END.search(text) and not text.startswith("|")


def _may_hold_share_widget(text: str, *_: int) -> bool:
    return _SHARE_WIDGET_COLON.search(text) is not None


def _colon_lines(segments: Segments) -> list[Line]:
    return lines_holding(segments, (":",))


@rule(thresholds=("widget_words",), pre_check=_may_hold_share_widget, lines=_colon_lines, miss=None)
def share_widget_tail(text: str, max_words: int = 60) -> int | None:
    """Where a sharing widget flattened into a line begins (its tail from there on goes), or
    None: a widget label and its colon with a platform's name right after it. A tail of more
    than ``max_words`` words runs on into the text (a page flattened into one line after its
    widget): nothing goes.

    >>> text = "Ich würde investieren. Bewerten: Teilen Sie dies mit: Twitter Facebook Gefällt mir: Lade …"
    >>> text[share_widget_tail(text):][:9]
    'Bewerten:'
    >>> share_widget_tail("Share this: the council's plan is a good one.") is None
    True
    >>> share_widget_tail("Share this: Facebook X Print. Written by Lisa. " + "The new rules apply from May. " * 20, 60) is None
    True
    """
    match = _share_widget().search(text)
    if match is None or len(text[match.start():].split()) > max_words:
        return None
    return match.start()


def _non_ascii_lines(segments: Segments) -> list[Line]:
    """The content lines holding a character beyond ASCII (any letter of a look-alike script is)."""
    return [line for line in segments.content if not line.text.isascii()]


@rule(thresholds=("mixed_words",), lines=_non_ascii_lines)
def mixed_script_line(text: str, min_words: int) -> bool:
    """A line spelled with look-alike letters of another script: disguised advertising or spam.

    At least ``min_words`` of its words mix Latin letters with Cyrillic, Greek, Armenian or
    full-width ones.

    >>> mixed_script_line("Аdvеrtіѕе wіth thе most visited news site", 3)
    True
    >>> mixed_script_line("Москва (Moscow) and Αθήνα (Athens) are capitals; 10μm, 5µm.", 3)
    False
    >>> mixed_script_line("the base model (θPT), the merged one (θBolmo), the tuned one (θIT); λmax", 3)
    False
    """
    if text.isascii() or not _LOOKALIKE_SCRIPTS.search(text):
        return False
    count = 0
    for _ in _MIXED_WORD.finditer(text):
        count += 1
        if count >= min_words:
            return True
    return False


@rule(thresholds=("label_words",))
def dangling_label(text: str, is_last: bool, max_words: int) -> bool:
    """A short label ending in a colon with nothing after it: its list or link was lost.

    >>> dangling_label("Weitere Informationen:", True, 5), dangling_label("Ingredients:", False, 5)
    (True, False)
    >>> dangling_label("12:", True, 5)  # figures, not a label
    False
    """
    stripped = text.strip()
    return (is_last and stripped.endswith(":") and len(stripped.split()) <= max_words
            and any(map(str.isalpha, stripped)))


@dataclass(frozen=True)
class ResidueSettings(Settings):
    """The residue stage's thresholds (``[thresholds.residue]``)."""

    mixed_words: int = threshold(3, 'a line with at least this many words mixing Latin and look-alike letters is disguised spam')
    credit_max_words: int = threshold(30, 'a credit line has at most this many words')
    credit_tail_words: int = threshold(8, 'the credit after the last credit marker has at most this many words')
    caption_words: int = threshold(40, "a numbered figure's caption has at most this many words")
    header_words: int = threshold(6, 'a bare related-articles header has at most this many words')
    headline_words: int = threshold(20, 'a related headline has at most this many words')
    list_lines: int = threshold(12, 'at most this many lines under a related header are its list')
    label_words: int = threshold(5, 'a dangling label has at most this many words')
    widget_words: int = threshold(60, "a sharing widget's tail has at most this many words; a longer one runs on "
                                      "into the text, and its line is left alone")
    prose_words: int = threshold(10, 'a line of at least this many words ending a sentence is prose; related lists are only looked for after the first one')


class Residue(Stage):
    name = "residue"
    description = ("Extraction residue: credit lines, figure captions, related-headline lists under their header, "
                   "flattened sharing widgets, look-alike-letter spam and labels left dangling at the end.")
    rules = (credit_line, figure_caption, related_list, share_widget_tail, mixed_script_line, dangling_label)
    settings = ResidueSettings

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        marks = marks or []
        marked = {span.start for span in marks}
        spans: list[Span] = []
        t = self.t
        # The few lines the credit and widget rules can take (see lines_holding).
        credit_lines = self.candidates(credit_line, segments)
        colon_lines = self.candidates(share_widget_tail, segments)
        spans += self._whole_lines(credit_lines, marked, "credit_line",
                                   lambda text: credit_line(text, t.credit_max_words, t.credit_tail_words))
        spans += self._whole_lines(self.candidates(figure_caption, segments), marked, "figure_caption",
                                   lambda text: figure_caption(text, t.caption_words))
        if self.on("related_list"):
            spans += self._related_lists(segments, marks, marked)
        if self.on("share_widget_tail"):
            spans += self._share_widgets(colon_lines, marked)
        spans += self._whole_lines(self.candidates(mixed_script_line, segments), marked, "mixed_script_line",
                                   lambda text: mixed_script_line(text, t.mixed_words))
        if self.on("dangling_label"):
            spans += self._dangling_labels(segments, marked)
        return spans

    def _whole_lines(self, lines: list[Line], marked: set[int], rule: str, test: Callable[[str], bool]) -> list[Span]:
        """Unmarked ``lines`` that ``rule``'s test takes whole (when the rule is on); they count
        as marked for the rules after it."""
        spans: list[Span] = []
        if not self.on(rule):
            return spans
        for line in lines:
            if line.start not in marked and test(line.text):
                spans.append(self.span(line.start, line.end, rule, {"text": line.text.strip()}))
                marked.add(line.start)
        return spans

    def _share_widgets(self, lines: list[Line], marked: set[int]) -> list[Span]:
        """Each line's tail from a sharing widget on (with the spaces before it); a line that
        is all widget counts as marked for the rules after this one."""
        spans: list[Span] = []
        for line in lines:
            if line.start in marked or ":" not in line.text:
                continue
            at = share_widget_tail(line.text, self.t.widget_words)
            if at is None:
                continue
            kept = len(line.text[:at].rstrip())
            spans.append(self.span(line.start + kept, line.end, "share_widget_tail",
                                   {"text": line.text[at:at + 80].strip()}))
            if not kept:
                marked.add(line.start)
        return spans

    def _dangling_labels(self, segments: Segments, marked: set[int]) -> list[Span]:
        """The labels at the end of the text, past the lines already marked, and up through
        stacked ones ("Kontakt:" above "Weitere Informationen:")."""
        spans: list[Span] = []
        for line in reversed(segments.content):
            if line.start in marked:
                continue
            if not dangling_label(line.text, True, self.t.label_words):
                break
            spans.append(self.span(line.start, line.end, "dangling_label", {"text": line.text.strip()}))
            marked.add(line.start)
        return spans

    def _related_lists(self, segments: Segments, marks: list[Span], marked: set[int]) -> list[Span]:
        headers = {span.start: span for span in marks
                   if span.rule == "chrome_phrase" and (span.detail or {}).get("family") in RELATED_FAMILIES}
        if not headers:
            return []
        lines = segments.content
        spans: list[Span] = []
        table = Lines.of(segments)
        seen_prose = False
        for i, line in enumerate(lines):
            if line.start not in headers:
                seen_prose = seen_prose or table.prose(i, self.t.prose_words)
                continue
            text = line.text.strip()
            if not seen_prose or len(text.split()) > self.t.header_words or not _BARE_HEADER.search(text):
                continue
            header = text
            for item in lines[i + 1 : i + 1 + self.t.list_lines]:
                if item.start in marked:
                    continue  # another stage's chrome inside the list ("Anzeige")
                if not related_list(item.text, self.t.headline_words):
                    break
                marked.add(item.start)
                spans.append(self.span(item.start, item.end, "related_list",
                                       {"header": header, "text": item.text.strip()}))
        return spans

