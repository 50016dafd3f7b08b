"""The HTML review report: its data, its safety, and reading a batch output back.

The report in a real browser is tested in test_review_browser.py.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from cleaner import Pipeline
from cleaner.review import ReviewDoc, find_in_batch, from_batch, from_cleaning, render, rule_counts, utf16_offsets
from conftest import ROOT, run_cli

SEED = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
HOSTILE = "Body text that stays here.\n\n<script>alert(1)</script> 12 Comments\n\n12 Comments\n"


def report_data(page: str) -> dict:
    """The JSON a report page embeds (what its script renders)."""
    match = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def _js_slice(text: str, start: int, end: int) -> str:
    """``text.slice(start, end)`` as JavaScript computes it, on UTF-16 code units."""
    units = text.encode("utf-16-le", errors="surrogatepass")
    return units[2 * start : 2 * end].decode("utf-16-le", errors="surrogatepass")


@pytest.mark.slow  # runs the command line in subprocesses
def test_report_embeds_documents_and_rule_counts(tmp_path: Path):
    out = tmp_path / "report.html"
    proc = run_cli("review", str(SEED), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert b"(1 documents, 4 changes)" in proc.stderr
    data = report_data(out.read_text())
    assert [d["id"] for d in data["docs"]] == [str(SEED)]
    assert {r: v["count"] for r, v in data["rules"].items()} == {
        "date_banner": 1, "chrome_phrase": 1, "merged_fragment": 1, "stray_counter": 1}
    assert 0 < data["docs"][0]["share"] < 0.2
    assert "http://" not in out.read_text() and "https://" not in out.read_text()  # nothing remote


def test_scraped_markup_cannot_break_out_of_the_page():
    docs = list(from_cleaning([("x", "x", HOSTILE)], Pipeline(), False))
    page = render(docs, title="<b>title</b>")
    assert "<script>alert(1)</script>" not in page and "<b>title</b>" not in page
    assert page.count("</script>") == 2  # the data element and the page's own script
    assert report_data(page)["docs"][0]["text"] == HOSTILE


def test_placeholders_in_document_text_stay_text():
    docs = list(from_cleaning([("x", "x", "A {{JS}} and {{DATA}} paragraph.\n")], Pipeline(), False))
    assert report_data(render(docs))["docs"][0]["text"] == "A {{JS}} and {{DATA}} paragraph.\n"


@pytest.mark.parametrize("text", [
    "Emoji \U0001F600 paragraph text that stays.\n\n12 Comments\n",
    "\U0001F600\U0001F601 two faces, then a line of text.\n\n12 Comments\n\nMore \U0001F4AC text here, kept in the output.\n\n3 Comments\n",
])
def test_offsets_count_utf16_units_like_javascript(text: str):
    [doc] = from_cleaning([("x", "x", text)], Pipeline(), False)
    edits = doc.to_json()["edits"]
    assert edits
    for edit, original in zip(edits, doc.shown_edits()):
        assert _js_slice(text, edit["s"], edit["e"]) == original.original


def test_utf16_offsets_without_astral_characters_are_unchanged():
    assert utf16_offsets("plain é text", [0, 5, 12]) == [0, 5, 12]


@pytest.mark.slow  # runs the command line in subprocesses
def test_lone_surrogates_are_written_escaped(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "s", "text": "Broken \\ud800 half of a pair in a sentence.\\n\\n12 Comments"}\n')
    out = tmp_path / "r.html"
    proc = run_cli("review", str(src), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert report_data(out.read_text(encoding="utf-8"))["docs"][0]["text"].startswith("Broken \ud800 half")


def test_rule_counts_link_rules_to_documents():
    pipeline = Pipeline()
    texts = ("Hi there.\n\n0", "Plain text.\n", "Yes.\n\n12 Comments")
    docs = [ReviewDoc("a", "a", r.decoded, r.edits) for r in (pipeline.clean(t) for t in texts)]
    assert rule_counts(docs)["stray_counter"] == {"stage": "counters", "count": 2, "docs": [0, 2]}


def test_layout_edits_are_not_shown_as_removals():
    result = Pipeline().clean("One paragraph.\n\n\n\n\nAnother one.   \n")
    assert any(e.stage == "emit" for e in result.edits)
    doc = ReviewDoc("a", "a", result.decoded, result.edits).to_json()
    assert all(e["stage"] != "emit" for e in doc["edits"])


# -- batch outputs --------------------------------------------------------------------------

def _batch(tmp_path: Path) -> Path:
    """A real `cleaner batch` run over a text file, a gzipped text file and a JSONL file."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    (src / "news").mkdir(parents=True)
    (src / "news" / "seed.txt").write_bytes(SEED.read_bytes())
    (src / "other.txt.gz").write_bytes(gzip.compress(HOSTILE.encode()))
    records = [{"id": "r1", "text": "First record text, kept in full.\n\n3 Comments"},
               {"id": "r2", "body": "no text field: passed through"},
               {"id": "r3", "text": "Emoji \U0001F600 paragraph text that stays.\n\n12 Comments\n"}]
    (src / "recs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    proc = run_cli("batch", str(src), str(dest), "--workers", "1", "--no-templates")
    assert proc.returncode == 0, proc.stderr
    return dest


@pytest.mark.slow  # runs the command line in subprocesses
def test_explain_and_review_read_a_real_batch_output(tmp_path: Path):
    dest = _batch(tmp_path)
    listing = run_cli("explain", "--removed-only", str(dest), "news/seed.txt").stdout.decode().splitlines()
    assert [line.split("\t")[1] for line in listing] == [
        "dates/date_banner", "chrome/chrome_phrase", "fragments/merged_fragment", "counters/stray_counter"]
    shown = run_cli("explain", str(dest), "news/seed.txt").stdout.decode()
    assert shown.startswith("[-Wednesday , 1 May 2024")
    assert run_cli("explain", str(dest), "r3").stdout.decode().endswith("\n[-12 Comments-]{stray_counter}\n")
    out = tmp_path / "r.html"
    assert run_cli("review", str(dest), "--out", str(out)).returncode == 0
    docs = {d["id"]: d for d in report_data(out.read_text())["docs"]}
    assert set(docs) == {"news/seed.txt", "other.txt.gz", "r1", "r3"}
    assert docs["news/seed.txt"]["text"] == SEED.read_text() and len(docs["news/seed.txt"]["edits"]) == 4
    assert docs["other.txt.gz"]["text"] == HOSTILE and docs["r1"]["source"] == "recs.jsonl"


@pytest.mark.slow  # runs the command line in subprocesses
def test_batch_documents_restore_their_inputs(tmp_path: Path):
    dest = _batch(tmp_path)
    docs = list(from_batch(dest))
    assert [d.id for d in docs] == ["news/seed.txt", "other.txt.gz", "r1", "r3"]
    assert find_in_batch(dest, "r3").original.startswith("Emoji \U0001F600")
    assert find_in_batch(dest, "other.txt").id == "other.txt.gz"  # by output path too
    assert find_in_batch(dest, "nope") is None


@pytest.mark.slow  # runs the command line in subprocesses
def test_explain_names_what_is_missing(tmp_path: Path):
    dest = _batch(tmp_path)
    missing = run_cli("explain", str(dest), "nope")
    assert missing.returncode == 2 and b"no document 'nope'" in missing.stderr
    no_id = run_cli("explain", str(dest))
    assert no_id.returncode == 2 and b"explain DEST DOC_ID" in no_id.stderr
    plain_dir = run_cli("explain", str(tmp_path / "src"), "x")
    assert plain_dir.returncode == 2 and b"not a batch output" in plain_dir.stderr


@pytest.mark.slow  # runs the command line in subprocesses
def test_a_damaged_log_is_reported_not_a_crash(tmp_path: Path):
    dest = _batch(tmp_path)
    (dest / ".cleaner" / "logs" / "recs.jsonl.log.jsonl").write_text("{not json\n")
    for proc in (run_cli("explain", str(dest), "r1"), run_cli("review", str(dest), "--out", str(tmp_path / "r.html"))):
        assert proc.returncode == 2 and b"cannot read the batch output" in proc.stderr


@pytest.mark.slow  # runs the command line in subprocesses
def test_explain_a_batch_that_cleaned_another_field(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    (src / "b.jsonl").write_text(json.dumps({"id": "b1", "body": "Body text, kept.\n\n4 Comments"}) + "\n")
    assert run_cli("batch", str(src), str(dest), "--workers", "1", "--field", "body", "--no-templates").returncode == 0
    shown = run_cli("explain", str(dest), "b1", "--field", "body")
    assert shown.returncode == 0 and shown.stdout.decode().endswith("{stray_counter}")


def test_every_stage_has_its_own_colour():
    from cleaner.explain import STAGE_STYLES
    from cleaner.registry import all_stages
    from cleaner.review import STAGE_COLOURS

    stages = [stage.name for stage in all_stages() if stage.rules or stage.name in ("apply",)]
    assert set(stages) <= set(STAGE_COLOURS) and set(stages) - {"apply"} <= set(STAGE_STYLES)
    assert len({STAGE_COLOURS[s] for s in stages}) == len(stages)
    assert len({STAGE_STYLES[s] for s in stages if s != "apply"}) == len(stages) - 1


def test_documents_carry_url_and_site_and_sites_are_counted(tmp_path: Path):
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": "a", "url": "https://news.example/a", "text": "Hello world.\n\n12 Comments"},
            {"id": "b", "url": "https://news.example/b", "text": "Second page here.\n\n0"},
            {"id": "c", "site": "blog", "text": "Third page, no removal."}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "report.html"
    assert run_cli("review", str(corpus), "--out", str(out)).returncode == 0
    data = report_data(out.read_text(encoding="utf-8"))
    assert [(d["url"], d["site"]) for d in data["docs"]] == [
        ("https://news.example/a", "news.example"), ("https://news.example/b", "news.example"), ("", "blog")]
    assert data["sites"]["news.example"]["docs"] == 2 and data["sites"]["news.example"]["changes"] == 2
    assert data["sites"]["blog"] == {"docs": 1, "changes": 0, "share": 0.0}
    # read back from a batch output, the records keep their url and site
    src = tmp_path / "src"
    src.mkdir()
    (src / "c.jsonl").write_bytes(corpus.read_bytes())
    assert run_cli("batch", str(src), str(tmp_path / "dest"), "--no-templates", "--workers", "1").returncode == 0
    assert run_cli("review", str(tmp_path / "dest"), "--out", str(out)).returncode == 0
    again = report_data(out.read_text(encoding="utf-8"))
    assert [(d["url"], d["site"]) for d in again["docs"]] == [(d["url"], d["site"]) for d in data["docs"]]


def test_links_out_of_a_reviewed_folder_are_not_followed(tmp_path: Path):
    from conftest import run_cli

    folder, outside = tmp_path / "pages", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("The private notes of someone else.\n")
    (folder / "page.txt").write_text("The harbour reopened on Monday.\n")
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    out = tmp_path / "report.html"
    proc = run_cli("review", str(folder), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    report = out.read_text()
    assert "The harbour reopened" in report and "private notes" not in report
