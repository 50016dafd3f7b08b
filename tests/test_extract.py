"""HTML in: the block model decides block by block, trafilatura's extraction one of its facts."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner import Config
from cleaner.cli import app
from cleaner.document import restore
from cleaner.io.dom import dom_blocks, parse
from cleaner.model.block_features import DOM_FEATURES
from cleaner.model.block_model import WIDTH, BlockModel, default_block_model
from cleaner.pipeline import Pipeline
from cleaner.stages.extract import Extract, page_text

ARTICLE = " ".join(
    f"Sentence {i} of the report says that the harbour reopened on Monday after two years of repairs."
    for i in range(6))
PAGE = f"""<!DOCTYPE html><html><head><title>Harbour reopens</title></head><body>
<header><nav class="main-menu"><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main><article>
<h1>Harbour reopens</h1>
<p>{ARTICLE}</p>
<p>{ARTICLE.replace("Sentence", "Line")}</p>
<p>{ARTICLE.replace("Sentence", "Paragraph")}</p>
</article>
<aside class="related-posts"><h3>Related stories</h3><ul>
<li><a href="/a">Storm closes the bridge</a></li><li><a href="/b">Ferry prices rise again</a></li>
<li><a href="/c">New mayor sworn in</a></li></ul></aside></main>
<footer class="site-footer"><p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p>
<p>Copyright 2025 The Daily Harbour. All rights reserved.</p></footer>
</body></html>"""


def test_the_shipped_model_reads_the_features_of_this_code():
    model = default_block_model()
    assert model.first.feature.max() < len(BlockModel.FIRST)
    assert 0 < model.threshold < 1


# The page model off: the blocks kept are the text, whatever trafilatura's extraction gives.
BLOCKS = {"extract": {"prefer_extracted": 1.0}}


def test_blocks_keep_the_article_and_drop_the_menus_as_logged_edits():
    result = Pipeline(Config(thresholds=BLOCKS)).clean(PAGE, html=True)
    assert "Sentence 5 of the report" in result.text and "Paragraph 0 of the report" in result.text
    for chrome in ("Contact us", "Ferry prices rise again", "All rights reserved"):
        assert chrome not in result.text
    dropped = [e for e in result.edits if e.rule == "block_model"]
    assert dropped and all(e.stage == "extract" and e.action == "drop" for e in dropped)
    menu = next(e for e in dropped if "Contact us" in e.original)
    assert "nav.main-menu" in menu.detail["path"]
    assert menu.detail["score"] < menu.detail["threshold"] and menu.detail["features"]
    note = result.records()[0]["detail"]
    assert note["extractor"] == "blocks" and note["blocks"] > 10
    # The extracted text holds every block; the log undoes every removal.
    assert "Contact us" in result.decoded
    assert restore(result.text, result.edits) == result.decoded


def test_the_blocks_kept_are_not_judged_again_by_the_line_model(monkeypatch):
    """The block model read each block's line features already, with the DOM's: the line model
    runs on trafilatura's extraction, not on the blocks kept."""
    import cleaner.model.line_model as line_model

    class Counted:
        def __init__(self, model):
            self.model, self.pages = model, 0

        def __getattr__(self, name):
            return getattr(self.model, name)

        def scored(self, x):
            self.pages += 1
            return self.model.scored(x)

    counted = Counted(line_model.default_model())
    monkeypatch.setattr(line_model, "default_model", lambda: counted)
    long_page = PAGE.replace(f"<p>{ARTICLE}</p>", "".join(
        f"<p>{ARTICLE.replace('Sentence', f'Part {i}, sentence')}</p>" for i in range(8)))
    blocks = Pipeline(Config(thresholds=BLOCKS)).clean(long_page, html=True)
    assert blocks.records()[0]["detail"]["extractor"] == "blocks"
    assert len(blocks.text.splitlines()) >= 8 and counted.pages == 0
    extracted = Pipeline(Config(rules={"block_model": False})).clean(long_page, html=True)
    assert "Part 7, sentence 5" in extracted.text and counted.pages == 1


