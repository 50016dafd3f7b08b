"""Properties over generated text and bytes: never raises, idempotent, restore exact,
every output line comes from the normalised input."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import Config, NotTextError, Pipeline, restore
from cleaner.document import Document

PIPELINE = Pipeline()
# The named rules alone: idempotent. The line model judges each line by the page around it, and
# a page it cleaned is another page (shorter, its menus gone), so a second pass may take more.
RULES = Pipeline(Config(stages={"line_model": False}))

WORDY = st.sampled_from([
    "The council approved the harbour budget after a long debate on Tuesday evening.",
    "Der Rat hat den Haushalt für den Hafen nach langer Debatte am Dienstag beschlossen.",
    "Follow us on Twitter", "12 Comments", "0", "Share", "Wednesday , 1 May 2024", "Advertisement",
    "Sentence end.HEADLINE KICKERGlued headline about markets", "cafÃ© â€” ok", "Home", "Menu",
    "東京の桜が咲いた。", "مرحبا بالعالم", "שלום עולם", "", "   ", "\t",
])
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
LINES = st.lists(st.one_of(WORDY, ANY_TEXT), max_size=30)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _text(lines: list[str], sep: str) -> str:
    return sep.join(lines)


@SETTINGS
@given(LINES, st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"]))
@example(["\xa0\u00c2\x80"], "\n")  # ftfy left "Â€" alone beside a no-break space
@example(["Some text here.", "Weitere Informationen:", "12 Comments"], "\n")  # a label left last by a removal
@example(["0", "", "\x895:", "", "12 Comments"], "\n")  # figures are no label
@example(["\t", "Wednesday , 1 May 2024", "<P\x8f"], "\r\n")  # "<P" is no HTML page
@example(["x \xa0\u00c5\u00b2\u015a\xa0"], "\n")  # ftfy judged "Å²" by the trailing space emit strips
@example(["Der Rat hat den Haushalt für den Hafen nach langer Debatte am Dienstag beschlossen."]
         + ["Follow us on Twitter"] * 9
         + ["Wednesday , 1 May 2024", "Sentence end.HEADLINE KICKERGlued headline about markets", "Home"],
         "\n")  # the date followed prose that blocks removes
@example(["The council approved the harbour budget.", "Weitere Informationen:",
          "The council approved the harbour budget."], "\n")  # a label left before a copy of a line above
def test_idempotent_and_restorable(lines, sep):
    text = _text(lines, sep)
    first = PIPELINE.clean(text, html=False)  # text mode: restore gives back the input itself
    assert restore(first.text, first.edits) == text
    again = PIPELINE.clean(first.text, html=False)
    assert restore(again.text, again.edits) == first.text
    by_rules = RULES.clean(text, html=False)
    assert restore(by_rules.text, by_rules.edits) == text
    second = RULES.clean(by_rules.text, html=False)
    assert second.text == by_rules.text, [(e.rule, e.original) for e in second.edits]


@SETTINGS
@given(LINES, st.sampled_from(["\n", "\n\n"]))
def test_output_lines_come_from_the_normalised_input(lines, sep):
    text = _text(lines, sep)
    doc = Document(text)
    PIPELINE.normalise.run(doc)
    normalised = doc.text
    for line in PIPELINE.clean(text).text.splitlines():
        assert line.rstrip() in normalised


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_including_lone_surrogates_never_raises(text):
    result = PIPELINE.clean(text)
    # An HTML page restores to the text extracted from it; anything else to itself.
    assert restore(result.text, result.edits) == (result.decoded if result.meta.get("html") else text)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_never_raise(data):
    try:
        result = PIPELINE.clean(data)
    except NotTextError:
        return
    assert restore(result.text, result.edits) == result.decoded
