"""Dates: a date standing alone on a line in the page header, before the article starts,
and a date glued onto the headline there ("27.01.2022Heating oil sales fell"): a page's
date field run into its title when the markup between them was stripped."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from cleaner.document import Document, Span
from cleaner.lines import Lines
from cleaner.patterns import bounded, digit_lines
from cleaner.segment import Line, Segments
from cleaner.stages.base import Settings, Stage, rule, threshold

_MONTHS = (
    r"jan(?:uary|uar|vier|\.)?|feb(?:ruary|ruar|\.)?|févr(?:ier|\.)?|fevrier|febrero|mar(?:ch|\.)?|"
    r"märz|mars|marzo|apr(?:il|\.)?|avril|abril|may|mai|mayo|jun(?:e|i|\.)?|juin|junio|"
    r"jul(?:y|i|\.)?|juil(?:let|\.)?|julio|aug(?:ust|\.)?|août|aout|agosto|sep(?:t(?:ember|embre|iembre)?|\.)?|"
    r"oct(?:ober|obre|\.)?|okt(?:ober|\.)?|octubre|nov(?:ember|embre|iembre|\.)?|"
    r"dec(?:ember|\.)?|dez(?:ember|\.)?|déc(?:embre|\.)?|diciembre|enero|janvier|januar|"
    # Italian, Portuguese, Dutch, Polish (genitive and nominative), Russian (genitive)
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|novembre|dicembre|"
    r"janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"januari|februari|maart|mei|juni|juli|augustus|oktober|"
    r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
    r"styczeń|luty|marzec|kwiecień|maj|czerwiec|lipiec|sierpień|wrzesień|październik|listopad|grudzień|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    # and the other languages of the phrase lists: Ukrainian (genitive), Swedish, Danish and
    # Norwegian, Czech (genitive and nominative), Turkish, Finnish, Hungarian, Romanian,
    # Greek (genitive), Indonesian and Malay, Arabic (Egyptian and Levantine names)
    r"січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
    r"augusti|marts|desember|"
    r"ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince|"
    r"leden|únor|březen|duben|květen|červen|červenec|srpen|říjen|prosinec|"
    r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|"
    r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)kuu(?:ta)?|"
    r"január|február|március|április|május|június|július|augusztus|szeptember|október|"
    r"ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|"
    r"ιανουαρίου|φεβρουαρίου|μαρτίου|απριλίου|μαΐου|ιουνίου|ιουλίου|αυγούστου|σεπτεμβρίου|"
    r"οκτωβρίου|νοεμβρίου|δεκεμβρίου|"
    r"maret|mac|julai|agustus|ogos|desember|disember|"
    r"يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|"
    r"كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول|"
    # Hindi, Hebrew (also with the prefix "ב"), Persian (solar and Gregorian), Thai
    r"जनवरी|फ़रवरी|फरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर|"
    r"ב?(?:ינואר|פברואר|מרץ|מרס|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר)|"
    r"فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|"
    r"ژانویه|فوریه|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر|"
    r"มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
)
_WEEKDAYS = (
    r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|"
    r"luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|"
    r"(?:segunda|terça|terca|quarta|quinta|sexta)(?:-feira)?|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"понеділок|вівторок|середа|четвер|п[ʼ'’]ятниця|субота|неділя|"
    r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mandag|tirsdag|lørdag|søndag|"
    r"pondělí|úterý|středa|čtvrtek|pátek|neděle|"
    r"pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|"
    r"maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai|"
    r"hétfő|kedd|szerda|csütörtök|péntek|szombat|vasárnap|"
    r"luni|marți|marti|miercuri|joi|vineri|sâmbătă|sambata|duminică|duminica|"
    r"δευτέρα|τρίτη|τετάρτη|πέμπτη|παρασκευή|σάββατο|κυριακή|"
    r"senin|isnin|selasa|rabu|kamis|khamis|jumat|jumaat|sabtu|minggu|ahad|"
    r"thứ[^\S\n]*(?:hai|ba|tư|năm|sáu|bảy)|chủ[^\S\n]*nhật|"
    r"الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد|"
    r"सोमवार|मंगलवार|बुधवार|गुरुवार|बृहस्पतिवार|शुक्रवार|शनिवार|रविवार|"
    r"יום[^\S\n]+(?:ראשון|שני|שלישי|רביעי|חמישי|שישי)|שבת|"
    r"شنبه|یکشنبه|یک[^\S\n]?شنبه|دوشنبه|سه[‌ ]?شنبه|چهارشنبه|پنجشنبه|پنج[‌ ]?شنبه|جمعه|"
    r"วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|ศุกร์|เสาร์|อาทิตย์)"
)
# The orders only some languages use, with only their names: year, month, day in Hungarian;
# the weekday after the date in Turkish and Hungarian.
_HU_MONTHS = r"január|február|március|április|május|június|július|augusztus|szeptember|október|november|december"
_TR_HU_WEEKDAYS = (r"pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|"
                   r"hétfő|kedd|szerda|csütörtök|péntek|szombat|vasárnap")
_S = r"[^\S\n]*"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.|º|°)?"
_YEAR = r"\d{4}(?:[^\S\n]*(?:r|г)\.)?"  # Polish "2024 r.", Russian "2024 г."
_TIME = rf"(?:{_S}[,|·•-]?{_S}(?:at{_S}|um{_S}|à{_S}|a las{_S}|klo{_S}|kl\.{_S})?\d{{1,2}}[:.h]\d{{2}}(?:{_S}(?:am|pm|uhr|h))?)?"
_DATE_LINE = bounded(
    "date_banner",
    rf"^{_S}(?:(?:{_WEEKDAYS}){_S},?{_S}(?:den{_S}|ที่{_S})?)?"  # "onsdag den 4 maj", "วันพุธที่ 4"
    rf"(?:{_DAY}{_S}(?:de{_S})?(?:{_MONTHS}){_S},?{_S}(?:de{_S})?{_YEAR}"
    rf"|(?:{_MONTHS}){_S}{_DAY}{_S},?{_S}{_YEAR}"
    rf"|{_YEAR}\.?{_S}(?:{_HU_MONTHS}){_S}{_DAY}"  # Hungarian: "2022. május 4."
    rf"|(?:ngày{_S})?\d{{1,2}}{_S}tháng{_S}\d{{1,2}}{_S}(?:,|năm)?{_S}\d{{4}}"  # Vietnamese
    rf"|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{4}}年\d{{1,2}}月\d{{1,2}}日(?:{_S}[(（][^\S\n]*\w[^\S\n]*[)）]|{_S}(?:星期|周|週)[一二三四五六日天])?"  # Chinese and Japanese
    rf"|\d{{4}}년{_S}\d{{1,2}}월{_S}\d{{1,2}}일(?:{_S}(?:[(（][^\S\n]*\w[^\S\n]*[)）]|\w요일))?)"  # Korean
    rf"(?:{_S},?{_S}(?:{_TR_HU_WEEKDAYS}))?"  # a weekday after the date (Turkish, Hungarian)
    rf"{_TIME}{_S}$",
    regex.IGNORECASE | regex.MULTILINE,
)
# A numeric date at the start of a line with a letter right after it, no space between.
_GLUED_DATE = bounded("glued_date", r"^[^\S\n]*(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})(?=\p{L})",
                      regex.MULTILINE | regex.VERSION0)
@rule(thresholds=("prose_words",), lines=digit_lines)
def date_banner(line: Line, segments: Segments, min_words: int, first_prose: int | None = None,
                reach: dict[int, int] | None = None) -> bool:
    """A lone date line in the page header, before any prose, not introducing prose.

    A dated diary entry or letter ("3 June 2024" followed by its text) keeps its date: the
    banner is the date the site prints above the headline, so the next line is not prose.
    A prose line that an earlier stage removes whole (``reach``: start -> furthest end of the
    marks starting there) introduces nothing: the date is judged as the output will read, or
    cleaning the clean text would take it in a second pass.
    """
    if first_prose is None:
        first_prose = _first_prose(segments, min_words, reach)
    if first_prose < line.index:
        return False
    following = segments.next_content(line)
    return (following is None or not Lines.of(segments).prose(following.row, min_words)
            or (reach is not None and reach.get(following.start, -1) >= following.end))


@rule
def glued_date(line: Line, first_prose: int) -> int:
    """The length of a numeric date glued onto the start of a header line (0: none).

    >>> glued_date(Line(0, 0, 37, "27.01.2022MineralölINFO November 2021", 0), 5)
    10
    >>> glued_date(Line(0, 0, 38, "27.01.2022 MineralölINFO November 2021", 0), 5)  # a date_banner's case
    0
    >>> glued_date(Line(9, 0, 37, "27.01.2022MineralölINFO November 2021", 0), 5)  # past the header
    0
    """
    if line.index > first_prose:
        return 0
    match = _GLUED_DATE.match(line.text)
    return match.end() if match else 0


@dataclass(frozen=True)
class DatesSettings(Settings):
    """The dates stage's thresholds (``[thresholds.dates]``)."""

    prose_words: int = threshold(8, 'a line of at least this many words ending a sentence is prose')


