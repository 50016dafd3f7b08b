"""Tails: the sections that close a page after its article.

Press releases and news pages end with a contact block ("Pressekontakt", "Media contact"),
a "Weitere Informationen:" list of links, or the reference of the original publication:
a header from the lists in ``cleaner/rules/tails/<lang>.txt``, then names, addresses,
telephone numbers, e-mail addresses, links and bibliographic references (however long), none
of them running text. A header that
comes after the article began (a prose line above it) and is followed by nothing but such
lines up to the end of the text opens the page's tail: the header and everything after it
go. One prose line after the header keeps it (an "about us" paragraph is content); a header
with nothing after it is a dangling label (see the residue stage).

Three more families close a page the same way, each its own rule:

- ``about_tail``: an "About the author" / "Über diese Reihe" header after the article with
  a short note (at most ``about_max_lines`` lines, prose allowed) up to the end;
- ``comment_section``: the reader comments under an article, from their header ("5 Kommentare
  zu „…“", "12 thoughts on …", "#1 Kommentar von …", "Loading comments…") to the end, when
  the header lies in the later part of the text (``comments_from``);
- ``author_bio``: the author's note closing a text: a third-person sentence that starts with
  a name (or "The author", "Die Autorin") and a verb and names a writing job ("… ist
  Redakteurin bei …", "… is a senior writer for …", "Head of … bei …"), as the last running
  text; the same note anywhere when the name stands on the line above it (an author box);
  and a bare job-title line of an author box ("Redakteur in der Wirtschaft.").

Lines other stages already marked are looked past, so cleaning the clean text finds
nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from functools import lru_cache
from typing import Callable, Iterable

import regex

from cleaner import screens
from cleaner.document import Document, Span
from cleaner.lines import Lines
from cleaner.patterns import Bounded, PhraseSet, bounded, fold_case
from cleaner.rules import load_needles, load_sections
from cleaner.segment import Line, Segments
from cleaner.stages.base import Settings, Stage, rule, threshold


# The header families of contact_tail; "about" and "comments" headers have rules of their own.
CONTACT_FAMILIES = frozenset({"contact", "further_info", "publication"})

# A person's name opening a line: two to four capitalised words (initials, particles and
# "Jr." allowed), an age in brackets after it; or "The author" / "Die Autorin" and kin.
_NAME = (r"(?:(?:Dr|Prof|Mag)\.\s+)*\p{Lu}[\p{Ll}\p{Lu}'’-]+"
         r"(?:\s+(?:\p{Lu}\.|\p{Lu}[\p{Ll}'’-]+|von|van|de|der|den|da|di|del|le|la|Jr\.|Sr\.)){1,3}")
_SELF = (r"(?:the author|der autor|die autorin|l[’']auteur(?:e)?|el autor|la autora|l[’']autore|"
         r"autor(?:ka)? tekstu|de auteur|o autor|a autora)")
_BIO_VERB = (r"(?:is|was|works|writes|covers|reports|ist|war|arbeitet|schreibt|berichtet|leitet|"
             r"beschäftigt sich|est|travaille|écrit|es|trabaja|escribe|è|lavora|scrive|jest|pracuje|"
             r"pisze|werkt|schrijft|é|trabalha|escreve)")
# The jobs of people who write for a living, as words or (German) the end of a compound.
_ROLE = (r"(?:\w*(?:redakteur|journalist|korrespondent|kolumnist|reporter|autor|blogger|volontär|"
         r"herausgeber|moderator)(?:in|innen|en)?|writer|editor|reporter|journalist|correspondent|"
         r"columnist|contributor|author|blogger|freelancer?|head of|journaliste|rédact(?:eur|rice)|"
         r"correspondant(?:e)?|chroniqueu(?:r|se)|periodista|redactor(?:a)?|corresponsal|columnista|"
         r"giornalista|redat(?:tore|trice)|dziennikar(?:z|ka)|redaktor(?:ka)?|verslaggever|jornalista)")
_BIO = bounded("author_bio", rf"^\s*(?:{_NAME}(?:\s*\(\d{{1,2}}\))?,?|(?i:{_SELF}))\s+(?i:{_BIO_VERB})\b.*?\b(?i:{_ROLE})\b",
               regex.VERSION0)
_NAME_ONLY = bounded("author_bio", rf"^\s*({_NAME})\s*$", regex.VERSION0)
# A job-title line of an author box: a writing job and where, as a short sentence.
_ROLE_LINE = bounded("author_bio", rf"^\s*(?:senior |staff |contributing |freie[rn]? )?{_ROLE}\s+"
                     rf"(?:in|im|für|bei|der|des|at|for|of|covering|au|à|chez|en|de|w)\b[^.!?]{{1,80}}\.\s*$",
                     regex.IGNORECASE | regex.VERSION0)


# A bibliographic reference: two or more authors as "Surname A.B.," and a year in brackets.
_AUTHOR_INITIALS = r"\p{Lu}[\p{Ll}'’-]+,?\s+(?:\p{Lu}\.\s?-?){1,3}"
_REFERENCE = bounded("contact_tail", rf"{_AUTHOR_INITIALS}.{{0,40}}?{_AUTHOR_INITIALS}.*?\((?:19|20)\d\d[a-z]?\)",
                     regex.VERSION0)


def may_be_role_line(text: str) -> bool:
    """Whether ``_ROLE_LINE`` can match the line (a screen): its one sentence end is the full
    stop closing it, as no part of the pattern before that stop takes ".", "!" or "?".

    >>> may_be_role_line("Redakteur in der Wirtschaft."), may_be_role_line("She wrote it. He read it.")
    (True, False)
    """
    return text.count(".") == 1 and "!" not in text and "?" not in text


def reference_line(text: str) -> bool:
    """A bibliographic reference (authors with initials, a year in brackets): a publication
    section's entry, however long, is not running text.

    >>> reference_line("Aeppli M., Giroud S., Sander M. (2022): Thermodynamic controls on rates of iron oxide reduction, PNAS 119")
    True
    >>> reference_line("Meier and Schulz showed in 2022 that the rates depend on the mineral phase.")
    False
    """
    return bool(_REFERENCE.search(text))


_HEADER_LINE = r"^\s*(?:[-*•·]\s*)?(?:{})\s*[:.]?\s*$"  # the whole line, a list marker and a colon allowed


@lru_cache(maxsize=None)
def _entries(family: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """The header patterns of every family (or of one): ``(lang, family, pattern)``."""
    return tuple(entry for entry in load_sections("tails") if family in (None, entry[1]))


@lru_cache(maxsize=None)
def _alternation(family: str | None = None) -> Bounded:
    """The header patterns (of ``family``, or of all) as one: whether a line is any header."""
    joined = "|".join(f"(?:{pattern})" for _, _, pattern in _entries(family))
    return bounded("contact_tail", _HEADER_LINE.format(joined), regex.IGNORECASE | regex.VERSION0)


@lru_cache(maxsize=None)
def _header_phrases(family: str | None = None) -> PhraseSet:
    """The strings each header pattern (of ``family``, or of all) requires, as the chrome
    stage uses them: only the patterns whose strings a line holds are tried on it."""
    return PhraseSet(tuple(pattern for _, _, pattern in _entries(family)), load_needles("tails"))


@lru_cache(maxsize=None)
def _header_line(pattern: str) -> Bounded:
    """One header pattern, matched as the alternation matches it."""
    return bounded("contact_tail", _HEADER_LINE.format(pattern), regex.IGNORECASE | regex.VERSION0)


def header_index(text: str, family: str | None = None) -> int | None:
    """Which header pattern (of ``family``, or of all; an index into its entries) the line
    is, or None: the first in list order that matches. With the screens on, only the
    patterns whose required strings the line holds are tried.

    >>> _entries()[header_index("Pressekontakt:")][:2]
    ('de', 'contact')
    """
    phrases = _header_phrases(family)
    if not screens.on():
        tried: Iterable[int] = range(len(phrases.patterns))
    else:
        found = phrases.needles(fold_case(text))
        if not found and not phrases.always:
            return None  # most lines: no string a header pattern requires
        tried = sorted(set(phrases.always).union(*(phrases.users[needle] for needle in found)))
    return next((index for index in tried if _header_line(phrases.patterns[index]).search(text)), None)


def tail_header(text: str) -> dict | None:
    """The family and language of a tail section's header line, or None.

    >>> tail_header("Pressekontakt:")["family"], tail_header("For more information")["family"]
    ('contact', 'further_info')
    >>> tail_header("Kontaktieren Sie uns jederzeit, wir helfen gern.") is None
    True
    """
    index = header_index(text)
    if index is None:
        return None
    lang, family, _ = _entries()[index]
    return {"family": family, "lang": lang}


def prose_line(table: Lines, row: int, prose_words: int, sentence_words: int) -> bool:
    """Running text: a long line, or a sentence of some length; never a list item.

    >>> table = Lines.of(Segments("Dr. Hendryk Bockelmann\\nE-Mail: presse@example.org\\n"
    ...                           "The foundation supports young people in the region with grants and courses."))
    >>> [prose_line(table, row, 20, 10) for row in range(3)]
    [False, False, True]
    """
    if table.bullet[row]:
        return False
    words = table.words[row]
    return words >= prose_words or (words >= sentence_words and table.ends_full_stop[row])


@rule(thresholds=("max_lines", "header_words", "prose_words", "sentence_words"))
def contact_tail(header: dict | None, lines_after: int, prose_after: bool, prose_before: bool,
                 max_lines: int) -> bool:
    """A contact, further-information or publication section closing the page: its header
    after the article, and only names, addresses and links after the header.

    >>> contact_tail({"family": "contact"}, 4, False, True, 30)
    True
    >>> contact_tail({"family": "contact"}, 4, True, True, 30)  # a paragraph follows
    False
    >>> contact_tail({"family": "contact"}, 4, False, False, 30)  # no article above: a menu
    False
    >>> contact_tail({"family": "contact"}, 0, False, True, 30)  # a dangling label: residue's
    False
    """
    return header is not None and prose_before and not prose_after and 1 <= lines_after <= max_lines


@rule(thresholds=("about_max_lines", "header_words"))
def about_tail(header: dict | None, lines_after: int, prose_before: bool, max_lines: int) -> bool:
    """An "about the author / about this series" note closing the page.

    Its header comes after the article, then a few lines (running text allowed) up to the end.

    >>> about_tail({"family": "about"}, 2, True, 4), about_tail({"family": "about"}, 9, True, 4)
    (True, False)
    >>> about_tail({"family": "contact"}, 2, True, 4), about_tail({"family": "about"}, 2, False, 4)
    (False, False)
    """
    return (header is not None and header["family"] == "about" and prose_before
            and 1 <= lines_after <= max_lines)


@rule(thresholds=("comments_from",))
def comment_section(header: dict | None, lines_after: int, prose_before: bool, share: float,
                    comments_from: float) -> bool:
    """Reader comments under the article, from their header ("3 comments on …") to the end.

    The header comes after the article, in the later part of the text (at ``share`` of its
    length, at least ``comments_from``), then the comments.

    >>> comment_section({"family": "comments"}, 5, True, 0.7, 0.5)
    True
    >>> comment_section({"family": "comments"}, 5, True, 0.2, 0.5)  # a counter under the headline
    False
    """
    return (header is not None and header["family"] == "comments" and prose_before
            and lines_after >= 1 and share >= comments_from)


@rule(thresholds=("bio_max_words", "bio_reach"))
def author_bio(text: str, max_words: int, name_above: str | None = None) -> bool:
    """The author's note: a name, a verb and a writing job ("… is a senior writer for …").

    A third-person sentence that opens with a name and a verb and names a writing job; or a
    job-title line of an author box.

    >>> author_bio("Jane Doe is a senior writer for the Harbour Gazette.", 60)
    True
    >>> author_bio("Anna Beispiel ist Redakteurin im Ressort Wirtschaft bei der Kieler Post.", 60)
    True
    >>> author_bio("Redakteur in der Wirtschaft.", 60)
    True
    >>> author_bio("Jane Doe is the new mayor of the town.", 60)  # no writing job
    False
    >>> author_bio("The council said the editor of the paper was wrong.", 60)  # not a name and a verb
    False
    """
    if len(text.split()) > max_words:
        return False
    if name_above is not None and not text.lstrip().startswith(name_above):
        return False
    return bool(_BIO.search(text) or (name_above is None and _ROLE_LINE.search(text)))


@dataclass(frozen=True)
class TailsSettings(Settings):
    """The tails stage's thresholds (``[thresholds.tails]``)."""

    about_max_lines: int = threshold(4, 'an about-the-author note has at most this many lines after its header')
    comments_from: float = threshold(0.1, "a comment section's header lies at least this far into the text (share of its characters)")
    bio_max_words: int = threshold(60, "an author's note has at most this many words")
    bio_reach: int = threshold(3, "an author's note closing the text has at most this many short lines after it")
    header_words: int = threshold(10, "a tail section's header has at most this many words")
    max_lines: int = threshold(30, 'a tail section has at most this many lines after its header')
    prose_words: int = threshold(20, 'a line of at least this many words is running text, which a tail section never holds')
    sentence_words: int = threshold(10, 'a sentence of at least this many words is running text too')


