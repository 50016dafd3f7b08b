"""The labelled-set scoring's raw dumps (bench/quality_sets.py, bench/_data.py)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

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
