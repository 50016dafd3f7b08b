"""Figures of a run: the summary line, --stats, and one meaning of "% removed" everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.stats import DocStats, Totals, content_removed
from conftest import run_cli

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

DOC = "Hello world, this is the article.\r\nIt has two lines.\r\n\r\nFollow us on Twitter\r\n\r\n12 Comments\r\n"


def test_layout_edits_are_counted_apart_from_removed_content():
    result = clean(DOC)
    stats = DocStats.of(result.decoded, result.text, result.edits)
    assert stats.layout == 2  # the \r\n line endings of the two lines kept
    assert stats.removed >= len("Follow us on Twitter") + len("12 Comments")
    assert stats.chars_in - stats.removed - stats.layout <= stats.chars_out  # layout is not removed content
    assert stats.removed == content_removed(result.edits)
    assert {"chrome_phrase", "stray_counter", "fix_line_endings"} <= set(stats.rules)
    assert stats.rules["fix_line_endings"][0] == "normalise"
    totals = Totals()
    totals.add(stats, 100)
    totals.add(stats, 100)
    assert totals.documents == 2 and totals.removed == 2 * stats.removed
    assert totals.rules["stray_counter"][1] == 2


def test_clean_jsonl_prints_a_summary_and_writes_stats(tmp_path: Path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": str(i), "text": DOC}) + "\n" for i in range(3)))
    stats_file = tmp_path / "stats.json"
    proc = run_cli("clean", str(corpus), "--stats", str(stats_file))
    assert proc.returncode == 0
    line = proc.stderr.decode().splitlines()[-1]
    assert re.fullmatch(r"cleaner clean: 3 documents, 0\.0 MB in, \d+\.\d% removed, \d+\.\d% layout, \d+\.\d s", line), line
    stats = json.loads(stats_file.read_text())
    one = DocStats.of(clean(DOC).decoded, clean(DOC).text, clean(DOC).edits)
    assert stats["documents"] == 3 and stats["chars_removed"] == 3 * one.removed
    assert stats["chars_layout"] == 3 * one.layout and stats["chars_in"] == 3 * len(DOC)
    assert stats["share_removed"] == round(one.removed / len(DOC), 6)
    assert f"{stats['share_removed']:.1%} removed" in line
    assert stats["rules"]["stray_counter"] == {"stage": "counters", "edits": 3, "chars": 3 * one.rules["stray_counter"][2]}
    # text files: no summary line (stdout is the document), but --stats works
    page = tmp_path / "page.txt"
    page.write_text(DOC)
    proc = run_cli("clean", str(page), "--stats", str(stats_file))
    assert proc.stderr == b"" and json.loads(stats_file.read_text())["documents"] == 1


def test_removed_means_the_same_in_clean_batch_and_review(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.txt").write_text(DOC)
    stats_file = tmp_path / "stats.json"
    run_cli("clean", str(src / "page.txt"), "--stats", str(stats_file))
    share = json.loads(stats_file.read_text())["share_removed"]
    batch = run_cli("batch", str(src), str(tmp_path / "dest"), "--no-templates", "--workers", "1")
    assert f"{share:.1%} removed" in batch.stderr.decode()
    report = tmp_path / "report.html"
    assert run_cli("review", str(src / "page.txt"), "--out", str(report)).returncode == 0
    assert f'"share": {round(share, 4)}' in report.read_text()
