"""The review report in a real headless Chromium (Debian's package), driven by Playwright.

`make test` installs chromium where apt-get is available; elsewhere these tests are skipped,
saying why. The screenshot goes to bench/out/review.png (and the test's tmp dir).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from test_review import HOSTILE, SEED, report_data

pytestmark = pytest.mark.slow  # drives a browser

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the test says so below, rather than passing
    expect = sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
INJECTION = ('A paragraph of scraped text that stays in the output.\n\n'
             '<img src=x onerror="window.pwned=1"> </script><script>window.pwned=2</script> 7 Comments\n')
EMOJI = "Emoji \U0001F600 paragraph text that stays.\n\n12 Comments\n"


def _chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (make test installs it with apt-get where that is available)")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A report over a seed, every fixture (more than one page), and hostile and emoji text."""
    tmp = tmp_path_factory.mktemp("review")
    extra = tmp / "extra.jsonl"
    extra.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in
                             (("hostile", HOSTILE), ("injection", INJECTION), ("emoji", EMOJI))))
    out = tmp / "report.html"
    proc = run_cli("review", str(SEED), str(ROOT / "fixtures"), str(extra), "--text", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    chromium = _chromium()
    if sync_playwright is None:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


def _open(browser, report: Path):
    """A page showing ``report``, offline; ``page.errors`` collects the script errors."""
    page = browser.new_context(viewport={"width": 1280, "height": 1400}, offline=True).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(report.as_uri())
    page.errors = errors
    return page


@pytest.fixture(scope="module")
def page(browser, report: Path):
    return _open(browser, report)


def _reset(page) -> None:
    """Back to the unfiltered first page (hash changes and searches apply asynchronously)."""
    page.evaluate("location.hash = ''")
    page.fill("#search", "")
    page.wait_for_function("document.getElementById('clear-rule').hidden"
                           " && document.querySelectorAll('article.doc').length === 20")


def test_counts_bars_and_struck_spans_are_shown(page, report: Path):
    _reset(page)
    data = report_data(report.read_text(encoding="utf-8"))
    shown = {row.get_attribute("data-rule"): int(row.locator(".count").inner_text())
             for row in page.locator(".rule-row").all()}
    assert shown == {rule: info["count"] for rule, info in data["rules"].items()}
    assert shown["stray_counter"] >= 5 and page.locator(".rule-row .bar").count() == len(shown)
    assert page.locator("article.doc").count() == 20  # one page at a time, not every document
    assert f"of {-(-len(data['docs']) // 20)}" in page.locator("#page-info").inner_text()
    banner = page.locator('del.mark[data-rule="date_banner"]').first
    assert banner.inner_text().startswith("Wednesday , 1 May 2024")
    assert banner.evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert "% of text removed" in page.locator("article.doc .meta").first.inner_text()
    page.locator('del.mark[data-rule="chrome_phrase"]').first.click()  # the removal panel, shown
    page.locator("#search").blur()
    page.screenshot(path=str(report.parent / "review.png"))
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ROOT / "bench" / "out" / "review.png"))
    assert page.errors == []


def test_a_rule_filter_hides_other_rules_and_documents(page, report: Path):
    _reset(page)
    page.locator('.rule-row[data-rule="stray_counter"]').click()
    fired = report_data(report.read_text(encoding="utf-8"))["rules"]["stray_counter"]["docs"]
    expect(page.locator("#page-info")).to_contain_text(f" {len(fired)} documents")
    assert page.evaluate("location.hash") == "#rule=stray_counter"
    assert page.locator('del.mark:visible:not([data-rule="stray_counter"])').count() == 0
    assert page.locator('del.mark[data-rule="chrome_phrase"]').count() > 0  # present, hidden
    for card in page.locator("article.doc").all():
        assert card.locator('del.mark[data-rule="stray_counter"]:visible').count() >= 1
    page.locator("#clear-rule").click()
    expect(page.locator('del.mark[data-rule="chrome_phrase"]:visible').first).to_be_visible()


@pytest.mark.parametrize("name", ["constructor", "__proto__", "toString", "no_such_rule"])
def test_a_hash_naming_no_rule_of_the_report_shows_everything(browser, report: Path, name: str):
    page = _open(browser, report)
    page.evaluate(f"location.hash = '#rule={name}'")
    page.wait_for_function("document.querySelectorAll('article.doc').length === 20")
    assert page.locator("#clear-rule").is_hidden()
    assert page.errors == []


