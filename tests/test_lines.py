"""Lines: the one table of line facts every stage reads."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Pipeline
from cleaner.lines import Lines, letter_digit_shares
from cleaner.segment import SENTENCE_END, Segments, word_count


def test_rows_are_the_content_lines_and_know_their_row():
    segments = Segments("Title\n\nOne.\n  \nTwo words here.\n")
    lines = Lines.of(segments)
    assert lines is Lines.of(segments)  # built once per segmentation
    assert lines.texts == ["Title", "One.", "Two words here."]
    assert [line.row for line in segments.lines] == [0, -1, 1, -1, 2, -1]
    assert lines.words == [1, 1, 3]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab 1.:;)]।。”\"-•|\t\u3000東京タワーกข")), max_size=12), max_size=8))
def test_every_column_has_a_value_per_row_and_words_are_word_count(texts):
    lines = Lines.of(Segments("\n".join(texts)))
    n = len(lines)
    for name, column in lines.columns().items():
        assert len(column) == n, name
    assert lines.words == [word_count(text) for text in lines.texts]


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a.!)]”。।: \t\n\u00a0\u2028\u3000\x1c\x1f")), max_size=12))
def test_ends_sentence_is_a_sentence_end_before_trailing_space(text):
    """The last character that is not white space is a sentence end, exactly where a pattern
    for one followed by regex's \\s* to the end matches."""
    pattern = regex.compile("[" + regex.escape(SENTENCE_END) + r"]\s*$")
    line = text.replace("\n", " ")
    if not line.strip():
        return
    assert Lines.of(Segments(line)).ends_sentence == [bool(pattern.search(line))]


def test_full_stops_of_every_script_end_a_sentence():
    text = "नगर परिषद ने बजट पास किया।\n港口重新开放。\nهل انتهى؟\nHe said “yes.”\nKontakt:\n(Germany)"
    lines = Lines.of(Segments(text))
    assert lines.ends_full_stop == [True, True, True, True, False, False]
    assert lines.ends_sentence == [True] * 6  # a colon and a bracket end a clause


def test_no_letter_is_a_digit_or_a_combining_mark():
    """letter_digit_shares counts a line's non-ASCII characters by their number when they are
    all letters (str.isalpha): exact while no letter is also a digit (str.isdecimal) or a
    combining mark (regex's \\p{M}, whose tables may be newer than Python's)."""
    from cleaner.lines import _MARK

    letters = "".join(filter(str.isalpha, map(chr, range(0x110000))))
    assert not any(map(str.isdecimal, letters))
    assert _MARK.search(letters) is None


def test_letter_and_digit_shares_in_any_script():
    # Letters: Z ü r i c h, न ग र, 東 京; digits: 2 0 2 4 (½ is numeric, not decimal);
    # 22 visible characters.
    assert letter_digit_shares(" Zürich 2024 – नगर ½ 東京 ") == (11 / 22, 4 / 22)


def test_shapes():
    text = "• Home\nHome | News | Sport\nTel.: 030 123\n1. First step\nBREAKING NEWS\nvisit www.example.org"
    lines = Lines.of(Segments(text))
    assert lines.bullet == [True, False, False, False, False, False]
    assert lines.pipes == [False, True, False, False, False, False]
    assert lines.key_value == [False, False, True, False, False, False]
    assert lines.numbered == [False, False, False, True, False, False]
    assert lines.all_caps == [False, False, False, False, True, False]
    assert lines.links == [False, False, False, False, False, True]
    assert lines.copies == [1, 1, 1, 1, 1, 1]


def test_links_found_through_their_hint_are_the_links_of_the_full_pattern():
    from cleaner.lines import _LINK

    texts = ["mail me: jane@example.org", "see www.example.com", "nothing here", "https://x.y/z", "a.de b",
             "Com. www", "jane@ex", "see example.html now", "see example.html now"]
    lines = Lines.of(Segments("\n".join(texts)))
    assert lines.links == [bool(_LINK.search(text)) for text in texts]


def test_a_hindi_sentence_after_a_contact_header_stays_as_its_english_equivalent_does():
    """A 14-word paragraph after a contact header is running text, which no contact section
    holds, whether it ends in a full stop or a Devanagari danda."""
    article = ("नगर परिषद ने मंगलवार को लंबी बहस के बाद नए अस्पताल तक ट्राम लाइन के विस्तार को मंज़ूरी दे दी।\n\n")
    hindi = article + "संपर्क\n\nहमारी टीम सोमवार से शुक्रवार तक सुबह नौ बजे से आपकी सहायता करती है।\n"
    english = ("The council approved the extension of the tram line to the new hospital after a long debate.\n\n"
               "Contact\n\nOur team is there for you from Monday to Friday from nine in the morning.\n")
    for text in (hindi, english):
        last = text.strip().splitlines()[-1]
        assert last in Pipeline().clean(text).text


def test_pipes_and_key_value_match_the_patterns_line_by_line():
    from cleaner.lines import _KEY_VALUE, _SEPARATORS

    text = ("Home | News\nLabel:\nvalue after a line break\nPrice: 12 EUR\nKontakt:  mail\n a /\n/ b\n"
            "time 12:30 today\n\nPrice: 12 EUR\nhttps://example.org/a/b\n» Next › Last\nPlain prose line.\n·\n")
    table = Lines.of(Segments(text))
    assert table.pipes == [_SEPARATORS.search(t) is not None for t in table.texts]
    assert table.key_value == [_KEY_VALUE.search(t) is not None for t in table.texts]
    assert table.pipes[0] and not any(table.pipes[5:7]) and table.key_value[3] and not any(table.key_value[1:3])


def test_word_counts_and_unspaced_flags_match_their_plain_reading():
    """Words are counted from the lower-cased tokens (one split for both), and a text with no
    script written without spaces has no unspaced line."""
    from cleaner.segment import unspaced_words

    for text in ("İSTANBUL  Ärger\u00a0im Hafen\nThe harbour\treopened.\n\n12 | 34\n",
                 "港が再開 Harbour\nThe harbour reopened.\n"):
        table = Lines.of(Segments(text))
        assert table.words == [len(t.split()) + unspaced_words(t) for t in table.texts]
        assert table.unspaced == [unspaced_words(t) > len(t.split()) for t in table.texts]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aK1٣ (.):|·/»\t\u00a0\u3000\x1c\x85:")), max_size=14), max_size=6))
def test_the_hinted_columns_are_their_patterns_line_by_line(texts):
    """numbered, pipes and key_value try their patterns only where a hint says a match may
    be (a digit, a separator, a colon with white space after it): on any text, the same as
    trying every line."""
    from cleaner.lines import _KEY_VALUE, _NUMBERED, _SEPARATORS

    table = Lines.of(Segments("\n".join(texts)))
    assert table.numbered == [_NUMBERED.match(t) is not None for t in table.texts]
    assert table.pipes == [_SEPARATORS.search(t) is not None for t in table.texts]
    assert table.key_value == [_KEY_VALUE.search(t) is not None for t in table.texts]
    assert table.all_caps == [t.isupper() for t in table.texts]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a |·•/»›\n\u2028\u00a0")), max_size=40), st.sampled_from(["|·•/»›", "/", "»›", "x"]))
def test_the_lines_holding_a_character_are_found_by_str_find_as_by_reading_each_line(text, chars):
    table = Lines.of(Segments(text))
    assert table._holding(chars) == {line.text for line in table.segments.lines if any(c in line.text for c in chars)}
