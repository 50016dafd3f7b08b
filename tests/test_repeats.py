"""Repeats: later copies of a line kept above them go, the first stays; short copies, copies
of marked lines and switched-off rules stay."""

from __future__ import annotations

from cleaner import Config, Pipeline
from cleaner.document import Document, Span
from cleaner.segment import Segments
from cleaner.stages.repeats import Repeats

SLIDE = "Discover the quiet coves north of the harbour on a guided morning walk."
BODY = "The walks start at nine from the harbour office and last about three hours.\n"


def _detect(text: str, marks: list[Span] | None = None, config: Config | None = None) -> list[Span]:
    segments = Segments(text)
    return Repeats(config or Config()).detect(Document(text), segments, marks)


def test_later_copies_go_and_the_first_stays():
    text = f"{SLIDE}\n{BODY}{SLIDE}\n{SLIDE.upper()}\n"
    spans = _detect(text)
    starts = [text.index(SLIDE, 1), text.index(SLIDE.upper())]
    assert [(s.start, s.rule) for s in spans] == [(start, "duplicate_line") for start in starts]
    assert all(s.detail == {"copies": 3, "first_at": 0} for s in spans)
    result = Pipeline().clean(text)
    assert result.text == f"{SLIDE}\n{BODY}"
    assert [e.rule for e in result.edits if e.action == "drop"] == ["duplicate_line", "duplicate_line"]


def test_short_copies_stay():
    table = "Dimmable\nYes\nCable included\nYes\nPower plug\nPower plug\n"
    assert _detect(table) == []
    assert len(_detect(table, config=Config(thresholds={"repeats": {"min_words": 2}}))) == 1


def test_the_first_copy_not_marked_is_the_one_kept():
    text = f"{SLIDE}\n{BODY}{SLIDE}\n{SLIDE}\n"
    first, second = text.index(SLIDE), text.index(SLIDE, 1)
    marked = [Span(first, first + len(SLIDE), "chrome", "chrome_phrase")]
    spans = _detect(text, marked)
    assert [s.start for s in spans] == [text.index(SLIDE, second + 1)]
    assert spans[0].detail["first_at"] == second
    # A copy an earlier stage marked only in part is neither kept nor dropped here.
    partly = [Span(second + 4, second + 9, "residue", "credit_line")]
    assert [s.start for s in _detect(text, partly)] == [text.index(SLIDE, second + 1)]


def test_the_rule_and_the_stage_can_be_switched_off():
    text = f"{SLIDE}\n{BODY}{SLIDE}\n"
    assert Pipeline(Config(rules={"duplicate_line": False})).clean(text).text == text
    assert Pipeline(Config(stages={"repeats": False})).clean(text).text == text


def test_a_label_left_before_a_copy_goes_in_the_first_pass():
    """A tail's header followed only by a copy closes the page in the first pass, as in the
    second (the tails and residue stages look past what repeats removed)."""
    rules_only = Pipeline(Config(stages={"line_model": False}))
    text = f"{SLIDE}\n{BODY}Weitere Informationen:\n{SLIDE}\n"
    first = rules_only.clean(text)
    assert first.text == f"{SLIDE}\n{BODY}"
    assert rules_only.clean(first.text).edits == []


def _docs_page() -> str:
    paragraph = "<p>{}</p>"
    prose = ["The standard library's os module gives a program the separators and paths of the system it runs on.",
             "This guide shows two small scripts that print what the module knows, one for paths and one for the "
             "environment.",
             "Both start the same way, by importing the module; the rest of each script differs.",
             "Run either script with the interpreter of your choice and compare the output on two systems."]
    return ("<html><head><title>Working with paths</title></head><body><main><h1>Working with paths</h1>"
            + paragraph.format(prose[0]) + paragraph.format(prose[1])
            + "<pre><code>import os\nfrom pathlib import Path\nprint(os.sep)</code></pre>"
            + paragraph.format(prose[2])
            + "<pre><code>import os\nfrom pathlib import Path\nprint(os.environ['HOME'])</code></pre>"
            + paragraph.format(prose[3]) + "</main></body></html>")


def test_copies_of_an_html_pages_code_stay():
    """Code repeats a line by design: on an HTML page, the lines of its <pre> and <code>
    blocks are known, and their copies stay; the same text without its page loses them."""
    result = Pipeline().clean(_docs_page(), html=True)
    assert result.text.count("from pathlib import Path") == 2
    assert "duplicate_line" not in {e.rule for e in result.edits}
    assert "code_lines" not in result.records()[0]["detail"]  # the log note stays small
    as_text = Pipeline().clean(result.text, html=False)
    assert as_text.text.count("from pathlib import Path") == 1
    assert "duplicate_line" in {e.rule for e in as_text.edits}


def test_code_lines_are_read_from_the_document():
    text = f"from pathlib import Path\n{BODY}from pathlib import Path\n"
    doc = Document(text, meta={"code_lines": frozenset({"from pathlib import path"})})
    assert Repeats(Config()).detect(doc, Segments(text), []) == []
    assert len(_detect(text)) == 1


HEADLINE = "Harbour reopens after two years of repairs"


def test_the_title_line_goes_and_the_headline_stays():
    text = f"{HEADLINE} | Example Tribune\n\n{HEADLINE}\n\n{BODY}"
    spans = _detect(text)
    assert [(s.start, s.end, s.rule) for s in spans] == [(0, text.index("\n"), "title_line")]
    assert spans[0].detail == {"headline_at": text.index(HEADLINE, 1)}
    assert Pipeline().clean(text).text == f"{HEADLINE}\n\n{BODY}"
    assert Pipeline(Config(rules={"title_line": False})).clean(text).text == text


def test_a_first_line_is_no_title_unless_it_adds_a_few_words_to_a_headline():
    lead = f"{HEADLINE}, the port authority said on Monday, and the first ferries are due back in May.\n"
    same = f"{HEADLINE}\n\n{HEADLINE}\n\n{BODY}"  # a copy: the first stays, the later one goes
    short = f"Harbour news | Example Tribune\n\nHarbour news\n\n{BODY}"  # a headline of two words
    assert _detect(f"{lead}\n{HEADLINE}\n\n{BODY}") == []
    assert [s.rule for s in _detect(same)] == ["duplicate_line"]
    assert _detect(short) == []
    assert _detect(f"{HEADLINE} | Example Tribune\n\n{HEADLINE}\n\n{BODY}",
                   config=Config(thresholds={"repeats": {"title_extra_words": 1}})) == []


def test_a_title_line_an_earlier_stage_marked_is_left_to_it():
    text = f"{HEADLINE} | Example Tribune\n\n{HEADLINE}\n\n{BODY}"
    assert _detect(text, [Span(0, 10, "chrome", "chrome_phrase")]) == []
