"""The HTML review report: its data, its safety, and a real browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cleaner import Pipeline
from cleaner.review import ReviewDoc, from_cleaning, render, rule_counts
from conftest import ROOT, run_cli

SEED = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
HOSTILE = "Body text that stays here.\n\n<script>alert(1)</script> 12 Comments\n\n12 Comments\n"


def _data(page: str) -> dict:
    match = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_report_embeds_documents_and_rule_counts(tmp_path: Path):
    out = tmp_path / "report.html"
    proc = run_cli("review", str(SEED), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    data = _data(out.read_text())
    assert [d["id"] for d in data["docs"]] == [str(SEED)]
    assert {r: v["count"] for r, v in data["rules"].items()} == {
        "date_banner": 1, "chrome_phrase": 1, "merged_fragment": 1, "stray_counter": 1}
    assert "http://" not in out.read_text() and "https://" not in out.read_text()  # nothing remote


def test_scraped_markup_cannot_break_out_of_the_page():
    docs = list(from_cleaning([("x", "x", HOSTILE)], Pipeline(), None))
    page = render(docs)
    assert "<script>alert(1)</script>" not in page
    assert _data(page)["docs"][0]["text"] == HOSTILE


def test_rule_counts_link_rules_to_documents():
    pipeline = Pipeline()
    docs = [ReviewDoc("a", "a", r.decoded, r.edits) for r in (pipeline.clean(t) for t in ("Hi there.\n\n0", "Plain text.\n", "Yes.\n\n12 Comments"))]
    assert rule_counts(docs)["stray_counter"] == {"stage": "counters", "count": 2, "docs": [0, 2]}


def _browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (make test installs it where apt-get is available)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    return chromium, sync_playwright


def test_report_in_a_real_browser(tmp_path: Path):
    chromium, sync_playwright = _browser()
    out = tmp_path / "report.html"
    assert run_cli("review", str(SEED), str(ROOT / "fixtures"), "--out", str(out)).returncode == 0
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.goto(out.as_uri())
        rule_row = page.locator('.rule-row[data-rule="stray_counter"] .count')
        assert int(rule_row.inner_text()) >= 5
        struck = page.locator("del.mark")
        assert struck.count() > 0
        assert page.locator('del.mark[data-rule="date_banner"]').count() >= 1
        page.screenshot(path=str(tmp_path / "review.png"), full_page=False)
        (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ROOT / "bench" / "out" / "review.png"), full_page=False)
        # Filtering by one rule hides the others' marks and the documents where it did not fire.
        page.locator('.rule-row[data-rule="stray_counter"]').click()
        visible_other = page.locator('del.mark:not(.hidden-rule):not([data-rule="stray_counter"])')
        assert visible_other.count() == 0
        assert page.locator('del.mark[data-rule="stray_counter"]:not(.hidden-rule)').count() >= 1
        # Search narrows the documents.
        page.locator("#search").fill("Quds Force")
        assert "1 documents" in page.locator("#page-info").inner_text()
        browser.close()


def _batch_layout(tmp_path: Path) -> Path:
    """A batch output directory as `cleaner batch` lays it out: outputs and per-file logs."""
    dest = tmp_path / "dest"
    (dest / ".cleaner" / "logs").mkdir(parents=True)
    log = dest / ".cleaner" / "logs" / "news.txt.log.jsonl"
    proc = run_cli("clean", str(SEED), "--log", str(log))
    (dest / "news.txt").write_bytes(proc.stdout)
    return dest


def test_explain_and_review_read_a_batch_output(tmp_path: Path):
    dest = _batch_layout(tmp_path)
    listing = run_cli("explain", "--removed-only", str(dest), str(SEED)).stdout.decode().splitlines()
    assert [line.split("\t")[1] for line in listing] == [
        "dates/date_banner", "chrome/chrome_phrase", "fragments/merged_fragment", "counters/stray_counter"]
    shown = run_cli("explain", str(dest), "news.txt").stdout.decode()
    assert shown.startswith("[-Wednesday , 1 May 2024")
    out = tmp_path / "r.html"
    assert run_cli("review", str(dest), "--out", str(out)).returncode == 0
    [doc] = _data(out.read_text())["docs"]
    assert doc["text"] == SEED.read_text() and len(doc["edits"]) == 4
    missing = run_cli("explain", str(dest), "nope")
    assert missing.returncode == 2 and b"no document" in missing.stderr
