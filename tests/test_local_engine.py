"""The local engine survives its workers: a worker that dies (the OOM killer, a SIGKILL)
costs at most the task it was running, the run ends, and workers die with their parent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, messages

from cleaner.engines import local

pytestmark = pytest.mark.slow  # forks worker processes


def _die_on_three(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * 10


def test_run_gives_up_a_task_that_kills_its_worker_and_finishes_the_others():
    lost = []
    results = list(local.run(_die_on_three, range(8), 2, lost=lambda task, why: lost.append((task, why)) or -1))
    assert sorted(results) == [-1, 0, 10, 20, 40, 50, 60, 70]
    assert lost == [(3, "worker process was killed by SIGKILL, 2 times")]


def test_ordered_gives_up_a_task_that_kills_its_worker_and_keeps_the_order():
    results = list(local.ordered(_die_on_three, range(8), 2, ahead=3, lost=lambda task, why: -task))
    assert results == [0, 10, 20, -3, 40, 50, 60, 70]


def test_without_a_handler_a_lost_task_is_an_error():
    with pytest.raises(local.WorkerLost, match="killed by SIGKILL"):
        list(local.run(_die_on_three, range(8), 2))


def test_work_a_worker_died_on_once_is_redone(tmp_path: Path):
    def die_once(n: int) -> int:
        mark = tmp_path / f"died-{n}"
        if n % 3 == 0 and not mark.exists():
            mark.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return n

    assert sorted(local.run(die_once, range(40), 2)) == list(range(40))
    assert list(local.ordered(die_once, range(40, 60), 2)) == list(range(40, 60))


def test_an_exception_in_a_worker_reaches_the_caller():
    with pytest.raises(ZeroDivisionError):
        list(local.run(lambda n: 1 // n, [3, 2, 0, 1], 2))


# -- real runs with a worker that dies -------------------------------------------------------

# A command line whose workers die on every input, record or document that says "poison",
# and the first time only on one that says "once" (ONCE: a folder that remembers).
POISONED = """
import os, signal, sys
import cleaner.corpus.passes, cleaner.run.batch, cleaner.run.stream
from cleaner.cli import main

def dying(real, poisoned):
    def func(*args):
        if poisoned(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)
    return func

def first(name):
    flag = os.path.join(os.environ["ONCE"], name.replace("/", "_"))
    if os.path.exists(flag):
        return False
    open(flag, "w").close()
    return True

cleaner.run.batch.process = dying(cleaner.run.batch.process,
    lambda task: "poison" in task.rel or ("once" in task.rel and first("clean-" + task.rel)))
cleaner.run.batch.count_input = dying(cleaner.run.batch.count_input,
    lambda task: "poison" in task.rel or ("once" in task.rel and first("count-" + task.rel)))
cleaner.run.stream.clean_line = dying(cleaner.run.stream.clean_line,
    lambda p, raw, n, s: b"poison" in raw or (b"once" in raw and first(f"line-{n}")))
cleaner.corpus.passes._hash_chunk = dying(cleaner.corpus.passes._hash_chunk,
    lambda chunk: any("poison" in str(data) for _n, (data, _url, _site) in chunk))
if os.environ.get("HANG"):  # a worker that takes forever on every record
    import time
    cleaner.run.stream.clean_line = lambda *args: time.sleep(3600)
