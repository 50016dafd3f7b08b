"""Cleaning a JSON Lines stream on worker processes: the same output, messages, status and
log as in one process, in the input's order, with the input read only a little ahead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import clean_logged, run_cli

from cleaner.engines import local
from cleaner.pipeline import Pipeline
from cleaner.run.stream import clean_lines

pytestmark = pytest.mark.slow  # runs the command line and worker processes


def mixed_records(n: int) -> bytes:
    """Records of every kind a stream holds: chrome to remove, clean prose, bad JSON, a
    value that is no string, a blank line, a non-object, HTML."""
    lines = []
    for i in range(n):
        kind = i % 7
        if kind == 0:
            lines.append(json.dumps({"id": f"r{i}", "text": f"Follow us on Twitter\n\nThe harbour reopened on day {i} after repairs.\n\n12 Comments"}))
        elif kind == 1:
            lines.append(json.dumps({"id": f"r{i}", "text": f"Record {i}: the council met again and approved the budget.", "url": f"https://example.org/{i}"}))
        elif kind == 2:
            lines.append("not json {")
        elif kind == 3:
            lines.append(json.dumps({"id": f"r{i}", "text": i}))
        elif kind == 4:
            lines.append("   ")
        elif kind == 5:
            lines.append("[1, 2]")
        else:
            lines.append(json.dumps({"id": f"r{i}", "text": f"<html><body><p>Page {i}. The ferry runs again from the old harbour, the port said.</p></body></html>"}))
    return ("\n".join(lines) + "\n").encode()


def test_workers_give_what_one_process_gives(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(mixed_records(300))  # several chunks of 64 lines
    runs = {workers: clean_logged(tmp_path / f"log{workers}.jsonl", "--jsonl", "--workers", workers, str(src))
            for workers in ("1", "2")}
    assert runs["1"] == runs["2"]
    status, out, err, log = runs["2"]
    assert status == 1  # the bad lines
    ids = [json.loads(line).get("id") for line in out.decode().splitlines()]
    assert ids == [f"r{i}" for i in range(300) if i % 7 in (0, 1, 3, 6)]
    assert b"Follow us" not in out and b"Traceback" not in err
    assert err.decode().count("not valid JSON") == len(range(2, 300, 7))
    assert log.count(b'"rule": "chrome_phrase"') == len(range(0, 300, 7))


def test_clean_lines_in_order_on_workers():
    raw = mixed_records(150).splitlines(keepends=True)
    pipeline = Pipeline()
    one = list(clean_lines(enumerate(raw, start=1), pipeline, "in", with_log=True))
    two = list(clean_lines(enumerate(raw, start=1), pipeline, "in", with_log=True, workers=2))
    assert one == two
    assert len(one) == 150 - len(range(4, 150, 7))  # blank lines give nothing


def test_workers_need_jsonl(tmp_path: Path):
    (tmp_path / "a.txt").write_text("One line.\n")
    proc = run_cli("clean", "--workers", "2", str(tmp_path / "a.txt"))
    assert proc.returncode == 2
    assert b"--workers needs --jsonl" in proc.stderr and proc.stdout == b""


def test_ordered_reads_only_a_few_tasks_ahead():
    taken: list[int] = []

    def tasks():
        for n in range(-500, 500):
            taken.append(n)
            yield n

    results = local.ordered(abs, tasks(), 2, ahead=5)
    assert next(results) == 500
    assert len(taken) == 5
    assert list(results) == [abs(n) for n in range(-499, 500)]


def test_ctrl_c_stops_the_workers_quietly(tmp_path: Path):
    """Ctrl-C reaches the whole process group: the workers leave it to the parent, which
    stops them; no worker prints a traceback and none is left running."""
    import os
    import signal
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_bytes(mixed_records(20000))
    # As at a terminal, Ctrl-C is not ignored: a test run started in the background (a shell
    # without job control) ignores SIGINT, and a child would inherit that.
    proc = subprocess.Popen([sys.executable, "-m", "cleaner.cli", "clean", "--jsonl", "--workers", "2", str(src)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline()  # cleaning has begun
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
    assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).stdout == b""


def test_workers_leave_ctrl_c_to_the_parent():
    import signal

    for engine in (local.ordered, local.run):
        handlers = list(engine(signal.getsignal, [signal.SIGINT] * 4, 2))
        assert handlers == [signal.SIG_IGN] * 4
