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
