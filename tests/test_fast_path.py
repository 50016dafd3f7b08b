"""The fast path (cleaner.screens) gives byte-identical output and provenance to the slow
path, which runs every rule in full on every line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from cleaner import Config, Pipeline, screens

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(
    p for folder in ("seeds", "fixtures") for p in (ROOT / folder).glob("*.txt")
    if not p.name.endswith(".expected.txt")
)

# A page dump touching every screen: mojibake, links and e-mail addresses, dates before and
# after the first prose line, credits, repeated menu lines, related lists, odd case changes.
DUMP = (
    "Home\nNews\nSport\nHome\nLogin\nWednesday, 1 May 2024\n"
    "Follow us on Twitter\nSubscribe to our newsletter\nShare\n12 Comments\n\n"
    "The council approved the new harbour plan on Monday after a long debate about its cost.\n"
    "It said the works would start in the spring and take about two years to finish.\n"
    "CafÃ© owners near the quay welcomed the decision â€” most of them, at least.\n"
    "Write to press@harbour.example or visit www.harbour.example for the details.\n"
    "3 June 2024\n"
    "Photo: Jane Doe / Agency\n\n"
    "Related articles\nHarbour fees rise again\nNew ferry for the islands\n\n"
    "The mayor said the plan was the city's best chance in a generation to renew the waterfront.\n"
    "İstanbul and Straße are words whose case changes their length.\n"
    "Home\nNews\nSport\n© 2024 Harbour Times\nPrivacy policy\nCookie settings\n"
)


def _cleaned(text_or_bytes, doc_id: str, config: Config | None = None) -> tuple[str, str]:
    result = Pipeline(config).clean(text_or_bytes, doc_id=doc_id)
    return result.text, json.dumps(result.records(), ensure_ascii=False)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_fast_and_slow_paths_agree(path: Path, monkeypatch):
    fast = _cleaned(path.read_bytes(), path.name)
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(path.read_bytes(), path.name) == fast


def test_page_dump_fast_and_slow_paths_agree(monkeypatch):
    fast = _cleaned(DUMP, "dump")
    assert fast[0] != DUMP  # the dump was cleaned: the screens had work to skip
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(DUMP, "dump") == fast


def test_share_widget_screen_finds_the_lines_the_widget_pattern_finds():
    from cleaner.stages.residue import _SHARE_WIDGET_COLON, _share_widget

    lines = [
        "Share this: Twitter Facebook Like this: Loading...",
        "Ich würde investieren. Bewerten: Teilen Sie dies mit: Twitter Facebook",
        "Share this: the council's plan is a good one.",
        "Reshare this: Twitter",  # no space before the label
        "Teilen mit:" + " " * 50 + "Twitter",  # the platform too far after the colon
        "J'aime : E-Mail",
        "Time: 12:30, Share this:",
        "no colon at all, share this twitter",
    ]
    for line in lines:
        assert bool(_SHARE_WIDGET_COLON.search(line)) == bool(_share_widget().search(line)), line


def test_credit_and_share_lookbehinds_stay_linear():
    import time

    from cleaner.stages.residue import _CREDIT, _SHARE_WIDGET_COLON

    k = 20_000
    for line in (" " * k + ":" * 2_000, " :" * k, "foto" + " " * k + ":", "share this:" * 2_000, "bild:" * 4_000):
        for pattern in (_CREDIT, _SHARE_WIDGET_COLON):
            start = time.process_time()
            list(pattern.compiled.finditer(line))
            assert time.process_time() - start < 0.5, (pattern.rule, line[:12])


# Tails and residue: an author box (a name alone above its note), job-title lines, a
# comment section, credits with labels and copyright signs, a flattened sharing widget.
TAILS = (
    "Harbour plan approved\n\n"
    "The council approved the new harbour plan on Monday after a long debate about its cost.\n"
    "Foto: Jane Doe / Agency\n"
    "The works start in spring. © AFP / Max Muster\n"
    "Abbildung 4: Der Hafen im Winter.\n"
    "It said the works would take about two years. Share this: Twitter Facebook Like this: Loading...\n"
    "Dr. Jane Doe\n"
    "Dr. Jane Doe is a senior writer for the Harbour Gazette.\n"
    "Redakteur in der Wirtschaft.\n"
    "Max Muster\n"
    "Max Muster wrote this. He is a reporter.\n\n"
    "3 comments on Harbour plan approved\n"
    "Great news for the town, finally!\n"
    "Pressekontakt:\n"
    "Harbour Office, press@harbour.example\n"
)


def test_tails_and_residue_fast_and_slow_paths_agree(monkeypatch):
    # The line model off, so that no line it drops hides a rule's edit (the rules are the test).
    rules_only = Config(stages={"line_model": False})
    fast, fast_with_model = _cleaned(TAILS, "tails", rules_only), _cleaned(TAILS, "tails")
    rules = {record["rule"] for record in json.loads(fast[1])}
    assert {"author_bio", "comment_section", "credit_line", "figure_caption", "share_widget_tail"} <= rules
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(TAILS, "tails", rules_only) == fast
    assert _cleaned(TAILS, "tails") == fast_with_model


def test_job_title_line_screen_reads_past_trailing_spaces(monkeypatch):
    # The job-title screen takes the line table's last character (trailing spaces stripped).
    text = ("The council approved the new harbour plan on Monday after a long debate about its cost.\n"
            "It said the works would start in the spring and take about two years to finish.\n"
            "Redakteurin im Ressort Wirtschaft.\u00a0\u3000 \n")
    fast = _cleaned(text, "job")
    assert [r["original"] for r in json.loads(fast[1]) if r["rule"] == "author_bio"] == [
        "Redakteurin im Ressort Wirtschaft.\u00a0\u3000 \n"]
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(text, "job") == fast


# Captions (their number in Arabic-Indic digits too) and look-alike spam, which the residue
# stage looks for only on the lines holding a digit or a letter of those scripts.
CAPTIONS = (
    "Аdvеrtіѕе wіth thе most visited news site\n"
    "The council approved the new harbour plan on Monday after a long debate about its cost.\n"
    "Figure 2: The harbour at dawn.\n"
    "شكل ٣: الميناء عند الفجر\n"
    "It said the works would start in the spring and take about two years to finish.\n"
    "Москва (Moscow) and Αθήνα (Athens) are capitals of countries with ports.\n"
    "Figure \U00010d42: a digit of a recent Unicode version, which the regex module may know.\n"
)


def test_caption_and_look_alike_screens_fast_and_slow_paths_agree(monkeypatch):
    fast = _cleaned(CAPTIONS, "captions")
    taken = [(r["rule"], r["detail"]["text"]) for r in json.loads(fast[1]) if r["stage"] == "residue"]
    recent = [("figure_caption", CAPTIONS.splitlines()[-1])] if regex.match(r"\d", "\U00010d42") else []
    assert taken == [("mixed_script_line", "Аdvеrtіѕе wіth thе most visited news site"),
                     ("figure_caption", "Figure 2: The harbour at dawn."), ("figure_caption", "شكل ٣: الميناء عند الفجر"),
                     *recent]
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(CAPTIONS, "captions") == fast


def test_character_screen_holds_every_character_the_pass_acts_on():
    from cleaner.stages import normalise

    rules = (normalise._CONTROL, normalise._ZERO_WIDTH, normalise._ODD_SPACE, normalise._CR, normalise._SURROGATE)
    for code in range(0x10000):
        char = chr(code)
        if any(rule.match(char) for rule in rules):
            assert normalise._CHARACTERS_SCREEN.match(char), hex(code)


def test_no_han_or_kana_below_the_screened_range():
    from cleaner.segment import _HAN_KANA

    assert [hex(code) for code in range(0x2E80) if _HAN_KANA.match(chr(code))] == []


# Chrome labels behind spaces and list markers, and the one character ("İ") whose lowercase
# is two characters: the phrase screen finds anchored patterns' heads past both.
LIST_DUMP = (
    "  Advertisement\n* Impressum\n12. Startseite\no Kontakt\n- Share\n\tNewsletter\n123. Home\n"
    "İletişim\nİLGİLİ HABERLER\n• Daha fazla\n\n"
    "The council approved the new harbour plan on Monday after a long debate about its cost.\n"
    "Belediye meclisi perşembe günü tramvay hattının yeni hastaneye kadar uzatılmasını onayladı.\n"
)


def test_list_items_and_indented_lines_fast_and_slow_paths_agree(monkeypatch):
    fast = _cleaned(LIST_DUMP, "list")
    assert "Impressum" not in fast[0] and "İletişim" not in fast[0]
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(LIST_DUMP, "list") == fast


# Letters the phrase patterns (IGNORECASE) take as another one that str.lower() keeps apart:
# the long s, and the final sigma where a medial one is written (and the reverse).
FOLD_DUMP = (
    "ſhare\nFollow uſ on Mastodon\nΑκολουθήστε μασ στο Facebook\n\n"
    "The council approved the new harbour plan on Monday after a long debate about its cost.\n"
    "Το δημοτικό συμβούλιο ενέκρινε τη Δευτέρα το νέο σχέδιο για το λιμάνι της πόλης μας.\n"
)


def test_letters_lowercase_keeps_apart_fast_and_slow_paths_agree(monkeypatch):
    fast = _cleaned(FOLD_DUMP, "fold")
    assert "ſhare" not in fast[0] and "uſ" not in fast[0] and "μασ" not in fast[0]
    monkeypatch.setattr(screens, "ENABLED", False)
    assert _cleaned(FOLD_DUMP, "fold") == fast


def test_anchored_phrase_patterns_are_the_line_head_then_their_rest():
    """The phrase set matches an anchored pattern's rest (after "^") at the line's head:
    the whole pattern, as line_pattern wraps it, is the head's pattern followed by it."""
    from cleaner.patterns import _LINE_HEAD, anchored, line_pattern
    from cleaner.rules import load_sections

    patterns = [pattern for _, _, pattern in load_sections("chrome") if anchored(pattern)]
    assert len(patterns) > 300
    for pattern in patterns:
        assert line_pattern(pattern, True, True) == _LINE_HEAD.pattern + line_pattern(pattern[1:], True)