class Tails(Stage):
    name = "tails"
    description = ("Sections closing a page after its article: contact blocks, further-information links, "
                   "publication references, about-the-author notes, reader comments, the author's bio.")
    rules = (contact_tail, about_tail, comment_section, author_bio)
    settings = TailsSettings

    def detect(self, doc: Document, segments: Segments, marks: list[Span] | None = None) -> list[Span]:
        is_prose = self._prose_test(segments)
        words = Lines.of(segments).words
        marked = {span.start for span in marks or ()}
        lines = [line for line in segments.content if line.start not in marked]
        spans: list[Span] = []
        taken: set[int] = set()

        def drop(rule: str, chosen: list[Line], detail: dict) -> None:
            for line in chosen:
                if line.start not in taken:
                    taken.add(line.start)
                    spans.append(self.span(line.start, line.end, rule, {**detail, "text": line.text.strip()}))

        if self.on("comment_section"):
            cut, header = self._comments_start(segments.content, len(doc.text), is_prose)
            if cut is not None and header is not None:
                drop("comment_section", [line for line in segments.content[cut:] if line.start not in marked],
                     {**header, "header": segments.content[cut].text.strip()})
                lines = [line for line in lines if line.start not in taken]
        if self.on("contact_tail"):
            cut, header = self._tail_start(lines, is_prose, words)
            if cut is not None and header is not None:
                drop("contact_tail", lines[cut:], {**header, "header": lines[cut].text.strip()})
                lines = lines[:cut]
        if self.on("about_tail"):
            # its header may be another stage's chrome ("About the author"): looked for in all lines
            every = [line for line in segments.content if line.start not in taken] if taken else segments.content
            cut, header = self._about_start(every, marked, is_prose, words)
            if cut is not None and header is not None:
                drop("about_tail", [line for line in every[cut:] if line.start not in marked],
                     {**header, "header": every[cut].text.strip()})
                lines = [line for line in lines if line.start < every[cut].start]
        if self.on("author_bio"):
            for line, name in self._bios(lines, is_prose, Lines.of(segments).last_char):
                drop("author_bio", [line], {"name_above": name} if name else {})
        return sorted(spans, key=lambda span: span.start)

    def _prose_test(self, segments: Segments) -> Callable[[Line], bool]:
        """:func:`prose_line` for a line of the document."""
        prose_words, sentence_words = self.t.prose_words, self.t.sentence_words
        table = Lines.of(segments)
        return lambda line: prose_line(table, line.row, prose_words, sentence_words)

    @staticmethod
    def _first_prose(lines: list[Line], is_prose: Callable[[Line], bool], references: bool = True) -> int | None:
        """The index of the first running-text line (a bibliographic reference counts as
        running text unless ``references`` is False), or None."""
        return next((i for i, line in enumerate(lines)
                     if is_prose(line) and (references or not reference_line(line.text))), None)

    def _about_start(self, lines: list[Line], marked: set[int], is_prose: Callable[[Line], bool],
                     words: list[int]) -> tuple[int | None, dict | None]:
        """An about-the-author header among the last lines, after running text. Lines other
        stages marked (a page footer) do not count among the lines after it."""
        t = self.t
        first_prose = self._first_prose(lines, is_prose)
        if first_prose is None:
            return None, None
        after = 0  # unmarked lines after line i
        for i in range(len(lines) - 1, first_prose, -1):
            if after > t.about_max_lines:
                break
            if after and words[lines[i].row] <= t.header_words:
                header = tail_header(lines[i].text)
                if about_tail(header, after, True, t.about_max_lines):
                    return i, header
            if lines[i].start not in marked:
                after += 1
        return None, None

    def _comments_start(self, lines: list[Line], length: int,
                        is_prose: Callable[[Line], bool]) -> tuple[int | None, dict | None]:
        """The first comment-section header after running text, far enough into the text."""
        t = self.t
        first_prose = self._first_prose(lines, is_prose)
        if first_prose is None or not length:
            return None, None
        # Only the comment headers' pattern is tried on every line, before tail_header (which
        # says which family a line matching several heads). The last line has no comments
        # after it, and a line too early in the text is no comment header either.
        # Lines of at most 200 characters, which a reviewed pattern runs on unclocked
        # (cleaner.patterns.UNTIMED_BELOW): the compiled pattern is called directly.
        comments_header = _alternation("comments").compiled.search
        for i in range(first_prose + 1, len(lines) - 1):
            line = lines[i]
            if len(line.text) > 200 or line.start / length < t.comments_from or not comments_header(line.text):
                continue
            header = tail_header(line.text)
            if comment_section(header, len(lines) - i - 1, True, line.start / length, t.comments_from):
                return i, header
        return None, None

    def _bios(self, lines: list[Line], is_prose: Callable[[Line], bool],
              last_char: list[str]) -> list[tuple[Line, str | None]]:
        """Author's notes: the last running text when it is one, and any note whose name
        stands alone on the line above it. ``last_char``: the line table's column."""
        t = self.t
        screened = self.screening
        found: list[tuple[Line, str | None]] = []
        for above, line in zip(lines, lines[1:]):
            # The screen: a note under a name starts with it (see author_bio), and a line
            # _NAME_ONLY matches is its name and spaces around it: most pairs end here.
            if screened and not line.text.lstrip().startswith(above.text.strip()):
                continue
            match = _NAME_ONLY.search(above.text)
            if match and author_bio(line.text, t.bio_max_words, match.group(1)):
                found += [(above, None), (line, match.group(1))]
        for i in range(len(lines) - 1, max(-1, len(lines) - t.bio_reach - 2), -1):
            if author_bio(lines[i].text, t.bio_max_words):
                found.append((lines[i], None))
            if is_prose(lines[i]):
                break  # the last running text: nothing above it closes the page
        # job-title lines of an author box anywhere: short, and only those (the screen: the
        # pattern ends with a full stop and white space, so the line's last character is ".")
        found += [(line, None) for line in lines
                  if (not screened or (last_char[line.row] == "." and may_be_role_line(line.text)))
                  and _ROLE_LINE.search(line.text)]
        return found

    def _tail_start(self, lines: list[Line], is_prose: Callable[[Line], bool],
                    words: list[int]) -> tuple[int | None, dict | None]:
        """The earliest header with only non-prose lines after it, scanning up from the end."""
        t = self.t
        first_prose = self._first_prose(lines, is_prose, references=False)
        if first_prose is None:
            return None, None
        cut, found = None, None
        # A header has at most max_lines lines after it: only the last lines can hold one.
        for i in range(len(lines) - 1, max(first_prose, len(lines) - t.max_lines - 2), -1):
            if is_prose(lines[i]) and not reference_line(lines[i].text):
                break
            if words[lines[i].row] > t.header_words:
                continue
            header = tail_header(lines[i].text)
            if header is not None and header["family"] not in CONTACT_FAMILIES:
                continue
            if contact_tail(header, len(lines) - i - 1, False, True, t.max_lines):
                cut, found = i, header
        return cut, found
