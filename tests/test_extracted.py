"""The store of extracted pages: a cache that only saves time, whatever goes wrong with it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from cleaner import Pipeline
from cleaner.io.extracted import ExtractedTexts

PAGE = ("<!DOCTYPE html><html><body><article><p>The harbour reopened on Monday after repairs that took "
        "four months, officials said.</p><p>Ferries run again from Tuesday.</p></article></body></html>")


def test_a_store_that_cannot_be_written_or_read_costs_only_time(tmp_path: Path):
    path = tmp_path / "extracted.sqlite"
    store = ExtractedTexts(str(path))
    store.put(PAGE, None, "kept")
    store.close()
    for name in path.parent.glob("extracted.sqlite*"):
        name.unlink()
    path.mkdir()  # the file is gone and cannot be made again: no database opens there
    assert store.get(PAGE, None) is None
    store.put(PAGE, "https://a.org/", "lost")
    assert not store.keeping  # stopped trying
    assert ExtractedTexts.open(str(path)) is None
    plain = Pipeline().clean(PAGE)
    assert Pipeline(extracted=store).clean(PAGE).records() == plain.records()


def _put_and_get(path: str, n: int) -> list[str | None]:
    store = ExtractedTexts(path)
    store.put(f"<p>{n}</p>", None, f"text {n}")
    return [store.get(f"<p>{k}</p>", None) for k in range(n + 1)]


def test_worker_processes_share_the_store(tmp_path: Path):
    path = str(tmp_path / "extracted.sqlite")
    parent = ExtractedTexts(path)
    parent.put("<p>0</p>", None, "text 0")  # the parent's open connection is inherited by the workers
    with multiprocessing.get_context("fork").Pool(2) as pool:
        seen = pool.starmap(_put_and_get, [(path, n) for n in range(1, 9)])
    assert all(found[0] == "text 0" and found[-1] == f"text {len(found) - 1}" for found in seen)
    assert [parent.get(f"<p>{n}</p>", None) for n in range(9)] == [f"text {n}" for n in range(9)]
    parent.close()