def test_one_pipeline_for_many_documents_cleans_each_as_a_fresh_one(monkeypatch):
    # The chrome verdicts kept from one document to the next (and cleared past their bound)
    # never change a document's output: the cases in turn, then again in reverse order, with
    # DUMP (whose lines repeat across them) in between.
    from cleaner.stages import chrome

    docs = [(p.name, p.read_bytes()) for p in CASES] + [("dump", DUMP)]
    fresh = {name: _cleaned(data, name) for name, data in docs}
    for kept in (chrome.VERDICTS_KEPT, 5):
        monkeypatch.setattr(chrome, "VERDICTS_KEPT", kept)
        pipeline = Pipeline()
        for name, data in [*docs, ("dump", DUMP), *reversed(docs)]:
            result = pipeline.clean(data, doc_id=name)
            assert (result.text, json.dumps(result.records(), ensure_ascii=False)) == fresh[name], name


def test_chrome_verdicts_kept_across_documents_are_bounded(monkeypatch):
    from cleaner.stages import chrome

    monkeypatch.setattr(chrome, "VERDICTS_KEPT", 5)
    pipeline = Pipeline()
    stage = next(s for s in pipeline.detectors if s.name == "chrome")
    pipeline.clean(DUMP)
    kept = len(stage._verdicts)
    assert kept > 5
    pipeline.clean("Share\n\nThe council approved the new harbour plan on Monday after a long debate.\n")
    assert 0 < len(stage._verdicts) < kept  # cleared, then this document's lines
