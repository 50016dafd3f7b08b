"""The labelled-set scoring's raw dumps (bench/quality_sets.py, bench/_data.py)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import _data  # noqa: E402
import _sets  # noqa: E402
import quality_sets  # noqa: E402

PAGE = ("<html><head><title>Harbour</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<article><h1>Harbour reopens</h1><p>The harbour reopened on Monday.</p>"
        "<ul><li>Ferries</li><li>Fishing boats</li></ul></article><footer>© Gazette</footer></body></html>")


def test_the_dom_blocks_dump_is_every_block_a_paragraph():
    dump = _data.DERIVED["dom-blocks"][0](PAGE)
    assert "Harbour reopens\n\nThe harbour reopened on Monday.\n\nFerries\nFishing boats" in dump
    assert "Home" in dump and "© Gazette" in dump  # chrome and all: it is a dump


def test_the_raw_mode_reads_the_dump_asked_for(monkeypatch):
    asked: list[list[str]] = []

    def derive(pages, kinds, workers):
        asked.append(list(kinds))
        return {kind: {page.id: f"{kind} text of the page." for page in pages} for kind in kinds}

    monkeypatch.setattr(quality_sets._sets, "derive", derive)
    pages = [_sets.SetPage("wcxb-dev", "p1", "", PAGE, "The harbour reopened on Monday.")]
    for dump in quality_sets.RAW_DUMPS:
        rows = quality_sets.rows_for(pages, ("raw", "post"), 1, False, lambda message: None, dump)
        as_is = {system: outputs for mode, system, outputs in rows if mode == "raw"}["as is"]
        assert as_is == {"p1": f"{dump} text of the page."}
        assert sorted(asked[-1]) == sorted({dump, "trafilatura"})


def test_best_of_takes_each_page_s_better_output():
    gold = "The harbour reopened on Monday after repairs."
    pages = [_sets.SetPage("wcxb-dev", "a", "", "", gold), _sets.SetPage("wcxb-dev", "b", "", "", gold)]
    first = {"a": gold, "b": "Home News Sport"}
    second = {"a": "Home News Sport", "b": gold + " Subscribe now."}
    assert quality_sets.best_of(pages, first, second) == {"a": gold, "b": gold + " Subscribe now."}
    assert _sets.score(pages, quality_sets.best_of(pages, first, second)).f1 > \
        max(_sets.score(pages, first).f1, _sets.score(pages, second).f1)


def test_candidates_add_both_candidates_and_the_better_of_them_in_html_mode(monkeypatch):
    monkeypatch.setattr(quality_sets._sets, "derive",
                        lambda pages, kinds, workers: {kind: {p.id: "" for p in pages} for kind in kinds})
    pages = [_sets.SetPage("wcxb-dev", "p1", "", PAGE, "Harbour reopens The harbour reopened on Monday. Ferries "
                                                       "Fishing boats")]
    rows = quality_sets.rows_for(pages, ("html",), 1, False, lambda message: None, candidates=True)
    systems = [system for mode, system, outputs in rows]
    assert systems == ["trafilatura", "cleaner", "cleaner, trafilatura extracts", "cleaner, blocks kept",
                       "best of the two"]
    outs = {system: outputs for mode, system, outputs in rows}
    assert "The harbour reopened on Monday." in outs["cleaner, blocks kept"]["p1"]
    best = _sets.score(pages, outs["best of the two"]).f1
    assert best == max(_sets.score(pages, outs[name]).f1 for name in ("cleaner, blocks kept",
                                                                        "cleaner, trafilatura extracts"))
    no_candidates = quality_sets.rows_for(pages, ("html",), 1, False, lambda message: None)
    assert [system for mode, system, outputs in no_candidates] == ["trafilatura", "cleaner"]


def test_the_paired_interval_is_narrower_than_the_figures_own():
    rng = np.random.default_rng(1)
    base = rng.random(200)
    better = _sets.Figure("wcxb-dev", list(np.clip(base + 0.02 + rng.normal(0, 0.01, 200), 0, 1)))
    reference = _sets.Figure("wcxb-dev", list(base))
    low, high = _sets.interval(better)
    assert low < better.f1 < high
    gain_low, gain_high = _sets.interval(better, reference)
    assert 0 < gain_low < 0.02 < gain_high
    assert gain_high - gain_low < (high - low) / 5  # the pages' own spread cancels out
    assert _sets.interval(better) == (low, high)  # a fixed seed: the same interval every run


def test_the_snippet_figure_is_resampled_from_each_pages_counts():
    pages = [_data.Score(2, 0, 1), _data.Score(1, 1, 0)]
    fig = _sets.Figure("dev-pages", [0.0, 0.0], pages[0] + pages[1], pages)
    # Drawn alone, the first page scores 4/5 and the second 2/3; drawn together 6/8.
    assert fig.resampled(np.array([[0, 0], [1, 1], [0, 1]])).tolist() == [0.8, 2 / 3, 0.75]
    assert _sets.interval(fig, draws=500) == (round(2 / 3, 4), 0.8)


def test_intervals_are_printed_under_the_cleaner_rows(monkeypatch, capsys):
    pages = [_sets.SetPage("wcxb-dev", f"p{i}", "", PAGE, "The harbour reopened on Monday.") for i in range(3)]
    monkeypatch.setattr(quality_sets._sets, "load_set", lambda name, parts: pages)
    monkeypatch.setattr(quality_sets, "rows_for", lambda *args, **kwargs: [
        ("post", "trafilatura", {p.id: "The harbour reopened." for p in pages}),
        ("post", "cleaner", {p.id: "The harbour reopened on Monday." for p in pages})])
    quality_sets.main(["--sets", "wcxb-dev", "--intervals"])
    out = capsys.readouterr().out
    assert "95% intervals: the figure [1.0000, 1.0000], its gain over trafilatura [+0.2500, +0.2500]" in out


def test_saved_outputs_are_scored_against_a_later_run(monkeypatch, capsys, tmp_path):
    pages = [_sets.SetPage("wcxb-dev", f"p{i}", "", PAGE, "The harbour reopened on Monday.") for i in range(4)]
    monkeypatch.setattr(quality_sets._sets, "load_set", lambda name, parts: pages)
    before = {p.id: "The harbour reopened." for p in pages}
    after = {**before, "p0": "The harbour reopened on Monday.", "p1": "The harbour reopened on Monday."}
    saved = tmp_path / "before.json.gz"
    monkeypatch.setattr(quality_sets, "rows_for", lambda *args, **kwargs: [("post", "cleaner", before)])
    quality_sets.main(["--sets", "wcxb-dev", "--modes", "post", "--save-outputs", str(saved)])
    monkeypatch.setattr(quality_sets, "rows_for", lambda *args, **kwargs: [("post", "cleaner", after)])
    capsys.readouterr()
    quality_sets.main(["--sets", "wcxb-dev", "--modes", "post", "--against", str(saved)])
    out = capsys.readouterr().out
    # Two of four pages rise from 0.75 to 1.0: a gain of 0.125, drawn from pages gaining 0 or 0.25.
    assert "saved outputs                 0.7500" in out
    assert "gain +0.1250, paired 95% interval [+0.0000, +0.2500]; 2 pages' outputs differ" in out
    # Outputs of other pages (another part) are refused rather than scored as empty.
    monkeypatch.setattr(quality_sets._sets, "load_set", lambda name, parts: [*pages, _sets.SetPage(
        "wcxb-dev", "p9", "", PAGE, "Gold.")])
    with pytest.raises(SystemExit, match="lack 1 of wcxb-dev's 5 pages"):
        quality_sets.main(["--sets", "wcxb-dev", "--modes", "post", "--against", str(saved)])
    with pytest.raises(SystemExit, match="not a file of --save-outputs"):
        quality_sets.main(["--sets", "wcxb-dev", "--against", str(tmp_path / "missing.json.gz")])


def test_a_share_of_the_pages_is_drawn_anew_with_each_seed():
    ids = [f"wcxb-dev-{i:04d}" for i in range(2000)]
    half = {seed: {i for i in ids if _sets.in_share(i, 0.5, seed)} for seed in (7, 8)}
    assert all(900 < len(drawn) < 1100 for drawn in half.values())
    assert 400 < len(half[7] & half[8]) < 600  # another seed, another half
    quarter = {i for i in ids if _sets.in_share(i, 0.25, 7)}
    assert quarter < half[7]  # a smaller share of one seed lies within a larger one
    assert all(_sets.in_share(i, 1.0, 7) for i in ids)


def test_another_labelled_set_in_the_data_folder_joins_the_three(tmp_path, monkeypatch):
    import gzip
    import json

    def write(name: str, rows: list[dict]) -> None:
        with gzip.open(tmp_path / f"{name}.jsonl.gz", "wt", encoding="utf-8") as fh:
            fh.write("\n" + "".join(json.dumps(row) + "\n" for row in rows))

    pages = [{"id": f"forums-{i}", "url": "", "html": f"<p>Post {i}</p>", "gold": f"Post {i}", "type": "forum"}
             for i in range(40)]
    write("forums", pages)
    write("notes", [{"id": "n1", "text": "no page here"}])  # not a labelled set
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip")
    assert _sets.labelled_sets(tmp_path) == ("wcxb-dev", "fundus", "dev-pages", "forums")
    assert _sets.labelled_sets(tmp_path / "missing") == _sets.KNOWN_SETS
    monkeypatch.setattr(_sets, "data_dir", lambda: tmp_path)
    train, validation = _sets.load_set("forums", ("train",)), _sets.load_set("forums", ("validation",))
    assert len(train) + len(validation) == 40 and validation  # split by the id's hash, as the others
    assert {p.kind for p in train} == {"forum"} and train[0].gold.startswith("Post")
