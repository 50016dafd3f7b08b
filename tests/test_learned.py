"""A batch's template pass resumes: counts kept per input in DEST, outputs redone only where
the template lines that apply to them changed, always the bytes of a one-shot run."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from array import array
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from templates_corpus import SITES, corpus, page

from cleaner.config import Config
from cleaner.corpus.counts import CorpusCounts, count, merge
from cleaner.corpus.model import SiteTemplates, TemplateLine, TemplateModel
from cleaner.run.batch import run
from cleaner.run.learned import NO_TEMPLATES, CountStore, LineSets, applied, unpack


def tree(root: Path, state: bool = False) -> dict[str, bytes]:
    """Outputs, or with ``state`` also the logs and the learned templates."""
    wanted = lambda rel: ".cleaner" not in rel.parts or (state and rel.parts[1] in ("logs", "templates.json"))  # noqa: E731
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and wanted(p.relative_to(root))}


def write_sites(src: Path, files_per_site: int = 3) -> None:
    """The template corpus as JSONL files, each site's pages spread over a few files."""
    src.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {}
    for n, item in enumerate(corpus()):
        host = item.url.split("/")[2].removeprefix("www.") if item.url else "no-site"
        files.setdefault(f"{host}-{n % files_per_site}.jsonl", []).append(json.dumps(item.record()))
    for name, lines in files.items():
        (src / name).write_text("".join(line + "\n" for line in lines))


def append_pages(path: Path, host: str | None, pages: int, seed: int) -> None:
    rng = random.Random(seed)
    blocks = SITES[host][1] if host else []
    with open(path, "a") as handle:
        for i in range(pages):
            item = page(rng, host or "", 1000 + i, blocks).record()
            if host is None:
                del item["url"]
            handle.write(json.dumps(item) + "\n")


# -- the pieces ----------------------------------------------------------------------------

def test_counts_saved_and_merged_later_are_the_counts_merged_at_once():
    docs = [(f"s{i % 3}.com", f"Home\nMenu {i % 5}\nStory {i}.\nFooter") for i in range(40)]
    pieces = [count(docs[i:i + 7]) for i in range(0, 40, 7)]
    at_once, later = CorpusCounts(), CorpusCounts()
    for piece in pieces:
        at_once = merge(at_once, piece)
        later = merge(later, CorpusCounts.from_dict(json.loads(json.dumps(piece.to_dict())), piece.settings))
    assert later == at_once and later.to_dict() == count(docs).to_dict()


def test_line_sets_past_their_limit_stand_for_every_line_of_their_sites():
    sets = LineSets(limit=3)
    sets.add("a.com", {1, 2})
    sets.add("b.com", {9})
    assert unpack(sets.packed())["b.com"].tolist() == [9]
    sets.add("a.com", {3, 4})
    assert unpack(sets.packed()) == {"a.com": None, "b.com": None}
    model = TemplateModel(sites={"b.com": SiteTemplates(30, {7: TemplateLine(20)})})
    assert applied(model, unpack(sets.packed())) != NO_TEMPLATES  # b.com's line 7 may be there


def test_the_digest_changes_with_an_applied_line_and_nothing_else():
    model = lambda count, docs, other: TemplateModel(sites={  # noqa: E731
        "a.com": SiteTemplates(docs, {1: TemplateLine(count), 2: TemplateLine(other)}),
        "b.com": SiteTemplates(docs + other, {5: TemplateLine(other)})})
    lines = {"a.com": array("Q", [1, 3])}
    base = applied(model(18, 20, 12), lines)
    assert base not in (None, NO_TEMPLATES)
    assert applied(model(18, 20, 14), lines) == base  # a line it does not hold, another site
    assert applied(model(19, 20, 12), lines) != base  # its line's count
    assert applied(model(18, 21, 12), lines) != base  # its site's pages: the log says "18 of 21"
    assert applied(model(18, 20, 12), None) is None  # lines unknown: always redone
    assert applied(model(18, 20, 12), {"c.com": array("Q", [1])}) == NO_TEMPLATES


def test_a_count_file_that_cannot_be_read_is_counted_again(tmp_path: Path):
    store = CountStore(tmp_path)
    store.save("a/b.jsonl", "k1", count([("a.com", "Home")]), {"a.com": None})
    assert store.has("a/b.jsonl", "k1") and store.counts("a/b.jsonl", "k1", CorpusCounts().settings) is not None
    store.path("a/b.jsonl", "k1").write_text('{"key": "k1", "counts": ')
    assert store.counts("a/b.jsonl", "k1", CorpusCounts().settings) is None and store.lines("a/b.jsonl", "k1") is None
    store.prune([])
    assert not store.has("a/b.jsonl", "k1")


# -- batches -------------------------------------------------------------------------------