def test_extractor_trafilatura_is_todays_behaviour():
    from cleaner.io.html import extract

    config = Config(rules={"block_model": False})
    result = Pipeline(config).clean(PAGE, html=True)
    assert result.decoded == extract(PAGE)
    assert not [e for e in result.edits if e.rule == "block_model"]
    assert result.records()[0]["detail"]["extractor"] == "trafilatura"


def test_threshold_moves_the_decision_and_keeping_nothing_falls_back_to_trafilatura():
    lenient = Pipeline(Config(thresholds={"extract": {**BLOCKS["extract"], "threshold": 0.0}})).clean(PAGE, html=True)
    assert not [e for e in lenient.edits if e.rule == "block_model"]
    assert "Contact us" in lenient.decoded
    strict = Pipeline(Config(thresholds={"extract": {"threshold": 1.0}})).clean(PAGE, html=True)
    assert strict.records()[0]["detail"]["fallback"] == "the block model kept no block"
    assert "Sentence 5 of the report" in strict.text


FAST = {"extract": {"trafilatura_vote": False}}


def test_without_the_vote_trafilatura_runs_only_where_its_extraction_is_the_text(monkeypatch):
    """``trafilatura_vote = false`` decides the blocks with the model trained without
    trafilatura's extraction; trafilatura extracts a page only where it becomes the text."""
    import cleaner.io.html as html_io

    calls = []
    extract = html_io.extract
    monkeypatch.setattr(html_io, "extract", lambda html, **kw: calls.append(html) or extract(html, **kw))
    fast = Pipeline(Config(thresholds=FAST)).clean(PAGE, html=True)
    note = fast.records()[0]["detail"]
    assert note["extractor"] == "blocks" and note["trafilatura_vote"] is False and calls == []
    assert "Sentence 5 of the report" in fast.text and "Contact us" not in fast.text
    assert any(e.rule == "block_model" for e in fast.edits)
    assert restore(fast.text, fast.edits) == fast.decoded
    kept_none = Pipeline(Config(thresholds={"extract": {**FAST["extract"], "threshold": 1.0}})).clean(PAGE, html=True)
    assert kept_none.records()[0]["detail"]["fallback"] == "the block model kept no block" and calls == [PAGE]
    assert "Sentence 5 of the report" in kept_none.text
    Pipeline().clean(PAGE, html=True)  # with the vote, trafilatura extracts every page
    assert calls == [PAGE, PAGE]


def test_the_fast_block_model_is_trained_without_the_page_model():
    model = default_block_model(fast=True)
    assert model is not default_block_model() and model.chooser is None
    assert model.first.feature.max() < len(BlockModel.FIRST) and 0 < model.threshold < 1
    assert default_block_model().chooser is not None