def test_a_stage_filter_hides_that_stage(page):
    _reset(page)
    assert page.locator('del.mark[data-stage="chrome"]:visible').count() > 0
    page.locator('#stages input[data-stage="chrome"]').uncheck()
    assert page.locator('del.mark[data-stage="chrome"]:visible').count() == 0
    assert page.locator('del.mark[data-stage="counters"]:visible').count() > 0
    page.locator('#stages input[data-stage="chrome"]').check()


def test_hover_and_click_name_the_rule_and_reason(page):
    _reset(page)
    mark = page.locator('del.mark[data-rule="stray_counter"]').first
    assert mark.get_attribute("title").startswith("counters / stray_counter (drop)")
    mark.click()
    panel = page.locator("#detail-panel")
    assert panel.is_visible() and "stray_counter" in panel.inner_text() and "text" in panel.inner_text()
    panel.locator("a").click()
    expect(page.locator('.rule-row.active[data-rule="stray_counter"]')).to_have_count(1)


def test_search_and_unicode_offsets(page):
    _reset(page)
    page.fill("#search", "Quds Force")
    expect(page.locator("#page-info")).to_contain_text(" 1 documents")
    page.fill("#search", "emoji \U0001F600")
    expect(page.locator("article.doc h3")).to_have_text(["emoji"])
    assert page.locator("del.mark").inner_text() == "\u21b5\n12 Comments\u21b5\n"


def test_scraped_markup_is_shown_as_text_never_run(page):
    _reset(page)
    page.fill("#search", "window.pwned")
    expect(page.locator("article.doc h3")).to_have_text(["injection"])
    assert page.evaluate("window.pwned") is None
    assert page.locator("article.doc img, article.doc script").count() == 0
    assert '<img src=x onerror="window.pwned=1">' in page.locator("article.doc .text").inner_text()


SITES = [
    {"id": "gap", "url": "https://news.example/gap", "text": "\n" * 300 + "A page that starts after many blank lines, with real words.\n\n"
     + "\n" * 200 + "Follow us on Twitter\n\n" + "\n" * 50 + "Its second paragraph, also real.\n"},
    {"id": "second", "url": "https://news.example/second", "text": "Another page of the same site.\n\n12 Comments\n"},
    {"id": "other", "url": "https://blog.example/other", "text": "A page of another site, long enough.\n\n0\n"},
]


@pytest.fixture(scope="module")
def sites_page(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sites")
    corpus = tmp / "sites.jsonl"
    corpus.write_text("".join(json.dumps(row) + "\n" for row in SITES))
    out = tmp / "report.html"
    assert run_cli("review", str(corpus), "--out", str(out)).returncode == 0
    return _open(browser, out), tmp


def test_blank_runs_show_as_one_gap_and_documents_name_their_site(sites_page):
    page, _ = sites_page
    card = page.locator("article.doc").first
    text = card.locator(".text").inner_text()
    assert text.startswith("A page that starts after many blank lines") and "\n\n\n" not in text
    assert card.locator(".text").bounding_box()["height"] < 400  # not a screen of white
    assert "https://news.example/gap" in card.locator(".meta").inner_text()
    rows = {row.get_attribute("data-site"): row.inner_text() for row in page.locator(".site-row").all()}
    assert set(rows) == {"news.example", "blog.example"} and "2 docs" in rows["news.example"]
    page.locator('.site-row[data-site="blog.example"]').click()
    expect(page.locator("article.doc h3")).to_have_text(["other"])
    page.locator('.site-row[data-site="blog.example"]').click()
    expect(page.locator("article.doc")).to_have_count(3)
    assert page.errors == []


def test_keep_this_collects_a_config_that_keeps_the_line(sites_page):
    from cleaner import Pipeline
    from cleaner.config import Config

    page, tmp = sites_page
    assert page.locator("#keep-panel").is_hidden()
    page.locator('del.mark[data-rule="chrome_phrase"]').first.click()
    page.locator("#detail-panel button.keep-this").click()
    page.locator('del.mark[data-rule="stray_counter"]').first.click()
    page.locator("#detail-panel button.keep-this").click()
    snippet = page.locator("#keep-toml").inner_text()
    assert snippet.startswith("[patterns]\nkeep = [")
    config = tmp / "keep.toml"
    config.write_text(snippet)
    pipeline = Pipeline(Config.load(config))
    assert "Follow us on Twitter" in pipeline.clean(SITES[0]["text"]).text
    assert "12 Comments" in pipeline.clean(SITES[1]["text"]).text
    assert "Follow us on Twitter" not in Pipeline().clean(SITES[0]["text"]).text
    page.locator("#keep-clear").click()
    assert page.locator("#keep-panel").is_hidden()
    assert page.errors == []