def test_a_rerun_of_a_finished_batch_reads_no_document_to_learn(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    write_sites(src)
    first = run(src, dest, Config(), workers=1)
    assert first.learned.read == first.files > 0 and first.learned.documents == sum(1 for item in corpus() if item.url)
    expected = tree(dest, state=True)
    again = run(src, dest, Config(), workers=1)
    assert (again.learned.read, again.learned.documents, again.learned.kept) == (0, 0, first.files)
    assert again.files == 0 and again.skipped == first.files
    assert tree(dest, state=True) == expected
    assert f"templates: 0 files read (0 documents), {first.files} counted before" in again.line()


def test_when_too_few_pages_are_left_to_learn_from_the_old_templates_go(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    write_sites(src)
    run(src, dest, Config(), workers=1)
    assert (dest / ".cleaner" / "templates.json").exists()
    for path in src.iterdir():
        if not path.name.startswith("tiny-blog.net"):
            path.unlink()
    again = run(src, dest, Config(), workers=1)
    assert not (dest / ".cleaner" / "templates.json").exists() and again.learned.path is None
    fresh = tmp_path / "fresh"
    run(src, fresh, Config(), workers=1)
    now = tree(fresh, state=True)  # (the outputs of the inputs gone stay in DEST, as ever)
    assert {name: data for name, data in tree(dest, state=True).items() if name in now} == now
    assert len(list((dest / ".cleaner" / "counts").iterdir())) == len(list(src.iterdir()))  # the others' pruned


def test_force_counts_every_input_again(tmp_path: Path):
    """--force redoes everything, the template counts too (the key does not hold the
    cleaner's version: after an upgrade, --force is how to count with the new code)."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    write_sites(src)
    first = run(src, dest, Config(), workers=1)
    expected = tree(dest, state=True)
    forced = run(src, dest, Config(), workers=1, force=True)
    assert (forced.learned.read, forced.learned.kept, forced.files) == (first.files, 0, first.files)
    assert tree(dest, state=True) == expected


def test_counts_cut_short_in_dest_are_counted_again_not_left_out(tmp_path: Path):
    """A count file that cannot be read (emptied by a power failure, say) would leave its
    input out of the model: it is counted again, and the run is the one before."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    write_sites(src)
    run(src, dest, Config(), workers=1)
    expected = tree(dest, state=True)
    victim = next((dest / ".cleaner" / "counts").glob("harbour-herald.com-1.jsonl.*.json"))
    victim.write_text("")
    again = run(src, dest, Config(), workers=1)
    assert (again.learned.read, again.files) == (1, 0)
    assert tree(dest, state=True) == expected
    assert json.loads(victim.read_text())["input"] == "harbour-herald.com-1.jsonl"  # kept again


def test_an_input_whose_counts_cannot_be_kept_still_counts(tmp_path: Path):
    """A name too long for its count file (the suffix takes it past the file system's
    limit, 255 bytes): the input is counted in every run, and learned from."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    write_sites(src)
    long = src / ("harbour-herald.com-" + "x" * 215 + ".jsonl")
    (src / "harbour-herald.com-0.jsonl").rename(long)
    first = run(src, dest, Config(), workers=1)
    assert not first.errors and first.learned.read == first.files
    again = run(src, dest, Config(), workers=1)
    assert (again.learned.read, again.files) == (1, 0)
    model = json.loads((dest / ".cleaner" / "templates.json").read_text())
    pages = sum(len(path.read_text().splitlines()) for path in src.glob("harbour-herald.com-*"))
    assert model["sites"]["harbour-herald.com"]["docs"] == pages


@pytest.mark.parametrize("host, redone", [
    ("harbour-herald.com", {"harbour-herald.com-0.jsonl", "harbour-herald.com-1.jsonl", "harbour-herald.com-2.jsonl"}),
    (None, {"harbour-herald.com-0.jsonl"}),
])
def test_new_records_redo_only_the_outputs_whose_template_lines_changed(tmp_path: Path, host, redone):
    """Five pages more on one site change its page count (which its template lines are
    logged with): that site's outputs are redone, the other sites' are not. Five pages with
    no site change no template line: only the file they are in is redone. Either way the
    outputs and logs are those of a one-shot run."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    write_sites(src)
    run(src, dest, Config(), workers=1)
    append_pages(src / "harbour-herald.com-0.jsonl", host, 5, seed=3)
    cleaned = []
    from cleaner.engines import local

    def recording(func, tasks, workers):
        if func.__name__ == "process":
            cleaned.extend(task.rel for task in tasks)
        return local.run(func, tasks, workers)

    again = run(src, dest, Config(), workers=1, engine=recording)
    assert again.learned.read == 1  # the file with new records
    assert set(cleaned) == redone
    fresh = tmp_path / "fresh"
    run(src, fresh, Config(), workers=1)
    assert tree(dest, state=True) == tree(fresh, state=True)


@pytest.mark.slow  # runs `cleaner batch` in subprocesses
def test_a_kill_during_the_template_pass_then_a_rerun_gives_the_bytes_of_one_run(tmp_path: Path):
    src = tmp_path / "src"
    write_sites(src, files_per_site=12)
    files = len(list(src.iterdir()))
    reference = tmp_path / "reference"
    assert run_cli("batch", str(src), str(reference), "--workers", "1").returncode == 0
    dest = tmp_path / "dest"
    command = [sys.executable, "-m", "cleaner.cli", "batch", str(src), str(dest), "--workers", "1"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counts = dest / ".cleaner" / "counts"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:  # a third of the inputs counted
        if counts.is_dir() and len(list(counts.iterdir())) >= files // 3:
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kept = len(list(counts.iterdir()))
    assert not (dest / ".cleaner" / "templates.json").exists() and 0 < kept < files, "not killed in the template pass"
    rerun = run_cli("batch", str(src), str(dest), "--workers", "1")
    assert rerun.returncode == 0
    assert f"templates: {files - kept} files read" in rerun.stderr.decode()
    assert tree(dest, state=True) == tree(reference, state=True)