def test_the_fast_models_rows_read_no_extraction(monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_blocks

    def derive(*args, **kwargs):
        raise AssertionError("trafilatura's extraction derived")
    monkeypatch.setattr(train_blocks._sets, "derive", derive)
    assert train_blocks.build_rows([], 1, lambda message: None, extraction=False) == []
    with pytest.raises(AssertionError):
        train_blocks.build_rows([], 1, lambda message: None)


def test_keep_headline_keeps_the_block_most_like_the_title_that_the_model_leaves_out(monkeypatch):
    import cleaner.model.block_model as block_model

    model = default_block_model()

    class DropsHeadline:  # the shipped model, scoring the block that reads as the title 0
        def __getattr__(self, name):
            return getattr(model, name)

        def scored(self, x, groups):
            scores, leaves = model.scored(x, groups)
            scores = scores.copy()
            scores[x[:, WIDTH + DOM_FEATURES.index("like_title")] == 1.0] = 0.0
            return scores, leaves

    monkeypatch.setattr(block_model, "default_block_model", lambda fast=False: DropsHeadline())
    dropped = Pipeline(Config(thresholds=BLOCKS)).clean(PAGE, html=True)
    assert not dropped.text.startswith("Harbour reopens")
    assert any(e.original.strip() == "Harbour reopens" for e in dropped.edits if e.rule == "block_model")
    kept = Pipeline(Config(thresholds={"extract": {**BLOCKS["extract"], "keep_headline": True}})).clean(PAGE, html=True)
    assert kept.text.startswith("Harbour reopens\n")
    assert not any(e.original.strip() == "Harbour reopens" for e in kept.edits)
    assert "Contact us" not in kept.text  # the other blocks left out stay out


SHELL = """<!DOCTYPE html><html><head><title>Shop</title></head><body><div id="app">
<header><a href="/">Shop</a></header><p>Loading your basket...</p></div></body></html>"""


@pytest.mark.parametrize("extractor", [True, False])
def test_a_page_whose_main_text_is_a_few_words_has_none(extractor):
    config = Config(rules={"block_model": extractor})
    result = Pipeline(config).clean(SHELL, html=True)
    assert result.text == ""
    edit = next(e for e in result.edits if e.rule == "too_few_words")
    assert "Loading your basket" in edit.original and edit.stage == "extract"
    assert restore(result.text, result.edits) == result.decoded  # undone as any other removal
    record = next(r for r in result.records() if r["rule"] == "too_few_words")
    assert record["detail"]["min_words"] == 10 and 0 < record["detail"]["words"] < 10
    # The page is flagged as having lost its words, and the flag names the rule that took them.
    assert result.meta["safety_bound"]["words_by_rule"]["too_few_words"] == record["detail"]["words"]


def test_min_words_moves_the_bound_and_zero_keeps_every_page():
    kept = Pipeline(Config(thresholds={"extract": {"min_words": 0}})).clean(SHELL, html=True)
    assert "Loading your basket" in kept.text
    assert not [e for e in kept.edits if e.rule == "too_few_words"]
    off = Pipeline(Config(rules={"too_few_words": False})).clean(SHELL, html=True)
    assert "Loading your basket" in off.text
    article = Pipeline(Config(thresholds={"extract": {"min_words": 50}})).clean(PAGE, html=True)
    assert "Sentence 5 of the report" in article.text  # a page of more words than the bound keeps them


def test_cli_says_why_a_page_gives_no_text(tmp_path):
    page = tmp_path / "shell.html"
    page.write_text(SHELL)
    result = CliRunner().invoke(app, ["clean", str(page)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "shell.html: no main content" in result.stderr and "min_words = 10" in result.stderr


def test_text_mode_keeps_a_short_text():
    assert Pipeline().clean("Loading your basket...\n").text == "Loading your basket...\n"


@pytest.mark.parametrize("vote", [True, False])
def test_a_page_without_blocks_falls_back(vote):
    config = Config(thresholds={"extract": {"trafilatura_vote": vote}})
    text, info = Extract(config).main_text("<html><body></body></html>", None, lambda doc, seg: [])
    assert text == "" and info["fallback"] == "the page has no text blocks"


@pytest.mark.parametrize("vote", [True, False])
def test_a_page_that_does_not_parse_falls_back(monkeypatch, vote):
    import cleaner.io.dom as dom

    monkeypatch.setattr(dom, "parse", lambda html: None)
    text, info = Extract(Config(thresholds={"extract": {"trafilatura_vote": vote}})).main_text(
        PAGE, None, Pipeline().rule_marks)
    assert info == {"extractor": "trafilatura", "fallback": "the page has no text blocks"}
    assert "Sentence 5 of the report" in text


@pytest.mark.parametrize("vote", [True, False])
def test_a_page_that_cannot_be_walked_falls_back(monkeypatch, vote):
    import cleaner.stages.extract as stage

    def broken(page, extracted, mark, lexicon):
        raise RecursionError
    monkeypatch.setattr(stage, "block_rows", broken)
    result = Pipeline(Config(thresholds={"extract": {"trafilatura_vote": vote}})).clean(PAGE, html=True)
    assert result.records()[0]["detail"]["fallback"] == "the page could not be walked into blocks (RecursionError)"
    assert "Sentence 5 of the report" in result.text  # trafilatura's extraction, run for it


def test_page_text_ranges_remove_a_block_and_its_separator():
    page = dom_blocks(parse("<html><body><p>One.</p><ul><li>a</li><li>b</li></ul><p>Two.</p></body></html>"))
    text, ranges = page_text(page)
    assert text == "One.\n\na\nb\n\nTwo.\n"
    assert [text[s:e] for s, e in ranges] == ["One.\n\n", "a\n", "b\n\n", "Two."]


def test_the_block_training_lays_out_the_blocks_kept_as_the_extraction_leaves_them():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_blocks import kept_text

    page = dom_blocks(parse("<html><body><p>One.</p><ul><li>a</li><li>b</li></ul><p>Two.</p></body></html>"))
    text, ranges = page_text(page)
    for keep in ([True, False, True, True], [False, True, True, False], [True, True, False, True]):
        left = "".join(text[s:e] for (s, e), kept in zip(ranges, keep) if kept)
        assert kept_text(page, np.array(keep)).split() == left.split()
    assert kept_text(page, np.array([True, False, True, True])) == "One.\n\nb\n\nTwo.\n"


def test_the_block_labels_judge_the_headline_by_the_gold_text():
    """The block model learns the page's headline as every other block: chrome where the gold
    text leaves it out (as WCXB's and fundus's do on almost every page), content where it holds it."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_blocks import _rows

    html = ("<html><head><title>Harbour reopens after two years | Coast News</title></head><body>"
            "<h1>Harbour reopens after two years</h1><p>The harbour reopened on Monday after two years "
            "of repairs, the council said.</p><p>Ferries will run again from May.</p></body></html>")
    body = "The harbour reopened on Monday after two years of repairs, the council said.\n\nFerries will run again from May."
    rows = _rows(("t/1/html", "wcxb-dev", html, body, body, (), ()))
    assert [b.text for b in rows.page.blocks][0] == "Harbour reopens after two years"
    assert rows.y.tolist() == [0, 1, 1]
    rows = _rows(("t/1/html", "wcxb-dev", html, body, "Harbour reopens after two years\n\n" + body, (), ()))
    assert rows.y.tolist() == [1, 1, 1]


def test_the_page_model_learns_from_the_blocks_kept_as_html_mode_cleans_them(monkeypatch):
    """The page model is trained on the blocks kept cleaned as html mode cleans them (the named
    rules, not the line model), and on trafilatura's extraction cleaned with the line model."""
    import sys
    from pathlib import Path

    import cleaner.model.line_model as line_model

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_blocks import _cleaned

    model = line_model.default_model()

    class DropsAll:  # a line model that would drop every line it judged
        def __getattr__(self, name):
            return getattr(model, name)

        def scored(self, x):
            return np.zeros(len(x)), model.scored(x)[1]

    text = "\n".join(f"Line {i} of the report says that the harbour reopened on Monday." for i in range(10))
    monkeypatch.setattr(line_model, "default_model", DropsAll)
    assert _cleaned((text, True)).split() == text.split()
    assert _cleaned((text, False)).strip() == ""


def test_two_pass_store_gives_back_the_same_extraction(tmp_path):
    from cleaner.io.extracted import ExtractedTexts

    store = ExtractedTexts(str(tmp_path / "x.sqlite"))
    first = Pipeline(Config(thresholds=BLOCKS), extracted=store).clean(PAGE, html=True, url="https://a.org/1")
    again = Pipeline(Config(thresholds=BLOCKS), extracted=store).clean(PAGE, html=True, url="https://a.org/1")
    assert any(e.rule == "block_model" for e in again.edits)
    assert again.text == first.text and again.edits == first.edits
    store.close()


def test_block_rows_are_the_model_width():
    from cleaner.stages.extract import block_rows

    page = dom_blocks(parse(PAGE))
    x = block_rows(page, "", Pipeline().rule_marks)
    assert x.shape == (len(page.blocks), len(BlockModel.FIRST)) and np.isfinite(x).all()


def test_the_page_model_may_prefer_trafilaturas_extraction():
    always = Pipeline(Config(thresholds={"extract": {"prefer_extracted": 0.0}})).clean(PAGE, html=True)
    note = always.records()[0]["detail"]
    assert note["extractor"] == "trafilatura" and "page model prefers" in note["fallback"]
    assert "Sentence 5 of the report" in always.text


BLOCKS_TOML = "[thresholds.extract]\nprefer_extracted = 1.0\n"


@pytest.mark.parametrize("extractor, has_menu", [("blocks", False), ("fast", False), ("trafilatura", False)])
def test_cli_extractor_option(tmp_path, extractor, has_menu):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    log = tmp_path / "log.jsonl"
    config = tmp_path / "blocks.toml"
    config.write_text(BLOCKS_TOML)
    result = CliRunner().invoke(app, ["clean", str(page), "--extractor", extractor, "--log", str(log), "-c", str(config)])
    assert result.exit_code == 0, result.output
    assert "Sentence 5 of the report" in result.output
    assert ("Contact us" in result.output) is has_menu
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records[0]["detail"]["extractor"] == ("blocks" if extractor == "fast" else extractor)
    assert ("trafilatura_vote" in records[0]["detail"]) is (extractor == "fast")
    assert any(r["rule"] == "block_model" for r in records) is (extractor != "trafilatura")


def test_cli_rejects_an_unknown_extractor(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    result = CliRunner().invoke(app, ["clean", str(page), "--extractor", "magic"])
    assert result.exit_code == 2


def test_explain_and_review_show_the_blocks_left_out(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    config = tmp_path / "blocks.toml"
    config.write_text(BLOCKS_TOML)
    explained = CliRunner().invoke(app, ["explain", str(page), "--removed-only", "-c", str(config)])
    assert explained.exit_code == 0, explained.output
    assert any("block_model" in line and "Contact us" in line for line in explained.output.splitlines())
    report = tmp_path / "report.html"
    reviewed = CliRunner().invoke(app, ["review", str(page), "--out", str(report), "-c", str(config)])
    assert reviewed.exit_code == 0, reviewed.output
    assert "block_model" in report.read_text()


@pytest.mark.parametrize("extractor", ["blocks", "fast", "trafilatura"])
def test_batch_takes_the_extractor(tmp_path, extractor):
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.html").write_text(PAGE)
    config = tmp_path / "blocks.toml"
    config.write_text(BLOCKS_TOML)
    dest = tmp_path / "dest"
    result = CliRunner().invoke(app, ["batch", str(src), str(dest), "-w", "1", "--no-templates",
                                      "--extractor", extractor, "-c", str(config)])
    assert result.exit_code == 0, result.output
    assert "Sentence 5 of the report" in (dest / "page.html").read_text()
    logs = "".join(p.read_text() for p in (dest / ".cleaner" / "logs").rglob("*") if p.is_file())
    assert ("block_model" in logs) is (extractor != "trafilatura")


def test_the_reasons_of_the_blocks_left_out_are_worked_out_once_when_read(monkeypatch):
    calls = []
    real = BlockModel.reasons
    monkeypatch.setattr(BlockModel, "reasons", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    text, info = Extract(Config(thresholds=BLOCKS)).main_text(PAGE, None, Pipeline().rule_marks)
    assert info["dropped"] and calls == []
    details = [note["detail"] for note in info["dropped"]]
    assert all(detail["features"] for detail in details) and calls == [1]


def test_text_runs_do_not_load_what_html_needs():
    """A short text document is cleaned without numpy, lxml or trafilatura: start-up stays quick."""
    import subprocess
    import sys

    code = ("import sys\nfrom cleaner import clean\nclean('Hello world.\\n\\n0')\n"
            "print(sorted(m for m in ('numpy', 'lxml', 'trafilatura') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("extractor_on", [True, False])
def test_the_page_limits_are_checked_once_a_page(monkeypatch, extractor_on):
    import cleaner.io.html as html_io

    calls = []
    limits = html_io.extraction_limits
    monkeypatch.setattr(html_io, "extraction_limits", lambda html, *a: calls.append(html) or limits(html, *a))
    pipeline = Pipeline(Config(rules={"block_model": extractor_on}))
    assert "harbour reopened" in pipeline.clean(PAGE, html=True).text
    assert len(calls) == 1
    # extract() on its own still checks the page it is given
    with pytest.raises(html_io.ExtractError, match="levels deep"):
        html_io.extract("<div>" * 6000 + "x" + "</div>" * 6000)
    assert len(calls) == 2