sys.argv[0] = "cleaner"
main()
"""


def _poisoned_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    once = cwd / ".once" if cwd != ROOT else Path(os.environ.get("TMPDIR", "/tmp"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONCE": str(once)}
    return subprocess.run([sys.executable, "-c", POISONED, *args], capture_output=True, cwd=cwd, env=env, timeout=300)


@pytest.mark.slow
def test_batch_ends_when_a_worker_dies(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    for i in range(12):
        (src / f"doc{i:02}.txt").write_text(f"Document {i}: the council met on Monday and approved the budget.\n")
    (src / "poison.txt").write_text("This input takes its worker down.\n")
    proc = _poisoned_cli("batch", str(src), str(dest), "--workers", "2")
    assert proc.returncode == 1, proc.stderr
    assert b"Traceback" not in proc.stderr
    errors = [json.loads(line) for line in (dest / ".cleaner" / "errors.jsonl").read_text().splitlines()]
    assert {error["input"] for error in errors} == {"poison.txt"}
    assert any("not cleaned: its worker process was killed by SIGKILL" in error["reason"] for error in errors)
    assert any("templates not learned from it" in error["reason"] for error in errors)
    assert sorted(p.name for p in dest.glob("*.txt")) == [f"doc{i:02}.txt" for i in range(12)]
    done = (dest / ".cleaner" / "manifest.jsonl").read_text()
    assert "doc11.txt" in done and "poison" not in done


@pytest.mark.slow
def test_clean_jsonl_ends_when_a_worker_dies(tmp_path: Path):
    records = [{"id": f"r{i}", "text": f"Record {i}: the ferry runs again from the old harbour."} for i in range(300)]
    records[150]["text"] = "poison"
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(record) + "\n" for record in records))
    proc = _poisoned_cli("clean", "--jsonl", "--workers", "2", "in.jsonl", cwd=tmp_path)
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    ids = [json.loads(line)["id"] for line in proc.stdout.decode().splitlines()]
    assert ids == [f"r{i}" for i in range(300) if i != 150]
    # Both passes say the work they do again; the record is reported by the cleaning pass.
    assert messages(proc.stderr).splitlines() == [
        "cleaner: templates: documents 129-192: its worker process was killed by SIGKILL; it is done again on a fresh worker",
        "cleaner: templates: document 151: its worker process was killed by SIGKILL; it is done again on a fresh worker",
        "cleaner: in.jsonl:129-192: its worker process was killed by SIGKILL; it is done again on a fresh worker",
        "cleaner: in.jsonl:151: its worker process was killed by SIGKILL; it is done again on a fresh worker",
        "cleaner: in.jsonl:151: not cleaned: the worker process was killed by SIGKILL, 2 times"]


@pytest.mark.slow
def test_work_redone_after_a_worker_died_is_said_and_the_run_succeeds(tmp_path: Path):
    """A worker killed once: its input (batch) or records (clean --jsonl) are done again,
    the run ends with exit 0, and stderr says what happened."""
    (tmp_path / ".once").mkdir()
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    for i in range(12):
        (src / f"doc{i:02}.txt").write_text(f"Document {i}: the council met on Monday and approved the budget.\n")
    (src / "once.txt").write_text("This input takes its worker down the first time.\n")
    proc = _poisoned_cli("batch", str(src), str(dest), "--workers", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    said = proc.stderr.decode()
    assert said.count("cleaner: once.txt: its worker process was killed by SIGKILL; it is done again on a fresh worker\n") == 2
    assert (dest / "once.txt").read_text() == "This input takes its worker down the first time.\n"

    records = [{"id": f"r{i}", "text": f"Record {i}: the ferry runs again from the old harbour."} for i in range(100)]
    records[40]["text"] = "once"
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))
    proc = _poisoned_cli("clean", "--jsonl", "--workers", "2", "in.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.decode().splitlines()] == [f"r{i}" for i in range(100)]
    assert messages(proc.stderr) == \
        "cleaner: in.jsonl:1-64: its worker process was killed by SIGKILL; it is done again on a fresh worker\n"


@pytest.mark.slow
def test_learn_lists_the_documents_it_could_not_count(tmp_path: Path):
    records = [{"url": f"https://a.example/{i}", "text": f"Gazette of the Valley\n\nStory {i} about the harbour."}
               for i in range(200)]
    records[70]["text"] = "poison"
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))
    proc = _poisoned_cli("learn", "--workers", "2", "--no-examples", "in.jsonl", "--out", "t.json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert b"Traceback" not in proc.stderr
    assert "cleaner: document 71 (https://a.example/70): not counted: its worker process was killed by SIGKILL, " \
           "2 times\n" in proc.stderr.decode()
    model = json.loads((tmp_path / "t.json").read_text())
    assert model["sites"]["a.example"]["docs"] == 199


@pytest.mark.slow
def test_workers_die_with_their_parent(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "The council met on Monday."}\n' * 400)
    proc = subprocess.Popen([sys.executable, "-c", POISONED, "clean", "--jsonl", "--workers", "2", "--config",
                             str(_no_templates(tmp_path)), str(src)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "HANG": "1"})
    children: list[int] = []
    for _ in range(600):
        children = _children(proc.pid)
        if len(children) >= 2:
            break
        time.sleep(0.1)
    assert len(children) >= 2
    proc.kill()
    proc.wait()
    for _ in range(600):
        if not [pid for pid in children if _alive(pid)]:
            break
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)]


def _no_templates(tmp_path: Path) -> Path:
    config = tmp_path / "cleaner.toml"
    config.write_text("[stages]\ntemplates = false\n")
    return config


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_sigterm_cleans_up_as_ctrl_c_does(tmp_path: Path):
    """SIGTERM on `clean --jsonl -w 2` reading stdin: the spooled copy of stdin and the store
    of extracted pages leave $TMPDIR, no worker prints a traceback or runs on."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    page = "<html><body><p>The council met on Monday and approved the budget for the harbour.</p></body></html>"
    data = "".join(json.dumps({"id": i, "url": f"https://a.example/{i % 50}", "text": page if i % 2 else f"Record {i}."}) + "\n"
                   for i in range(20000)).encode()
    (tmp_path / "in.jsonl").write_bytes(data)
    out = tmp_path / "out.jsonl"
    with open(tmp_path / "in.jsonl", "rb") as stdin, open(out, "wb") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "cleaner.cli", "clean", "--jsonl", "--workers", "2"],
                                stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT,
                                env={**os.environ, "TMPDIR": str(spool)})
    for _ in range(1200):
        if out.stat().st_size:  # cleaning has begun, after the template pass
            break
        time.sleep(0.1)
    assert list(spool.iterdir())  # the spooled stdin, the store of extracted pages
    children = _children(proc.pid)
    proc.terminate()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143
    assert err.decode().splitlines()[-1] == "cleaner: terminated"
    assert b"Traceback" not in err
    assert list(spool.iterdir()) == []
    for _ in range(600):
        if not [pid for pid in children if _alive(pid)]:
            break
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)]


def test_a_worker_killed_while_idle_is_replaced(tmp_path: Path):
    pool = local._Pool(abs, 2)
    with pool:
        os.kill(pool.workers[0].process.pid, signal.SIGKILL)
        pool.workers[0].process.join()
        for n in range(-6, 0):
            pool.put([(n, n)])
        results = []
        while pool.busy():
            results.extend(result for _key, result in pool.results())
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
