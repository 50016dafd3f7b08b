"""`cleaner batch`: layout, provenance, resume, errors, safety, SIGKILL, WARC, templates."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow  # runs `cleaner batch` in subprocesses

SEED = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
EXPECTED = ROOT / "seeds" / "000_5ee60291405f7b65.expected.txt"


def tree(root: Path, include_state: bool = False) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and (include_state or ".cleaner" not in p.relative_to(root).parts)
    }


@pytest.fixture
def src(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "news").mkdir(parents=True)
    (root / "news" / "seed.txt").write_bytes(SEED.read_bytes())
    (root / "news" / "other.txt.gz").write_bytes(gzip.compress(b"Plain text.\n\n12 Comments\n"))
    (root / "c.jsonl").write_text('{"id": "a", "text": "Hello world.\\n\\n0", "n": 1}\nnot json\n{"id": "b", "text": "Two.", "n": 2}\n')
    (root / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "skip.csv").write_text("a,b\n")
    return root


def test_layout_outputs_and_errors(src: Path, tmp_path: Path):
    dest = tmp_path / "dest"
    proc = run_cli("batch", str(src), str(dest), "--workers", "2", "--no-templates")
    assert proc.returncode == 1, proc.stderr
    assert (dest / "news" / "seed.txt").read_bytes() == EXPECTED.read_bytes()
    assert (dest / "news" / "other.txt").read_text() == "Plain text.\n"
    lines = [json.loads(l) for l in (dest / "c.jsonl").read_text().splitlines()]
    assert lines == [{"id": "a", "text": "Hello world.\n", "n": 1}, {"id": "b", "text": "Two.\n", "n": 2}]
    assert not (dest / "skip.csv").exists() and not (dest / "photo.txt").exists()
    errors = [json.loads(l) for l in (dest / ".cleaner" / "errors.jsonl").read_text().splitlines()]
    assert {(e["input"], e.get("line")) for e in errors} == {("photo.txt", None), ("c.jsonl", 2)}
    summary = proc.stderr.decode()
    assert "documents" in summary and "errors" in summary and "Traceback" not in summary


def test_logs_restore_the_inputs(src: Path, tmp_path: Path):
    dest = tmp_path / "dest"
    run_cli("batch", str(src), str(dest), "--no-templates")
    logs = dest / ".cleaner" / "logs"
    restored = run_cli("restore", str(dest / "news" / "seed.txt"), str(logs / "news" / "seed.txt.log.jsonl"))
    assert restored.stdout == SEED.read_bytes()
    records = [json.loads(l) for l in (logs / "c.jsonl.log.jsonl").read_text().splitlines()]
    assert {r["source"] for r in records} == {"c.jsonl"}
    back = run_cli("restore", "--jsonl", str(dest / "c.jsonl"), str(logs / "c.jsonl.log.jsonl"))
    assert [json.loads(l)["text"] for l in back.stdout.decode().splitlines()] == ["Hello world.\n\n0", "Two."]


def test_rerun_skips_done_redoes_changed_and_force(src: Path, tmp_path: Path):
    dest = tmp_path / "dest"
    run_cli("batch", str(src), str(dest), "--no-templates")
    again = run_cli("batch", str(src), str(dest), "--no-templates").stderr.decode()
    assert "(2 already done)" in again  # seed.txt and other.txt.gz; the two failing inputs are retried
    (src / "news" / "seed.txt").write_text("Changed.\n\n0\n")
    changed = run_cli("batch", str(src), str(dest), "--no-templates").stderr.decode()
    assert "(1 already done)" in changed and (dest / "news" / "seed.txt").read_text() == "Changed.\n"
    forced = run_cli("batch", str(src), str(dest), "--no-templates", "--force").stderr.decode()
    assert "(0 already done)" in forced
    cfg = tmp_path / "c.toml"
    cfg.write_text("[rules]\nstray_counter = false\n")
    reconfigured = run_cli("batch", str(src), str(dest), "--no-templates", "--config", str(cfg)).stderr.decode()
    assert "(0 already done)" in reconfigured and (dest / "news" / "seed.txt").read_text() == "Changed.\n\n0\n"


def test_manifest_holds_the_hash_of_each_input_as_cleaned(src: Path, tmp_path: Path):
    import hashlib

    dest = tmp_path / "dest"
    run_cli("batch", str(src), str(dest), "--no-templates")
    entries = [json.loads(line) for line in (dest / ".cleaner" / "manifest.jsonl").read_text().splitlines()]
    assert sorted(e["input"] for e in entries) == ["news/other.txt.gz", "news/seed.txt"]
    for entry in entries:
        assert entry["hash"] == hashlib.sha256((src / entry["input"]).read_bytes()).hexdigest()


def test_src_untouched_dest_inside_src_and_links_out_skipped(src: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Outside text.\n")
    (src / "link").symlink_to(outside, target_is_directory=True)
    (src / "link.txt").symlink_to(outside / "secret.txt")
    before = tree(src)
    dest = src / "out"
    run_cli("batch", str(src), str(dest), "--no-templates")
    run_cli("batch", str(src), str(dest), "--no-templates")
    assert not (dest / "out").exists()  # DEST inside SRC is not walked
    assert not (dest / "link").exists() and not (dest / "link.txt").exists()
    assert {k: v for k, v in tree(src).items() if not k.startswith("out")} == before


def test_max_bytes_gzip_bomb_and_corrupt_gzip(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "bomb.jsonl.gz").write_bytes(gzip.compress(b'{"text": "' + b"a" * 5_000_000 + b'"}\n{"text": "Fine."}\n'))
    (src / "big.txt").write_bytes(b"word " * 100_000)
    (src / "broken.txt.gz").write_bytes(gzip.compress(b"fine text\n" * 100)[:-30])
    (src / "ok.txt").write_text("Small and fine.\n")
    dest = tmp_path / "dest"
    proc = run_cli("batch", str(src), str(dest), "--max-bytes", "100000", "--no-templates")
    assert proc.returncode == 1
    errors = {e["input"]: e["reason"] for e in map(json.loads, (dest / ".cleaner" / "errors.jsonl").read_text().splitlines())}
    assert "max-bytes" in errors["bomb.jsonl.gz"] and "max-bytes" in errors["big.txt"]
    assert "corrupt" in errors["broken.txt.gz"]
    assert (dest / "ok.txt").read_text() == "Small and fine.\n"
    assert (dest / "bomb.jsonl").read_text() == '{"text": "Fine.\\n"}\n'  # the limit is per record


def _corpus(root: Path, files: int = 120) -> None:
    body = "\n\n".join([SEED.read_text()] * 12)
    for i in range(files):
        folder = root / f"d{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:03}.txt").write_text(f"Doc {i}\n\n{body}\n\n{i} Comments\n")


def test_sigkill_at_any_moment_then_rerun_gives_identical_bytes(tmp_path: Path):
    src = tmp_path / "src"
    _corpus(src)
    reference = tmp_path / "reference"
    assert run_cli("batch", str(src), str(reference), "--workers", "1", "--no-templates").returncode == 0
    expected = tree(reference)
    expected_logs = {k: v for k, v in tree(reference, include_state=True).items() if "/logs/" in f"/{k}"}
    # Kill at moments tied to progress, not to the clock, so a faster cleaner cannot outrun them:
    # before any output, then once a third and two thirds of the outputs are visible.
    for done in (0, len(expected) // 3, 2 * len(expected) // 3):
        dest = tmp_path / f"dest-{done}"
        proc = subprocess.Popen([sys.executable, "-m", "cleaner.cli", "batch", str(src), str(dest),
                                 "--workers", "1", "--no-templates"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if (dest / ".cleaner").exists() and len(tree(dest)) >= done:
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        visible = tree(dest)
        assert len(visible) < len(expected), "the batch finished before the kill: make the corpus larger"
        for name, data in visible.items():  # whatever is visible is complete
            assert data == expected[name], f"partial output {name} after SIGKILL at {done} outputs"
        assert run_cli("batch", str(src), str(dest), "--workers", "1", "--no-templates").returncode == 0
        assert tree(dest) == expected
        logs = {k: v for k, v in tree(dest, include_state=True).items() if "/logs/" in f"/{k}"}
        assert logs == expected_logs


def test_manifest_lines_wait_for_a_group_commit(tmp_path: Path, monkeypatch):
    from cleaner.run.batch import Manifest

    syncs = []
    monkeypatch.setattr(os, "sync", lambda: syncs.append(path.read_text()))
    path = tmp_path / "manifest.jsonl"
    with Manifest(path, every=3600) as manifest:
        manifest.add({"input": "a"})
        manifest.add({"input": "b"})
        assert path.read_text() == "" and not syncs  # not recorded before their outputs are synced
        manifest.commit()
        assert syncs == [""] and [json.loads(l)["input"] for l in path.read_text().splitlines()] == ["a", "b"]
        manifest.add({"input": "c"})
    assert len(syncs) == 2 and path.read_text().count("\n") == 3  # the rest at the end
    with Manifest(path, every=0) as manifest:
        manifest.add({"input": "d"})
        assert path.read_text().count("\n") == 4  # every=0: each entry at once


def test_lone_surrogate_escapes_in_records_are_cleaned_and_logged(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text('{"id": "s", "text": "Hello \\ud800 world.\\n\\n0", "note": "\\udc80"}\n')
    dest = tmp_path / "dest"
    proc = run_cli("batch", str(src), str(dest), "--no-templates", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((dest / "a.jsonl").read_bytes().decode("utf-8")) == {"id": "s", "text": "Hello \ufffd world.\n", "note": "\udc80"}
    log = (dest / ".cleaner" / "logs" / "a.jsonl.log.jsonl").read_bytes().decode("utf-8")
    assert any(json.loads(line)["original"] == "\ud800" for line in log.splitlines())


def test_warc_responses_become_jsonl_records(tmp_path: Path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    src = tmp_path / "src"
    src.mkdir()
    page = ("<!DOCTYPE html><html><body><article><h1>Harbour reopens</h1>"
            + "".join(f"<p>The harbour reopened on Monday after repairs that took {i} months, officials said.</p>" for i in range(2, 8))
            + "</article></body></html>").encode()
    with open(src / "crawl.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, ctype in (("https://example.org/a", "text/html; charset=utf-8"), ("https://example.org/b.png", "image/png")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page), http_headers=headers))
    dest = tmp_path / "dest"
    assert run_cli("batch", str(src), str(dest), "--no-templates").returncode == 0
    [record] = [json.loads(l) for l in (dest / "crawl.jsonl").read_text().splitlines()]
    assert record["url"] == "https://example.org/a" and record["date"]
    assert "The harbour reopened on Monday" in record["text"] and "<p>" not in record["text"]


def gazette_page(site: str, i: int) -> str:
    return (f"{site.title()} Weekly Gazette of the Valley\n\nStory {i}: the council met on day {i} and "
            f"approved the new harbour plan after a long debate about its cost.\n\nPowered by {site} press tools\n")


def _gazette(src: Path, pages: int = 12) -> None:
    """Two sites (folders) whose every page carries a masthead and a footer."""
    for site in ("alpha", "beta"):
        folder = src / site
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(pages):
            (folder / f"p{i}.txt").write_text(gazette_page(site, i))


def test_templates_are_learned_per_site_in_a_first_pass(tmp_path: Path):
    src = tmp_path / "src"
    _gazette(src)
    dest = tmp_path / "dest"
    assert run_cli("batch", str(src), str(dest)).returncode == 0
    out = (dest / "alpha" / "p3.txt").read_text()
    assert "Gazette" not in out and "Powered by" not in out and "Story 3" in out
    log = (dest / ".cleaner" / "logs" / "alpha" / "p3.txt.log.jsonl").read_text()
    assert "template_repeated" in log


def test_the_counting_pass_runs_on_the_engine_in_any_order(tmp_path: Path):
    from cleaner.run.batch import count_input, run
    from cleaner.config import Config
    from cleaner.engines import local

    src = tmp_path / "src"
    _gazette(src)
    reference = tmp_path / "reference"
    run(src, reference, Config(), workers=1)
    counted = []

    def reversing(func, tasks, workers):  # results arrive last input first
        results = list(local.run(func, tasks, workers))
        if func is count_input:
            counted.extend(r["input"] for r in results)
        return iter(results[::-1])

    dest = tmp_path / "dest"
    run(src, dest, Config(), workers=2, engine=reversing)
    assert sorted(counted) == sorted(str(p.relative_to(src)) for p in src.rglob("*.txt"))
    state = lambda root: (root / ".cleaner" / "templates.json").read_bytes()  # noqa: E731
    assert state(dest) == state(reference) and b"alpha" in state(dest)
    assert tree(dest) == tree(reference)


@pytest.mark.parametrize("workers", [1, 2])
def test_html_pages_extracted_to_learn_templates_are_not_extracted_again(tmp_path: Path, monkeypatch, workers: int):
    """The template pass keeps the main texts it extracts for the cleaning pass. The outputs
    and logs are those of a run that extracts every page twice (one on an engine passed in,
    which may run elsewhere and so keeps nothing)."""
    from cleaner.stages.extract import Extract
    from cleaner.run.batch import run
    from cleaner.config import Config
    from cleaner.engines import local

    src = tmp_path / "src"
    for site in ("alpha", "beta"):
        (src / site).mkdir(parents=True)
        for i in range(12):
            paragraphs = "".join(f"<p>{line}</p>" for line in gazette_page(site, i).splitlines() if line)
            (src / site / f"p{i}.html").write_text(f"<!DOCTYPE html><html><body><article>{paragraphs}</article></body></html>")
    calls = []
    real = Extract.main_text
    monkeypatch.setattr(Extract, "main_text", lambda self, page, url, mark: calls.append(page) or real(self, page, url, mark))
    run(src, tmp_path / "twice", Config(), workers=1, engine=local.run)
    assert len(calls) == 48
    calls.clear()
    run(src, tmp_path / "once", Config(), workers=workers)
    if workers == 1:  # in this process, where the calls are counted
        assert len(calls) == 24
    assert tree(tmp_path / "once") == tree(tmp_path / "twice")
    logs = lambda root: tree(root / ".cleaner" / "logs")  # noqa: E731
    assert logs(tmp_path / "once") == logs(tmp_path / "twice")
    assert b"template_repeated" in b"".join(logs(tmp_path / "once").values())
    assert not list((tmp_path / "once" / ".cleaner" / "tmp").glob("extracted-*"))


def test_templates_are_learned_from_warc_responses_by_host(tmp_path: Path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    src = tmp_path / "src"
    src.mkdir()
    with open(src / "crawl.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i in range(12):
            paragraphs = "".join(f"<p>{line}</p>" for line in gazette_page("alpha", i).splitlines() if line)
            page = f"<!DOCTYPE html><html><body><article>{paragraphs}</article></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://alpha.example/{i}", "response",
                                                          payload=io.BytesIO(page), http_headers=headers))
    dest = tmp_path / "dest"
    assert run_cli("batch", str(src), str(dest), "--workers", "1").returncode == 0
    records = [json.loads(l) for l in (dest / "crawl.jsonl").read_text().splitlines()]
    assert len(records) == 12 and all("Powered by" not in r["text"] and "Story" in r["text"] for r in records)
    assert "alpha.example" in (dest / ".cleaner" / "templates.json").read_text()


def test_a_terminal_shows_each_pass_with_files_done_and_eta(tmp_path: Path):
    import pty

    src = tmp_path / "src"
    _gazette(src)
    pid, fd = pty.fork()
    if pid == 0:  # the child: cleaner batch with a terminal on stderr
        os.chdir(ROOT)
        os.environ.update(TERM="xterm", COLUMNS="200")
        os.execv(sys.executable, [sys.executable, "-m", "cleaner.cli", "batch", str(src), str(tmp_path / "dest"), "--workers", "1"])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "learning templates" in text and "cleaning" in text and "/24 files" in text and "ETA" in text
    assert "cleaner batch: 24 files" in text


def test_a_record_that_cannot_be_extracted_fails_alone(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    deep = "<html><body>" + "<div>" * 6000 + "deep" + "</div>" * 6000 + "</body></html>"
    page = "<html><body><article><p>" + "The harbour reopened on Monday after two years of repairs. " * 5 + "</p></article></body></html>"
    records = [{"id": "deep", "text": deep}, {"id": "ok", "text": page}]
    (src / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    dest = tmp_path / "dest"
    proc = run_cli("batch", str(src), str(dest), "--html", "--workers", "1")  # also through the counting pass
    assert proc.returncode == 1, proc.stderr
    out = [json.loads(l) for l in (dest / "pages.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == ["ok"] and "harbour reopened" in out[0]["text"]
    errors = [json.loads(l) for l in (dest / ".cleaner" / "errors.jsonl").read_text().splitlines()]
    assert [(e["input"], e["doc"]) for e in errors] == [("pages.jsonl", "deep")]
    assert "nested" in errors[0]["reason"]


def test_a_pattern_timeout_is_listed_and_the_input_retried(tmp_path: Path, monkeypatch):
    from cleaner import patterns
    from cleaner.run.batch import run
    from cleaner.config import Config

    monkeypatch.setattr(patterns, "TIMEOUT", 0.2)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("The opening line of the article.\n\n" + "a" * 60 + "b\n\nAdvertisement\n")
    dest = tmp_path / "dest"
    summary = run(src, dest, Config(drop_patterns=[r"^(a|aa)+$"]), workers=1, templates=False)
    assert [e["doc"] for e in summary.errors] == ["a.txt"]
    assert "user_drop_pattern" in summary.errors[0]["reason"] and "unchanged" in summary.errors[0]["reason"]
    assert "a" * 60 + "b" in (dest / "a.txt").read_text()  # written, without that rule
    assert (dest / ".cleaner" / "manifest.jsonl").read_text() == ""  # retried on the next run


@pytest.mark.parametrize("names", [("x.txt", "x.txt.gz"), ("y.jsonl", "y.warc")])
def test_inputs_that_would_share_an_output_are_refused_before_starting(tmp_path: Path, names):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    for name in names:
        (src / name).write_bytes(gzip.compress(b"Some text.\n") if name.endswith(".gz") else b"Some text.\n")
    proc = run_cli("batch", str(src), str(dest))
    assert proc.returncode == 2
    message = proc.stderr.decode()
    assert message.startswith("cleaner: inputs that would be written to the same output: ")
    assert all(name in message for name in names) and "Traceback" not in message
    assert not dest.exists()


def test_src_inside_dest_is_refused(tmp_path: Path):
    src = tmp_path / "dest" / "src"
    src.mkdir(parents=True)
    (src / "a.txt").write_text("Some text.\n")
    proc = run_cli("batch", str(src), str(tmp_path / "dest"))
    assert proc.returncode == 2
    assert b"is inside DEST" in proc.stderr
    assert not (tmp_path / "dest" / ".cleaner").exists()


def test_a_second_batch_into_the_same_dest_is_refused_and_names_the_first(tmp_path: Path):
    from cleaner.run.batch import STATE, Refused, dest_lock, run
    from cleaner.config import Config

    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    (src / "a.txt").write_text("Some text.\n")
    (dest / STATE / "tmp").mkdir(parents=True)
    (dest / STATE / "tmp" / ".part-of-the-first").write_text("x")
    with dest_lock(dest / STATE):  # the first batch, still running
        with pytest.raises(Refused, match=f"in use by another batch \\(pid {os.getpid()} on "):
            run(src, dest, Config())
        proc = run_cli("batch", str(src), str(dest))
        assert proc.returncode == 2 and b"in use by another batch" in proc.stderr
        assert (dest / STATE / "tmp" / ".part-of-the-first").exists()  # the first one's files are left alone
    assert run(src, dest, Config()).files == 1  # once it has ended