class Dates(Stage):
    name = "dates"
    description = "A date standing alone in the page header (\"Wednesday , 1 May 2024\")."
    rules = (date_banner, glued_date)
    settings = DatesSettings

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        if not (self.on("glued_date") or self.on("date_banner")):
            return []
        # Found once (a table of dates must not cost quadratic time); no banner or glued
        # date comes after it, so only the lines up to it are tried. A line an earlier stage
        # removes whole is no prose: the date must be judged as the output will read, or
        # cleaning the clean text would take it in a second pass.
        reach: dict[int, int] = {}  # where the marks starting at an offset end, at the furthest
        for span in marks or ():
            if span.end > reach.get(span.start, -1):
                reach[span.start] = span.end
        first_prose = _first_prose(segments, self.t.prose_words, reach)
        spans = self._glued_dates(segments, first_prose) if self.on("glued_date") else []
        if not self.on("date_banner"):
            return spans
        # A date line never spans lines: each line is matched on its own (a scan of the whole
        # text for a "^"-anchored pattern tries every character); every date holds a digit.
        lines, last = self.candidates(date_banner, segments), first_prose
        for line in lines:
            if line.index > last:
                break
            if _DATE_LINE.match(line.text) and date_banner(line, segments, self.t.prose_words, first_prose, reach):
                spans.append(self.span(line.start, line.end, "date_banner", {"text": line.text.strip()}))
        return spans


    def _glued_dates(self, segments: Segments, first_prose: int) -> list[Span]:
        spans = []
        for line in segments.content:
            if line.index > first_prose:
                break
            if not line.text[:1].isdigit() and not line.text.lstrip()[:1].isdigit():
                continue
            length = glued_date(line, first_prose)
            if length:
                spans.append(self.span(line.start, line.start + length, "glued_date", {"text": line.text[:length].strip()}))
        return spans


def _first_prose(segments: Segments, min_words: int, reach: dict[int, int] | None = None) -> int:
    """Index of the first prose line (past the last line when there is none), not counting
    lines that a mark in ``reach`` (start -> furthest end of the marks starting there)
    covers whole."""
    table = Lines.of(segments)
    ends, words = table.ends_sentence, table.words
    for row, line in enumerate(segments.content):
        if ends[row] and (reach is None or reach.get(line.start, -1) < line.end) and words[row] >= min_words:
            return line.index
    return len(segments.lines)
