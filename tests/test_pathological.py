"""Pathological inputs: each must finish in time linear in its size, keep restore exact,
and never raise anything but a clear, named error. Sizes are modest (1-5 MB); the timings
per MB at several sizes are in bench/pathological.py."""

from __future__ import annotations

import time

import pytest

from cleaner import Pipeline, restore
from cleaner import patterns
from cleaner.config import Config
from cleaner.io.html import ExtractError
from cleaner.patterns import _compiled, _compiled_body, anchored, line_head
from cleaner.rules import load_sections

pytestmark = pytest.mark.slow  # cleans megabytes of pathological input

PIPELINE = Pipeline()


def clean_timed(text: str, limit: float, **kwargs):
    """Clean ``text`` and check it took less than ``limit`` seconds of CPU time (not wall-clock
    time, which a loaded machine stretches)."""
    start = time.process_time()
    result = PIPELINE.clean(text, **kwargs)
    elapsed = time.process_time() - start
    assert elapsed < limit, f"{elapsed:.1f} s for {len(text) / 1e6:.1f} MB"
    assert restore(result.text, result.edits) == result.decoded
    return result


def test_single_line_of_two_megabytes():
    words = "alpha beta gamma, delta. Epsilon zeta eta theta! "
    text = words * (2_000_000 // len(words))
    result = clean_timed(text, 20)
    assert result.text.strip() == text.strip()


def test_a_million_empty_lines():
    text = "Opening paragraph of the story.\n" + "\n" * 1_000_000 + "Closing paragraph.\n"
    result = clean_timed(text, 20)
    assert result.text == "Opening paragraph of the story.\n\nClosing paragraph.\n"


def test_digits_and_punctuation_sports_table():
    row = "{:>3} | {:>2}-{:<2} | {:>5.1f}% | 1:0{},{} | +{}\n"
    lines = [row.format(i % 500, i % 7, i % 5, (i % 1000) / 10, i % 10, i % 9, i % 13) for i in range(60_000)]
    text = "League table, round 12.\n\n" + "".join(lines)
    result = clean_timed(text, 20)
    # A table is content: its rows stay.
    assert len(result.text) > 0.95 * len(text)


def test_long_runs_that_used_to_backtrack_quadratically():
    k = 200_000
    cases = [
        "Pinnen" + " " * k + "x",            # chrome phrase ending in \s*$
        "Share" + " " * k + "!" + " " * 5 + "x",
        "an ending." + "A" * k + "b",          # merged_fragment's capital run
        "word " * 3 + " " * k + "tail",        # emit's trailing spaces
        "1 " * k + "x",                        # counters' numeric line
        "lade die " + "a" * k,                 # German app phrase
    ]
    for text in cases:
        clean_timed("Real prose line one is here.\n" + text + "\nAnother line of prose.\n", 5)
    # blocks (e-mail test) runs only on page dumps: a dump with a very long word
    dump = "Home\nMenu\nShare\nAdvertisement\n" + "x" * k + "\n" + "An actual sentence of the article, long enough to count as prose here.\n" * 5
    clean_timed(dump, 5)


ADVERSARIAL = [
    " " * 20_000 + "x",
    "a" * 20_000,
    "a " * 10_000 + "!",
    ("ab" * 5 + " ") * 2_000,
    "." * 20_000,
    "-" * 20_000,
    "A" * 20_000 + "b",
    "1" * 20_000 + "x",
    "@" * 20_000,
]
TRIGGERS = ["", "share ", "follow us ", "lade die ", "download the ", "subscribe to our ", "newsletter ", "pinnen"]


def test_every_chrome_pattern_is_linear_on_adversarial_lines():
    """The pattern review, as a test: no built-in phrase (chrome lines, tail headers)
    backtracks on long odd lines."""
    slow = []
    for _, family, pattern in load_sections("chrome") + load_sections("tails"):
        compiled = _compiled(pattern)
        body = _compiled_body(pattern[1:]) if anchored(pattern) else None  # as the phrase set runs it
        for trigger in TRIGGERS:
            for tail in ADVERSARIAL:
                line = trigger + tail
                start = time.process_time()
                compiled.search(line)
                if body is not None:
                    body.match(line, line_head(line))
                # CPU time, not wall-clock time (a loaded machine must not fail the test):
                # a linear pattern takes well under a millisecond here, a backtracking one
                # seconds, so a margin of half a second tells them apart.
                if time.process_time() - start > 0.5:
                    slow.append((family, pattern, trigger, tail[:5]))
    assert not slow


def test_html_nested_100000_levels_fails_with_a_clear_error():
    html = "<html><body>" + "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000 + "</body></html>"
    start = time.process_time()
    with pytest.raises(ExtractError, match="nested 100002 levels deep"):
        PIPELINE.clean(html, html=True)
    assert time.process_time() - start < 5


def test_html_with_a_million_tags_fails_with_a_clear_error():
    html = "<html><body>" + "<i>x</i>" * 1_000_000 + "</body></html>"
    start = time.process_time()
    with pytest.raises(ExtractError, match="tags"):
        PIPELINE.clean(html, html=True)
    assert time.process_time() - start < 10


def test_html_within_limits_still_extracts():
    html = "<html><body>" + "<div>" * 100 + "<p>A paragraph deep inside the page, written as prose for whoever reads that far.</p>" + "</div>" * 100 + "</body></html>"
    assert "deep inside" in PIPELINE.clean(html, html=True).text


ARTICLES = {
    "zh": ("首页\n新闻\n分享到微信\n广告\n",
           ["东京的樱花今年比往年提前一周开放，市民纷纷前往公园赏花。",
            "气象部门表示，三月气温偏高是樱花提前开放的主要原因。",
            "专家提醒，赏花期间游客较多，请注意交通安全和环境卫生。"]),
    "ja": ("ホーム\nシェアする\n広告\n",
           ["東京の桜は今年、例年より一週間早く開花した。",
            "気象庁によると、三月の高い気温が主な原因だという。"]),
    "ar": ("الرئيسية\nشارك\nإعلان\nاقرأ أيضا\n",
           ["أعلنت البلدية اليوم عن خطة جديدة لتحسين شبكة النقل العام في المدينة.",
            "وقال رئيس البلدية إن المشروع سيستغرق ثلاث سنوات وسيكلف مليار دينار.",
            "ورحب السكان بالخطة، لكن بعضهم أبدى قلقه من الازدحام خلال فترة البناء."]),
    "he": ("דף הבית\nשתפו\nפרסומת\nקראו עוד\n",
           ["עיריית תל אביב הודיעה היום על תוכנית חדשה לשיפור התחבורה הציבורית בעיר.",
            "לדברי ראש העירייה, הפרויקט יימשך שלוש שנים ויעלה מיליארד שקלים.",
            "התושבים בירכו על התוכנית, אך חלקם הביעו דאגה מפקקים בזמן העבודות."]),
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_non_latin_articles_keep_every_paragraph(lang):
    chrome, paragraphs = ARTICLES[lang]
    text = chrome + "Share\nAdvertisement\nFollow us on Twitter\n\n" + "\n\n".join(paragraphs * 3) + "\n\n© 2024\n"
    result = clean_timed(text, 5)
    for paragraph in paragraphs:
        assert paragraph in result.text
    assert "Follow us on Twitter" not in result.text


def test_catastrophic_user_pattern_times_out_and_leaves_the_document(monkeypatch):
    monkeypatch.setattr(patterns, "TIMEOUT", 0.2)
    pipeline = Pipeline(Config(drop_patterns=[r"^(a|aa)+$"]))
    text = "The opening line of the article.\n\n" + "a" * 60 + "b\n\nAdvertisement\n"
    start = time.process_time()
    result = pipeline.clean(text)
    assert time.process_time() - start < 3
    assert "a" * 60 + "b" in result.text  # the rule left the document unchanged
    assert "Advertisement" not in result.text  # the other rules still ran
    notes = [r for r in result.records() if r["rule"] == "pattern_timeout"]
    assert notes and notes[0]["detail"]["rule"] == "user_drop_pattern"
    assert notes[0]["detail"]["pattern"] == "^(a|aa)+$"
    assert restore(result.text, result.edits) == text
    assert pipeline.stats["pattern_timeouts"] == 1


def test_catastrophic_keep_pattern_protects_the_document(monkeypatch):
    monkeypatch.setattr(patterns, "TIMEOUT", 0.2)
    pipeline = Pipeline(Config(keep_patterns=[r"^(a|aa)+$"]))
    text = "The opening line of the article.\n\n" + "a" * 60 + "b\n\nAdvertisement\n"
    result = pipeline.clean(text)
    assert "Advertisement" in result.text
    assert [r["detail"]["rule"] for r in result.records() if r["rule"] == "pattern_timeout"] == ["keep_pattern"]


MOJIBAKE_LINE = "Café — naïve façade, “quoted” Straße Ærø ½ € déjà vu. ".encode().decode("cp1252", "replace") * 4


def test_text_dense_with_mojibake_is_bounded_and_what_is_skipped_is_logged(monkeypatch, tmp_path):
    """The repair of mojibake (about 10 s/MB when dense) stops at the time the patterns get:
    the document is left unrepaired by that rule, once, with a note; the other rules run."""
    text = "A title\u200b line.\n\n" + "\n".join([MOJIBAKE_LINE] * 400) + "\n"
    import cleaner.stages.normalise

    # Within the time limit (a generous one: the limit is wall-clock, and a loaded machine
    # must not turn this half of the test into the other), the text is repaired.
    monkeypatch.setattr(cleaner.stages.normalise, "budget", lambda length: 600.0)
    repaired = Pipeline().clean(text)
    assert "Ã" not in repaired.text and not repaired.meta.get("pattern_timeouts")
    monkeypatch.setattr(cleaner.stages.normalise, "budget", lambda length: 0.0)  # no time at all
    pipeline = Pipeline()
    result = pipeline.clean(text)
    assert "CafÃ© â€” naÃ¯ve faÃ§ade" in result.text  # left as it was
    assert "\u200b" not in result.text  # the other rules still ran
    notes = [r for r in result.records() if r["rule"] == "pattern_timeout"]
    assert [(n["stage"], n["detail"]["rule"]) for n in notes] == [("normalise", "fix_mojibake")]
    assert "pattern" not in notes[0]["detail"] and pipeline.stats["pattern_timeouts"] == 1
    assert restore(result.text, result.edits) == text
    # A batch lists it (and retries the input next run).
    from cleaner.run.batch import run

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "page.txt").write_text(text)
    summary = run(tmp_path / "src", tmp_path / "dest", Config(), workers=1, templates=False)
    assert [e["reason"] for e in summary.errors] == [
        "rule fix_mojibake (normalise): ran over 0.0 s and was stopped; the rule left this document unchanged"]
