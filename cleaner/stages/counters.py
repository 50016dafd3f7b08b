"""Counters: share, comment, like and view counts left standing on their own line."""

from __future__ import annotations


import regex

from cleaner.patterns import bounded, digit_lines

from cleaner.document import Document, Span
from cleaner.segment import Line, Segments
from cleaner.stages.base import Stage, rule

_NUM = r"\d[\d.,]*[^\S\n]*(?:[KkMm]|万|萬|만|천)?\+?"  # "1.2K", "1.2万", "1.2만"
_NOUN = (
    r"(?:comments?|replies|reply|views?|likes?|shares?|reactions?|votes?|retweets?|reposts?|"
    r"kommentare?|aufrufe|antworten|reaktionen|gefällt mir|"
    r"commentaires?|vues|partages|réactions|réponses|j'aime|j’aime|"
    r"comentarios?|vistas|visitas|me gusta|compartidos|respuestas|reacciones|"
    r"comment[io]|visualizzazioni|condivisioni|mi piace|risposte|reazioni|"
    r"comentários?|visualizações|partilhas|compartilhamentos|curtidas|gostos|reações|"
    r"reacties?|weergaven|keer bekeken|vind-ik-leuks|"
    r"komentarz[ey]?|wyświetle(?:ń|nia)|udostępnie(?:ń|nia)|polubie(?:ń|nia)|odpowiedzi|reakcj[ei]|"
    r"комментари(?:й|я|ев)|просмотр(?:ов|а)?|коментар(?:ів|і|я)?|перегляд(?:ів|и)?|"
    r"kommentarer|visningar|visninger|delningar|delinger|komentář(?:ů|e)?|zobrazení|sdílení|"
    r"yorum|görüntülenme|beğeni|kommenttia?|hozzászólás|megtekintés|"
    r"comentarii|vizualizări|aprecieri|σχόλια|προβολές|komentar|dilihat|bình luận|lượt xem|"
    r"تعليقات|تعليق|مشاهدات|مشاهدة|"
    # Japanese, Korean, Chinese, Hindi, Hebrew, Persian, Thai
    r"件のコメント|コメント|いいね|シェア|回閲覧|閲覧|ビュー|댓글|조회수|조회|공유|좋아요|"
    r"条评论|條評論|评论|評論|阅读|閱讀|浏览|瀏覽|点赞|點讚|转发|轉發|"
    r"टिप्पणियां|टिप्पणियाँ|टिप्पणी|व्यूज़|व्यूज|शेयर|लाइक|תגובות|צפיות|שיתופים|"
    r"نظر|دیدگاه|بازدید|ความคิดเห็น|เข้าชม|ถูกใจ|แชร์)"
)
_COUNTER = bounded(
    "stray_counter",
    rf"^[^\S\n]*(?:"
    rf"(?P<lone>\d{{1,6}})"
    rf"|{_NUM}[^\S\n]*{_NOUN}"
    rf"|{_NOUN}[^\S\n]*[:(]?[^\S\n]*{_NUM}\)?"
    rf"|(?:share|tweet|teilen|partager|compartir|condividi|partilhar|compartilhar|delen|udostępnij)[^\S\n]*{_NUM}"
    rf")[^\S\n]*$",
    regex.IGNORECASE,
)
# Figures and their punctuation only, with at least one digit. (Written as a lookahead and a
# possessive run: "[...]*\d[...]*$" backtracks quadratically on a long line of figures.)
_NUMERIC_LINE = bounded("stray_counter", r"^(?=\D*+\d)[\s\d.,:;%+\-–/()€$£]*+$")


def counter_lines(segments: Segments) -> list[Line]:
    """The lines that can be counters: every counter holds a digit, and has at most five words
    (see :func:`_may_be_counter`)."""
    return [line for line in digit_lines(segments) if _may_be_counter(line.text)]


@rule(lines=counter_lines)
def stray_counter(line: Line, lone_number: bool, neighbours: list[Line | None], sequence: bool) -> bool:
    """A line that is only a counter: "0", "12 Comments", "Share 0", "1.2K views", "5 likes".

    A lone number counts only when it stands apart: its neighbouring lines are not numbers
    too (a column of figures is a table) and it is not one of a numbered sequence (1, 2, 3).

    >>> stray_counter(Line(0, 0, 11, "12 Comments", 0), False, [None, None], False)
    True
    """
    if not lone_number:
        return True
    if sequence:
        return False
    return not any(n is not None and _NUMERIC_LINE.match(n.text) for n in neighbours)


def _number(digits: str | None) -> int | None:
    """The value of a counter's digits; None for digits of a script newer than this Python's
    Unicode tables (the ``regex`` module's ``\\d`` knows them, ``int`` does not).

    >>> _number("12"), _number("١٢"), _number("\\U00016130"), _number(None)
    (12, 12, None, None)
    """
    if digits is None:
        return None
    try:
        return int(digits)
    except ValueError:
        return None


class Counters(Stage):
    name = "counters"
    description = "Share, comment, like and view counters standing alone on a line."
    rules = (stray_counter,)

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        if not self.on("stray_counter"):
            return []
        # Matched line by line: a whole-text scan for a "^"-anchored pattern tries every
        # character; a line that is no counter fails on its first one.
        lines = self.candidates(stray_counter, segments)
        hits = [(line, m) for line in lines if (m := _COUNTER.match(line.text))]
        lone_values = {value for _, m in hits if (value := _number(m.group("lone"))) is not None}
        spans: list[Span] = []
        for line, match in hits:
            lone = match.group("lone") is not None
            value = _number(match.group("lone"))
            sequence = value is not None and _in_sequence(value, lone_values)
            neighbours = [segments.prev_content(line), segments.next_content(line)]
            if stray_counter(line, lone, neighbours, sequence):
                spans.append(self.span(line.start, line.end, "stray_counter", {"text": line.text.strip()}))
        return spans


def _may_be_counter(text: str) -> bool:
    """Whether ``text`` has at most five words, as every counter line does: the longest,
    "gefällt mir ( 12 K+)", is a two-word noun, a bracket and a figure with its unit.
    (Every space _COUNTER reads is one str.split splits on.) ``maxsplit`` stops the split
    after the sixth word, however long the line."""
    return len(text.split(maxsplit=5)) <= 5


def _in_sequence(value: int, values: set[int]) -> bool:
    """True when ``value`` has a neighbour (value ± 1) among the other lone numbers."""
    return (value - 1 in values) or (value + 1 in values)
